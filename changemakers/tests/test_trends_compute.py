"""The trends job on small hand-made data whose results are known in advance."""

from decimal import Decimal

import pytest

from changemakers import trends
from changemakers.models import FamilyMonth, TrendAggregate
from changemakers.tests.trend_data import survey
from surveys.models import SurveyResponse
from tests import clock, factories
from ventures.models import ExchangeRate, Venture, VentureUpdate

JAN, FEB, MAR = clock.month(-11), clock.month(-10), clock.month(-9)


@pytest.fixture
def three_families(world):
    """In partner A's group: a family doing better, one starting from nothing, one worse off."""
    a = world.a
    better, from_nothing = a.seed_family, a.friend_family
    worse = factories.FamilyFactory(group=a.group, name="Worse off")
    survey(
        better,
        JAN,
        income_wages=1000,
        income_benefits=200,
        savings_balance=100,
        debt_formal=500,
        debt_high_cost=100,
    )
    survey(
        better,
        FEB,
        income_wages=1300,
        income_benefits=200,
        savings_balance=300,
        debt_formal=500,
        help_given_value=50,
    )
    survey(from_nothing, JAN)
    survey(from_nothing, FEB, income_other=100)
    survey(worse, JAN, income_wages=1000)
    survey(worse, FEB, income_wages=700)
    return better, from_nothing, worse


def row(family, period) -> FamilyMonth:
    return FamilyMonth.objects.get(family=family, period=period)


def aggregate(key, period) -> TrendAggregate:
    return TrendAggregate.objects.get(scope_key=key, period=period)


def test_a_familys_month_carries_its_totals_and_change_against_the_first_month(three_families):
    better, _nothing, _worse = three_families
    trends.recompute_partner(better.partner_id)

    january, february = row(better, JAN), row(better, FEB)
    assert january.income_total == Decimal("1200.00")
    assert january.debt_total == Decimal("600.00")
    assert january.net_position == Decimal("-500.00")
    assert january.income_change == 0 and january.improved is False
    assert february.income_total == Decimal("1500.00")
    assert february.baseline_income == Decimal("1200.00")
    assert february.income_change == Decimal("300.00")
    assert february.income_change_pct == Decimal("25.00")
    assert february.net_position == Decimal("-200.00")
    assert february.net_change == Decimal("300.00")
    assert february.net_change_pct == Decimal("60.00")  # against |-500|
    assert february.help_given_value == Decimal("50.00")
    assert february.improved is True


def test_a_percent_only_where_the_baseline_is_not_zero(three_families):
    _better, from_nothing, worse = three_families
    trends.recompute_partner(from_nothing.partner_id)

    february = row(from_nothing, FEB)
    assert february.income_change == Decimal("100.00")
    assert february.income_change_pct is None
    assert february.net_change == 0 and february.net_change_pct is None
    assert february.improved is True  # income up, net position not down
    assert row(worse, FEB).income_change_pct == Decimal("-30.00")
    assert row(worse, FEB).improved is False


def test_the_baseline_is_the_mean_of_the_first_months_when_the_partner_says_so(world):
    partner = world.a.partner
    partner.baseline_months = 2
    partner.save()
    family = world.a.seed_family
    for period, wages in [(JAN, 1000), (FEB, 1200), (MAR, 1500)]:
        survey(family, period, income_wages=wages)
    trends.recompute_partner(partner.pk)

    march = row(family, MAR)
    assert march.baseline_income == Decimal("1100.00")
    assert march.income_change == Decimal("400.00")
    assert march.income_change_pct == Decimal("36.36")


def test_group_cohort_and_partner_aggregates_have_known_medians(three_families):
    better, *_ = three_families
    trends.recompute_partner(better.partner_id)

    for key in (
        f"group:{better.group_id}",
        f"cohort:{better.cohort_id}",
        f"partner:{better.partner_id}",
    ):
        february = aggregate(key, FEB)
        assert february.families == 3
        assert february.median_income_change == Decimal("100.00")  # of 300, 100, -300
        assert february.median_income_change_pct == Decimal("-2.50")  # of 25 and -30
        assert february.share_improved == Decimal("0.6667")
        assert february.income_total == Decimal("2300.00")
        assert february.benefits_share == Decimal("0.0870")  # 200 of 2300
        assert february.help_value == Decimal("50.00")
        assert february.currency == "USD"
        january = aggregate(key, JAN)
        assert january.share_improved == 0 and january.median_income_change == 0


def test_only_verified_surveys_count(world):
    family = world.a.seed_family
    survey(family, JAN, income_wages=100)
    survey(family, FEB, income_wages=900, state=SurveyResponse.State.SUBMITTED)
    trends.recompute_partner(family.partner_id)

    assert list(FamilyMonth.objects.filter(family=family).values_list("period", flat=True)) == [JAN]
    assert not TrendAggregate.objects.filter(period=FEB).exists()


def test_running_twice_gives_the_same_rows(three_families):
    better, *_ = three_families
    trends.recompute_partner(better.partner_id)
    first = list(FamilyMonth.objects.order_by("pk").values())
    first_aggregates = list(TrendAggregate.objects.order_by("pk").values())
    trends.recompute_partner(better.partner_id)
    trends.recompute_partner(better.partner_id, period=FEB)

    assert list(FamilyMonth.objects.order_by("pk").values()) == first
    assert list(TrendAggregate.objects.order_by("pk").values()) == first_aggregates


def test_partners_never_mix(world, three_families):
    other = world.b.seed_family
    survey(other, JAN, income_wages=10)
    survey(other, FEB, income_wages=99999)
    trends.recompute_all()

    a_partner = aggregate(f"partner:{world.a.partner.pk}", FEB)
    assert a_partner.families == 3 and a_partner.median_income_change == Decimal("100.00")
    b_partner = aggregate(f"partner:{world.b.partner.pk}", FEB)
    assert b_partner.families == 1 and b_partner.currency == "LRD"
    assert not FamilyMonth.objects.filter(partner=world.a.partner, family=other).exists()


def test_a_family_recomputed_alone_updates_its_scopes_and_leaves_other_partners(
    world, three_families
):
    better, *_ = three_families
    survey(world.b.seed_family, JAN, income_wages=10)
    trends.recompute_family(better.pk)

    assert FamilyMonth.objects.filter(family=better).count() == 2
    assert aggregate(f"cohort:{better.cohort_id}", FEB).families == 1  # only it so far
    assert not FamilyMonth.objects.filter(partner=world.b.partner).exists()
    trends.recompute_partner(better.partner_id)
    assert aggregate(f"cohort:{better.cohort_id}", FEB).families == 3


def test_rows_of_a_survey_no_longer_verified_go_away(three_families):
    better, *_ = three_families
    trends.recompute_partner(better.partner_id)
    SurveyResponse.objects.filter(family=better, period=FEB).delete()
    trends.recompute_partner(better.partner_id)

    assert not FamilyMonth.objects.filter(family=better, period=FEB).exists()
    assert aggregate(f"cohort:{better.cohort_id}", FEB).families == 2


def test_jobs_created_by_ventures_count_in_their_group_cohort_and_partner(three_families):
    better, *_ = three_families
    venture = Venture.objects.create(
        partner_id=better.partner_id,
        cohort_id=better.cohort_id,
        name="Tamales",
        kind="new",
        sector="food",
        description="Tamales on weekends",
    )
    venture.owners.add(better)
    VentureUpdate.objects.create(
        partner_id=better.partner_id,
        venture=venture,
        period=FEB,
        revenue=Decimal("10"),
        costs=Decimal("5"),
        household_jobs=2,
        other_jobs=1,
    )
    trends.recompute_partner(better.partner_id)

    for key in (
        f"group:{better.group_id}",
        f"cohort:{better.cohort_id}",
        f"partner:{better.partner_id}",
    ):
        assert aggregate(key, FEB).jobs == 3
        assert aggregate(key, JAN).jobs == 0


def test_countries_compare_in_percent_and_sum_money_in_dollars(world, three_families):
    ExchangeRate.objects.create(currency="LRD", usd_per_unit=Decimal("0.005"))
    other = world.b.seed_family  # Liberia, in Liberian dollars
    survey(other, JAN, income_wages=10000)
    survey(other, FEB, income_wages=12000)
    trends.recompute_all()

    liberia = aggregate("country:LR", FEB)
    assert liberia.currency == "USD" and liberia.partner_id is None
    assert liberia.median_income_change_pct == Decimal("20.00")
    assert liberia.median_income_change == Decimal("10.00")  # 2000 LRD at 0.005
    assert liberia.income_total == Decimal("60.00")
    united_states = aggregate("country:US", FEB)
    assert united_states.families == 3
    assert united_states.median_income_change == Decimal("100.00")


def test_verifying_a_survey_recomputes_its_family_on_commit(
    world, django_capture_on_commit_callbacks
):
    from accounts import policy
    from surveys import selectors as survey_selectors
    from surveys import services as survey_services

    a = world.a
    survey(a.seed_family, clock.month(-3), income_wages=1000, savings_balance=50)
    waiting = survey(
        a.seed_family,
        clock.month(-2),
        state=SurveyResponse.State.SUBMITTED,
        income_wages=1250,
        savings_balance=80,
    )
    seat = policy.access_partner(a.liaison, a.partner.slug)
    with django_capture_on_commit_callbacks(execute=True):
        survey_services.survey_verify(seat=seat, response=waiting)

    october = row(a.seed_family, clock.month(-2))
    assert october.income_change == Decimal("250.00")
    assert aggregate(f"cohort:{a.cohort.pk}", clock.month(-2)).families == 1
    # The family's own progress page and the trends tell the same story.
    progress = survey_selectors.family_progress(a.seed_family)
    assert progress.months[-1].change["income_total"] == october.income_change
    assert progress.months[-1].change["net_position"] == october.net_change


def test_a_familys_removed_month_leaves_no_aggregate_behind(world):
    family = world.a.seed_family
    survey(family, JAN, income_wages=100)
    survey(family, FEB, income_wages=200)
    trends.recompute_family(family.pk)
    assert aggregate(f"group:{family.group_id}", FEB).families == 1

    SurveyResponse.objects.filter(family=family, period=FEB).delete()
    trends.recompute_family(family.pk)

    assert not TrendAggregate.objects.filter(period=FEB).exists()
    assert aggregate(f"cohort:{family.cohort_id}", JAN).families == 1
