"""Which practices spread in a cohort: adoption curves and their Bass model fit.

`diffusion_recompute(partner_id)` rebuilds one partner's rows from verified surveys only:

1. In SQL, set-based (PostgreSQL and SQLite alike): the first month each family reported each
   practice in a verified survey, the new adopters per cohort, practice and month, and the
   cumulative count with a window function, upserted into `PracticeAdoption`; the partner's
   rows that no longer follow from the data are deleted.
2. In Python, one curve at a time (not one family at a time): a `DiffusionFit` per cohort and
   practice, with a Bass model fitted to the cumulative curve when there are enough points.

Recomputing gives the same rows: it is safe to run twice, nightly and after the trends job.

The Bass model: of the m families of the cohort (the market potential, fixed), the share that
adopted by month t is F(t) = (1 - e^-(p+q)t) / (1 + (q/p) e^-(p+q)t), with p the innovation
(adopting on one's own) and q the imitation (adopting because peers did). New adoptions peak
at t* = ln(q/p) / (p+q) when q > p; otherwise they are highest at the start.
"""

from __future__ import annotations

import datetime
import math
import warnings
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from scipy.optimize import OptimizeWarning, curve_fit

from accounts.models import Partner
from changemakers.models import DiffusionFit, PracticeAdoption
from families.models import Family
from surveys.models import ActionReport, SurveyResponse

# A fit needs a curve to fit: at least this many months from the first adopter to the cohort's
# latest verified month (zeros included), and at least this many adopters. Fewer, and p and q
# stay empty ("too early to tell").
FIT_MIN_MONTHS = 4
FIT_MIN_ADOPTERS = 3
# New adopters counted as recent: the last three months of the cohort's verified data.
RECENT_MONTHS = 3
# A peak further out than this from the first adopter is no forecast worth showing.
MAX_PEAK_MONTHS = 120
# The search box for the fit: p and q per month.
P_BOUNDS = (1e-4, 1.0)
Q_BOUNDS = (0.0, 3.0)
INITIAL_GUESS = (0.03, 0.38)  # typical values in the diffusion literature


# Months -----------------------------------------------------------------------------------------


def add_months(period: datetime.date, months: int) -> datetime.date:
    index = period.year * 12 + period.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> int:
    """How many months from `first` to `last`, both counted."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


@dataclass(frozen=True)
class MonthPoint:
    period: datetime.date
    new_adopters: int
    adopters: int  # cumulative


def month_series(
    rows: list[tuple[datetime.date, int]], last_period: datetime.date | None = None
) -> list[MonthPoint]:
    """Every month from the first adopters to `last_period` (or the last adopters), with the
    months nobody started counted as zeros. `rows` are (month, new adopters), in any order."""
    if not rows:
        return []
    new_by_month = {period: new for period, new in rows}
    first = min(new_by_month)
    last = max([*new_by_month, *([last_period] if last_period else [])])
    points, total = [], 0
    for offset in range(months_between(first, last)):
        period = add_months(first, offset)
        new = new_by_month.get(period, 0)
        total += new
        points.append(MonthPoint(period=period, new_adopters=new, adopters=total))
    return points


# The Bass model ---------------------------------------------------------------------------------


def bass_cumulative(t, p: float, q: float, m: float):
    """Adopters by time t (months since the first month began) under the Bass model."""
    decay = np.exp(-(p + q) * np.asarray(t, dtype=float))
    return m * (1 - decay) / (1 + (q / p) * decay)


@dataclass(frozen=True)
class BassFit:
    p: float
    q: float
    peak_offset: int | None  # months after the first month; None when too far out to say


def peak_offset(p: float, q: float) -> int | None:
    """The month (counted from 0, the first month) in which new adoptions peak."""
    t_star = math.log(q / p) / (p + q) if q > p else 0.0
    if t_star > MAX_PEAK_MONTHS:
        return None
    # Month k spans [k, k+1) of model time: the peak falls in month floor(t*).
    return math.floor(t_star)


def fit_bass(cumulative: list[int], m: int) -> BassFit | None:
    """p and q fitted to the cumulative adopters at the end of each month, m fixed; None when
    there are too few points or the fit does not converge."""
    if (
        len(cumulative) < FIT_MIN_MONTHS
        or not cumulative
        or cumulative[-1] < FIT_MIN_ADOPTERS
        or m < max(cumulative)
        or m <= 0
    ):
        return None
    t = np.arange(1, len(cumulative) + 1, dtype=float)
    observed = np.asarray(cumulative, dtype=float)
    try:
        with warnings.catch_warnings():
            # A covariance that cannot be estimated still leaves a usable p and q.
            warnings.simplefilter("ignore", OptimizeWarning)
            (p, q), _covariance = curve_fit(
                lambda t, p, q: bass_cumulative(t, p, q, m),
                t,
                observed,
                p0=INITIAL_GUESS,
                bounds=((P_BOUNDS[0], Q_BOUNDS[0]), (P_BOUNDS[1], Q_BOUNDS[1])),
                max_nfev=5000,
            )
    except (RuntimeError, ValueError, FloatingPointError):
        return None
    if not (math.isfinite(p) and math.isfinite(q)) or p <= 0:
        return None
    return BassFit(p=float(p), q=float(q), peak_offset=peak_offset(float(p), float(q)))


# The recomputation ------------------------------------------------------------------------------


def _tables() -> dict[str, str]:
    return {
        "adoption": PracticeAdoption._meta.db_table,
        "report": ActionReport._meta.db_table,
        "survey": SurveyResponse._meta.db_table,
    }


# New adopters per cohort, practice and month: each family counts once, in the month of its
# first verified report of the practice. Parameters: partner, partner, verified state.
MONTHLY_ADOPTERS = """
WITH first_reports AS (
    SELECT report.cohort_id, report.practice_id, report.family_id,
           MIN(report.period) AS period
    FROM {report} report
    JOIN {survey} survey ON survey.id = report.survey_id
    WHERE report.partner_id = %s AND survey.partner_id = %s AND survey.state = %s
    GROUP BY report.cohort_id, report.practice_id, report.family_id
),
monthly AS (
    SELECT cohort_id, practice_id, period, COUNT(*) AS new_adopters
    FROM first_reports
    GROUP BY cohort_id, practice_id, period
)
"""

# Rows of the partner that the data no longer gives (a survey sent back, a report removed).
DELETE_STALE = """
DELETE FROM {adoption}
WHERE partner_id = %s AND NOT EXISTS (
    SELECT 1 FROM monthly
    WHERE monthly.cohort_id = {adoption}.cohort_id
      AND monthly.practice_id = {adoption}.practice_id
      AND monthly.period = {adoption}.period
)
"""

# `WHERE true` keeps SQLite from reading ON CONFLICT as a join's ON.
UPSERT = """
INSERT INTO {adoption}
    (partner_id, cohort_id, practice_id, period, new_adopters, adopters, computed_at)
SELECT %s, cohort_id, practice_id, period, CAST(new_adopters AS INTEGER),
       CAST(SUM(new_adopters) OVER (
           PARTITION BY cohort_id, practice_id ORDER BY period
       ) AS INTEGER),
       %s
FROM monthly
WHERE true
ON CONFLICT (cohort_id, practice_id, period) DO UPDATE SET
    new_adopters = excluded.new_adopters,
    adopters = excluded.adopters,
    computed_at = excluded.computed_at
"""


def _write_adoption(partner_id: int, computed_at) -> None:
    tables = _tables()
    cte = MONTHLY_ADOPTERS.format(**tables)
    verified = SurveyResponse.State.VERIFIED.value
    stamp = connection.ops.adapt_datetimefield_value(computed_at)
    with connection.cursor() as cursor:
        cursor.execute(
            cte + DELETE_STALE.format(**tables), [partner_id, partner_id, verified, partner_id]
        )
        cursor.execute(
            cte + UPSERT.format(**tables), [partner_id, partner_id, verified, partner_id, stamp]
        )


def _write_fits(partner_id: int, computed_at: datetime.datetime) -> None:
    families = dict(
        Family.objects.filter(partner_id=partner_id)
        .values("cohort_id")
        .annotate(n=Count("id"))
        .values_list("cohort_id", "n")
    )
    # The cohort's latest verified month: a practice nobody took up lately still counts those
    # months, as zeros.
    latest = dict(
        SurveyResponse.objects.filter(partner_id=partner_id, state=SurveyResponse.State.VERIFIED)
        .values("cohort_id")
        .annotate(last=Max("period"))
        .values_list("cohort_id", "last")
    )
    curves: dict[tuple[int, int], list[tuple[datetime.date, int]]] = {}
    for cohort_id, practice_id, period, new in (
        PracticeAdoption.objects.filter(partner_id=partner_id)
        .order_by("cohort_id", "practice_id", "period")
        .values_list("cohort_id", "practice_id", "period", "new_adopters")
    ):
        curves.setdefault((cohort_id, practice_id), []).append((period, new))

    fits = []
    for (cohort_id, practice_id), rows in curves.items():
        points = month_series(rows, latest.get(cohort_id))
        first, last = points[0].period, points[-1].period
        recent_from = add_months(last, -(RECENT_MONTHS - 1))
        market = families.get(cohort_id, 0)
        bass = fit_bass([point.adopters for point in points], market)
        fits.append(
            DiffusionFit(
                partner_id=partner_id,
                cohort_id=cohort_id,
                practice_id=practice_id,
                families=market,
                adopters=points[-1].adopters,
                first_period=first,
                last_period=last,
                months=len(points),
                recent_adopters=sum(
                    point.new_adopters for point in points if point.period >= recent_from
                ),
                p=bass.p if bass else None,
                q=bass.q if bass else None,
                peak_period=(
                    add_months(first, bass.peak_offset)
                    if bass and bass.peak_offset is not None
                    else None
                ),
                computed_at=computed_at,
            )
        )
    DiffusionFit.objects.bulk_create(
        fits,
        update_conflicts=True,
        unique_fields=["cohort", "practice"],
        update_fields=[
            "partner",
            "families",
            "adopters",
            "first_period",
            "last_period",
            "months",
            "recent_adopters",
            "p",
            "q",
            "peak_period",
            "computed_at",
        ],
    )
    stale = [
        pk
        for pk, cohort_id, practice_id in DiffusionFit.objects.filter(
            partner_id=partner_id
        ).values_list("pk", "cohort_id", "practice_id")
        if (cohort_id, practice_id) not in curves
    ]
    if stale:
        DiffusionFit.objects.filter(partner_id=partner_id, pk__in=stale).delete()


def diffusion_recompute(partner_id: int) -> None:
    """Rebuild the partner's adoption curves and fits from its verified surveys, in one
    transaction (concurrent runs for the same partner wait for each other)."""
    with transaction.atomic():
        partner = Partner.objects.select_for_update().filter(pk=partner_id).first()
        if partner is None:
            return
        computed_at = timezone.now()
        _write_adoption(partner.pk, computed_at)
        _write_fits(partner.pk, computed_at)
