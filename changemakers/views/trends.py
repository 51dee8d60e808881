"""Trend pages: a partner's and a cohort's months for its staff and liaisons, the outcomes of
the partners a funder supports, and countries compared for platform admins.

Read-only. Staff pages start from the seat (`policy.access_partner`) and fetch cohorts through
`families.access` (liaisons reach only their cohorts; anyone else 404). Funders see aggregates
of partners that granted them access, never a group or a family. Every figure comes from the
trends job, which counts verified surveys only.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from accounts import policy
from changemakers.selectors import trends as selectors
from families import access as family_access
from mutuality.errors import NotFound
from surveys.charts import line_chart, signed


def month_name(period: datetime.date) -> str:
    return date_format(period, "YEAR_MONTH_FORMAT")


def percent_text(value: Decimal | None) -> str:
    return "" if value is None else f"{signed(value)}%"


def share_text(value: Decimal | None) -> str:
    """A share from 0 to 1 as a whole percentage: 0.5 -> "50%"."""
    if value is None:
        return ""
    return f"{(value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def amount_text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def aggregate_row(row) -> dict:
    """One month of an aggregate, as the tables show it (blank where there is no figure)."""
    return {
        "period": row.period,
        "month": month_name(row.period),
        "families": row.families,
        "income_change": signed(row.median_income_change),
        "income_change_pct": percent_text(row.median_income_change_pct),
        "net_change": signed(row.median_net_change),
        "net_change_pct": percent_text(row.median_net_change_pct),
        "share_improved": share_text(row.share_improved),
        "benefits_share": share_text(row.benefits_share),
        "income_total": amount_text(row.income_total),
        "help_value": amount_text(row.help_value),
        "jobs": row.jobs,
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


def latest_rows(items, *, url=None) -> list[dict]:
    """Cohorts or groups with their latest month, for `_latest_table.html`; `url(item)` links
    each name when given."""
    rows = []
    for item in items:
        subject = getattr(item, "cohort", None) or item.group
        rows.append(
            {
                "name": subject.name,
                "url": url(subject) if url else "",
                "latest": aggregate_row(item.latest) if item.latest else None,
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
        "months": [aggregate_row(row) for row in months],
        "cohorts": latest_rows(
            selectors.cohorts_latest(partner, selectors.cohorts_seen_by(seat)),
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
        "months": [aggregate_row(row) for row in months],
        "groups": latest_rows(selectors.groups_latest(cohort)),
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
                "months": [aggregate_row(row) for row in item.months],
                "cohorts": latest_rows(item.cohorts),
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
        )
    context = {
        "explanation": explanation(),
        "chart": chart,
        "latest": [
            {"country": country.country, **aggregate_row(country.latest)}
            for country in countries
            if country.latest is not None
        ],
        "countries": [
            {"country": country.country, "months": [aggregate_row(r) for r in country.months]}
            for country in countries
        ],
        "missing_rates": selectors.currencies_without_rate(),
    }
    return render(request, "changemakers/trends/platform.html", context)
