"""Fetch ventures' objects by id for an actor, or 404 (the decisions are accounts.policy's)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts import policy
from families.access import FamilySeat
from mutuality.errors import NotFound
from ventures.models import FundingAsk, Milestone, Pledge, Repayment, Venture


def _not_found():
    return NotFound(_("Not found."))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _not_found() from None


def _owner_group_ids(venture: Venture) -> set[int]:
    return set(venture.owners.exclude(group=None).values_list("group_id", flat=True))


def access_venture_for_family(seat: FamilySeat, venture_id) -> Venture:
    venture = Venture.objects.filter(pk=_int(venture_id)).select_related("partner").first()
    if venture is None or not policy.family_can_see_venture(
        seat.family, venture, owner_group_ids=_owner_group_ids(venture)
    ):
        raise _not_found()
    return venture


def access_ask_for_family(seat: FamilySeat, ask_id) -> FundingAsk:
    ask = FundingAsk.objects.filter(pk=_int(ask_id)).select_related("venture").first()
    if ask is None:
        raise _not_found()
    access_venture_for_family(seat, ask.venture_id)
    return ask


def access_ask_for_funder(user, ask_id) -> FundingAsk:
    """Funders see asks once they are public, never drafts or private ventures."""
    ask = FundingAsk.objects.filter(pk=_int(ask_id)).select_related("venture", "partner").first()
    public = (
        ask is not None and ask.is_public and ask.venture.visibility == Venture.Visibility.PUBLIC
    )
    if ask is None or not (public or ask.pledges.filter(funder__user=user).exists()):
        raise _not_found()
    return ask


# The API: its URLs carry no partner. Staff and liaisons are resolved from the object (it names
# its partner; the caller needs a membership there and may see its cohort). Same 404 for missing
# and not theirs. Drafts are the family's own business: staff never reach them.


def _staff_seat_for(user, queryset, object_id, cohort_of):
    if not user.is_authenticated:
        raise _not_found()
    found = queryset.filter(partner__memberships__user=user, pk=_int(object_id)).first()
    if found is None:
        raise _not_found()
    seat = policy.seat_for(user, found.partner)
    if seat is None or not policy.can_view_cohort(seat, cohort_of(found)):
        raise _not_found()
    return seat, found


def staff_seat_for_venture(user, venture_id) -> tuple[policy.Seat, Venture]:
    return _staff_seat_for(
        user,
        Venture.objects.select_related("partner", "cohort"),
        venture_id,
        lambda venture: venture.cohort,
    )


def staff_seat_for_ask(user, ask_id) -> tuple[policy.Seat, FundingAsk]:
    return _staff_seat_for(
        user,
        FundingAsk.objects.exclude(state=FundingAsk.State.DRAFT).select_related(
            "partner", "venture__cohort"
        ),
        ask_id,
        lambda ask: ask.venture.cohort,
    )


def staff_seat_for_pledge(user, pledge_id) -> tuple[policy.Seat, Pledge]:
    return _staff_seat_for(
        user,
        Pledge.objects.select_related("partner", "ask__venture__cohort"),
        pledge_id,
        lambda pledge: pledge.ask.venture.cohort,
    )


def access_ask_for_family_reader(seat: FamilySeat, ask_id) -> tuple[FundingAsk, bool]:
    """An ask a family may read, and whether the family owns its venture. Owners read every
    ask of theirs; other families who may see the venture read only published asks (never a
    draft, one waiting for the partner's check, or one declined)."""
    ask = access_ask_for_family(seat, ask_id)
    owner = policy.family_owns_venture(seat.family, ask.venture)
    if not owner and ask.opened_at is None:
        raise _not_found()
    return ask, owner


def access_ask_for_staff_page(seat: policy.Seat, ask_id) -> FundingAsk:
    """An ask of a cohort the seat may see, never a draft (the family's own business), with
    its venture, cohort and partner loaded."""
    ask = (
        FundingAsk.objects.filter(partner=seat.partner, pk=_int(ask_id))
        .exclude(state=FundingAsk.State.DRAFT)
        .select_related("venture__cohort", "partner")
        .first()
    )
    if ask is None or not policy.can_view_cohort(seat, ask.venture.cohort):
        raise _not_found()
    return ask


def access_pledge_for_staff_page(seat: policy.Seat, pledge_id) -> Pledge:
    """A pledge of an ask in a cohort the seat may see; else 404."""
    pledge = (
        Pledge.objects.filter(partner=seat.partner, pk=_int(pledge_id))
        .select_related("ask__venture__cohort")
        .first()
    )
    if pledge is None or not policy.can_view_cohort(seat, pledge.ask.venture.cohort):
        raise _not_found()
    return pledge


def access_repayment_for_staff_page(seat: policy.Seat, repayment_id) -> Repayment:
    repayment = (
        Repayment.objects.filter(partner=seat.partner, pk=_int(repayment_id))
        .select_related("ask__venture__cohort")
        .first()
    )
    if repayment is None or not policy.can_view_cohort(seat, repayment.ask.venture.cohort):
        raise _not_found()
    return repayment


def access_milestone_for_family(seat: FamilySeat, milestone_id) -> Milestone:
    """A milestone of a venture the family may see (whether it may tick it is the service's
    call: owners only)."""
    milestone = (
        Milestone.objects.filter(pk=_int(milestone_id)).select_related("plan__venture").first()
    )
    if milestone is None:
        raise _not_found()
    access_venture_for_family(seat, milestone.plan.venture_id)
    return milestone
