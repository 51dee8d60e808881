"""The spread in one sentence for staff: the practice in the viewer's language, adopters of
families, the pace (the rule in changemakers/selectors/diffusion.py) and the peak."""

import pytest
from django.utils import timezone, translation

from changemakers.models import DiffusionFit
from changemakers.selectors.diffusion import (
    FAST,
    NEARLY_EVERYONE,
    NOT_NOW,
    SLOW,
    fitted_curve,
    pace,
    spread_sentence,
)
from changemakers.tests.diffusion_data import practice
from tests import clock

pytestmark = pytest.mark.django_db


def fit(**values) -> DiffusionFit:
    defaults = {
        "practice": practice("savings-circle"),
        "families": 98,
        "adopters": 34,
        "first_period": clock.month(-6),
        "last_period": clock.month(0),
        "months": 7,
        "recent_adopters": 15,
        "p": 0.02,
        "q": 0.5,
        "peak_period": clock.month(3),
        "computed_at": timezone.now(),
    }
    return DiffusionFit(**{**defaults, **values})


def test_the_sentence_says_adopters_pace_and_an_expected_peak():
    assert spread_sentence(fit()) == (
        "Joined or started a savings circle: 34 of 98 families; spreading fast; "
        f"peak expected around {clock.month_label(3)}"
    )


def test_a_peak_in_the_data_is_a_past_peak():
    sentence = spread_sentence(fit(adopters=70, recent_adopters=5, peak_period=clock.month(-3)))
    assert sentence.endswith(
        f"70 of 98 families; spreading slowly; peak was around {clock.month_label(-3)}"
    )


def test_without_a_fit_it_is_too_early_to_tell():
    sentence = spread_sentence(
        fit(adopters=2, recent_adopters=0, months=2, p=None, q=None, peak_period=None)
    )
    assert sentence.endswith("2 of 98 families; not spreading now; too early to tell")


def test_a_fit_without_a_peak_in_sight_is_too_early_to_tell_too():
    assert spread_sentence(fit(peak_period=None)).endswith("; too early to tell")


def test_one_family_reads_in_the_singular():
    sentence = spread_sentence(fit(families=1, adopters=1, recent_adopters=1))
    assert "1 of 1 family;" in sentence
    assert "nearly everyone" in sentence


@pytest.mark.parametrize(
    ("adopters", "recent", "expected"),
    [
        (89, 20, NEARLY_EVERYONE),  # 90% of 98 is 88.2
        (88, 20, FAST),
        (30, 10, FAST),  # 10% of 98 is 9.8
        (30, 9, SLOW),
        (30, 1, SLOW),
        (30, 0, NOT_NOW),
        (95, 0, NEARLY_EVERYONE),
    ],
)
def test_the_pace_rule(adopters, recent, expected):
    assert pace(fit(adopters=adopters, recent_adopters=recent)) == expected


def test_the_sentence_is_in_the_viewers_language():
    with translation.override("es"):
        sentence = spread_sentence(fit())
    assert sentence.startswith("Se unió o formó un círculo de ahorro:")
    assert clock.month_label(3, "es") in sentence
    with translation.override("fr"):
        assert spread_sentence(fit()).startswith(
            "A rejoint ou créé une tontine\u00a0: 34 sur 98 familles"
        )


def test_the_fitted_curve_runs_past_the_data_while_the_peak_is_to_come():
    months = [period for period, _value in fitted_curve(fit())]
    # From six months ago to two months past the peak, three months from now.
    assert months[0] == clock.month(-6)
    assert months[-1] == clock.month(5)
    values = [value for _period, value in fitted_curve(fit())]
    assert values == sorted(values)
    assert values[-1] < 98
    assert fitted_curve(fit(p=None, q=None)) == []
    past = fitted_curve(fit(peak_period=clock.month(-4)))
    assert past[-1][0] == clock.month(0)
