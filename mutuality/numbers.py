"""How a typed number is read: the machine form, and the user's own way.

Both ways drop the spaces around a number and read digits of any script (full-width,
Arabic-Indic, ...) as the digits they are. Notations nobody types for an amount (`1e2`, `0x10`,
`1_000`, `NaN`, `Infinity`) are refused rather than guessed.

The machine form (`to_decimal`, `to_whole_number`) is what services and the API take: a point
for decimals and, at most, commas between groups of three digits (`1,250.50`), whatever the
language. `1250,00` is refused there.

The user's way (`parse_amount`, `parse_whole_number`) is what the pages read, in the locale of
the page ("en", "es", "fr"), with the signs Babel knows for it:

- The locale's decimal sign: a point in English, a comma in Spanish and French.
- Thousands in groups of three, with the locale's group sign (a comma in English, a point in
  Spanish) or with spaces, of any kind: plain, no-break (U+00A0), narrow no-break (U+202F, what
  French uses) or thin. `1,350.50`, `1.350,50` and `1 350,50` are all 1350.50, each in its own
  language; one sign throughout a number.
- Where the comma is the decimal sign, a single comma is always the decimal sign: `120,50` is
  120.50 and `1,200` is 1.2 (the hint under each field says so).
- French groups with spaces, so a point there can only be a decimal sign: `120.50` is 120.50.
  Followed by exactly three digits (`1.200`), it may be thousands written the Spanish or German
  way: refused as ambiguous, naming both readings.
- Spanish groups with the point, so `1.200` is 1200; `120.50` is no grouping, and the point is
  no decimal sign there: refused, asking for a comma (`120,50`).
- English groups with the comma only in threes: `1,200` is 1200; `1,20` and `120,50` are
  refused, asking for a point.
- Anything else (two decimal signs, two kinds of group signs, `1.350,50` in French, a sign at
  either end) is refused.

A refusal is a `NotANumber` whose `message` is in the locale's language, with an example
written its way ("Write an amount like 1 350,50.").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.numbers import (
    NumberFormatError,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)
from django.utils import translation
from django.utils.translation import gettext as _

_DECIMAL = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_WHOLE = re.compile(r"-?\d+")
# After NFKC every kind of space is U+0020; runs of them count as one.
_TYPED = re.compile(r"\d+(?:[., ]\d+)*")
_SEPARATOR = re.compile(r"[., ]")
_MINUS = "-\u2212"
EXAMPLE_AMOUNT = Decimal("1350.50")
EXAMPLE_WHOLE = 1200


class NotANumber(ValueError):
    """The text is not a number written in a way we read; `message` says how to write it."""

    def __init__(self, value, message: str = ""):
        super().__init__(value)
        self.message = message


def _plain(value) -> str:
    # A Decimal or float keeps the notation it was written in: Decimal("1e2") reads "1E+2".
    if value is None or isinstance(value, bool):
        raise NotANumber(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def to_decimal(value) -> Decimal:
    """The number `value` says in the machine form, or NotANumber."""
    text = _plain(value)
    if not _DECIMAL.fullmatch(text):
        raise NotANumber(value)
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise NotANumber(value) from None


def to_whole_number(value) -> int:
    """The whole number `value` says, or NotANumber (`2.5` and `1e1` are not)."""
    text = _plain(value)
    if not _WHOLE.fullmatch(text):
        raise NotANumber(value)
    return int(text)


# The user's way ----------------------------------------------------------------------------------


def locale_of(language: str | None) -> str:
    """Babel's locale for a Django language code ("fr", "en-us"); English when unknown."""
    try:
        return str(Locale.parse(translation.to_locale(language or "en")))
    except (UnknownLocaleError, ValueError):
        return "en"


@dataclass(frozen=True)
class _Signs:
    locale: str
    decimal: str
    group: str  # Babel's own, used to hand it the number
    groups: frozenset[str]  # what we accept between groups of three
    point_too: bool  # a point read as a decimal sign as well (it groups nothing here)

    @classmethod
    def of(cls, locale: str) -> _Signs:
        decimal = get_decimal_symbol(locale)
        group = get_group_symbol(locale)
        groups = frozenset({" ", unicodedata.normalize("NFKC", group)})
        return cls(locale, decimal, group, groups, decimal != "." and "." not in groups)

    @property
    def language(self) -> str:
        return translation.to_language(self.locale)


def _grouped(runs: list[str]) -> bool:
    return 1 <= len(runs[0]) <= 3 and all(len(run) == 3 for run in runs[1:])


def _written(value, signs: _Signs, **kwargs) -> str:
    return format_decimal(value, locale=signs.locale, **kwargs)


def _amount_example(signs: _Signs) -> str:
    return _written(EXAMPLE_AMOUNT, signs, format="#,##0.00")


def _malformed(value, signs: _Signs, whole: bool) -> NotANumber:
    with translation.override(signs.language):
        if whole:
            message = _("Write a whole number, like %(example)s.") % {
                "example": _written(EXAMPLE_WHOLE, signs)
            }
        else:
            message = _("Write an amount like %(example)s.") % {"example": _amount_example(signs)}
    return NotANumber(value, message)


def _wrong_decimal_sign(value, signs: _Signs, integer: str, fraction: str) -> NotANumber:
    example = f"{integer}{signs.decimal}{fraction}"
    with translation.override(signs.language):
        if signs.decimal == ",":
            message = _("Use a comma for the cents, like %(example)s.")
        else:
            message = _("Use a point for the cents, like %(example)s.")
    return NotANumber(value, message % {"example": example})


def _ambiguous(value, signs: _Signs, integer: str, fraction: str) -> NotANumber:
    as_decimal = _written(Decimal(f"{integer}.{fraction}"), signs)
    as_thousands = _written(int(integer + fraction), signs)
    with translation.override(signs.language):
        message = _("“%(typed)s” can be read two ways: write %(one)s or %(other)s.") % {
            "typed": str(value).strip(),
            "one": as_decimal,
            "other": as_thousands,
        }
    return NotANumber(value, message)


def _read(value, locale: str, *, whole: bool) -> Decimal:
    signs = _Signs.of(locale)
    if value is None or isinstance(value, bool):
        raise _malformed(value, signs, whole)
    text = _plain(value)
    sign = ""
    if text[:1] and text[0] in _MINUS:
        sign, text = "-", text[1:]
    text = re.sub(" +", " ", text)
    if not _TYPED.fullmatch(text):
        raise _malformed(value, signs, whole)
    runs = _SEPARATOR.split(text)
    separators = _SEPARATOR.findall(text)
    fraction = None
    if separators and (
        separators[-1] == signs.decimal or (signs.point_too and separators[-1] == ".")
    ):
        point, fraction = separators.pop(), runs.pop()
        if whole:
            raise _malformed(value, signs, whole)
        if point == "." and point != signs.decimal and len(fraction) == 3:
            raise _ambiguous(value, signs, "".join(runs), fraction)
    if separators:
        if len(set(separators)) > 1 or not set(separators) <= signs.groups:
            raise _malformed(value, signs, whole)
        if not _grouped(runs):
            # One group sign where the cents go: `120,50` in English, `120.50` in Spanish.
            if len(runs) == 2 and fraction is None and separators[0] != " " and not whole:
                raise _wrong_decimal_sign(value, signs, *runs)
            raise _malformed(value, signs, whole)
    number = sign + signs.group.join(runs)
    if fraction is not None:
        number += signs.decimal + fraction
    try:
        return parse_decimal(number, locale=signs.locale, strict=True)
    except NumberFormatError:  # never expected: the grammar above is stricter
        raise _malformed(value, signs, whole) from None


def parse_amount(value, locale: str) -> Decimal:
    """The amount `value` says, written the way `locale` writes numbers, or NotANumber."""
    return _read(value, locale, whole=False)


def parse_whole_number(value, locale: str) -> int:
    """The whole number `value` says, written the way `locale` writes numbers, or NotANumber."""
    return int(_read(value, locale, whole=True))


def amount_hint(locale: str) -> str:
    """How to write an amount in `locale`, in its language: the hint under amount fields."""
    signs = _Signs.of(locale)
    example = _amount_example(signs)
    with translation.override(signs.language):
        if signs.decimal != ",":
            return _("Like %(example)s, with a point before the cents.") % {"example": example}
        hint = _("Like %(example)s, with a comma before the cents: %(typed)s is %(value)s.")
    return hint % {"example": example, "typed": "1,200", "value": _written(Decimal("1.2"), signs)}


def format_for_input(value, locale: str, *, decimal_places: int | None = 2) -> str:
    """`value` as an input field shows it in `locale`: its decimal sign, no grouping."""
    places = decimal_places or 0
    pattern = "0." + "0" * places if places else "0.########"
    return format_decimal(value, format=pattern, locale=locale, decimal_quantization=bool(places))
