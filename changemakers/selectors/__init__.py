"""Reads for changemakers: readiness for phase II, and what families elsewhere did."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from accounts import policy
from changemakers.models import BestPracticeShare, PhaseChange
from families.models import Cohort, Family, HelpExchange, Post, StaffRequest
from surveys.models import ActionReport, Practice
from surveys.services.templates import ensure_default_practices

READINESS_MONTHS = 3


def _month_starts(today: datetime.date, count: int) -> list[datetime.date]:
    months = []
    month = today.replace(day=1)
    for _ in range(count):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


@dataclass
class ReadinessMonth:
    month: str
    families: int
    families_reporting_practices: int
    practice_share: float
    help_exchanges: int
    help_across_groups: int
    posts: int
    requests_to_staff: int


def _trend(values: list[float]) -> str:
    if len(values) < 2 or values[0] == values[-1]:
        return "steady"
    return "up" if values[-1] > values[0] else "down"


def readiness(cohort: Cohort, *, today: datetime.date | None = None) -> dict:
    """The last three months of signals that families act on their own initiative, with their
    trend: practices reported, help between families (and across groups), posts, and requests
    to staff (fewer over time is the good direction). A fixed number of queries."""
    today = today or timezone.localdate()
    months = _month_starts(today, READINESS_MONTHS)
    start, end = months[0], _next_month(months[-1])
    families = Family.objects.filter(partner=cohort.partner_id, cohort=cohort).count()

    reports = (
        ActionReport.objects.filter(
            partner=cohort.partner_id, cohort=cohort, period__gte=start, period__lt=end
        )
        .values("period")
        .annotate(n=Count("family", distinct=True))
    )
    practices_by_month = {row["period"]: row["n"] for row in reports}

    def per_month(queryset, date_field, *, is_datetime=False):
        low, high = start, end
        if is_datetime:  # compare moments with moments, in the site's time zone
            low = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
            high = timezone.make_aware(datetime.datetime.combine(end, datetime.time.min))
        rows = queryset.filter(
            **{f"{date_field}__gte": low, f"{date_field}__lt": high}
        ).values_list(date_field, flat=True)
        counts: dict[datetime.date, int] = {}
        for value in rows:
            day = timezone.localtime(value).date() if is_datetime else value
            key = day.replace(day=1)
            counts[key] = counts.get(key, 0) + 1
        return counts

    help_rows = HelpExchange.objects.filter(partner=cohort.partner_id, cohort=cohort)
    help_all = per_month(help_rows, "happened_on")
    help_across = per_month(help_rows.exclude(giver__group=F("receiver__group")), "happened_on")
    posts = per_month(
        Post.objects.filter(partner=cohort.partner_id, cohort=cohort, source=Post.Source.FAMILY),
        "created_at",
        is_datetime=True,
    )
    requests = per_month(
        StaffRequest.objects.filter(partner=cohort.partner_id, cohort=cohort),
        "created_at",
        is_datetime=True,
    )
    rows = []
    for month in months:
        reporting = practices_by_month.get(month, 0)
        rows.append(
            ReadinessMonth(
                month=month.strftime("%Y-%m"),
                families=families,
                families_reporting_practices=reporting,
                practice_share=round(reporting / families, 3) if families else 0.0,
                help_exchanges=help_all.get(month, 0),
                help_across_groups=help_across.get(month, 0),
                posts=posts.get(month, 0),
                requests_to_staff=requests.get(month, 0),
            )
        )
    return {
        "months": [row.__dict__ for row in rows],
        "trend": {
            "practice_share": _trend([r.practice_share for r in rows]),
            "help_exchanges": _trend([r.help_exchanges for r in rows]),
            "help_across_groups": _trend([r.help_across_groups for r in rows]),
            "posts": _trend([r.posts for r in rows]),
            "requests_to_staff": _trend([r.requests_to_staff for r in rows]),
        },
    }


def months_since_start(cohort: Cohort, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    months = (today.year - cohort.started_on.year) * 12 + today.month - cohort.started_on.month
    if today.day < cohort.started_on.day:
        months -= 1
    return max(months, 0)


def phase_history(cohort: Cohort) -> QuerySet[PhaseChange]:
    return PhaseChange.objects.filter(partner=cohort.partner_id, cohort=cohort).select_related(
        "changed_by"
    )


def cohort_shares(cohort: Cohort) -> QuerySet[BestPracticeShare]:
    return BestPracticeShare.objects.filter(
        partner=cohort.partner_id, cohort=cohort
    ).select_related("practice", "author")


@dataclass
class PracticeExample:
    """What a family did, without its name: a month, a place and its own words."""

    month: str
    where: str
    description: str


def practice_context(cohort: Cohort, practice: Practice, *, examples: int = 5) -> dict:
    """For writing a share: how many families reported the practice in the partner's other
    cohorts and in other countries, and a few examples in families' own words. Examples from
    other partners come only from families who allowed it; none carries a name."""
    reports = ActionReport.objects.filter(practice=practice)
    here = (
        reports.filter(partner=cohort.partner_id)
        .exclude(cohort=cohort)
        .aggregate(n=Count("family", distinct=True))["n"]
    )
    # Other partners' families are counted only when they allowed others to learn from them:
    # a partner never counts or infers another's families otherwise.
    abroad = (
        reports.exclude(partner=cohort.partner_id)
        .filter(share_across_partners=True)
        .values("partner__country")
        .annotate(n=Count("family", distinct=True))
        .order_by("-n", "partner__country")
    )
    own_partner = Q(partner=cohort.partner_id) & ~Q(cohort=cohort)
    consented_elsewhere = ~Q(partner=cohort.partner_id) & Q(share_across_partners=True)
    chosen = (
        reports.filter(own_partner | consented_elsewhere)
        .exclude(description="")
        .select_related("cohort", "partner")
        .order_by("-period", "-pk")[:examples]
    )
    return {
        "families_in_partner": here,
        "families_by_country": [(row["partner__country"], row["n"]) for row in abroad],
        "examples": [
            PracticeExample(
                month=report.period.strftime("%Y-%m"),
                where=report.cohort.region or report.cohort.name
                if report.partner_id == cohort.partner_id
                else report.partner.country,
                description=report.description,
            )
            for report in chosen
        ],
    }


# The API's lists ---------------------------------------------------------------------------------


def _cohorts_visible_to_seats(seats: list[policy.Seat]) -> QuerySet[Cohort]:
    """The cohorts these seats may see (policy.can_view_cohort, as one query)."""
    visible = Q(pk__in=[])
    for seat in seats:
        if seat.can("cohort.view_all"):
            visible |= Q(partner=seat.partner)
        elif seat.can("cohort.view_assigned"):
            visible |= Q(partner=seat.partner, liaisons=seat.user)
    return Cohort.objects.filter(visible)


def shares_for_seats(
    seats: list[policy.Seat], *, cohort: Cohort | None = None
) -> QuerySet[BestPracticeShare]:
    """The best-practice shares of every cohort these seats may see, the newest first."""
    if not seats:
        return BestPracticeShare.objects.none()
    shares = BestPracticeShare.objects.filter(
        partner__in=[seat.partner for seat in seats],
        cohort__in=_cohorts_visible_to_seats(seats).values("pk"),
    )
    if cohort is not None:
        shares = shares.filter(cohort=cohort)
    return shares.select_related("practice", "author").order_by("-created_at", "-pk")


def practice_catalogue_for(partner_ids) -> QuerySet[Practice]:
    """The active practices anyone may report (the platform's) and those partners' own, by
    slug (the platform's first when a slug is in both)."""
    ensure_default_practices()
    return (
        Practice.objects.filter(is_active=True)
        .filter(Q(partner__isnull=True) | Q(partner__in=list(partner_ids)))
        .select_related("partner")
        .order_by("slug", F("partner").asc(nulls_first=True), "pk")
    )
