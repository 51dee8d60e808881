"""What a family asks its partner (paperwork, a payment, the platform), answered in a thread.

Every page starts from `family_seat(request.user)` (404 for anyone who is not a family member)
and fetches the request with `access_staff_request_for_family` (404 unless it is the family's
own). Views parse input, call one service and render; the services decide.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from families import selectors, services
from families.access import access_staff_request_for_family, family_seat
from families.forms.requests import StaffRequestForm, StaffRequestReplyForm
from families.models import StaffRequest
from mutuality.errors import Conflict, InvalidInput
from mutuality.forms import show_service_errors
from mutuality.pagination import page_of


@login_required
@require_http_methods(["GET", "POST"])
def family_requests(request):
    seat = family_seat(request.user)
    form = StaffRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            created = services.staff_request_create(
                seat=seat,
                kind=form.cleaned_data["kind"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except InvalidInput as error:
            show_service_errors(form, error)
            status = error.status_code
        else:
            messages.success(
                request, _("Your request was sent. You will find the answer on this page.")
            )
            return redirect("family_request_detail", request_id=created.pk)
    if form.errors and status == 200:
        status = 400
    context = {
        "seat": seat,
        "family": seat.family,
        "form": form,
        "page": page_of(request, selectors.family_staff_requests(seat.family)),
    }
    return render(request, "families/family/request_list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def family_request_detail(request, request_id):
    seat = family_seat(request.user)
    staff_request = access_staff_request_for_family(seat, request_id)
    closing = request.method == "POST" and request.POST.get("action") == "close"
    if closing:
        return _close(request, seat, staff_request)
    form = StaffRequestReplyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_request_reply(
                seat=seat, request=staff_request, body=form.cleaned_data["body"]
            )
        except InvalidInput as error:
            show_service_errors(form, error)
            status = error.status_code
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("family_request_detail", request_id=staff_request.pk)
        else:
            messages.success(request, _("Your message was sent."))
            return redirect("family_request_detail", request_id=staff_request.pk)
    if form.errors and status == 200:
        status = 400
    context = {
        "seat": seat,
        "family": seat.family,
        "staff_request": staff_request,
        "is_closed": staff_request.status == StaffRequest.Status.CLOSED,
        "thread": page_of(request, selectors.staff_request_thread(staff_request)),
        "form": form,
    }
    return render(request, "families/family/request_detail.html", context, status=status)


def _close(request, seat, staff_request):
    """Closing cannot be undone: the first POST asks, the confirmed one closes."""
    if staff_request.status == StaffRequest.Status.CLOSED:
        messages.error(request, _("This request is closed."))
        return redirect("family_request_detail", request_id=staff_request.pk)
    if request.POST.get("confirm") != "yes":
        context = {"seat": seat, "family": seat.family, "staff_request": staff_request}
        return render(request, "families/family/request_close.html", context)
    try:
        services.staff_request_reply(seat=seat, request=staff_request, body="", close=True)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The request is closed. Thank you for letting us know."))
    return redirect("family_request_detail", request_id=staff_request.pk)
