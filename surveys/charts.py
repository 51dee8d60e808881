"""Charts drawn on the server as SVG: no JavaScript, a few kilobytes, readable by screen readers.

A chart is an image (`role="img"`) whose `<title>` and `<desc>` say what it shows; the page puts
a table of the same numbers beside it. Every text that goes into the SVG is escaped here.
Coordinates are computed with Decimal like the amounts themselves (never floats).

The months lie on a time axis: each at its place in the calendar, so a month without an answer
is a gap, and no line joins the months on either side of it. Every figure is written by
`mutuality.formatting` for the reader's language, like the page around it.

`progress_panels` turns a family's progress (selectors.family_progress) into those charts and
their tables, one per theme: income, savings, debt, net position, help.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mutuality import formatting

Point = tuple[datetime.date, Decimal | None]
Series = tuple[str, list[Point]]

# Distinct on white and for the common colour-vision deficiencies; the legend names each line.
PALETTE = ("#0b5cad", "#b34700", "#1e6b34", "#6b2fa0", "#a4161a", "#00707a")
INK = "#1b1f24"
MUTED = "#4a5360"
GRID = "#d5dbe1"

# Drawn for a phone: on a 360 px screen the page leaves the chart about 328 px, so 320 units
# across and text of 13 units come out at 12 px or more (site.css keeps figures unindented).
WIDTH = 320
FONT_SIZE = 13
LEFT = 56  # room for the amounts on the y axis
RIGHT = 12
TOP = 24  # room for the unit above the axis
PLOT_HEIGHT = 160
MONTHS_BAND = 44  # month names under the plot, with the year below on the first and January
LEGEND_ROW = 20
MAX_MONTH_LABELS = 5


def _num(value: Decimal) -> str:
    """A coordinate, to one decimal: plenty for a 320-wide drawing."""
    return str(value.quantize(Decimal("0.1")))


def _nice_step(span: Decimal, ticks: int = 4) -> Decimal:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` intervals."""
    raw = span / ticks
    if raw <= 0:
        return Decimal(1)
    power = Decimal(10) ** raw.adjusted()
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _tick(value: Decimal, step: Decimal) -> str:
    """An axis number in the reader's notation, whole unless the step is below one."""
    return formatting.number(value, 0 if step >= 1 else 2)


def _month_index(period: datetime.date) -> int:
    return period.year * 12 + period.month - 1


def _month_of_index(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month_label(period: datetime.date, x: str, y: int, *, with_year: bool) -> str:
    label = (
        f'<text x="{x}" y="{y}" text-anchor="middle" fill="{MUTED}">'
        f"{escape(formatting.short_month(period))}"
    )
    if with_year:
        label += f'<tspan x="{x}" dy="15">{escape(formatting.year(period))}</tspan>'
    return label + "</text>"


def money_text(currency: str) -> Callable[[Decimal], str]:
    """The default way a chart writes its values: amounts in `currency`."""
    return lambda value: formatting.money(value, currency)


def _describe(label: str, points: list[Point], baseline: Decimal | None, text) -> str:
    known = [(period, value) for period, value in sorted(points) if value is not None]
    if not known:
        return _("%(series)s: no answers yet.") % {"series": label}
    (first_month, first), (last_month, last) = known[0], known[-1]
    description = _("%(series)s: %(first)s in %(first_month)s, %(last)s in %(last_month)s.") % {
        "series": label,
        "first": text(first),
        "first_month": formatting.month_name(first_month),
        "last": text(last),
        "last_month": formatting.month_name(last_month),
    }
    if baseline is not None:
        description += " " + _("Baseline: %(value)s.") % {"value": text(baseline)}
    return description


def _segments(points: list[Point]) -> list[list[Point]]:
    """The runs of consecutive months with a value: a missing month, or a month without an
    answer, ends a run."""
    runs: list[list[Point]] = []
    for period, value in sorted(points):
        if value is None:
            runs.append([])
            continue
        if runs and runs[-1] and _month_index(period) - _month_index(runs[-1][-1][0]) == 1:
            runs[-1].append((period, value))
        else:
            runs.append([(period, value)])
    return [run for run in runs if run]


def line_chart(
    series: list[Series],
    unit: str,
    *,
    title: str,
    baselines: list[Decimal | None] | None = None,
    chart_id: str | None = None,
    value_text: Callable[[Decimal], str] | None = None,
) -> SafeString:
    """Lines of values month by month, each with its baseline as a dashed line of its colour.

    `series` is [(label, [(month, value or None), ...]), ...]. `unit` is written above the
    axis (a currency code, "%", "families"); `value_text(value)` writes a value in the texts
    (by default an amount in the currency `unit`). The x axis is the calendar from the first
    month to the last: a month missing from a series, or without a value, breaks its line."""
    text = value_text or money_text(unit)
    baselines = list(baselines or [])
    baselines += [None] * (len(series) - len(baselines))
    chart_id = slugify(chart_id or title) or "chart"
    months = sorted({period for _label, points in series for period, _v in points})
    first = _month_index(months[0]) if months else 0
    span = (_month_index(months[-1]) - first + 1) if months else 1
    plot_width = Decimal(WIDTH - LEFT - RIGHT)
    legend_top = TOP + PLOT_HEIGHT + MONTHS_BAND
    legend_rows = sum(2 if baseline is not None else 1 for baseline in baselines)
    height = legend_top + LEGEND_ROW * legend_rows + 8

    values = [v for _label, points in series for _p, v in points if v is not None]
    values += [b for b in baselines if b is not None]
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    low = (low / step).to_integral_value(ROUND_FLOOR) * step
    high = (high / step).to_integral_value(ROUND_CEILING) * step

    def y(value: Decimal) -> Decimal:
        return TOP + (high - value) / (high - low) * PLOT_HEIGHT

    def x(period: datetime.date) -> Decimal:
        # The middle of the month's slot on the calendar.
        return LEFT + (Decimal(_month_index(period) - first) + Decimal("0.5")) * plot_width / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="system-ui, sans-serif" font-size="{FONT_SIZE}" fill="{INK}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">'
        + escape(
            " ".join(
                _describe(label, points, baseline, text)
                for (label, points), baseline in zip(series, baselines, strict=True)
            )
        )
        + "</desc>",
        f'<text x="{LEFT - 6}" y="{TOP - 10}" text-anchor="end" fill="{MUTED}">'
        f"{escape(unit)}</text>",
    ]

    # The values: a light line at every step, a darker one at zero.
    tick = low
    while tick <= high:
        ty = _num(y(tick))
        stroke = MUTED if tick == 0 else GRID
        parts.append(
            f'<line x1="{LEFT}" y1="{ty}" x2="{WIDTH - RIGHT}" y2="{ty}" stroke="{stroke}" '
            f'stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{ty}" dy="4" text-anchor="end" fill="{MUTED}">'
            f"{escape(_tick(tick, step))}</text>"
        )
        tick += step

    # The calendar: every `every`-th month from the first, at most MAX_MONTH_LABELS written.
    every = max(1, -(-span // MAX_MONTH_LABELS))
    shown_year = None
    for index in range(first, first + span, every):
        period = _month_of_index(index)
        parts.append(
            _month_label(
                period,
                _num(x(period)),
                TOP + PLOT_HEIGHT + 17,
                with_year=period.year != shown_year,
            )
        )
        shown_year = period.year

    row = 0
    for number, ((label, points), baseline) in enumerate(zip(series, baselines, strict=True)):
        colour = PALETTE[number % len(PALETTE)]
        if baseline is not None:
            by = _num(y(baseline))
            parts.append(
                f'<line x1="{LEFT}" y1="{by}" x2="{WIDTH - RIGHT}" y2="{by}" stroke="{colour}" '
                f'stroke-width="1.5" stroke-dasharray="6 4"/>'
            )
        for run in _segments(points):
            if len(run) > 1:
                line = " ".join(f"{_num(x(period))},{_num(y(value))}" for period, value in run)
                parts.append(
                    f'<polyline points="{line}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5" stroke-linejoin="round"/>'
                )
        for period, value in points:
            if value is None:
                continue
            parts.append(
                f'<circle cx="{_num(x(period))}" cy="{_num(y(value))}" r="3.5" '
                f'fill="{colour}"><title>'
                + escape(f"{label}, {formatting.month_name(period)}: {text(value)}")
                + "</title></circle>"
            )
        # The legend: one row per line, and its baseline on a row of its own below.
        ly = legend_top + LEGEND_ROW * row + 14
        parts.append(
            f'<line x1="8" y1="{ly - 4}" x2="30" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="3"/>'
            f'<text x="38" y="{ly}">{escape(label)}</text>'
        )
        row += 1
        if baseline is not None:
            ly += LEGEND_ROW
            legend = _("dashed: baseline %(value)s") % {"value": text(baseline)}
            parts.append(
                f'<line x1="8" y1="{ly - 4}" x2="30" y2="{ly - 4}" stroke="{colour}" '
                f'stroke-width="1.5" stroke-dasharray="6 4"/>'
                f'<text x="38" y="{ly}" fill="{MUTED}">{escape(legend)}</text>'
            )
            row += 1
    parts.append("</svg>")
    # Every value and text above went through escape(); the rest is our own markup.
    return mark_safe("".join(parts))  # noqa: S308


# A family's progress ----------------------------------------------------------------------------


def progress_panels(progress) -> list[dict]:
    """One panel per theme: a chart, and a table of the same numbers for screen readers."""
    labels = {
        "income_total": _("Total income"),
        "income_wages": _("Jobs"),
        "income_business": _("Own business"),
        "income_benefits": _("Benefits"),
        "income_other": _("Other income"),
        "savings_balance": _("Savings"),
        "debt_formal": _("Formal debt"),
        "debt_high_cost": _("High-cost debt"),
        "net_position": _("Net position"),
        "help_given_value": _("Help given"),
        "help_received_value": _("Help received"),
    }
    # (id, title, what it means, keys drawn, keys whose change against the baseline is shown)
    themes = [
        (
            "income",
            _("Income"),
            _("What the household earned each month, in total and by source."),
            ["income_total", "income_wages", "income_business", "income_benefits", "income_other"],
            ["income_total"],
        ),
        (
            "savings",
            _("Savings"),
            _("Total savings at the end of each month."),
            ["savings_balance"],
            ["savings_balance"],
        ),
        (
            "debt",
            _("Debt"),
            _(
                "What the household owes: to banks and formal lenders, and to payday or other "
                "high-cost lenders. Going down is good news."
            ),
            ["debt_formal", "debt_high_cost"],
            ["debt_formal", "debt_high_cost"],
        ),
        (
            "net",
            _("Net position"),
            _("Savings minus all debts."),
            ["net_position"],
            ["net_position"],
        ),
        (
            "help",
            _("Help given and received"),
            _("The value of the help your household gave to others and received from peers."),
            ["help_given_value", "help_received_value"],
            ["help_given_value", "help_received_value"],
        ),
    ]
    baseline_months = set(progress.baseline_months)
    currency = progress.currency
    panels = []
    for theme_id, title, intro, keys, changed in themes:
        chart = line_chart(
            [(labels[key], [(m.period, m.values[key]) for m in progress.months]) for key in keys],
            currency,
            title=_("%(theme)s, month by month (%(currency)s)")
            % {"theme": title, "currency": currency},
            baselines=[progress.baseline[key] for key in keys],
            chart_id=f"chart-{theme_id}",
        )
        columns = []
        for key in keys:
            columns.append(
                _("%(metric)s (%(currency)s)") % {"metric": labels[key], "currency": currency}
            )
            if key in changed:
                columns.append(_("%(metric)s: change vs baseline") % {"metric": labels[key]})
        rows = [
            {
                "month": _("Baseline"),
                "is_baseline": True,
                "cells": [
                    cell
                    for key in keys
                    for cell in (
                        [formatting.money(progress.baseline[key], currency)]
                        + ([None] if key in changed else [])  # no change for the baseline
                    )
                ],
            }
        ]
        for month in progress.months:
            cells = []
            for key in keys:
                value = month.values[key]
                cells.append(formatting.money(value, currency))
                if key in changed:
                    cells.append(formatting.signed_money(month.change[key], currency))
            rows.append(
                {
                    "month": formatting.month_name(month.period),
                    "in_baseline": month.period in baseline_months,
                    "cells": cells,
                }
            )
        panels.append(
            {
                "id": theme_id,
                "title": title,
                "intro": intro,
                "chart": chart,
                "columns": columns,
                "rows": rows,
            }
        )
    return panels
