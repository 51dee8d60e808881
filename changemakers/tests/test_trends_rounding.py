"""Known values where PostgreSQL and SQLite could part ways: half cents, exact halves of a
percent, medians between two amounts, sums of large amounts. PostgreSQL computes in exact
decimals and SQLite (what `make run` uses) in binary floating point; both must give these
figures, rounded half away from zero. CI runs this file on both databases."""

import datetime
from decimal import Decimal

import pytest

from changemakers import trends
from changemakers.models import FamilyMonth, TrendAggregate
from changemakers.tests.trend_data import survey
from tests import clock, factories


def months_ago(count: int) -> datetime.date:
    return clock.month(-count)


FIRST, LAST = months_ago(2), months_ago(1)


@pytest.fixture
def group(world):
    """A group of its own in partner A's cohort, so that its aggregates hold only these."""
    return factories.GroupFactory(cohort=world.a.cohort, name="Rounding")


def families_with(group, incomes: list[tuple[str, str]]):
    made = []
    for first, last in incomes:
        family = factories.FamilyFactory(group=group)
        survey(family, FIRST, income_wages=first)
        survey(family, LAST, income_wages=last)
        made.append(family)
    return made


def group_month(group) -> TrendAggregate:
    trends.recompute_partner(group.cohort.partner_id)
    return TrendAggregate.objects.get(scope_key=f"group:{group.pk}", period=LAST)


def test_a_baseline_with_half_a_cent_rounds_up(world):
    partner = world.a.partner
    partner.baseline_months = 2
    partner.save()
    family = world.a.seed_family
    survey(family, months_ago(3), income_wages="100.00")
    survey(family, FIRST, income_wages="100.01")
    survey(family, LAST, income_wages="150.00")
    trends.recompute_partner(partner.pk)

    last = FamilyMonth.objects.get(family=family, period=LAST)
    assert last.baseline_income == Decimal("100.01")  # 100.005
    assert last.income_change == Decimal("49.99")
    assert last.income_change_pct == Decimal("49.99")  # 49.98500...


def test_an_exact_half_of_a_hundredth_of_a_percent_rounds_away_from_zero(group):
    up, down = families_with(group, [("32.00", "33.00"), ("32.00", "31.00")])
    trends.recompute_partner(group.cohort.partner_id)

    assert FamilyMonth.objects.get(family=up, period=LAST).income_change_pct == Decimal("3.13")
    assert FamilyMonth.objects.get(family=down, period=LAST).income_change_pct == Decimal("-3.13")


def test_a_median_between_two_changes_half_a_cent_apart_rounds_away_from_zero(group):
    families_with(group, [("100.00", "100.01"), ("100.00", "100.02")])
    assert group_month(group).median_income_change == Decimal("0.02")  # 0.015


def test_a_negative_median_half_a_cent_apart_rounds_away_from_zero(group):
    families_with(group, [("100.00", "99.99"), ("100.00", "99.98")])
    assert group_month(group).median_income_change == Decimal("-0.02")  # -0.015


def test_large_amounts_add_up_to_the_cent(group):
    families_with(group, [("999999.99", "999999.99")] * 25 + [("0.01", "0.02")])
    month = group_month(group)
    assert month.income_total == Decimal("24999999.77")  # 25 x 999,999.99 + 0.02
    assert month.families == 26
    assert month.median_income_change == Decimal("0.00")


def test_shares_of_three_round_to_four_places(group):
    families_with(group, [("100", "110"), ("100", "90"), ("100", "95")])
    month = group_month(group)
    assert month.share_improved == Decimal("0.3333")
    assert month.median_income_change == Decimal("-5.00")
    assert month.median_income_change_pct == Decimal("-5.00")
