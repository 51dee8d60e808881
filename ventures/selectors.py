"""Reads for ventures: what families, staff and funders may see of ventures, asks and pledges."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from accounts import policy
from families.access import FamilySeat
from families.models import Cohort, Family
from ventures.models import FundingAsk, PlanVersion, Pledge, Venture, VentureUpdate

COUNTED = (Pledge.Status.PLEDGED, Pledge.Status.RECEIVED, Pledge.Status.FULFILLED)


def family_ventures(family: Family) -> QuerySet[Venture]:
    """Ventures the family owns (alone or with its group)."""
    return (
        Venture.objects.filter(partner=family.partner_id, owners=family)
        .prefetch_related("owners")
        .order_by("name")
    )


def ventures_visible_to_family(seat: FamilySeat) -> QuerySet[Venture]:
    """Ventures of the family's cohort it may see: its own, its group's, the cohort's, public."""
    family = seat.family
    group_families = Family.objects.filter(partner=family.partner_id, group=family.group_id)
    return (
        Venture.objects.filter(partner=family.partner_id, cohort=family.cohort_id)
        .filter(
            Q(owners=family)
            | Q(visibility__in=[Venture.Visibility.COHORT, Venture.Visibility.PUBLIC])
            | (Q(visibility=Venture.Visibility.GROUP) & Q(owners__in=group_families))
        )
        .distinct()
        .prefetch_related("owners")
        .order_by("name")
    )


def ventures_for_staff(seat: policy.Seat, cohort: Cohort | None = None) -> QuerySet[Venture]:
    cohorts = Cohort.objects.filter(partner=seat.partner)
    if not seat.can("cohort.view_all"):
        cohorts = cohorts.filter(liaisons=seat.user)
    ventures = Venture.objects.filter(partner=seat.partner, cohort__in=cohorts)
    if cohort is not None:
        ventures = ventures.filter(cohort=cohort)
    return ventures.prefetch_related("owners").order_by("name")


def current_plan(venture: Venture) -> PlanVersion | None:
    return (
        PlanVersion.objects.filter(partner=venture.partner_id, venture=venture)
        .prefetch_related("budget_lines", "milestones")
        .order_by("-number")
        .first()
    )


def plan_history(venture: Venture) -> QuerySet[PlanVersion]:
    return (
        PlanVersion.objects.filter(partner=venture.partner_id, venture=venture)
        .prefetch_related("budget_lines", "milestones")
        .select_related("created_by")
        .order_by("-number")
    )


def venture_updates(venture: Venture) -> QuerySet[VentureUpdate]:
    return VentureUpdate.objects.filter(partner=venture.partner_id, venture=venture).order_by(
        "period"
    )


def jobs_created(venture: Venture) -> int:
    """People employed in the latest month reported."""
    latest = venture_updates(venture).order_by("-period").first()
    return latest.jobs if latest else 0


@dataclass
class AskProgress:
    pledged: Decimal
    left: Decimal
    percent: int


def ask_progress(ask: FundingAsk) -> AskProgress:
    pledged = ask.pledges.filter(status__in=COUNTED).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal("0.00")
    left = max(ask.amount - pledged, Decimal("0.00"))
    percent = int(pledged * 100 / ask.amount) if ask.amount else 0
    return AskProgress(pledged=pledged, left=left, percent=min(percent, 100))


def _with_pledged(asks: QuerySet[FundingAsk]) -> QuerySet[FundingAsk]:
    return asks.annotate(
        pledged=Sum("pledges__amount", filter=Q(pledges__status__in=COUNTED)),
        pledge_count=Count("pledges", filter=Q(pledges__status__in=COUNTED)),
    )


def venture_asks(venture: Venture) -> QuerySet[FundingAsk]:
    return _with_pledged(FundingAsk.objects.filter(partner=venture.partner_id, venture=venture))


def asks_visible_to_family(seat: FamilySeat) -> QuerySet[FundingAsk]:
    """Open asks of ventures the family may see: friends (group and cohort) see them before
    they go public."""
    ventures = ventures_visible_to_family(seat).values("pk")
    return _with_pledged(
        FundingAsk.objects.filter(
            partner=seat.family.partner_id, venture__in=ventures, state=FundingAsk.State.OPEN
        ).select_related("venture")
    ).order_by("deadline")


def open_asks_for_funders(
    *,
    country: str = "",
    sector: str = "",
    kind: str = "",
    min_amount: Decimal | None = None,
    max_amount: Decimal | None = None,
) -> QuerySet[FundingAsk]:
    """What funders see: open asks past their friends-first days, never drafts or private
    ventures."""
    asks = FundingAsk.objects.filter(
        state=FundingAsk.State.OPEN, public_from__lte=timezone.now()
    ).select_related("venture", "partner")
    if country:
        asks = asks.filter(partner__country=country.upper())
    if sector:
        asks = asks.filter(venture__sector=sector)
    if kind:
        asks = asks.filter(kind=kind)
    if min_amount is not None:
        asks = asks.filter(amount__gte=min_amount)
    if max_amount is not None:
        asks = asks.filter(amount__lte=max_amount)
    return _with_pledged(asks).order_by("deadline", "pk")


def asks_waiting_for_review(seat: policy.Seat) -> QuerySet[FundingAsk]:
    return (
        FundingAsk.objects.filter(partner=seat.partner, state=FundingAsk.State.IN_REVIEW)
        .select_related("venture")
        .order_by("created_at")
    )


def partner_asks(seat: policy.Seat, *, state: str = "") -> QuerySet[FundingAsk]:
    asks = FundingAsk.objects.filter(partner=seat.partner).select_related("venture")
    if state:
        asks = asks.filter(state=state)
    return _with_pledged(asks).order_by("-created_at")


def ask_pledges(ask: FundingAsk) -> QuerySet[Pledge]:
    return Pledge.objects.filter(partner=ask.partner_id, ask=ask).select_related("funder__user")


def funder_pledges(user) -> QuerySet[Pledge]:
    return (
        Pledge.objects.filter(funder__user=user)
        .select_related("ask__venture", "partner")
        .prefetch_related(Prefetch("ask__repayments"))
        .order_by("-created_at")
    )
