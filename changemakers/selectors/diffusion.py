"""Reads about practices spreading: a cohort's curves and fits for staff, in words, and the
peer signal families see ("12 families in your community ...": counts, never names).

The curves and fits are the diffusion job's rows (`changemakers.diffusion`), verified data
only. The pace rule, in one place:

- nearly everyone: at least 90% of the cohort's families adopted;
- not spreading now: nobody started in the last three months of the cohort's data;
- spreading fast: in those three months at least 10% of the cohort's families started;
- spreading slowly: otherwise.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from changemakers.diffusion import (
    MonthPoint,
    add_months,
    bass_cumulative,
    month_series,
    months_between,
)
from changemakers.models import DiffusionFit, PracticeAdoption
from families.models import Cohort, Family
from mutuality import formatting
from surveys.models import ActionReport, Practice, SurveyResponse, in_language

NEARLY_EVERYONE_SHARE = 0.9
FAST_RECENT_SHARE = 0.1
# How far past the data the fitted curve is drawn when its peak is still to come.
PROJECTION_MONTHS_AFTER_PEAK = 2
MAX_PROJECTION_MONTHS = 12
PEER_SIGNAL_LIMIT = 5

FAST, SLOW, NOT_NOW, NEARLY_EVERYONE = "fast", "slow", "not_now", "nearly_everyone"


# The pace and the sentence ------------------------------------------------------------------------


def share(fit: DiffusionFit) -> float:
    """The cohort's share of families that adopted, 0 to 1."""
    return round(fit.adopters / fit.families, 4) if fit.families else 0.0


def pace(fit: DiffusionFit) -> str:
    if fit.families and fit.adopters >= NEARLY_EVERYONE_SHARE * fit.families:
        return NEARLY_EVERYONE
    if fit.recent_adopters == 0:
        return NOT_NOW
    if fit.families and fit.recent_adopters >= FAST_RECENT_SHARE * fit.families:
        return FAST
    return SLOW


def pace_words(key: str) -> str:
    return {
        FAST: _("spreading fast"),
        SLOW: _("spreading slowly"),
        NOT_NOW: _("not spreading now"),
        NEARLY_EVERYONE: _("nearly everyone"),
    }[key]


def has_fit(fit: DiffusionFit) -> bool:
    return fit.p is not None and fit.q is not None


def peak_words(fit: DiffusionFit) -> str:
    if not has_fit(fit) or fit.peak_period is None:
        return _("too early to tell")
    month = formatting.month_name(fit.peak_period)
    if fit.peak_period > fit.last_period:
        return _("peak expected around %(month)s") % {"month": month}
    return _("peak was around %(month)s") % {"month": month}


def spread_sentence(fit: DiffusionFit) -> str:
    """'Savings circles: 34 of 98 families; spreading fast; peak expected around March 2027',
    in the active language (the practice's name too)."""
    counts = ngettext(
        "%(adopters)s of %(families)s family",
        "%(adopters)s of %(families)s families",
        fit.families,
    ) % {"adopters": formatting.number(fit.adopters), "families": formatting.number(fit.families)}
    return _("%(practice)s: %(counts)s; %(pace)s; %(peak)s") % {
        "practice": in_language(fit.practice.names) or fit.practice.slug,
        "counts": counts,
        "pace": pace_words(pace(fit)),
        "peak": peak_words(fit),
    }


# A cohort's practices -----------------------------------------------------------------------------


def cohort_fits(cohort: Cohort) -> QuerySet[DiffusionFit]:
    """The cohort's practices with adopters, the most adopted first."""
    return (
        DiffusionFit.objects.filter(partner=cohort.partner_id, cohort=cohort)
        .select_related("practice")
        .order_by("-adopters", "practice__slug", "pk")
    )


@dataclass
class PracticeSpread:
    fit: DiffusionFit
    points: list[MonthPoint]
    # The Bass model's adopters month by month (beyond the data while its peak is to come).
    fitted: list[tuple[datetime.date, float]] = field(default_factory=list)

    @property
    def practice(self) -> Practice:
        return self.fit.practice

    @property
    def name(self) -> str:
        return in_language(self.practice.names) or self.practice.slug

    @property
    def share(self) -> float:
        return share(self.fit)

    @property
    def pace(self) -> str:
        return pace(self.fit)

    @property
    def has_fit(self) -> bool:
        return has_fit(self.fit)

    @property
    def sentence(self) -> str:
        return spread_sentence(self.fit)


def fitted_curve(fit: DiffusionFit) -> list[tuple[datetime.date, float]]:
    """The fitted cumulative adopters at the end of each month from the first, through the
    data, and on past a peak still to come (a few months, for the chart)."""
    if not has_fit(fit):
        return []
    last = fit.last_period
    if fit.peak_period is not None and fit.peak_period > last:
        last = min(
            add_months(fit.peak_period, PROJECTION_MONTHS_AFTER_PEAK),
            add_months(fit.last_period, MAX_PROJECTION_MONTHS),
        )
    months = months_between(fit.first_period, last)
    values = bass_cumulative(range(1, months + 1), fit.p, fit.q, fit.families)
    return [
        (add_months(fit.first_period, offset), float(value)) for offset, value in enumerate(values)
    ]


def practice_spreads(cohort: Cohort, fits) -> list[PracticeSpread]:
    """The given fits (a page of `cohort_fits`) with their month-by-month curves: one query
    whatever the number of practices."""
    fits = list(fits)
    rows: dict[int, list[tuple[datetime.date, int]]] = {}
    for practice_id, period, new in PracticeAdoption.objects.filter(
        partner=cohort.partner_id, cohort=cohort, practice_id__in=[f.practice_id for f in fits]
    ).values_list("practice_id", "period", "new_adopters"):
        rows.setdefault(practice_id, []).append((period, new))
    return [
        PracticeSpread(
            fit=fit,
            points=month_series(rows.get(fit.practice_id, []), fit.last_period),
            fitted=fitted_curve(fit),
        )
        for fit in fits
    ]


# What families see ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeerPractice:
    slug: str
    name: str
    families: int  # other families of the cohort, never who


def peer_signal(family: Family, *, limit: int = PEER_SIGNAL_LIMIT) -> list[PeerPractice]:
    """Practices that other families of the family's own cohort reported in a verified survey,
    with how many families did: the most adopted first, a handful at most. One query, live
    (not waiting for the nightly job), and only counts leave it."""
    rows = (
        ActionReport.objects.filter(
            partner=family.partner_id,
            cohort=family.cohort_id,
            survey__partner=family.partner_id,
            survey__state=SurveyResponse.State.VERIFIED,
        )
        .exclude(family=family.pk)
        .values("practice_id", "practice__slug", "practice__names")
        .annotate(families=Count("family", distinct=True))
        .order_by("-families", "practice__slug")[:limit]
    )
    return [
        PeerPractice(
            slug=row["practice__slug"],
            name=in_language(row["practice__names"] or {}) or row["practice__slug"],
            families=row["families"],
        )
        for row in rows
    ]
