"""Stipends are paid in batches: staff build a batch, export it for their payment tool, then
mark each payment fulfilled, canceled or failed. A failed payment can go into a new batch."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.services import audit_record
from mutuality.errors import Conflict, InvalidInput
from surveys import notices
from surveys.models import PaymentBatch, Stipend

PAYABLE = (Stipend.Status.ACCRUED, Stipend.Status.FAILED)
OUTCOMES = (Stipend.Status.FULFILLED, Stipend.Status.CANCELED, Stipend.Status.FAILED)


@transaction.atomic
def payment_batch_create(*, seat: policy.Seat, name: str, stipend_ids=None) -> PaymentBatch:
    """A batch of the chosen stipends (default: every one earned and not yet paid)."""
    policy.require(seat, "payments.manage")
    name = (name or "").strip() or _("Payments of %(date)s") % {
        "date": timezone.localdate().isoformat()
    }
    stipends = Stipend.objects.select_for_update().filter(partner=seat.partner, status__in=PAYABLE)
    if stipend_ids is not None:
        ids = {int(i) for i in stipend_ids}
        stipends = stipends.filter(pk__in=ids)
        if stipends.count() != len(ids):
            raise InvalidInput.for_field(
                "stipends", _("Some of these stipends are not waiting for payment.")
            )
    chosen = list(stipends)
    if not chosen:
        raise Conflict(_("There are no stipends waiting for payment."))
    batch = PaymentBatch.objects.create(partner=seat.partner, name=name, created_by=seat.user)
    Stipend.objects.filter(pk__in=[s.pk for s in chosen]).update(
        status=Stipend.Status.SCHEDULED, batch=batch, status_note="", updated_at=timezone.now()
    )
    audit_record(
        actor=seat.user,
        verb="payment_batch.create",
        obj=batch,
        partner=seat.partner,
        after={
            "stipends": sorted(s.pk for s in chosen),
            "rebatched": sorted(s.pk for s in chosen if s.status == Stipend.Status.FAILED),
        },
    )
    return batch


@transaction.atomic
def stipend_mark(*, seat: policy.Seat, stipend: Stipend, status: str, note: str = "") -> Stipend:
    policy.require(seat, "payments.manage")
    if status not in OUTCOMES:
        raise InvalidInput.for_field("status", _("Choose paid, canceled or failed."))
    stipend = Stipend.objects.select_for_update().get(pk=stipend.pk, partner=seat.partner)
    if stipend.status != Stipend.Status.SCHEDULED:
        raise Conflict(_("Only a scheduled payment can be marked."))
    before = stipend.status
    stipend.status = status
    stipend.status_note = (note or "").strip()[:300]
    stipend.save(update_fields=["status", "status_note", "updated_at"])
    if not stipend.batch.stipends.filter(status=Stipend.Status.SCHEDULED).exists():
        PaymentBatch.objects.filter(pk=stipend.batch_id).update(status=PaymentBatch.Status.CLOSED)
    audit_record(
        actor=seat.user,
        verb="stipend.mark",
        obj=stipend,
        partner=seat.partner,
        before={"status": before},
        after={"status": status, "note": stipend.status_note},
    )
    if status == Stipend.Status.FAILED:
        notices.payment_failed(stipend)
    return stipend
