"""Reads for trends: a family's months, and the aggregates of groups, cohorts, partners and
countries, as the trends job wrote them (changemakers/trends.py). Only verified surveys count.

The lookups the pages and the API need to decide who reads what are here too: the cohorts a
seat may see (staff every one of the partner, liaisons theirs), and the partners and cohorts a
funder was granted (their aggregates only, never a group or a family). Every query starts from
the partner, and each page or answer makes the same number of queries however many cohorts,
groups or months there are.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import FunderProfile, Partner
from changemakers.models import FamilyMonth, TrendAggregate
from families.models import Cohort, Family, Group
from mutuality.errors import InvalidInput
from ventures.models import ExchangeRate

Scope = TrendAggregate.Scope

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_text(period: datetime.date) -> str:
    return period.strftime("%Y-%m")


def parse_month(value: str | None, field_name: str) -> datetime.date | None:
    """ "2026-10" -> 2026-10-01; nothing -> None; anything else a 400 naming the field."""
    if value is None or value == "":
        return None
    match = MONTH.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InvalidInput.for_field(field_name, _("Give the month as YYYY-MM, like 2026-10."))
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


def month_range(params) -> tuple[datetime.date | None, datetime.date | None]:
    """`?from=YYYY-MM&to=YYYY-MM`, both optional, both included."""
    start = parse_month(params.get("from"), "from")
    end = parse_month(params.get("to"), "to")
    if start and end and end < start:
        raise InvalidInput.for_field("to", _("This month comes before the first one."))
    return start, end


def _between(queryset: QuerySet, start, end) -> QuerySet:
    if start is not None:
        queryset = queryset.filter(period__gte=start)
    if end is not None:
        queryset = queryset.filter(period__lte=end)
    return queryset


# Families ---------------------------------------------------------------------------------------


def family_months(family: Family) -> list[FamilyMonth]:
    """The family's verified months, oldest first."""
    return list(
        FamilyMonth.objects.filter(partner=family.partner_id, family=family).order_by("period")
    )


# Aggregates -------------------------------------------------------------------------------------


def partner_months(
    partner: Partner, *, start=None, end=None, min_families: int = 0
) -> list[TrendAggregate]:
    rows = TrendAggregate.objects.filter(
        partner=partner,
        scope=Scope.PARTNER,
        scope_key=f"partner:{partner.pk}",
        families__gte=min_families,
    )
    return list(_between(rows, start, end).order_by("period"))


def cohort_months(
    cohort: Cohort, *, start=None, end=None, min_families: int = 0
) -> list[TrendAggregate]:
    rows = TrendAggregate.objects.filter(
        partner=cohort.partner_id,
        scope=Scope.COHORT,
        scope_key=f"cohort:{cohort.pk}",
        families__gte=min_families,
    )
    return list(_between(rows, start, end).order_by("period"))


@dataclass
class GroupTrend:
    group: Group
    months: list[TrendAggregate] = field(default_factory=list)

    @property
    def latest(self) -> TrendAggregate | None:
        return self.months[-1] if self.months else None


def group_trends(cohort: Cohort, *, start=None, end=None) -> list[GroupTrend]:
    """Each group of the cohort with its months (a group without verified data yet has none)."""
    groups = {
        group.pk: GroupTrend(group=group)
        for group in Group.objects.filter(partner=cohort.partner_id, cohort=cohort).order_by("name")
    }
    rows = TrendAggregate.objects.filter(
        partner=cohort.partner_id, scope=Scope.GROUP, group__in=list(groups)
    )
    for row in _between(rows, start, end).order_by("period"):
        groups[row.group_id].months.append(row)
    return list(groups.values())


def _latest_rows(queryset: QuerySet) -> QuerySet:
    """Of each scope in `queryset`, its most recent month only (one query for all scopes)."""
    latest = (
        TrendAggregate.objects.filter(scope_key=OuterRef("scope_key"))
        .order_by("-period")
        .values("period")[:1]
    )
    return queryset.filter(period=Subquery(latest))


@dataclass
class CohortLatest:
    cohort: Cohort
    latest: TrendAggregate | None


def cohorts_latest(partner: Partner, cohorts, *, min_families: int = 0) -> list[CohortLatest]:
    """Each of `cohorts` (the partner's) with its most recent month of data, or None."""
    cohorts = list(cohorts)
    rows = _latest_rows(
        TrendAggregate.objects.filter(
            partner=partner, scope=Scope.COHORT, cohort__in=[cohort.pk for cohort in cohorts]
        )
    ).filter(families__gte=min_families)
    latest = {row.cohort_id: row for row in rows}
    return [CohortLatest(cohort=cohort, latest=latest.get(cohort.pk)) for cohort in cohorts]


def groups_latest(cohort: Cohort) -> list[GroupTrend]:
    """Each group of the cohort with its most recent month only (`months` holds that one)."""
    groups = {
        group.pk: GroupTrend(group=group)
        for group in Group.objects.filter(partner=cohort.partner_id, cohort=cohort).order_by("name")
    }
    rows = _latest_rows(
        TrendAggregate.objects.filter(
            partner=cohort.partner_id, scope=Scope.GROUP, group__in=list(groups)
        )
    )
    for row in rows:
        groups[row.group_id].months.append(row)
    return list(groups.values())


def cohorts_seen_by(seat: policy.Seat) -> QuerySet[Cohort]:
    """Staff: every cohort of the partner; liaisons: the cohorts assigned to them."""
    cohorts = Cohort.objects.filter(partner=seat.partner)
    if seat.can("cohort.view_all"):
        return cohorts
    if seat.can("cohort.view_assigned"):
        return cohorts.filter(liaisons=seat.user)
    return cohorts.none()


# Funders ----------------------------------------------------------------------------------------


def funder_profile(user) -> FunderProfile | None:
    if not user.is_authenticated:
        return None
    return FunderProfile.objects.filter(user=user).first()


def funded_partner(user, partner_slug: str) -> Partner | None:
    """The partner named by `partner_slug` if it granted this funder access, else None."""
    if not user.is_authenticated:
        return None
    return Partner.objects.filter(slug=partner_slug, funder_grants__funder__user=user).first()


def funded_cohort(user, cohort_id: int) -> Cohort | None:
    """A cohort of a partner that granted this funder access, else None."""
    if not user.is_authenticated:
        return None
    return (
        Cohort.objects.filter(pk=cohort_id, partner__funder_grants__funder__user=user)
        .select_related("partner")
        .first()
    )


@dataclass
class PartnerOutcomes:
    partner: Partner
    months: list[TrendAggregate]
    cohorts: list[CohortLatest]


def funder_outcomes(funder: FunderProfile) -> list[PartnerOutcomes]:
    """For every partner that granted the funder access: its months and each cohort's latest
    month. Aggregates only. Three queries, whatever the number of partners and cohorts."""
    partners = list(Partner.objects.filter(funder_grants__funder=funder).order_by("name"))
    ids = [partner.pk for partner in partners]
    months: dict[int, list[TrendAggregate]] = {pk: [] for pk in ids}
    enough = policy.FUNDER_MIN_FAMILIES
    for row in TrendAggregate.objects.filter(
        partner__in=ids, scope=Scope.PARTNER, families__gte=enough
    ).order_by("period"):
        months[row.partner_id].append(row)
    cohorts: dict[int, list[Cohort]] = {pk: [] for pk in ids}
    for cohort in Cohort.objects.filter(partner__in=ids):
        cohorts[cohort.partner_id].append(cohort)
    latest = {
        row.cohort_id: row
        for row in _latest_rows(
            TrendAggregate.objects.filter(partner__in=ids, scope=Scope.COHORT)
        ).filter(families__gte=enough)
    }
    return [
        PartnerOutcomes(
            partner=partner,
            months=months[partner.pk],
            cohorts=[
                CohortLatest(cohort=cohort, latest=latest.get(cohort.pk))
                for cohort in cohorts[partner.pk]
            ],
        )
        for partner in partners
    ]


# Countries (platform admins) ------------------------------------------------------------------


@dataclass
class CountryTrend:
    country: str
    months: list[TrendAggregate]

    @property
    def latest(self) -> TrendAggregate | None:
        return self.months[-1] if self.months else None


def country_trends() -> list[CountryTrend]:
    """Every country's months (money in US dollars), countries in alphabetical order."""
    countries: dict[str, list[TrendAggregate]] = {}
    for row in TrendAggregate.objects.filter(scope=Scope.COUNTRY, partner=None).order_by(
        "country", "period"
    ):
        countries.setdefault(row.country, []).append(row)
    return [CountryTrend(country=code, months=rows) for code, rows in countries.items()]


@dataclass
class MissingRate:
    currency: str
    partners: list[Partner]


def currencies_without_rate() -> list[MissingRate]:
    """Partners' currencies that the rate table lacks: their money is left out of US dollar
    sums (their families still count in the percentages and the share improved)."""
    known = set(ExchangeRate.objects.values_list("currency", flat=True)) | {"USD"}
    missing: dict[str, list[Partner]] = {}
    for partner in Partner.objects.exclude(currency__in=known).order_by("currency", "name"):
        missing.setdefault(partner.currency, []).append(partner)
    return [MissingRate(currency=code, partners=rows) for code, rows in missing.items()]
