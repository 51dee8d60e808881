"""Families' requests to staff, as partner staff and liaisons see them: the list of the cohorts
they may see, and one request's thread with an answer.

Who answers is the policy's phase table (`services.staff_may_answer`): staff answer any request;
liaisons answer paperwork and payment requests, in any phase, and read the others with the
policy's words for why not. The service checks again and does the writing."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts import policy
from families import access, selectors, services
from families.models import StaffRequest
from families.services.requests import PAPERWORK_KINDS
from mutuality.errors import ApplicationError, Conflict, NotAllowed
from mutuality.forms import show_service_errors
from mutuality.pagination import page_of


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Show"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All requests")), *StaffRequest.Status.choices]


class RequestAnswerForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your answer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("Write your answer.")},
    )
    close = forms.BooleanField(
        label=gettext_lazy("Close the request: nothing more is needed"), required=False
    )


@login_required
@require_GET
def staff_requests(request, partner_slug):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "request.view")
    form = RequestFilterForm(request.GET)
    status = 200 if form.is_valid() else 400
    chosen = form.cleaned_data.get("status") or None
    page = page_of(request, selectors.staff_requests_for(seat, status=chosen))
    context = {
        "seat": seat,
        "filter_form": form,
        "page": page,
        "query": urlencode({"status": chosen}) if chosen else "",
        "filtered": bool(chosen),
    }
    return render(request, "families/staff/request_list.html", context, status=status)


def _detail(request, seat, staff_request, *, form, error=None, status=200):
    may_answer = services.staff_may_answer(seat, staff_request)
    action = (
        "request.answer_paperwork"
        if staff_request.kind in PAPERWORK_KINDS
        else "request.answer_other"
    )
    context = {
        "seat": seat,
        "staff_request": staff_request,
        "thread": selectors.staff_request_thread(staff_request),
        "may_answer": may_answer,
        "is_closed": staff_request.status == StaffRequest.Status.CLOSED,
        "refusal": "" if may_answer else policy.phase_refusal(seat, staff_request.cohort, action),
        "form": form,
        "error": error.message if isinstance(error, Conflict) else "",
    }
    return render(request, "families/staff/request_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def staff_request_detail(request, partner_slug, request_id):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "request.view")
    staff_request = access.access_staff_request_for_staff(seat, request_id)
    if request.method == "GET":
        return _detail(request, seat, staff_request, form=RequestAnswerForm())

    form = RequestAnswerForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.staff_request_answer(
                seat=seat,
                request=staff_request,
                body=form.cleaned_data["body"],
                close=form.cleaned_data["close"],
            )
        except ApplicationError as exc:
            if isinstance(exc, NotAllowed):
                raise  # the 403 page says why, in the policy's words
            error = exc
            if not isinstance(exc, Conflict):
                show_service_errors(form, exc)
        else:
            messages.success(request, _("Your answer is sent to the family."))
            return redirect(
                "staff_request_detail", partner_slug=seat.partner.slug, request_id=staff_request.pk
            )
    # Show the request as it is now (someone may have closed it meanwhile).
    staff_request = access.access_staff_request_for_staff(seat, staff_request.pk)
    status = error.status_code if error is not None else 400
    return _detail(request, seat, staff_request, form=form, error=error, status=status)
