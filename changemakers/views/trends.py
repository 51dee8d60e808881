"""Trend pages: a partner's and a cohort's months for its staff and liaisons, the outcomes of
the partners a funder supports, and countries compared for platform admins.

Read-only. Staff pages start from the seat (`policy.access_partner`) and fetch cohorts through
`families.access` (liaisons reach only their cohorts; anyone else 404). Funders see aggregates
of partners that granted them access, never a group or a family. Every figure comes from the
trends job, which counts verified surveys only.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from accounts import policy
from changemakers.selectors import trends as selectors
from families import access as family_access
from mutuality import formatting
from mutuality.errors import NotFound
from surveys.charts import line_chart


def month_name(period: datetime.date) -> str:
    return formatting.month_name(period)


def percent_text(value: Decimal | None) -> str:
    """A change already in percent (to the hundredth, as the trends job keeps it)."""
    return "" if value is None else formatting.signed_percent(value / 100, 2)


def share_text(value: Decimal | None) -> str:
    """A share from 0 to 1 as a whole percentage: 0.5 -> "50%"."""
    return "" if value is None else formatting.percent(value)


def aggregate_row(row, currency: str) -> dict:
    """One month of an aggregate, as the tables show it (blank where there is no figure)."""
    return {
        "period": row.period,
        "month": month_name(row.period),
        "families": formatting.number(row.families),
        "income_change": formatting.signed_money(row.median_income_change, currency),
        "income_change_pct": percent_text(row.median_income_change_pct),
        "net_change": formatting.signed_money(row.median_net_change, currency),
        "net_change_pct": percent_text(row.median_net_change_pct),
        "share_improved": share_text(row.share_improved),
        "benefits_share": share_text(row.benefits_share),
        "income_total": formatting.money(row.income_total, currency),
        "help_value": formatting.money(row.help_value, currency),
        "jobs": formatting.number(row.jobs),
    }


def changes_chart(rows, currency: str, *, title: str, chart_id: str):
    """The median income and net changes, month by month; nothing to draw before any data."""
    if not rows:
        return ""
    return line_chart(
        [
            (_("Median income change"), [(row.period, row.median_income_change) for row in rows]),
            (_("Median net change"), [(row.period, row.median_net_change) for row in rows]),
        ],
        currency,
        title=title,
        chart_id=chart_id,
    )


def explanation(partner=None) -> str:
    """What the figures mean, in one line: the baseline as this partner set it, or in general."""
    if partner is None:
        baseline = _(
            "its first verified month, or the mean of its first months, as the partner chose"
        )
    elif partner.baseline_months <= 1:
        baseline = _("its first verified month")
    else:
        baseline = ngettext(
            "the mean of its first %(n)d verified month",
            "the mean of its first %(n)d verified months",
            partner.baseline_months,
        ) % {"n": partner.baseline_months}
    return _(
        "Only verified surveys count. Each change is against the family's baseline "
        "(%(baseline)s); the median change is the middle family's. A family has improved when "
        "its income or net position is above its baseline and neither is below it."
    ) % {"baseline": baseline}


def latest_rows(items, currency: str, *, url=None) -> list[dict]:
    """Cohorts or groups with their latest month, for `_latest_table.html`; `url(item)` links
    each name when given."""
    rows = []
    for item in items:
        subject = getattr(item, "cohort", None) or item.group
        rows.append(
            {
                "name": subject.name,
                "url": url(subject) if url else "",
                "latest": aggregate_row(item.latest, currency) if item.latest else None,
            }
        )
    return rows


# Partner staff and liaisons ---------------------------------------------------------------------


@login_required
@require_GET
def partner_trends(request, partner_slug):
    """The partner's months as a chart and a table, and each cohort's latest month. Not for
    liaisons: the partner's months include cohorts that are not theirs."""
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "trends.view_partner")
    partner = seat.partner
    months = selectors.partner_months(partner)
    context = {
        "seat": seat,
        "currency": partner.currency,
        "explanation": explanation(partner),
        "chart": changes_chart(
            months,
            partner.currency,
            title=_("%(partner)s: median change against the baseline (%(currency)s)")
            % {"partner": partner.name, "currency": partner.currency},
            chart_id="partner-trends",
        ),
        "months": [aggregate_row(row, partner.currency) for row in months],
        "cohorts": latest_rows(
            selectors.cohorts_latest(partner, selectors.cohorts_seen_by(seat)),
            partner.currency,
            url=lambda cohort: reverse("cohort_trends", args=[partner.slug, cohort.pk]),
        ),
    }
    return render(request, "changemakers/trends/partner.html", context)


@login_required
@require_GET
def cohort_trends(request, partner_slug, cohort_id):
    """The cohort's months as a chart and a table, and each group's latest month."""
    seat = policy.access_partner(request.user, partner_slug)
    cohort = family_access.access_cohort(seat, cohort_id)
    policy.require(seat, "trends.view")
    currency = seat.partner.currency
    months = selectors.cohort_months(cohort)
    context = {
        "seat": seat,
        "cohort": cohort,
        "currency": currency,
        "explanation": explanation(seat.partner),
        "chart": changes_chart(
            months,
            currency,
            title=_("%(cohort)s: median change against the baseline (%(currency)s)")
            % {"cohort": cohort.name, "currency": currency},
            chart_id="cohort-trends",
        ),
        "months": [aggregate_row(row, currency) for row in months],
        "groups": latest_rows(selectors.groups_latest(cohort), currency),
        "can_see_diffusion": seat.can("diffusion.view"),
        "can_see_partner_trends": seat.can("trends.view_partner"),
    }
    return render(request, "changemakers/trends/cohort.html", context)


# Funders ----------------------------------------------------------------------------------------


@login_required
@require_GET
def funder_outcomes(request):
    """For each partner that shares its outcomes with the funder: its months and its cohorts'
    latest month. Aggregates only, never a group or a family. 404 for anyone not a funder."""
    funder = selectors.funder_profile(request.user)
    if funder is None:
        raise NotFound(_("Not found."))
    partners = []
    for item in selectors.funder_outcomes(funder):
        currency = item.partner.currency
        partners.append(
            {
                "partner": item.partner,
                "currency": currency,
                "chart": changes_chart(
                    item.months,
                    currency,
                    title=_("%(partner)s: median change against the baseline (%(currency)s)")
                    % {"partner": item.partner.name, "currency": currency},
                    chart_id=f"partner-{item.partner.slug}",
                ),
                "months": [aggregate_row(row, currency) for row in item.months],
                "cohorts": latest_rows(item.cohorts, currency),
            }
        )
    context = {"funder": funder, "partners": partners, "explanation": explanation()}
    return render(request, "changemakers/trends/funder.html", context)


# Platform admins --------------------------------------------------------------------------------


@login_required
@require_GET
def platform_trends(request):
    """Countries compared by percent change, with money summed in US dollars where the rate
    table has the currency. 404 for anyone but platform admins."""
    policy.require_platform_admin(request.user)
    countries = selectors.country_trends()
    chart = ""
    if countries:
        chart = line_chart(
            [
                (country.country, [(r.period, r.median_income_change_pct) for r in country.months])
                for country in countries
            ],
            "%",
            title=_("Median income change against the baseline, in percent, by country"),
            chart_id="country-trends",
            value_text=percent_text,
        )
    context = {
        "explanation": explanation(),
        "chart": chart,
        "latest": [
            {"country": country.country, **aggregate_row(country.latest, "USD")}
            for country in countries
            if country.latest is not None
        ],
        "countries": [
            {
                "country": country.country,
                "months": [aggregate_row(r, "USD") for r in country.months],
            }
            for country in countries
        ],
        "missing_rates": selectors.currencies_without_rate(),
    }
    return render(request, "changemakers/trends/platform.html", context)
