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
        state=FundingAsk.State.OPEN,
        public_from__lte=timezone.now(),
        venture__visibility=Venture.Visibility.PUBLIC,
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


# Staff pages and the API: staff see their partner's cohorts, liaisons their own cohorts --------


def _cohorts_of_seats(seats) -> QuerySet[Cohort]:
    """The cohorts any of the seats may see (staff: all of their partner's; liaisons: theirs)."""
    q = Q(pk__in=[])
    for seat in seats:
        if seat.can("cohort.view_all"):
            q |= Q(partner=seat.partner)
        elif seat.can("cohort.view_assigned"):
            q |= Q(partner=seat.partner, liaisons=seat.user)
    return Cohort.objects.filter(q).values("pk")


def ventures_for_staff_page(
    seat: policy.Seat, *, cohort: Cohort | None = None, ask_state: str = ""
) -> QuerySet[Venture]:
    """The seat's ventures with their cohort, owners and asks (as `staff_asks`, each with
    `pledged`); drafts are the family's own business and are left out. With `ask_state`, only
    ventures with an ask in that state, and only those asks."""
    asks = _with_pledged(
        FundingAsk.objects.filter(partner=seat.partner).exclude(state=FundingAsk.State.DRAFT)
    ).order_by("-created_at", "-pk")
    ventures = ventures_for_staff(seat, cohort=cohort)
    if ask_state:
        asks = asks.filter(state=ask_state)
        ventures = ventures.filter(pk__in=asks.values("venture"))
    return ventures.select_related("cohort").prefetch_related(
        Prefetch("asks", queryset=asks, to_attr="staff_asks")
    )


def ventures_for_staff_seats(seats) -> QuerySet[Venture]:
    return (
        Venture.objects.filter(
            partner__in=[seat.partner for seat in seats], cohort__in=_cohorts_of_seats(seats)
        )
        .select_related("partner")
        .prefetch_related("owners")
        .order_by("name", "pk")
    )


def asks_for_staff_seats(seats, *, state: str | None = None) -> QuerySet[FundingAsk]:
    """Asks of the seats' cohorts, the newest first; never drafts."""
    asks = (
        FundingAsk.objects.filter(
            partner__in=[seat.partner for seat in seats],
            venture__cohort__in=_cohorts_of_seats(seats),
        )
        .exclude(state=FundingAsk.State.DRAFT)
        .select_related("venture", "partner")
    )
    if state:
        asks = asks.filter(state=state)
    return _with_pledged(asks).order_by("-created_at", "-pk")


def asks_for_family(seat: FamilySeat, *, state: str | None = None) -> QuerySet[FundingAsk]:
    """The asks of the family's own ventures (any state), and the open asks of ventures it may
    see (friends see them before they go public)."""
    family = seat.family
    own = Venture.objects.filter(partner=family.partner_id, owners=family).values("pk")
    visible = ventures_visible_to_family(seat).order_by().values("pk")
    asks = FundingAsk.objects.filter(partner=family.partner_id).filter(
        Q(venture__in=own) | Q(venture__in=visible, state=FundingAsk.State.OPEN)
    )
    if state:
        asks = asks.filter(state=state)
    return _with_pledged(asks.select_related("venture", "partner")).order_by("-created_at", "-pk")


def family_venture_asks(venture: Venture, *, owner: bool) -> QuerySet[FundingAsk]:
    """A venture's asks with `pledged`, as a family sees them: all of them for its owners;
    for other families, only asks that were published."""
    asks = venture_asks(venture)
    if not owner:
        asks = asks.exclude(opened_at=None)
    return asks.order_by("-created_at", "-pk")


def staff_venture_asks(venture: Venture) -> QuerySet[FundingAsk]:
    """A venture's asks as staff see them: everything but drafts."""
    return (
        venture_asks(venture).exclude(state=FundingAsk.State.DRAFT).order_by("-created_at", "-pk")
    )


def progress_of(ask: FundingAsk) -> AskProgress:
    """`ask_progress` from the `pledged` annotation when the ask has it (no query)."""
    if not hasattr(ask, "pledged"):
        return ask_progress(ask)
    pledged = ask.pledged or Decimal("0.00")
    left = max(ask.amount - pledged, Decimal("0.00"))
    percent = int(pledged * 100 / ask.amount) if ask.amount else 0
    return AskProgress(pledged=pledged, left=left, percent=min(percent, 100))


def staff_ask_pledges(ask: FundingAsk) -> QuerySet[Pledge]:
    return ask_pledges(ask).order_by("created_at", "pk")


def ask_repayments(ask: FundingAsk):
    return ask.repayments.filter(partner=ask.partner_id).order_by("due_on", "pk")


def ask_latest_review(ask: FundingAsk):
    return ask.reviews.select_related("reviewer").order_by("-created_at", "-pk").first()


def exchange_rates():
    from ventures.models import ExchangeRate

    return ExchangeRate.objects.select_related("updated_by").order_by("currency")


# The families' venture pages and the funders' pages -------------------------------------------


def co_owner_choices(family: Family) -> QuerySet[Family]:
    """The families of the family's group that may own a collective venture with it."""
    if family.group_id is None:
        return Family.objects.none()
    return (
        Family.objects.filter(partner=family.partner_id, group=family.group_id)
        .exclude(pk=family.pk)
        .order_by("name", "pk")
    )


def venture_owners(venture: Venture) -> QuerySet[Family]:
    return venture.owners.filter(partner=venture.partner_id).order_by("name", "pk")


def venture_updates_summary(venture: Venture) -> dict:
    """Months reported, revenue and costs in total, and the latest month (for funders)."""
    updates = venture_updates(venture)
    totals = updates.aggregate(months=Count("pk"), revenue=Sum("revenue"), costs=Sum("costs"))
    return {
        "months": totals["months"],
        # SQLite's sums drop the cents: amounts are shown with two places.
        "revenue": (totals["revenue"] or Decimal("0")).quantize(Decimal("0.01")),
        "costs": (totals["costs"] or Decimal("0")).quantize(Decimal("0.01")),
        "latest": updates.order_by("-period").first(),
    }


def funder_ask_countries() -> list[str]:
    """The countries of the asks funders see (as `open_asks_for_funders`), for the filter."""
    asks = FundingAsk.objects.filter(
        state=FundingAsk.State.OPEN,
        public_from__lte=timezone.now(),
        venture__visibility=Venture.Visibility.PUBLIC,
    )
    return sorted(set(asks.values_list("partner__country", flat=True)))


def funder_pledges_on(user, ask: FundingAsk) -> QuerySet[Pledge]:
    return Pledge.objects.filter(partner=ask.partner_id, ask=ask, funder__user=user).order_by(
        "created_at", "pk"
    )


def staff_cohort_choices(seat: policy.Seat) -> QuerySet[Cohort]:
    """The cohorts a seat may filter by: all of the partner's for staff, a liaison's own."""
    return Cohort.objects.filter(partner=seat.partner, pk__in=_cohorts_of_seats([seat])).order_by(
        "name", "pk"
    )


def asks_waiting_count(seat: policy.Seat) -> int:
    return asks_waiting_for_review(seat).count()
