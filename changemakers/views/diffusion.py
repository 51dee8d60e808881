"""The staff page of practices spreading in a cohort: each practice in a sentence, with a small
chart of the families who started it month by month (and the Bass model's curve when there is
a fit) and the same numbers as a table."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import policy
from changemakers.selectors import diffusion as selectors
from families import access as family_access
from mutuality import formatting
from mutuality.pagination import page_of
from surveys.charts import line_chart

PRACTICES_PER_PAGE = 10


def spread_chart(spread: selectors.PracticeSpread) -> SafeString:
    series = [
        (
            _("Families who started"),
            [(point.period, Decimal(point.adopters)) for point in spread.points],
        )
    ]
    if spread.fitted:
        series.append(
            (
                _("Bass model"),
                [(period, Decimal(f"{value:.1f}")) for period, value in spread.fitted],
            )
        )
    return line_chart(
        series,
        _("families"),
        title=_("%(practice)s: families who started it, month by month")
        % {"practice": spread.name},
        chart_id=f"spread-{spread.practice.slug}",
        value_text=formatting.number,
    )


def spread_rows(spread: selectors.PracticeSpread) -> list[dict]:
    """The chart's numbers: one row per month, the model's months past the data marked."""
    observed = {point.period: point for point in spread.points}
    fitted = dict(spread.fitted)
    rows = []
    for period in sorted(set(observed) | set(fitted)):
        point = observed.get(period)
        rows.append(
            {
                "month": formatting.month_name(period),
                "new_adopters": formatting.number(point.new_adopters) if point else None,
                "adopters": formatting.number(point.adopters) if point else None,
                "model": formatting.number(fitted[period], 1) if period in fitted else None,
                "projected": point is None,
            }
        )
    return rows


@login_required
@require_GET
def cohort_diffusion(request, partner_slug, cohort_id):
    """Every practice families of the cohort took up, the most adopted first. Staff and admins;
    liaisons get 403, another partner's people 404."""
    seat = policy.access_partner(request.user, partner_slug)
    cohort = family_access.access_cohort(seat, cohort_id)
    policy.require(seat, "diffusion.view")
    page = page_of(request, selectors.cohort_fits(cohort), per_page=PRACTICES_PER_PAGE)
    panels = [
        {"spread": spread, "chart": spread_chart(spread), "rows": spread_rows(spread)}
        for spread in selectors.practice_spreads(cohort, page.object_list)
    ]
    context = {"seat": seat, "cohort": cohort, "page": page, "panels": panels}
    return render(request, "changemakers/diffusion/cohort_diffusion.html", context)
