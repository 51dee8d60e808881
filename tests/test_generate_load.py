"""`manage.py generate_load`: a benchmark load that the product would accept as its own data."""

import io
import json
import random
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import Partner
from bench import load
from changemakers import trends
from families.models import Cohort, Family, Group
from surveys.models import ActionReport, SurveyResponse
from surveys.services.responses import clean_answers
from tests import clock, factories
from ventures.models import ExchangeRate, Venture, VentureUpdate

TINY = {"partners": 2, "families": 20, "months": 3, "last_month": clock.period(-9)}
INCOME = ["income_wages", "income_business", "income_benefits", "income_other"]


def generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_load", stdout=out, **{**TINY, **options})
    return out.getvalue()


def loaded(model):
    return model.objects.filter(partner__slug__startswith=load.SLUG_PREFIX)


def fingerprint():
    families = sorted(
        loaded(Family).values_list(
            "partner__slug",
            "cohort__name",
            "group__name",
            "name",
            "is_seed",
            "invited_by__name",
            "household_size",
            "contact_email",
            "contact_phone",
        )
    )
    surveys = sorted(
        (name, period, json.dumps(answers, sort_keys=True))
        for name, period, answers in loaded(SurveyResponse).values_list(
            "family__name", "period", "answers"
        )
    )
    reports = sorted(loaded(ActionReport).values_list("family__name", "period", "practice__slug"))
    updates = sorted(
        loaded(VentureUpdate).values_list("venture__name", "period", "revenue", "other_jobs")
    )
    return families, surveys, reports, updates


def test_a_tiny_load_has_the_households_and_verified_surveys_asked_for(db):
    output = generate(seed=3)

    assert "Created 2 partners" in output
    assert (
        f"40 households, 120 verified surveys ({clock.period(-11)} to {clock.period(-9)})" in output
    )
    partners = list(Partner.objects.filter(slug__startswith="load-").order_by("slug"))
    assert [(p.slug, p.country, p.currency) for p in partners] == [
        ("load-1", "US", "USD"),
        ("load-2", "LR", "LRD"),
    ]
    assert set(ExchangeRate.objects.values_list("currency", flat=True)) >= {"USD", "LRD"}
    for partner in partners:
        assert Family.objects.filter(partner=partner).count() == 20
        assert Cohort.objects.filter(partner=partner).count() == 1
        assert Group.objects.filter(partner=partner).count() == 2
    surveys = loaded(SurveyResponse)
    assert surveys.count() == 120
    assert surveys.filter(state=SurveyResponse.State.VERIFIED).count() == 120
    assert sorted({s.isoformat() for s in surveys.values_list("period", flat=True)}) == [
        clock.on(-11, 1).isoformat(),
        clock.on(-10, 1).isoformat(),
        clock.on(-9, 1).isoformat(),
    ]
    for family in loaded(Family):
        assert family.surveys.count() == 3


def test_every_generated_row_passes_the_models_rules(db):
    generate(seed=3)

    for family in loaded(Family).select_related("invited_by"):
        family.full_clean()  # household size, a contact, the constraints
        if family.is_seed:
            assert family.invited_by is None and family.generation == 0
        else:
            assert family.invited_by.is_seed and family.invited_by.group_id == family.group_id
            assert family.generation == 1
    for group in loaded(Group):
        assert group.families.count() <= 10
        assert group.families.filter(is_seed=True).count() == 1
    for survey in loaded(SurveyResponse).select_related("partner", "template", "family"):
        survey.validate_constraints()
        assert survey.cohort_id == survey.family.cohort_id
        assert survey.verified_at >= survey.submitted_at
        # What the survey services would store for these answers, unchanged.
        assert (
            clean_answers(template=survey.template, answers=survey.answers, partner=survey.partner)
            == survey.answers
        )
    for report in loaded(ActionReport).select_related("survey", "practice"):
        assert report.practice.slug in report.survey.answers["practices"]
        assert (report.family_id, report.period) == (report.survey.family_id, report.survey.period)
    practices_listed = sum(len(s.answers["practices"] or []) for s in loaded(SurveyResponse))
    assert loaded(ActionReport).count() == practices_listed
    for update in loaded(VentureUpdate).select_related("venture"):
        update.full_clean()
        assert update.venture.owners.exists()
    connection.check_constraints()


def test_the_same_seed_gives_the_same_load_and_another_seed_another(db):
    generate(seed=11)
    first = fingerprint()

    generate(seed=11, reset=True)
    assert fingerprint() == first

    generate(seed=12, reset=True)
    assert fingerprint()[1] != first[1]


def test_reset_removes_the_load_and_nothing_else(db, world):
    generate()
    out = io.StringIO()
    call_command("generate_load", stdout=out, reset=True, partners=1, families=10, months=2)

    assert "Deleted 2 generated partner(s)" in out.getvalue()
    assert list(Partner.objects.filter(slug__startswith="load-").values_list("slug", flat=True))
    assert loaded(Family).count() == 10
    assert loaded(SurveyResponse).count() == 20
    assert Family.objects.filter(partner=world.a.partner).count() == 2
    assert Family.objects.filter(partner=world.b.partner).count() == 2
    assert load.reset() == 1
    assert not loaded(Family).exists() and not loaded(Venture).exists()
    assert Venture.owners.through.objects.count() == 0
    connection.check_constraints()  # nothing left pointing at a deleted row


def test_a_second_load_without_reset_is_refused_and_writes_nothing(db):
    generate()
    before = SurveyResponse.objects.count()

    with pytest.raises(CommandError, match="--reset"):
        generate()
    assert SurveyResponse.objects.count() == before


@pytest.mark.parametrize("flag", ["PRODUCTION", "DEMO_MODE"])
def test_refused_in_production_and_in_demo_mode(db, settings, flag):
    setattr(settings, flag, True)

    with pytest.raises(CommandError):
        generate()
    assert not Partner.objects.filter(slug__startswith="load-").exists()


def test_bad_arguments_are_refused(db):
    with pytest.raises(CommandError):
        call_command("generate_load", "--families", "0")
    with pytest.raises(CommandError, match="must look like"):
        generate(last_month="May")
    assert not Partner.objects.exists()


def test_households_trends_are_not_flat():
    """Over many households: incomes rise for some and fall for others, some start from zero
    (a percent change is then undefined), some save, some owe, practices are reported."""
    rng = random.Random(5)
    households = [
        [json.loads(text) for text in load.household_answers(rng, 2600, 999_999, 12)]
        for _ in range(400)
    ]

    def income(answers):
        return sum(Decimal(answers[key] or 0) for key in INCOME)

    first = [income(months[0]) for months in households]
    last = [income(months[-1]) for months in households]
    assert sum(b > a for a, b in zip(first, last, strict=True)) > 100
    assert sum(b < a for a, b in zip(first, last, strict=True)) > 40
    assert 5 < sum(a == 0 for a in first) < 80
    assert any(Decimal(m[0]["savings_balance"]) > 0 for m in households)
    assert any(Decimal(m[0]["savings_balance"]) == 0 for m in households)
    assert any(Decimal(m[0]["debt_high_cost"]) > 0 for m in households)
    assert any(month["practices"] for months in households for month in months)
    assert any(month["income_other"] is None for months in households for month in months)


def test_one_family_month_per_verified_survey_after_recomputing(db):
    from changemakers.models import FamilyMonth

    other = factories.FamilyFactory()  # another partner's household, no surveys
    generate(seed=3)

    trends.recompute_all()

    verified = loaded(SurveyResponse).filter(state=SurveyResponse.State.VERIFIED)
    assert FamilyMonth.objects.count() == verified.count() == 120
    assert set(FamilyMonth.objects.values_list("family_id", "period")) == set(
        verified.values_list("family_id", "period")
    )
    assert not FamilyMonth.objects.filter(family=other).exists()
    assert FamilyMonth.objects.filter(period=clock.month(-9)).count() == 40


def test_the_generated_amounts_stay_under_the_partners_ceiling():
    rng = random.Random(9)
    for _ in range(50):
        for text in load.household_answers(rng, 900_000, 999_999, 24):
            answers = json.loads(text)
            for key in ["savings_balance", "debt_formal", "income_wages"]:
                assert Decimal(answers[key]) <= Decimal("999999")
