"""Fetch ventures' objects by id for an actor, or 404 (the decisions are accounts.policy's)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts import policy
from families.access import FamilySeat
from mutuality.errors import NotFound
from ventures.models import FundingAsk, Pledge, Repayment, Venture


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


def access_venture_for_staff(seat: policy.Seat, venture_id) -> Venture:
    venture = Venture.objects.filter(partner=seat.partner, pk=_int(venture_id)).first()
    if venture is None or not policy.can_view_cohort(seat, venture.cohort):
        raise _not_found()
    return venture


def access_ask_for_family(seat: FamilySeat, ask_id) -> FundingAsk:
    ask = FundingAsk.objects.filter(pk=_int(ask_id)).select_related("venture").first()
    if ask is None:
        raise _not_found()
    access_venture_for_family(seat, ask.venture_id)
    return ask


def access_ask_for_staff(seat: policy.Seat, ask_id) -> FundingAsk:
    ask = FundingAsk.objects.filter(partner=seat.partner, pk=_int(ask_id)).first()
    if ask is None or not policy.can_view_cohort(seat, ask.venture.cohort):
        raise _not_found()
    return ask


def access_ask_for_funder(user, ask_id) -> FundingAsk:
    """Funders see asks once they are public, never drafts or private ventures."""
    ask = FundingAsk.objects.filter(pk=_int(ask_id)).select_related("venture", "partner").first()
    if ask is None or not (ask.is_public or ask.pledges.filter(funder__user=user).exists()):
        raise _not_found()
    return ask


def access_pledge_for_staff(seat: policy.Seat, pledge_id) -> Pledge:
    pledge = Pledge.objects.filter(partner=seat.partner, pk=_int(pledge_id)).first()
    if pledge is None:
        raise _not_found()
    return pledge


def access_repayment_for_staff(seat: policy.Seat, repayment_id) -> Repayment:
    repayment = Repayment.objects.filter(partner=seat.partner, pk=_int(repayment_id)).first()
    if repayment is None:
        raise _not_found()
    return repayment
