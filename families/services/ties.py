"""Ties between families: bonding inside a group, bridging across groups."""

from __future__ import annotations

import datetime
from itertools import combinations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.services import audit_record
from families.models import (
    Cohort,
    Family,
    Group,
    GroupMeeting,
    Tie,
)
from families.services.cohorts import before_the_cohort
from mutuality.errors import InvalidInput, NotAllowed

# Ties ---------------------------------------------------------------------------------------------


def tie_record(*, first: Family, second: Family, reason: str) -> Tie | None:
    """Bonding inside a group, bridging across groups; one tie per pair and reason."""
    if first.pk == second.pk or first.cohort_id != second.cohort_id:
        return None
    low, high = sorted([first, second], key=lambda f: f.pk)
    kind = (
        Tie.Kind.BONDING
        if low.group_id is not None and low.group_id == high.group_id
        else Tie.Kind.BRIDGING
    )
    tie, _created = Tie.objects.get_or_create(
        family_low=low,
        family_high=high,
        reason=reason,
        defaults={"partner_id": low.partner_id, "cohort_id": low.cohort_id, "kind": kind},
    )
    return tie


@transaction.atomic
def group_meeting_record(
    *,
    seat: policy.Seat,
    cohort: Cohort,
    group_ids,
    met_on: datetime.date,
    note: str = "",
) -> GroupMeeting:
    """Groups met: every family of one group gains a bridging tie with every family of the
    others."""
    policy.require(seat, "group.record_meeting")
    if not policy.can_view_cohort(seat, cohort):
        raise NotAllowed(_("You cannot record meetings in this cohort."))
    ids = {int(i) for i in group_ids or []}
    groups = list(Group.objects.filter(partner=seat.partner, cohort=cohort, pk__in=ids))
    if len(ids) < 2 or len(groups) != len(ids):
        raise InvalidInput.for_field("groups", _("Choose at least two groups of this cohort."))
    if met_on > timezone.localdate():
        raise InvalidInput.for_field("met_on", _("The meeting cannot be in the future."))
    if too_early := before_the_cohort(cohort, met_on):
        raise InvalidInput.for_field("met_on", too_early)
    meeting = GroupMeeting.objects.create(
        partner=seat.partner,
        cohort=cohort,
        met_on=met_on,
        note=(note or "").strip(),
        recorded_by=seat.user,
    )
    meeting.groups.set(groups)
    families = list(Family.objects.filter(partner=seat.partner, group__in=groups))
    for a, b in combinations(families, 2):
        if a.group_id != b.group_id:
            tie_record(first=a, second=b, reason=Tie.Reason.MET)
    audit_record(
        actor=seat.user,
        verb="group_meeting.record",
        obj=meeting,
        partner=seat.partner,
        after={"groups": sorted(ids), "met_on": met_on.isoformat()},
    )
    return meeting
