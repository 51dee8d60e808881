"""What the charts draw: months on a time axis (a month without verified data is a gap, never
joined across), and text that stays at 12 px or more on a 360 px phone. Their texts are in the
reader's language, as Babel writes it."""

import re
from decimal import Decimal

import pytest
from babel.dates import format_skeleton
from babel.numbers import format_currency, format_decimal, format_percent
from django.utils import translation

from changemakers.selectors.diffusion import spread_sentence
from changemakers.tests.test_diffusion_sentence import fit
from surveys import charts
from surveys.views.staff import explain_flag
from tests import clock

# On a 360 px phone the page's main column leaves 360 - 2 x 16 px of padding.
PHONE_COLUMN_PX = 360 - 2 * 16


def july_to_december_without_november():
    return [
        (clock.month(-5), Decimal("100.00")),  # "July"
        (clock.month(-4), Decimal("200.00")),
        (clock.month(-3), Decimal("300.00")),
        (clock.month(-2), Decimal("400.00")),  # "October"
        (clock.month(0), Decimal("600.00")),  # "December": no November
    ]


def points_of(svg: str) -> list[list[tuple[float, float]]]:
    return [
        [tuple(map(float, pair.split(","))) for pair in line.split()]
        for line in re.findall(r'<polyline points="([^"]+)"', svg)
    ]


def circles_x(svg: str) -> list[float]:
    return [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)]


def test_a_missing_month_is_a_gap_the_line_does_not_cross():
    svg = charts.line_chart([("Income", july_to_december_without_november())], "USD", title="I")
    lines = points_of(svg)
    # July to October joined; December alone, drawn as its dot only.
    assert len(lines) == 1 and len(lines[0]) == 4
    assert len(circles_x(svg)) == 5


def test_the_months_are_spaced_as_the_calendar_is():
    svg = charts.line_chart([("Income", july_to_december_without_november())], "USD", title="I")
    july, august, september, october, december = circles_x(svg)
    month = august - july
    assert abs((september - august) - month) < 0.2
    assert abs((december - october) - 2 * month) < 0.2  # the gap is one month wide
    # A chart of consecutive months keeps them consecutive: one line through all.
    every_month = [(clock.month(n), Decimal(n + 10)) for n in range(-5, 1)]
    assert len(points_of(charts.line_chart([("I", every_month)], "USD", title="I"))) == 1


def test_a_month_without_an_answer_breaks_the_line_too():
    points = [(clock.month(-2), Decimal(1)), (clock.month(-1), None), (clock.month(0), Decimal(2))]
    svg = charts.line_chart([("Savings", points)], "USD", title="Savings")
    assert points_of(svg) == [] and len(circles_x(svg)) == 2


def test_every_text_of_a_chart_is_at_least_12_px_on_a_360_px_phone():
    svg = charts.line_chart(
        [("Income", july_to_december_without_november())],
        "USD",
        title="Income",
        baselines=[Decimal("150.00")],
    )
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    root = float(re.search(r'<svg[^>]* font-size="([\d.]+)"', svg).group(1))
    sizes = [root] + [float(size) for size in re.findall(r'<text[^>]* font-size="([\d.]+)"', svg)]
    scale = PHONE_COLUMN_PX / width  # the chart is as wide as the column
    assert min(sizes) * scale >= 12
    assert "<text" in svg and "font-size=" in svg


def test_a_chart_writes_its_figures_and_months_in_the_readers_language():
    for language in ("en", "es", "fr"):
        with translation.override(language):
            svg = charts.line_chart(
                [("Income", july_to_december_without_november())], "USD", title="Income"
            )
        assert format_currency(Decimal("600"), "USD", locale=language) in svg
        assert format_skeleton("yMMMM", clock.month(0), locale=language) in svg
        # Under the axis, the year of the first month as a calendar writes it, never grouped.
        assert f">{clock.month(-5).year}</tspan>" in svg


@pytest.mark.django_db
def test_the_diffusion_sentence_in_three_languages():
    big = fit(families=2400, adopters=1250, recent_adopters=300)
    expected_words = {"en": "families", "es": "familias", "fr": "familles"}
    for language in ("en", "es", "fr"):
        with translation.override(language):
            sentence = spread_sentence(big)
        adopters = format_decimal(1250, locale=language)
        families = format_decimal(2400, locale=language)
        assert adopters in sentence and families in sentence, sentence
        assert expected_words[language] in sentence
        assert format_skeleton("yMMMM", clock.month(3), locale=language) in sentence


def test_the_unusual_change_flag_in_three_languages_has_one_sign_and_one_arrow():
    flag = {
        "metric": "income_total",
        "previous": "2457.00",
        "current": "1177.00",
        "percent": -52,
        "since": clock.period(-1),
    }
    for language in ("en", "es", "fr"):
        with translation.override(language):
            text = explain_flag(flag, "USD")
        before = format_currency(Decimal("2457"), "USD", locale=language)
        after = format_currency(Decimal("1177"), "USD", locale=language)
        assert f"({before} → {after})" in text, text
        assert format_skeleton("yMMMM", clock.month(-1), locale=language) in text
        # The sign is the one Babel writes for a fall in this language, next to the number.
        assert format_percent(Decimal("-0.52"), locale=language) in text
        assert "->" not in text
