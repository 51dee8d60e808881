"""How numbers, money and dates are shown to people: one way, the reader's, on every page.

Everything here is Babel (CLDR) for the active language, so an amount reads the same in a
page, a chart, a table, an email and a CSV label: `$1,770.00`, `1.770,00 US$`, `1 770,00 $US`.
Money is shown in the currency it is kept in (the partner's); there is no conversion here.

Changes carry a sign either way (`signed_money`, `signed_percent`): the locale's plus sign, and
for a fall the locale's minus sign, as Babel writes negative amounts, so a change and a negative
balance look alike. A zero change has no sign.

Machines keep their own formats, not these: the API's JSON, the cells of CSV exports (plain
decimals and ISO dates) and the `value=` of form inputs.
"""

from __future__ import annotations

import copy
import datetime
import functools
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import (
    format_currency,
    get_minus_sign_symbol,
    get_plus_sign_symbol,
    parse_pattern,
)
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, to_locale

# Between two amounts of a change, in every language.
ARROW = "→"


@functools.lru_cache(maxsize=32)
def _locale(code: str) -> Locale:
    try:
        return Locale.parse(to_locale(code))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(to_locale(settings.LANGUAGE_CODE))


def active_locale(locale: str | None = None) -> Locale:
    """The Babel locale of `locale`, else of the language active for this request."""
    return _locale(locale or get_language() or settings.LANGUAGE_CODE)


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _with_sign(value: Decimal, negative_text, locale: Locale) -> str:
    """`negative_text(x)` writes -x as the locale does; a rise gets the plus sign there."""
    if value < 0:
        return negative_text(value)
    if value == 0:
        return negative_text(-value).replace(get_minus_sign_symbol(locale), "", 1)
    return negative_text(-value).replace(
        get_minus_sign_symbol(locale), get_plus_sign_symbol(locale), 1
    )


# Numbers and money ------------------------------------------------------------------------------


def money(amount, currency: str, locale: str | None = None) -> str:
    """`1770` in USD: `$1,770.00` (en), `1.770,00 US$` (es), `1 770,00 $US` (fr)."""
    if amount is None or amount == "":
        return ""
    return format_currency(_decimal(amount), currency, locale=active_locale(locale))


def signed_money(amount, currency: str, locale: str | None = None) -> str:
    """A change of money: `+$475.00`, `-$52.00`, `$0.00`."""
    if amount is None or amount == "":
        return ""
    where = active_locale(locale)
    return _with_sign(_decimal(amount), lambda v: format_currency(v, currency, locale=where), where)


def _pattern_text(
    value: Decimal, pattern: str, places: int | None, where: Locale, *, scale: int = 0
) -> str:
    """`value` in the locale's `pattern`, with `places` decimals after multiplying by 10 to
    the `scale` (2 for a percentage). Halves round up, as everywhere else in the platform
    (Babel alone would round them to even)."""
    number_pattern = parse_pattern(pattern)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places - scale), rounding=ROUND_HALF_UP)
        number_pattern = copy.copy(number_pattern)
        number_pattern.frac_prec = (places, places)
    return number_pattern.apply(value, where)


def number(value, places: int | None = None, locale: str | None = None) -> str:
    """`1234.5`: `1,234.5` (en), `1.234,5` (es), `1 234,5` (fr); `places` fixes the decimals."""
    if value is None or value == "":
        return ""
    where = active_locale(locale)
    return _pattern_text(_decimal(value), where.decimal_formats[None].pattern, places, where)


def percent(fraction, places: int = 0, locale: str | None = None) -> str:
    """A share from 0 to 1: `0.5` is `50%` (en, es) or `50 %` (fr)."""
    if fraction is None or fraction == "":
        return ""
    where = active_locale(locale)
    pattern = where.percent_formats[None].pattern
    return _pattern_text(_decimal(fraction), pattern, places, where, scale=2)


def signed_percent(fraction, places: int = 0, locale: str | None = None) -> str:
    """A change as a share: `-0.52` is `-52%`; `0.1` is `+10%`."""
    if fraction is None or fraction == "":
        return ""
    where = active_locale(locale)
    pattern = where.percent_formats[None].pattern
    return _with_sign(
        _decimal(fraction), lambda v: _pattern_text(v, pattern, places, where, scale=2), where
    )


def change_of_money(before, after, currency: str, locale: str | None = None) -> str:
    """From one amount to another: `$2,457.00 → $1,177.00`."""
    return f"{money(before, currency, locale)} {ARROW} {money(after, currency, locale)}"


# Dates and times --------------------------------------------------------------------------------


def month_name(period: datetime.date | str | None, locale: str | None = None) -> str:
    """A month with its year: `June 2026`, `junio de 2026`, `juin 2026`. Also takes the
    machine's "2026-06"."""
    if period is None or period == "":
        return ""
    if isinstance(period, str):
        try:
            period = datetime.date.fromisoformat(f"{period[:7]}-01")
        except ValueError:
            return period
    return format_skeleton("yMMMM", period, locale=active_locale(locale))


def short_month(period: datetime.date, locale: str | None = None) -> str:
    """A month on its own, short, as under a chart's axis: `Jun`, `jun`, `juin`."""
    return format_date(period, "LLL", locale=active_locale(locale))


def year(period: datetime.date, locale: str | None = None) -> str:
    """A year on its own, as a calendar writes it (never grouped: `2026`)."""
    return format_date(period, "y", locale=active_locale(locale))


def day(value: datetime.date | datetime.datetime | None, locale: str | None = None) -> str:
    """A date: `Jun 1, 2026`, `1 jun 2026`, `1 juin 2026`. A moment is read in its zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return format_date(value, "medium", locale=active_locale(locale))


def _zone(zone) -> datetime.tzinfo:
    if isinstance(zone, datetime.tzinfo):
        return zone
    if zone:
        try:
            return zoneinfo.ZoneInfo(str(zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.get_current_timezone()


def moment(value: datetime.datetime | None, zone=None, locale: str | None = None) -> str:
    """A date and time in `zone` (the partner's, by name), else the current one:
    `Nov 20, 2026, 6:02 AM`, `20 nov 2026, 6:02`, `20 nov. 2026, 06:02`."""
    if value is None or value == "":
        return ""
    where = active_locale(locale)
    if not isinstance(value, datetime.datetime):
        return day(value, locale)
    if timezone.is_aware(value):
        value = value.astimezone(_zone(zone))
    return (
        where.datetime_formats["medium"]
        .replace("{1}", format_date(value, "medium", locale=where))
        .replace("{0}", format_time(value, "short", locale=where))
    )
