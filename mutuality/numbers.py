"""How a typed number is read, the same way in every form and in the API.

Spaces around it are dropped and digits of any script (full-width, Arabic-Indic, ...)
are read as the digits they are. Notations nobody types for an amount (`1e2`, `0x10`, `1_000`,
`NaN`, `Infinity`) are refused rather than guessed. A comma is read as a thousands separator
between groups of three digits (`1,250.50`); a locale's own way of writing numbers is for the
pages to turn into this form before it reaches a service.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_DECIMAL = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_WHOLE = re.compile(r"-?\d+")


class NotANumber(ValueError):
    """The text is not a number written in a way we read."""


def _plain(value) -> str:
    # A Decimal or float keeps the notation it was written in: Decimal("1e2") reads "1E+2".
    if value is None or isinstance(value, bool):
        raise NotANumber(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def to_decimal(value) -> Decimal:
    """The number `value` says, or NotANumber."""
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
