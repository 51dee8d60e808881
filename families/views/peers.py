"""Peer consulting, from the consulting family's side: invitations to consult a newer cohort,
the answer, and the consulted cohort's feed where the family posts as a peer consultant.

Every page starts from `family_seat(request.user)` (404 for anyone who is not a family member)
and fetches the consultancy with `access_consultancy_for_family` (404 unless it is the family's
own). Views parse input, call one service and render; the services decide.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from families import selectors, services
from families.access import access_consultancy_for_family, family_seat
from families.forms.requests import ConsultancyAnswerForm, PeerPostForm
from families.models import PeerConsultant
from mutuality.errors import Conflict, InvalidInput, NotAllowed
from mutuality.forms import show_service_errors
from mutuality.pagination import page_of


def _list_page(request, seat, *, answer_form=None, answer_for=None, status=200):
    context = {
        "seat": seat,
        "family": seat.family,
        "show_consulting": True,
        "page": page_of(request, selectors.family_consulting_list(seat)),
        "answer_form": answer_form,
        "answer_for": answer_for,
    }
    return render(request, "families/family/consulting_list.html", context, status=status)


@login_required
@require_GET
def family_consulting(request):
    seat = family_seat(request.user)
    return _list_page(request, seat)


@login_required
@require_POST
def family_consulting_answer(request, consultancy_id):
    seat = family_seat(request.user)
    consultancy = access_consultancy_for_family(seat, consultancy_id)
    form = ConsultancyAnswerForm(request.POST)
    if not form.is_valid():
        return _list_page(request, seat, answer_form=form, answer_for=consultancy.pk, status=400)
    accept = form.cleaned_data["answer"] == "accept"
    if not accept and request.POST.get("confirm") != "yes":
        # Declining cannot be undone: ask first.
        context = {
            "seat": seat,
            "family": seat.family,
            "show_consulting": True,
            "consultancy": consultancy,
        }
        return render(request, "families/family/consulting_decline.html", context)
    try:
        services.peer_answer(seat=seat, consultancy=consultancy, accept=accept)
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("family_consulting")
    if accept:
        messages.success(
            request,
            _("Thank you! You now consult %(cohort)s: what you share here reaches its families.")
            % {"cohort": consultancy.cohort.name},
        )
        return redirect("family_consulting_feed", consultancy_id=consultancy.pk)
    messages.success(
        request,
        _("You declined to consult %(cohort)s. Nothing changes for your own group.")
        % {"cohort": consultancy.cohort.name},
    )
    return redirect("family_consulting")


def _refuse_unless_active(consultancy: PeerConsultant) -> None:
    if consultancy.status == PeerConsultant.Status.ACTIVE:
        return
    if consultancy.status == PeerConsultant.Status.INVITED:
        raise NotAllowed(
            _("Accept the invitation first: then you can read and post in this cohort's feed.")
        )
    raise NotAllowed(
        _("You no longer consult this cohort: its feed is for its families and its consultants.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def family_consulting_feed(request, consultancy_id):
    seat = family_seat(request.user)
    consultancy = access_consultancy_for_family(seat, consultancy_id)
    _refuse_unless_active(consultancy)
    here = reverse("family_consulting_feed", args=[consultancy.pk])
    if request.method == "POST" and request.POST.get("action") == "end":
        return _end(request, seat, consultancy)
    form = PeerPostForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.peer_post_create(
                seat=seat, consultancy=consultancy, body=form.cleaned_data["body"]
            )
        except InvalidInput as error:
            show_service_errors(form, error)
            status = error.status_code
        else:
            messages.success(
                request,
                _("Shared with the families of %(cohort)s.") % {"cohort": consultancy.cohort.name},
            )
            return redirect(here)
    if form.errors and status == 200:
        status = 400
    context = {
        "seat": seat,
        "family": seat.family,
        "show_consulting": True,
        "consultancy": consultancy,
        "form": form,
        "page": page_of(request, selectors.consulting_feed(consultancy)),
        "here": here,
    }
    return render(request, "families/family/consulting_feed.html", context, status=status)


def _end(request, seat, consultancy):
    """Stopping cannot be undone (staff would have to invite the family again): ask first."""
    if request.POST.get("confirm") != "yes":
        context = {
            "seat": seat,
            "family": seat.family,
            "show_consulting": True,
            "consultancy": consultancy,
        }
        return render(request, "families/family/consulting_end.html", context)
    try:
        services.peer_end(seat=seat, consultancy=consultancy)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("You stopped consulting %(cohort)s. Thank you for your help.")
            % {"cohort": consultancy.cohort.name},
        )
    return redirect("family_consulting")
