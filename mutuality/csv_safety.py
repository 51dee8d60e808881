"""CSV files that are safe to open in a spreadsheet.

A spreadsheet treats a cell that starts with `=`, `+`, `-` or `@` (and, in some programs, a tab
or a carriage return) as a formula. A household name such as `=HYPERLINK("http://x","Click")`
must stay text when staff open an export, so every text cell that starts with one of these is
written with a single quote in front (OWASP's advice for "CSV injection").

Numbers, decimals and dates are written as they are: they cannot carry a formula, and a
negative amount must stay a number. Text that merely looks like a number (`"-5"`) is quoted like
any other text.

    response = csv_response("families.csv", header=["name", "size"], rows=[["Ana", 4]])
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Written first, so that spreadsheet programs read the file as UTF-8.
BOM = "\ufeff"

_PLAIN_TYPES = (bool, int, float, Decimal, datetime.date, datetime.time)


def neutralize(value: Any) -> Any:
    """The cell as it will be written: text that a spreadsheet would evaluate gets a `'`."""
    if value is None:
        return ""
    if isinstance(value, _PLAIN_TYPES):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [neutralize(cell) for cell in row]


class SafeWriter:
    """A `csv.writer` whose every cell goes through `neutralize`."""

    def __init__(self, file, **kwargs):
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def write_csv(file, *, header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> None:
    """Write a header and rows to an open text file, every cell neutralized."""
    writer = SafeWriter(file)
    writer.writerow(header)
    writer.writerows(rows)


def csv_response(
    filename: str, *, header: Iterable[Any], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    """A download: UTF-8 with a byte order mark, every cell neutralized."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response.write(BOM)
    write_csv(response, header=header, rows=rows)
    return response
