"""Writes for changemakers: moving a cohort between phases, and sharing best practices."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import policy
from accounts.services import audit_record
from changemakers import selectors
from changemakers.models import BestPracticeShare, PhaseChange
from families import services as family_services
from families.models import Cohort
from mutuality.errors import Conflict, InvalidInput, NotAllowed
from surveys.models import Practice


@transaction.atomic
def cohort_change_phase(
    *, seat: policy.Seat, cohort: Cohort, phase: int, reason: str = "", override_reason: str = ""
) -> PhaseChange:
    """Staff move a cohort to phase II (before the partner's minimum months only with a written
    reason, marked as an override) or back to phase I (always with a reason). Recorded with the
    readiness figures of that moment."""
    policy.require(seat, "cohort.change_phase")
    if cohort.partner_id != seat.partner.pk or not policy.can_view_cohort(seat, cohort):
        raise NotAllowed(_("You cannot change this cohort."))
    try:
        phase = int(phase)
    except (TypeError, ValueError):
        phase = 0
    if phase not in (policy.PHASE_I, policy.PHASE_II):
        raise InvalidInput.for_field("phase", _("Choose phase 1 or 2."))
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.phase == phase:
        raise Conflict(_("The cohort is already in this phase."))
    reason = (reason or "").strip()
    override_reason = (override_reason or "").strip()
    is_override = False
    if phase == policy.PHASE_II:
        minimum = seat.partner.months_before_phase_two
        if selectors.months_since_start(cohort) < minimum:
            if not override_reason:
                raise Conflict(
                    _(
                        "This cohort started less than %(n)d months ago. To move it to phase II "
                        "now, write why (it is recorded as an early move)."
                    )
                    % {"n": minimum},
                    errors={"override_reason": [_("Say why the cohort is ready early.")]},
                )
            is_override = True
            reason = override_reason
    elif not reason:
        raise InvalidInput.for_field("reason", _("Say why the cohort goes back to phase I."))
    figures = selectors.readiness(cohort)
    change = PhaseChange.objects.create(
        partner=seat.partner,
        cohort=cohort,
        from_phase=cohort.phase,
        to_phase=phase,
        reason=reason,
        is_override=is_override,
        readiness=figures,
        changed_by=seat.user,
    )
    before = cohort.phase
    cohort.phase = phase
    cohort.save(update_fields=["phase"])
    audit_record(
        actor=seat.user,
        verb="cohort.change_phase",
        obj=cohort,
        partner=seat.partner,
        before={"phase": before},
        after={"phase": phase, "override": is_override, "reason": reason, "readiness": figures},
    )
    return change


@transaction.atomic
def best_practice_share(
    *, seat: policy.Seat, cohort: Cohort, practice: Practice, body: str
) -> BestPracticeShare:
    """Tell a cohort in phase II what other families did. Refused in phase I, whoever asks."""
    # The phase as it is now, not as the caller last read it (and held while sharing).
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.partner_id != seat.partner.pk or not policy.can_view_cohort(seat, cohort):
        raise NotAllowed(_("You cannot share with this cohort."))
    policy.require_phase(seat, cohort, "practice.share")
    if practice.partner_id not in (None, seat.partner.pk) or not practice.is_active:
        raise InvalidInput.for_field("practice", _("Choose a practice from the catalogue."))
    post = family_services.post_practice_share(seat=seat, cohort=cohort, body=body)
    share = BestPracticeShare.objects.create(
        partner=seat.partner,
        cohort=cohort,
        practice=practice,
        body=post.body,
        author=seat.user,
        post=post,
    )
    audit_record(
        actor=seat.user,
        verb="practice.share",
        obj=share,
        partner=seat.partner,
        after={"cohort": cohort.pk, "practice": practice.slug},
    )
    return share
