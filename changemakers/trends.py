"""Trends: each family's months from its verified surveys, and the aggregates of its group,
cohort, partner and country.

Everything is computed in SQL over all rows at once (window functions for baselines, medians in
the database, `INSERT ... ON CONFLICT` upserts), never family by family in Python. Recomputing
gives the same rows: a job may run twice, or a nightly run may overlap one started by a
verification. The statements, in `trends_sql.py`, are written for PostgreSQL (production and CI)
and SQLite (the demo).

Definitions (the same as the family's progress page, `surveys.selectors.family_progress`):
- income total: the sum of the income answers given (none given: unknown);
- net position: savings minus formal and high-cost debt (unknown if any of them is);
- baseline: the mean of the family's first N verified months (N is the partner's setting);
- change: this month minus the baseline; a percent only where the baseline is not zero;
- improved: income or net position above the baseline, and neither below it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Partner
from changemakers import trends_sql as sql

# What other modules use: the lock's namespace, and SQLite's median (registered in apps.py).
from changemakers.trends_sql import LOCK_NAMESPACE, register_sqlite_functions  # noqa: F401

# Entry points ----------------------------------------------------------------------------------


def _partner_params(partner: Partner, now: datetime.datetime) -> dict:
    return {
        "partner_id": partner.pk,
        "currency": partner.currency,
        "baseline_months": max(partner.baseline_months, 1),
        "now": now,
    }


def _period_filter(periods, params: dict, name: str) -> str:
    return "AND {period} " + sql.in_list(name, sorted(periods), params)


def _refresh_aggregates(
    cursor, dialect, params: dict, *, scopes: dict, periods=None, stale_periods=None
) -> None:
    """Upsert the aggregates of the given scopes ({scope: id or None for all}) for `periods`
    (None: all), then delete those left without families in `stale_periods` (None: the same
    as `periods`)."""
    if periods is not None and not periods:
        return
    period_filter = "" if periods is None else _period_filter(periods, params, "period")
    for scope, scope_id in scopes.items():
        scope_filter = ""
        if scope_id is not None:
            params[f"{scope}_id"] = scope_id
            scope_filter = "AND {key} = %(" + scope + "_id)s"
        cursor.execute(
            sql.aggregates_sql(
                dialect, scope, scope_filter=scope_filter, period_filter=period_filter
            ),
            params,
        )
    if stale_periods is not None:
        if not stale_periods:
            return  # nothing was removed: no aggregate can have lost its last family
        period_filter = _period_filter(stale_periods, params, "stale")
    if all(scope_id is None for scope_id in scopes.values()):
        dialect.analyze(cursor, "changemakers_trendaggregate")
    for scope in sql.SCOPES:
        if scope in scopes:
            statement = sql.delete_stale_aggregates_sql(
                scope, period_filter=period_filter, one_scope=scopes[scope] is not None
            )
            cursor.execute(statement, params)


def recompute_partner(partner_id: int, *, period: datetime.date | None = None) -> None:
    """Every family month of the partner (or of one month), then the group, cohort and partner
    aggregates. Idempotent."""
    partner = Partner.objects.get(pk=partner_id)
    dialect = sql.dialect_of_connection()
    params = _partner_params(partner, timezone.now())
    if period is not None:
        params["period"] = period.replace(day=1)
    one_period = period is not None
    with transaction.atomic(), connection.cursor() as cursor:
        dialect.lock(cursor, partner.pk)
        cursor.execute(
            sql.delete_stale_family_months_sql(one_family=False, one_period=one_period), params
        )
        cursor.execute(
            sql.family_months_sql(dialect, one_family=False, one_period=one_period), params
        )
        if cursor.rowcount > 10_000:
            dialect.analyze(cursor, "changemakers_familymonth")
        _refresh_aggregates(
            cursor,
            dialect,
            params,
            scopes={"group": None, "cohort": None, "partner": None},
            periods=[params["period"]] if one_period else None,
        )


def recompute_family(family_id: int) -> None:
    """One family's months (after a verification), and the aggregates of its group, cohort and
    partner for the months it is part of. Country rows follow in the nightly run."""
    from families.models import Family

    family = Family.objects.select_related("partner").filter(pk=family_id).first()
    if family is None:
        return
    dialect = sql.dialect_of_connection()
    params = _partner_params(family.partner, timezone.now())
    params["family_id"] = family.pk
    with transaction.atomic(), connection.cursor() as cursor:
        dialect.lock(cursor, family.partner_id)
        cursor.execute(
            "SELECT period FROM changemakers_familymonth WHERE family_id = %(family_id)s", params
        )
        periods = {_as_date(row[0]) for row in cursor.fetchall()}  # before
        cursor.execute(
            sql.delete_stale_family_months_sql(one_family=True, one_period=False), params
        )
        cursor.execute(sql.family_months_sql(dialect, one_family=True, one_period=False), params)
        cursor.execute(
            "SELECT period FROM changemakers_familymonth WHERE family_id = %(family_id)s", params
        )
        after = {_as_date(row[0]) for row in cursor.fetchall()}
        scopes = {"cohort": family.cohort_id, "partner": family.partner_id}
        if family.group_id:
            scopes = {"group": family.group_id, **scopes}
        _refresh_aggregates(
            cursor,
            dialect,
            params,
            scopes=scopes,
            periods=periods | after,
            stale_periods=periods - after,
        )


def lock_partner(partner_id: int) -> None:
    """Hold the partner's recomputation lock to the end of the current transaction (on
    PostgreSQL; SQLite has one writer at a time anyway). Taken again inside, it does not wait."""
    with connection.cursor() as cursor:
        sql.dialect_of_connection().lock(cursor, partner_id)


def recompute_countries() -> None:
    """Country rows across partners, money in US dollars (the admins' rate table; partners
    whose currency has no rate count in percents and shares, not in dollar sums)."""
    dialect = sql.dialect_of_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        dialect.lock(cursor, 0)
        cursor.execute(sql.countries_sql(dialect), {"now": timezone.now()})
        cursor.execute(sql.DELETE_STALE_COUNTRIES)


def recompute_all(partner_ids: Iterable[int] | None = None) -> int:
    """The nightly run: every partner, then the countries. Returns how many partners."""
    ids = list(partner_ids) if partner_ids is not None else None
    if ids is None:
        ids = list(Partner.objects.order_by("pk").values_list("pk", flat=True))
    for partner_id in ids:
        recompute_partner(partner_id)
    recompute_countries()
    return len(ids)


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])
