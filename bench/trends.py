"""The trends job at scale: `python -m bench.trends` (or `make bench-trends`).

Builds P partners with N households EACH and M months of verified surveys in a throwaway
database (defaults: 4 x 25,000 = 100,000 households, 24 months, 2.4 million surveys), runs
VACUUM ANALYZE, then times:

- the full recomputation (`changemakers.trends.recompute_all`) on empty trend tables;
- the same with nothing changed since (the nightly case);
- one hand-written SQL aggregate over the same rows, for scale: per cohort and month, the
  households with a verified survey and the median change of their income against their first
  verified month, straight from the surveys' JSON;
- `recompute_family` for one household (what a verification starts).

Each case runs a few times and the median is reported, with the ratio job / hand-written query
and whether the targets hold (within 2x of the query, under a minute). Use DATABASE_URL to
point at PostgreSQL: the numbers that matter are PostgreSQL's.
"""

import argparse
import os
import re
import statistics
import sys
import time
from collections import defaultdict

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutuality.settings")

TARGET_RATIO = 2.0
TARGET_SECONDS = 60.0

INCOME_KEYS = ["income_wages", "income_business", "income_benefits", "income_other"]


def hand_written_sql(vendor: str) -> str:
    """Per cohort and month: households with verified data, and the median change of their
    income total against their first verified month."""
    if vendor == "postgresql":
        income = " + ".join(f"COALESCE((s.answers ->> '{k}')::numeric, 0)" for k in INCOME_KEYS)
        median = "percentile_cont(0.5) WITHIN GROUP (ORDER BY change)"
    else:
        income = " + ".join(
            f"COALESCE(CAST(json_extract(s.answers, '$.{k}') AS NUMERIC), 0)" for k in INCOME_KEYS
        )
        median = "median(change)"  # registered for SQLite by the changemakers app
    return f"""
WITH months AS (
    SELECT s.cohort_id, s.family_id, s.period, {income} AS income
    FROM surveys_surveyresponse s
    WHERE s.state = 'verified'
),
changes AS (
    SELECT cohort_id, period,
        income - FIRST_VALUE(income) OVER (PARTITION BY family_id ORDER BY period) AS change
    FROM months
)
SELECT cohort_id, period, COUNT(*) AS families, {median} AS median_change
FROM changes
GROUP BY cohort_id, period
"""


def statement_label(sql: str) -> str:
    """'INSERT changemakers_trendaggregate (fm.group_id)': what a statement writes, and for
    which scope."""
    words = " ".join(sql.split())
    verb = re.search(r"\b(INSERT INTO|DELETE FROM|UPDATE) (\w+)", words)
    label = f"{verb[1].split()[0]} {verb[2]}" if verb else words[:40]
    scope = (
        re.search(r"SELECT (\w+\.\w+) AS scope_id", words)
        or re.search(r"scope = '(\w+)'", words)
        or re.search(r"SELECT '(country)'", words)
    )
    return f"{label} ({scope[1]})" if scope else label


class StatementClock:
    """Seconds spent in each kind of statement (summed over partners) during one run."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds[statement_label(sql)] += time.perf_counter() - start


def timed(function, repeat: int, before=None, clock: StatementClock | None = None):
    """Timings of `repeat` runs; the last one's statements go to `clock`."""
    from django.db import connection

    timings = []
    for run in range(repeat):
        if before:
            before()
        watching = clock is not None and run == repeat - 1
        start = time.perf_counter()
        if watching:
            with connection.execute_wrapper(clock):
                function()
        else:
            function()
        timings.append(time.perf_counter() - start)
    return timings


def print_breakdown(title: str, clock: StatementClock, total: float) -> None:
    print(f"{title} ({total:.1f} s), by statement:")
    for label, seconds in sorted(clock.seconds.items(), key=lambda item: -item[1]):
        if seconds >= 0.01:
            print(f"  {seconds:8.2f} s  {label}")
    rest = total - sum(clock.seconds.values())
    print(f"  {rest:8.2f} s  commits (deferred foreign key checks) and Python")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--partners", type=int, default=4)
    parser.add_argument(
        "--families", type=int, default=25_000, help="households PER PARTNER (default 25,000)"
    )
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each job (median)")
    parser.add_argument(
        "--family-repeat", type=int, default=5, help="runs of recompute_family (median)"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction

    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False, serialize=False)
    try:
        from bench import load
        from changemakers import trends
        from changemakers.models import FamilyMonth, TrendAggregate
        from families.models import Family

        postgres = connection.vendor == "postgresql"
        print(
            f"{args.partners} partners x {args.families} households x {args.months} months "
            f"on {connection.vendor}, {os.cpu_count()} CPU cores",
            flush=True,
        )
        summary = load.generate(
            partners=args.partners, families=args.families, months=args.months, seed=args.seed
        )
        print(
            f"generated {summary.families} households, {summary.surveys} verified surveys, "
            f"{summary.action_reports} practice reports, {summary.venture_updates} venture "
            f"updates in {summary.seconds:.1f} s",
            flush=True,
        )
        with connection.cursor() as cursor:
            if postgres:
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("ANALYZE")

        def empty_trend_tables():
            with connection.cursor() as cursor:
                for model in (FamilyMonth, TrendAggregate):
                    table = connection.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"TRUNCATE {table}" if postgres else f"DELETE FROM {table}")

        first_clock, nightly_clock = StatementClock(), StatementClock()
        first_runs = timed(
            trends.recompute_all, args.repeat, before=empty_trend_tables, clock=first_clock
        )
        family_months = FamilyMonth.objects.count()
        aggregates = TrendAggregate.objects.count()
        # The nightly run comes long after the first: the tables have been analyzed since.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if postgres else "ANALYZE")
        nightly_runs = timed(trends.recompute_all, args.repeat, clock=nightly_clock)

        sql = hand_written_sql(connection.vendor)
        result_rows = []

        def hand_written():
            with transaction.atomic(), connection.cursor() as cursor:
                if postgres:
                    # The job sorts with this much memory too.
                    cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute(sql)
                result_rows[:] = cursor.fetchall()

        query_runs = timed(hand_written, max(args.repeat, 3))
        families = list(Family.objects.order_by("pk").values_list("pk", flat=True))
        one_family = families[len(families) // 2]
        family_clock = StatementClock()
        family_runs = timed(
            lambda: trends.recompute_family(one_family), args.family_repeat, clock=family_clock
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    first = statistics.median(first_runs)
    nightly = statistics.median(nightly_runs)
    query = statistics.median(query_runs)
    family = statistics.median(family_runs)
    print(f"{family_months} family months, {aggregates} aggregates; query: {len(result_rows)} rows")
    print(f"{'case':52} {'median':>10} {'runs':>5}")
    rows = [
        ("recompute_all, empty trend tables (first run)", first, len(first_runs)),
        ("recompute_all, nothing changed (nightly)", nightly, len(nightly_runs)),
        ("hand-written SQL aggregate", query, len(query_runs)),
    ]
    for label, seconds, runs in rows:
        print(f"{label:52} {seconds:8.2f} s {runs:5d}")
    print(f"{'recompute_family, one household':52} {family * 1000:7.1f} ms {len(family_runs):5d}")
    print_breakdown("last first run", first_clock, first_runs[-1])
    print_breakdown("last nightly run", nightly_clock, nightly_runs[-1])
    print_breakdown("last recompute_family", family_clock, family_runs[-1])
    for label, seconds in [("first run", first), ("nightly", nightly)]:
        ratio = seconds / query
        print(
            f"{label}: job / hand-written = {ratio:.2f}x "
            f"(target <= {TARGET_RATIO:.0f}x: {'met' if ratio <= TARGET_RATIO else 'MISSED'}); "
            f"{seconds:.1f} s (target < {TARGET_SECONDS:.0f} s: "
            f"{'met' if seconds < TARGET_SECONDS else 'MISSED'})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
