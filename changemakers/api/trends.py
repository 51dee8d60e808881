"""Trends in the API: a family's months against its baseline, a cohort's and a partner's
aggregates. Computed from verified surveys only by the trends job; read-only here.

Who reads what:
- a family's months: its own members, the liaisons of its cohort, its partner's staff and
  admins. Anyone else (another family of the same cohort included) 404, as for surveys.
- a cohort: its partner's staff and admins and its liaisons (the cohort and its groups); funders
  the partner granted access to (the cohort only: never groups, never families); the cohort's
  own families 403; anyone else 404.
- a partner: its staff and admins (every cohort), its liaisons (their cohorts), funders with
  access (every cohort, aggregates only); the partner's own families 403; anyone else 404.

Money is a decimal string in the partner's currency (`currency`); percentages are decimal
strings too, and null where there is nothing to compare with (a baseline of zero).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from changemakers.selectors import trends as selectors
from families import access
from families.api.common import errors
from mutuality.errors import NotAllowed, NotFound


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True, **kwargs)


def percent(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True, **kwargs)


def share(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True, **kwargs)


MONTH_PARAMETERS = [
    OpenApiParameter(
        "from", OpenApiTypes.STR, description="First month included, YYYY-MM (400 otherwise)."
    ),
    OpenApiParameter(
        "to", OpenApiTypes.STR, description="Last month included, YYYY-MM (400 otherwise)."
    ),
]


# A family's months ------------------------------------------------------------------------------


class TrendIncomeSerializer(serializers.Serializer):
    wages = money()
    business = money()
    benefits = money()
    other = money()
    total = money()


class TrendDebtSerializer(serializers.Serializer):
    formal = money()
    high_cost = money()
    total = money()


class TrendHelpSerializer(serializers.Serializer):
    given_value = money()
    received_value = money()
    given_count = serializers.IntegerField(allow_null=True)
    received_count = serializers.IntegerField(allow_null=True)


class TrendChangeSerializer(serializers.Serializer):
    income = money(help_text="Total income minus the baseline's.")
    income_pct = percent(help_text="In percent of the baseline; null when the baseline is 0.")
    savings = money()
    savings_pct = percent()
    debt = money(help_text="Down (negative) is good news.")
    debt_pct = percent()
    net = money(help_text="Net position (savings minus all debt) minus the baseline's.")
    net_pct = percent(help_text="Null when the baseline is 0.")


class TrendFamilyMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM.")
    income = TrendIncomeSerializer()
    savings = money()
    debt = TrendDebtSerializer()
    net_position = money(help_text="Savings minus all debt.")
    help = TrendHelpSerializer()
    change = TrendChangeSerializer(help_text="Against the family's baseline.")
    improved = serializers.BooleanField(
        help_text="Income or net position above the baseline, and neither below it."
    )


class TrendBaselineSerializer(serializers.Serializer):
    income = money()
    savings = money()
    debt = money()
    net = money()


class FamilyTrendsSerializer(serializers.Serializer):
    family = serializers.IntegerField()
    currency = serializers.CharField(help_text="ISO 4217: the partner's currency.")
    baseline = TrendBaselineSerializer(
        help_text="The first verified month, or the mean of the first N (the partner's "
        "setting); all null before the first verified survey."
    )
    months = TrendFamilyMonthSerializer(many=True, help_text="Verified months, oldest first.")


def family_month_data(row) -> dict:
    return {
        "month": selectors.month_text(row.period),
        "income": {
            "wages": row.income_wages,
            "business": row.income_business,
            "benefits": row.income_benefits,
            "other": row.income_other,
            "total": row.income_total,
        },
        "savings": row.savings,
        "debt": {
            "formal": row.debt_formal,
            "high_cost": row.debt_high_cost,
            "total": row.debt_total,
        },
        "net_position": row.net_position,
        "help": {
            "given_value": row.help_given_value,
            "received_value": row.help_received_value,
            "given_count": row.help_given_count,
            "received_count": row.help_received_count,
        },
        "change": {
            "income": row.income_change,
            "income_pct": row.income_change_pct,
            "savings": row.savings_change,
            "savings_pct": row.savings_change_pct,
            "debt": row.debt_change,
            "debt_pct": row.debt_change_pct,
            "net": row.net_change,
            "net_pct": row.net_change_pct,
        },
        "improved": row.improved,
    }


def family_for_reader(user, family_id):
    """The caller's own household, or a family of a cohort the caller works on; else 404."""
    seat = access.family_seat_or_none(user)
    if seat is not None and seat.family.pk == family_id:
        return seat.family
    staff, family = access.staff_seat_for_family(user, family_id)
    policy.require(staff, "trends.view")
    return family


class FamilyTrendsView(APIView):
    """A family's verified months, oldest first, each against the family's baseline. For the
    family's own members, the liaisons of its cohort and its partner's staff; anyone else,
    another family of the cohort included, 404. Not paginated: a family has a few dozen
    months at most."""

    @extend_schema(responses={200: FamilyTrendsSerializer, **errors(403, 404)})
    def get(self, request, family_id):
        family = family_for_reader(request.user, family_id)
        months = selectors.family_months(family)
        baseline = {"income": None, "savings": None, "debt": None, "net": None}
        if months:
            latest = months[-1]  # every month carries the same baseline; the latest is current
            baseline = {
                "income": latest.baseline_income,
                "savings": latest.baseline_savings,
                "debt": latest.baseline_debt,
                "net": latest.baseline_net,
            }
        body = {
            "family": family.pk,
            "currency": family.partner.currency,
            "baseline": baseline,
            "months": [family_month_data(row) for row in months],
        }
        return Response(FamilyTrendsSerializer(body).data)


# Aggregates -------------------------------------------------------------------------------------


class TrendAggregateMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM.")
    currency = serializers.CharField()
    families = serializers.IntegerField(help_text="Families with a verified survey that month.")
    median_income_change = money(help_text="Median of the families' income change vs baseline.")
    median_income_change_pct = percent(
        help_text="Median percent change (families with a zero baseline left out)."
    )
    median_net_change = money()
    median_net_change_pct = percent()
    share_improved = share(help_text="Share of the families better off than at baseline, 0-1.")
    income_total = money()
    benefits_total = money()
    benefits_share = share(help_text="Benefits in the income total, 0-1.")
    help_value = money(help_text="Help given between families, as reported.")
    jobs = serializers.IntegerField(help_text="People employed by the ventures that month.")


def aggregate_data(row) -> dict:
    return {
        "month": selectors.month_text(row.period),
        "currency": row.currency,
        "families": row.families,
        "median_income_change": row.median_income_change,
        "median_income_change_pct": row.median_income_change_pct,
        "median_net_change": row.median_net_change,
        "median_net_change_pct": row.median_net_change_pct,
        "share_improved": row.share_improved,
        "income_total": row.income_total,
        "benefits_total": row.benefits_total,
        "benefits_share": row.benefits_share,
        "help_value": row.help_value,
        "jobs": row.jobs,
    }


class GroupTrendSerializer(serializers.Serializer):
    group = serializers.IntegerField()
    name = serializers.CharField()
    months = TrendAggregateMonthSerializer(many=True)


class CohortTrendsSerializer(serializers.Serializer):
    cohort = serializers.IntegerField()
    name = serializers.CharField()
    currency = serializers.CharField()
    months = TrendAggregateMonthSerializer(many=True, help_text="Oldest first.")
    groups = GroupTrendSerializer(
        many=True,
        allow_null=True,
        help_text="The cohort's groups and their months, for staff and liaisons; null for "
        "funders, who see the cohort's aggregates only.",
    )


def cohort_for_reader(user, cohort_id):
    """(cohort, with_groups): staff and the cohort's liaisons see its groups, funders with
    access the cohort only. The cohort's families 403; anyone else 404."""
    try:
        seat, cohort = access.staff_seat_for_cohort(user, cohort_id)
    except NotFound:
        pass
    else:
        policy.require(seat, "trends.view")
        return cohort, True
    cohort = selectors.funded_cohort(user, cohort_id)
    if cohort is not None:
        return cohort, False
    family = access.family_seat_or_none(user)
    if family is not None and family.family.cohort_id == cohort_id:
        raise NotAllowed(_("The cohort's trends are for the partner's staff and liaisons."))
    raise NotFound(_("Not found."))


class CohortTrendsView(APIView):
    """A cohort's months (families with verified data, median changes, share improved, benefits
    share, help, jobs) and its groups' months. Funders the partner granted access see the
    cohort's months only (`groups` is null). `?from=` and `?to=` (YYYY-MM) narrow the months;
    a bad month is 400 naming the parameter."""

    @extend_schema(
        parameters=MONTH_PARAMETERS,
        responses={200: CohortTrendsSerializer, **errors(400, 403, 404)},
    )
    def get(self, request, cohort_id):
        cohort, with_groups = cohort_for_reader(request.user, cohort_id)
        start, end = selectors.month_range(request.query_params)
        groups = None
        if with_groups:
            groups = [
                {
                    "group": item.group.pk,
                    "name": item.group.name,
                    "months": [aggregate_data(row) for row in item.months],
                }
                for item in selectors.group_trends(cohort, start=start, end=end)
            ]
        body = {
            "cohort": cohort.pk,
            "name": cohort.name,
            "currency": cohort.partner.currency,
            "months": [
                aggregate_data(row)
                for row in selectors.cohort_months(
                    cohort,
                    start=start,
                    end=end,
                    min_families=0 if with_groups else policy.FUNDER_MIN_FAMILIES,
                )
            ],
            "groups": groups,
        }
        return Response(CohortTrendsSerializer(body).data)


class CohortLatestSerializer(serializers.Serializer):
    cohort = serializers.IntegerField()
    name = serializers.CharField()
    latest = TrendAggregateMonthSerializer(
        allow_null=True, help_text="The cohort's most recent month; null before any data."
    )


class PartnerTrendsSerializer(serializers.Serializer):
    partner = serializers.CharField(help_text="The partner's slug.")
    name = serializers.CharField()
    currency = serializers.CharField()
    months = TrendAggregateMonthSerializer(many=True, help_text="Oldest first.")
    cohorts = CohortLatestSerializer(many=True, help_text="The partner's cohorts.")


def partner_for_reader(user, partner_slug):
    """(partner, cohorts the caller may see, the fewest families a month needs to be shown).
    The partner's own families 403; else 404."""
    try:
        seat = policy.access_partner(user, partner_slug)
    except NotFound:
        pass
    else:
        policy.require(seat, "trends.view_partner")
        return seat.partner, selectors.cohorts_seen_by(seat), 0
    partner = selectors.funded_partner(user, partner_slug)
    if partner is not None:
        return partner, partner.cohorts.all(), policy.FUNDER_MIN_FAMILIES
    family = access.family_seat_or_none(user)
    if family is not None and family.family.partner.slug == partner_slug:
        raise NotAllowed(_("The partner's trends are for its staff, liaisons and funders."))
    raise NotFound(_("Not found."))


class PartnerTrendsView(APIView):
    """The partner's months and each cohort's latest month. For its staff and admins and the
    funders it granted access (aggregates only); liaisons read their cohorts' trends instead.
    `?from=` and `?to=` (YYYY-MM) narrow the partner's months."""

    @extend_schema(
        parameters=MONTH_PARAMETERS,
        responses={200: PartnerTrendsSerializer, **errors(400, 403, 404)},
    )
    def get(self, request, partner_slug):
        partner, cohorts, min_families = partner_for_reader(request.user, partner_slug)
        start, end = selectors.month_range(request.query_params)
        body = {
            "partner": partner.slug,
            "name": partner.name,
            "currency": partner.currency,
            "months": [
                aggregate_data(row)
                for row in selectors.partner_months(
                    partner, start=start, end=end, min_families=min_families
                )
            ],
            "cohorts": [
                {
                    "cohort": item.cohort.pk,
                    "name": item.cohort.name,
                    "latest": aggregate_data(item.latest) if item.latest else None,
                }
                for item in selectors.cohorts_latest(partner, cohorts, min_families=min_families)
            ],
        }
        return Response(PartnerTrendsSerializer(body).data)
