"""Families ask their partner for something; staff (and, for paperwork and payments, liaisons)
answer in the request's thread, in any phase."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.services import audit_record
from families.access import FamilySeat
from families.models import StaffRequest, StaffRequestMessage
from mutuality.errors import Conflict, InvalidInput, NotAllowed

PAPERWORK_KINDS = {StaffRequest.Kind.PAPERWORK, StaffRequest.Kind.PAYMENT}


@transaction.atomic
def staff_request_create(*, seat: FamilySeat, kind: str, subject: str, body: str) -> StaffRequest:
    errors = {}
    if kind not in StaffRequest.Kind.values:
        errors["kind"] = [_("Choose what your request is about.")]
    if not (subject or "").strip():
        errors["subject"] = [_("Give your request a short subject.")]
    if not (body or "").strip():
        errors["body"] = [_("Tell us what you need.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), errors=errors)
    family = seat.family
    request = StaffRequest.objects.create(
        partner_id=family.partner_id,
        cohort_id=family.cohort_id,
        family=family,
        author=seat.user,
        kind=kind,
        subject=subject.strip()[:200],
    )
    StaffRequestMessage.objects.create(
        partner_id=family.partner_id, request=request, author=seat.user, body=body.strip()
    )
    audit_record(
        actor=seat.user,
        verb="staff_request.create",
        obj=request,
        partner=family.partner,
        after={"kind": kind},
    )
    return request


def _answer_action(request: StaffRequest) -> str:
    return "request.answer_paperwork" if request.kind in PAPERWORK_KINDS else "request.answer_other"


def staff_may_answer(seat: policy.Seat, request: StaffRequest) -> bool:
    return (
        seat.can("request.view")
        and policy.can_view_cohort(seat, request.cohort)
        and policy.phase_allows(seat, request.cohort, _answer_action(request))
    )


@transaction.atomic
def staff_request_answer(
    *, seat: policy.Seat, request: StaffRequest, body: str, close: bool = False
) -> StaffRequest:
    policy.require(seat, "request.view")
    if request.partner_id != seat.partner.pk or not policy.can_view_cohort(seat, request.cohort):
        raise NotAllowed(_("You answer requests of your own cohorts only."))
    policy.require_phase(seat, request.cohort, _answer_action(request))
    request = StaffRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == StaffRequest.Status.CLOSED:
        raise Conflict(_("This request is closed."))
    if not (body or "").strip():
        raise InvalidInput.for_field("body", _("Write your answer."))
    StaffRequestMessage.objects.create(
        partner_id=request.partner_id,
        request=request,
        author=seat.user,
        from_staff=True,
        body=body.strip(),
    )
    request.status = StaffRequest.Status.CLOSED if close else StaffRequest.Status.ANSWERED
    request.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=seat.user,
        verb="staff_request.answer",
        obj=request,
        partner=seat.partner,
        after={"status": request.status},
    )
    return request


@transaction.atomic
def staff_request_reply(
    *, seat: FamilySeat, request: StaffRequest, body: str, close: bool = False
) -> StaffRequest:
    """The family writes again in its own request's thread, or closes it."""
    request = StaffRequest.objects.select_for_update().get(pk=request.pk)
    if request.family_id != seat.family.pk:
        raise NotAllowed(_("This request belongs to another family."))
    if request.status == StaffRequest.Status.CLOSED:
        raise Conflict(_("This request is closed."))
    if (body or "").strip():
        StaffRequestMessage.objects.create(
            partner_id=request.partner_id, request=request, author=seat.user, body=body.strip()
        )
    elif not close:
        raise InvalidInput.for_field("body", _("Write your message."))
    request.status = StaffRequest.Status.CLOSED if close else StaffRequest.Status.OPEN
    request.updated_at = timezone.now()
    request.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=seat.user,
        verb="staff_request.reply",
        obj=request,
        partner=seat.family.partner,
        after={"status": request.status},
    )
    return request
