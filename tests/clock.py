"""The suite's "today" and the dates tests derive from it.

Tests never write a calendar date: they say "three months ago" (`month(-3)`) or "in ten days"
(`days(10)`), so that they mean the same thing whatever the day the suite runs on. The suite's
today is the 15th of the current month at noon UTC (far from month ends and midnight in every
partner's time zone); `MUTUALITY_TEST_TODAY=YYYY-MM-DD` moves it to that date's month.
"""

from __future__ import annotations

import datetime
import functools
import os

UTC = datetime.UTC


@functools.cache
def suite_now() -> datetime.datetime:
    # Read once, before any test moves the clock.
    wanted = os.environ.get("MUTUALITY_TEST_TODAY", "")
    base = datetime.date.fromisoformat(wanted) if wanted else datetime.date.today()
    return datetime.datetime(base.year, base.month, 15, 12, 0, tzinfo=UTC)


def today() -> datetime.date:
    return suite_now().date()


def days(n: int) -> datetime.date:
    """The date `n` days from the suite's today (negative: before)."""
    return today() + datetime.timedelta(days=n)


def at(n_days: int = 0, *, hours: int = 0, minutes: int = 0) -> datetime.datetime:
    """An instant relative to the suite's now."""
    return suite_now() + datetime.timedelta(days=n_days, hours=hours, minutes=minutes)


def month(n: int = 0) -> datetime.date:
    """The first day of the month `n` months from the suite's month (negative: before)."""
    first = today().replace(day=1)
    index = first.year * 12 + first.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def period(n: int = 0) -> str:
    """That month as the API writes it: "YYYY-MM"."""
    return month(n).strftime("%Y-%m")


def on(n: int, day: int) -> datetime.date:
    """That day of the month `n` months from the suite's month (days 1 to 28 exist in all)."""
    return month(n).replace(day=day)


def month_label(n: int = 0, language: str = "en") -> str:
    """That month as the pages name it: "June 2026", "junio de 2026", "juin 2026"."""
    from django.utils import formats, translation

    with translation.override(language):
        return formats.date_format(month(n), "YEAR_MONTH_FORMAT")
