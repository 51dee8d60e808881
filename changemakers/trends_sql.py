"""The statements of the trends job (changemakers/trends.py), written for PostgreSQL
(production and CI) and SQLite (the demo), with the few differences in `Dialect`; and the
median SQLite lacks."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection

VERIFIED = "verified"
# A change above ten million times the baseline is an artifact of a near-zero baseline, not
# a percent anyone could read: it is left out like a zero baseline.
ABSURD_RATIO = 10_000_000
# Namespace of the advisory locks that keep two recomputations of a partner from interleaving.
LOCK_NAMESPACE = 7301

ANSWER_KEYS = {
    "income_wages": "income_wages",
    "income_business": "income_business",
    "income_benefits": "income_benefits",
    "income_other": "income_other",
    "savings": "savings_balance",
    "debt_formal": "debt_formal",
    "debt_high_cost": "debt_high_cost",
    "help_given_value": "help_given_value",
    "help_received_value": "help_received_value",
    "help_given_count": "help_given_count",
    "help_received_count": "help_received_count",
}

FAMILY_MONTH_COLUMNS = [
    "partner_id",
    "cohort_id",
    "group_id",
    "family_id",
    "period",
    "income_wages",
    "income_business",
    "income_benefits",
    "income_other",
    "income_total",
    "savings",
    "debt_formal",
    "debt_high_cost",
    "debt_total",
    "net_position",
    "help_given_value",
    "help_received_value",
    "help_given_count",
    "help_received_count",
    "baseline_income",
    "baseline_savings",
    "baseline_debt",
    "baseline_net",
    "income_change",
    "income_change_pct",
    "savings_change",
    "savings_change_pct",
    "debt_change",
    "debt_change_pct",
    "net_change",
    "net_change_pct",
    "improved",
    "computed_at",
]

AGGREGATE_COLUMNS = [
    "scope",
    "scope_key",
    "partner_id",
    "cohort_id",
    "group_id",
    "country",
    "period",
    "currency",
    "families",
    "median_income_change",
    "median_income_change_pct",
    "median_net_change",
    "median_net_change_pct",
    "share_improved",
    "income_total",
    "benefits_total",
    "benefits_share",
    "help_value",
    "jobs",
    "computed_at",
]


class Dialect:
    def __init__(self, vendor: str):
        self.postgres = vendor == "postgresql"

    def number(self, key: str) -> str:
        """An answer as a number, or NULL when it was not given."""
        if self.postgres:
            return f"NULLIF(s.answers ->> '{key}', '')::numeric"
        return f"CAST(NULLIF(json_extract(s.answers, '$.{key}'), '') AS NUMERIC)"

    def integer(self, key: str) -> str:
        if self.postgres:
            return f"ROUND(NULLIF(s.answers ->> '{key}', '')::numeric)::integer"
        return f"CAST(NULLIF(json_extract(s.answers, '$.{key}'), '') AS INTEGER)"

    def median(self, expression: str) -> str:
        if self.postgres:
            # percentile_cont works in double precision; amounts below any survey ceiling are
            # exact to far under a cent there, and the result goes back to numeric cents.
            return (
                f"ROUND(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY {expression}) "
                "AS numeric), 2)"
            )
        return f"ROUND(median({expression}), 2)"  # registered in apps.py for SQLite

    def changed(self, table: str, columns: list[str]) -> str:
        """Upsert only rows whose values differ: a recomputation over unchanged data writes
        nothing."""
        old = ", ".join(f"{table}.{c}" for c in columns)
        new = ", ".join(f"excluded.{c}" for c in columns)
        operator = "IS DISTINCT FROM" if self.postgres else "IS NOT"
        return f"({old}) {operator} ({new})"

    def lock(self, cursor, key: int) -> None:
        if self.postgres:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, key])
            # Sorts for the window functions and medians stay in memory.
            cursor.execute("SET LOCAL work_mem = '256MB'")
            # Compiling these one-off statements costs more than it saves (about 0.5 s each).
            cursor.execute("SET LOCAL jit = off")

    def analyze(self, cursor, table: str) -> None:
        """Fresh statistics after a large write: on a table the planner believes empty, the
        anti-joins that follow become nested loops over millions of rows."""
        if self.postgres:
            cursor.execute(f"ANALYZE {table}")


def dialect_of_connection() -> Dialect:
    return Dialect(connection.vendor)


def _pct(change: str, base: str) -> str:
    return (
        f"CASE WHEN {base} <> 0 AND ABS({change}) <= {ABSURD_RATIO} * ABS({base}) "
        f"THEN ROUND(100.0 * {change} / ABS({base}), 2) END"
    )


def _upsert_tail(table: str, conflict: list[str], columns: list[str], dialect: Dialect) -> str:
    compared = [c for c in columns if c not in conflict and c != "computed_at"]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in conflict)
    return (
        f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {updates} "
        f"WHERE {dialect.changed(table, compared)}"
    )


def in_list(name: str, values: list, params: dict) -> str:
    """`IN (...)` with one named parameter per value."""
    names = []
    for index, value in enumerate(values):
        params[f"{name}_{index}"] = value
        names.append(f"%({name}_{index})s")
    return f"IN ({', '.join(names)})"


# Family months ---------------------------------------------------------------------------------


def family_months_sql(dialect: Dialect, *, one_family: bool, one_period: bool) -> str:
    answers = ",\n".join(
        f"{dialect.integer(key) if column.endswith('_count') else dialect.number(key)} AS {column}"
        for column, key in ANSWER_KEYS.items()
    )
    family_filter = "AND s.family_id = %(family_id)s" if one_family else ""
    period_filter = "WHERE period = %(period)s" if one_period else ""
    columns = ", ".join(FAMILY_MONTH_COLUMNS)
    return f"""
WITH answers AS {"MATERIALIZED " if dialect.postgres else ""}(
    SELECT s.partner_id, f.cohort_id, f.group_id, s.family_id, s.period,
    {answers}
    FROM surveys_surveyresponse s
    JOIN families_family f ON f.id = s.family_id
    WHERE s.partner_id = %(partner_id)s AND s.state = '{VERIFIED}' {family_filter}
),
totals AS (
    SELECT a.*,
        CASE WHEN income_wages IS NULL AND income_business IS NULL
                  AND income_benefits IS NULL AND income_other IS NULL THEN NULL
             ELSE COALESCE(income_wages, 0) + COALESCE(income_business, 0)
                  + COALESCE(income_benefits, 0) + COALESCE(income_other, 0) END AS income_total,
        CASE WHEN debt_formal IS NULL AND debt_high_cost IS NULL THEN NULL
             ELSE COALESCE(debt_formal, 0) + COALESCE(debt_high_cost, 0) END AS debt_total,
        savings - debt_formal - debt_high_cost AS net_position,
        ROW_NUMBER() OVER (PARTITION BY family_id ORDER BY period) AS month_number
    FROM answers a
),
baselines AS (
    SELECT t.*,
        ROUND(AVG(CASE WHEN month_number <= %(baseline_months)s THEN income_total END)
              OVER family_months, 2) AS baseline_income,
        ROUND(AVG(CASE WHEN month_number <= %(baseline_months)s THEN savings END)
              OVER family_months, 2) AS baseline_savings,
        ROUND(AVG(CASE WHEN month_number <= %(baseline_months)s THEN debt_total END)
              OVER family_months, 2) AS baseline_debt,
        ROUND(AVG(CASE WHEN month_number <= %(baseline_months)s THEN net_position END)
              OVER family_months, 2) AS baseline_net
    FROM totals t
    WINDOW family_months AS (PARTITION BY family_id)
),
changes AS (
    SELECT b.*,
        income_total - baseline_income AS income_change,
        savings - baseline_savings AS savings_change,
        debt_total - baseline_debt AS debt_change,
        net_position - baseline_net AS net_change
    FROM baselines b
    {period_filter}
)
INSERT INTO changemakers_familymonth ({columns})
SELECT partner_id, cohort_id, group_id, family_id, period,
    income_wages, income_business, income_benefits, income_other, income_total,
    savings, debt_formal, debt_high_cost, debt_total, net_position,
    help_given_value, help_received_value, help_given_count, help_received_count,
    baseline_income, baseline_savings, baseline_debt, baseline_net,
    income_change, {_pct("income_change", "baseline_income")},
    savings_change, {_pct("savings_change", "baseline_savings")},
    debt_change, {_pct("debt_change", "baseline_debt")},
    net_change, {_pct("net_change", "baseline_net")},
    CASE WHEN COALESCE(income_change, 0) >= 0 AND COALESCE(net_change, 0) >= 0
              AND (COALESCE(income_change, 0) > 0 OR COALESCE(net_change, 0) > 0)
         THEN TRUE ELSE FALSE END,
    %(now)s
FROM changes
WHERE TRUE
{_upsert_tail("changemakers_familymonth", ["family_id", "period"], FAMILY_MONTH_COLUMNS, dialect)}
"""  # noqa: S608 (built from constants; values are parameters)


def delete_stale_family_months_sql(*, one_family: bool, one_period: bool) -> str:
    return f"""
DELETE FROM changemakers_familymonth
WHERE partner_id = %(partner_id)s
    {"AND family_id = %(family_id)s" if one_family else ""}
    {"AND period = %(period)s" if one_period else ""}
    AND NOT EXISTS (
        SELECT 1 FROM surveys_surveyresponse s
        WHERE s.family_id = changemakers_familymonth.family_id
          AND s.period = changemakers_familymonth.period
          AND s.state = '{VERIFIED}'
    )
"""  # noqa: S608 (built from constants; values are parameters)


# Aggregates ------------------------------------------------------------------------------------

# scope -> (the family month's key, the venture's key, the cohort column, the group column)
_OWNER_GROUP = (
    "(SELECT MIN(of.group_id) FROM ventures_venture_owners o "
    "JOIN families_family of ON of.id = o.family_id WHERE o.venture_id = v.id)"
)
SCOPES = {
    "group": ("fm.group_id", f"COALESCE(v.group_id, {_OWNER_GROUP})", "agg.cohort_id", "scope_id"),
    "cohort": ("fm.cohort_id", "v.cohort_id", "agg.scope_id", "NULL"),
    "partner": ("fm.partner_id", "v.partner_id", "NULL", "NULL"),
}


# The inputs of the measures: a family month's own columns, or a country's in US dollars.
FAMILY_MONTH_MEASURES = {
    "income_change": "fm.income_change",
    "income_change_pct": "fm.income_change_pct",
    "net_change": "fm.net_change",
    "net_change_pct": "fm.net_change_pct",
    "improved": "fm.improved",
    "income_total": "fm.income_total",
    "benefits": "fm.income_benefits",
    "help": "fm.help_given_value",
}
DOLLAR_MEASURES = {
    "income_change": "income_change_usd",
    "income_change_pct": "income_change_pct",
    "net_change": "net_change_usd",
    "net_change_pct": "net_change_pct",
    "improved": "improved",
    "income_total": "income_total_usd",
    "benefits": "benefits_usd",
    "help": "help_usd",
}


def _measures_sql(dialect: Dialect, inputs: dict[str, str]) -> str:
    """What every aggregate says of its families' months (in a GROUP BY)."""
    return f"""COUNT(*) AS families,
        {dialect.median(inputs["income_change"])} AS median_income_change,
        {dialect.median(inputs["income_change_pct"])} AS median_income_change_pct,
        {dialect.median(inputs["net_change"])} AS median_net_change,
        {dialect.median(inputs["net_change_pct"])} AS median_net_change_pct,
        ROUND(AVG(CASE WHEN {inputs["improved"]} THEN 1.0 ELSE 0.0 END), 4) AS share_improved,
        ROUND(SUM({inputs["income_total"]}), 2) AS income_total,
        ROUND(SUM({inputs["benefits"]}), 2) AS benefits_total,
        ROUND(SUM({inputs["help"]}), 2) AS help_value"""


def _insert_aggregates_sql(dialect: Dialect, *, keys: str, jobs_match: str) -> str:
    """Upsert the `agg` rows with their jobs; `keys` gives the columns up to `currency`."""
    return f"""INSERT INTO changemakers_trendaggregate ({", ".join(AGGREGATE_COLUMNS)})
SELECT {keys}, agg.families,
    agg.median_income_change, agg.median_income_change_pct,
    agg.median_net_change, agg.median_net_change_pct, agg.share_improved,
    agg.income_total, agg.benefits_total,
    CASE WHEN agg.income_total > 0 THEN ROUND(1.0 * agg.benefits_total / agg.income_total, 4) END,
    agg.help_value, COALESCE(jobs.jobs, 0), %(now)s
FROM agg
LEFT JOIN jobs ON {jobs_match} AND jobs.period = agg.period
WHERE TRUE
{_upsert_tail("changemakers_trendaggregate", ["scope_key", "period"], AGGREGATE_COLUMNS, dialect)}
"""  # noqa: S608 (built from constants; values are parameters)


def aggregates_sql(dialect: Dialect, scope: str, *, scope_filter: str, period_filter: str) -> str:
    key, venture_key, cohort_column, group_column = SCOPES[scope]
    group_column = "agg.scope_id" if group_column == "scope_id" else group_column
    insert = _insert_aggregates_sql(
        dialect,
        keys=f"'{scope}', '{scope}:' || agg.scope_id, %(partner_id)s, {cohort_column}, "
        f"{group_column}, '', agg.period, %(currency)s",
        jobs_match="jobs.scope_id = agg.scope_id",
    )
    return f"""
WITH agg AS (
    SELECT {key} AS scope_id, fm.period, MIN(fm.cohort_id) AS cohort_id,
        {_measures_sql(dialect, FAMILY_MONTH_MEASURES)}
    FROM changemakers_familymonth fm
    WHERE fm.partner_id = %(partner_id)s AND {key} IS NOT NULL
        {scope_filter.format(key=key)} {period_filter.format(period="fm.period")}
    GROUP BY {key}, fm.period
),
jobs AS (
    SELECT {venture_key} AS scope_id, u.period, SUM(u.household_jobs + u.other_jobs) AS jobs
    FROM ventures_ventureupdate u
    JOIN ventures_venture v ON v.id = u.venture_id
    WHERE v.partner_id = %(partner_id)s {period_filter.format(period="u.period")}
    GROUP BY 1, 2
)
{insert}
"""  # noqa: S608 (built from constants; values are parameters)


def delete_stale_aggregates_sql(scope: str, *, period_filter: str, one_scope: bool) -> str:
    """One statement per scope, so that each is a plain anti-join on an indexed column."""
    column = {"group": "group_id", "cohort": "cohort_id", "partner": "partner_id"}[scope]
    scope_filter = f"AND {column} = %({scope}_id)s" if one_scope else ""
    return f"""
DELETE FROM changemakers_trendaggregate
WHERE partner_id = %(partner_id)s AND scope = '{scope}' {scope_filter}
    {period_filter.format(period="period")}
    AND NOT EXISTS (
        SELECT 1 FROM changemakers_familymonth fm
        WHERE fm.{column} = changemakers_trendaggregate.{column}
          AND fm.period = changemakers_trendaggregate.period
    )
"""  # noqa: S608 (built from constants; values are parameters)


def countries_sql(dialect: Dialect) -> str:
    # US dollars per unit of the partner's currency, from the platform admins' table.
    rate = "rates.usd_per_unit"
    insert = _insert_aggregates_sql(
        dialect,
        keys="'country', 'country:' || agg.country, NULL, NULL, NULL, agg.country, "
        "agg.period, 'USD'",
        jobs_match="jobs.country = agg.country",
    )
    return f"""
WITH rows AS (
    SELECT p.country, fm.period, fm.improved, fm.income_change_pct, fm.net_change_pct,
        fm.income_change * {rate} AS income_change_usd,
        fm.net_change * {rate} AS net_change_usd,
        fm.income_total * {rate} AS income_total_usd,
        fm.income_benefits * {rate} AS benefits_usd,
        fm.help_given_value * {rate} AS help_usd
    FROM changemakers_familymonth fm
    JOIN accounts_partner p ON p.id = fm.partner_id
    LEFT JOIN (
        SELECT currency, usd_per_unit FROM ventures_exchangerate
        UNION ALL SELECT 'USD', 1 WHERE NOT EXISTS (
            SELECT 1 FROM ventures_exchangerate WHERE currency = 'USD'
        )
    ) rates ON rates.currency = p.currency
),
agg AS (
    SELECT country, period,
        {_measures_sql(dialect, DOLLAR_MEASURES)}
    FROM rows
    GROUP BY country, period
),
jobs AS (
    SELECT p.country, u.period, SUM(u.household_jobs + u.other_jobs) AS jobs
    FROM ventures_ventureupdate u
    JOIN ventures_venture v ON v.id = u.venture_id
    JOIN accounts_partner p ON p.id = v.partner_id
    GROUP BY 1, 2
)
{insert}
"""  # noqa: S608 (built from constants; values are parameters)


# A country's month exists while one of its partners has that month (the partner rows are
# fresh by now, and far fewer than the families' months).
DELETE_STALE_COUNTRIES = """
DELETE FROM changemakers_trendaggregate
WHERE scope = 'country'
    AND NOT EXISTS (
        SELECT 1 FROM changemakers_trendaggregate pa
        JOIN accounts_partner p ON p.id = pa.partner_id
        WHERE pa.scope = 'partner'
          AND p.country = changemakers_trendaggregate.country
          AND pa.period = changemakers_trendaggregate.period
    )
"""


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """SQLite has no median: give it one (the demo runs on SQLite)."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_aggregate("median", 1, _Median)


class _Median:
    def __init__(self):
        self.values: list[Decimal] = []

    def step(self, value):
        if value is not None:
            self.values.append(Decimal(str(value)))

    def finalize(self):
        if not self.values:
            return None
        values = sorted(self.values)
        middle = len(values) // 2
        if len(values) % 2:
            return float(values[middle])
        return float((values[middle - 1] + values[middle]) / 2)
