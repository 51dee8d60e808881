"""Writes for Everyday Changemaker candidates: staff dismiss one, or reconsider it.

Nominating is `changemakers.services.features.feature_nominate`. The scoring job never touches a
candidate staff decided on, so a dismissal holds when the month is scored again."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.services import audit_record
from changemakers.models import Candidate
from mutuality.errors import Conflict, InvalidInput, NotFound

NOTE_LIMIT = 2000


def _locked(seat: policy.Seat, candidate: Candidate) -> Candidate:
    policy.require(seat, "changemakers.review")
    if candidate.partner_id != seat.partner.pk:
        raise NotFound(_("Not found."))
    # The state as it is now, held while deciding: two staff clicking at once decide once.
    return Candidate.objects.select_for_update().get(pk=candidate.pk)


@transaction.atomic
def candidate_dismiss(*, seat: policy.Seat, candidate: Candidate, note: str = "") -> Candidate:
    """Set a surfaced candidate aside for its month (409 once decided). The note, if any, is
    kept in the audit trail."""
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise InvalidInput.for_field(
            "note", _("Keep the note under %(n)d characters.") % {"n": NOTE_LIMIT}
        )
    candidate = _locked(seat, candidate)
    if candidate.state != Candidate.State.SURFACED:
        raise Conflict(_("This candidate was already decided on."))
    candidate.state = Candidate.State.DISMISSED
    candidate.decided_by = seat.user
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["state", "decided_by", "decided_at"])
    audit_record(
        actor=seat.user,
        verb="candidate.dismiss",
        obj=candidate,
        partner=seat.partner,
        before={"state": Candidate.State.SURFACED.value},
        after={"state": candidate.state, "note": note},
    )
    return candidate


@transaction.atomic
def candidate_restore(*, seat: policy.Seat, candidate: Candidate) -> Candidate:
    """Bring a dismissed candidate back to the list, to reconsider it (409 unless dismissed).
    Its score and reasons are the month's again at the next scoring."""
    candidate = _locked(seat, candidate)
    if candidate.state != Candidate.State.DISMISSED:
        raise Conflict(_("Only a dismissed candidate can be reconsidered."))
    candidate.state = Candidate.State.SURFACED
    candidate.decided_by = None
    candidate.decided_at = None
    candidate.save(update_fields=["state", "decided_by", "decided_at"])
    audit_record(
        actor=seat.user,
        verb="candidate.restore",
        obj=candidate,
        partner=seat.partner,
        before={"state": Candidate.State.DISMISSED.value},
        after={"state": candidate.state},
    )
    return candidate
