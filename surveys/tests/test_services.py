"""The survey's rules, through its services: what families, liaisons and staff see happen."""

from decimal import Decimal

import pytest

from accounts import policy
from families.access import FamilySeat
from mutuality.errors import Conflict, InvalidInput, NotAllowed
from surveys import selectors, services
from surveys.models import Stipend, SurveyResponse, SurveyRevision
from tests import clock

ANSWERS = {
    "income_wages": "1000.00",
    "income_business": "200",
    "income_benefits": "0",
    "income_other": "0",
    "savings_balance": "100",
    "debt_formal": "0",
    "debt_high_cost": "400",
    "adults_working": 1,
}


def seed_seat(tenant):
    return FamilySeat(user=tenant.seed_member, family=tenant.seed_family)


def seat_of(user, tenant):
    return policy.access_partner(user, tenant.partner.slug)


def month(text):
    return services.parse_period(text)


def submitted(tenant, period=clock.period(-3), **changes):
    return services.survey_create(
        seat=seed_seat(tenant), period=period, answers={**ANSWERS, **changes}, submit=True
    )


def test_a_draft_keeps_partial_answers_and_every_save_is_a_revision(world):
    survey = services.survey_create(
        seat=seed_seat(world.a), period=clock.period(-2), answers={"income_wages": "950.5"}
    )
    assert survey.state == SurveyResponse.State.DRAFT
    assert survey.answers == {"income_wages": "950.50"}
    survey = services.survey_update(
        seat=seed_seat(world.a), response=survey, answers={**ANSWERS}, submit=True
    )
    assert survey.state == SurveyResponse.State.SUBMITTED
    assert SurveyRevision.objects.filter(response=survey).count() == 2


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"income_wages": "-5"}, "answers.income_wages"),
        ({"income_wages": "lots"}, "answers.income_wages"),
        ({"income_wages": "99999999999"}, "answers.income_wages"),
        ({"income_wages": "NaN"}, "answers.income_wages"),
        ({"savings_balance": "10.555"}, "answers.savings_balance"),
        ({"adults_working": "two"}, "answers.adults_working"),
        ({"housing": "castle"}, "answers.housing"),
        ({"practices": ["flying"]}, "answers.practices"),
        ({"favourite_colour": "blue"}, "answers.favourite_colour"),
    ],
)
def test_bad_answers_are_refused_naming_the_question_and_nothing_is_saved(world, answers, field):
    with pytest.raises(InvalidInput) as refused:
        services.survey_create(
            seat=seed_seat(world.a), period=clock.period(-2), answers={**ANSWERS, **answers}
        )
    assert field in refused.value.errors
    assert not SurveyResponse.objects.exists()


def test_the_money_ceiling_follows_the_partner(world):
    world.b.partner.survey_money_ceiling = Decimal("50000000")
    world.b.partner.save()
    seat = FamilySeat(user=world.b.seed_member, family=world.b.seed_family)
    survey = services.survey_create(
        seat=seat, period=clock.period(-2), answers={**ANSWERS, "income_wages": "2500000"}
    )
    assert survey.answers["income_wages"] == "2500000.00"


def test_sending_needs_every_required_answer(world):
    partial = {k: v for k, v in ANSWERS.items() if k != "debt_high_cost"}
    with pytest.raises(InvalidInput) as refused:
        services.survey_create(
            seat=seed_seat(world.a), period=clock.period(-2), answers=partial, submit=True
        )
    assert list(refused.value.errors) == ["answers.debt_high_cost"]
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("period", [clock.period(1), clock.period(-7), "2026-13", "October"])
def test_months_in_the_future_before_the_cohort_or_malformed_are_refused(world, period):
    with pytest.raises(InvalidInput) as refused:
        services.survey_create(seat=seed_seat(world.a), period=period, answers=ANSWERS)
    assert "period" in refused.value.errors


def test_one_survey_per_family_and_month(world):
    submitted(world.a, clock.period(-2))
    with pytest.raises(Conflict):
        submitted(world.a, clock.period(-2))
    assert SurveyResponse.objects.count() == 1


def test_a_sent_survey_cannot_be_edited_until_a_correction_is_asked(world):
    survey = submitted(world.a)
    with pytest.raises(Conflict):
        services.survey_update(seat=seed_seat(world.a), response=survey, answers={})
    liaison = seat_of(world.a.liaison, world.a)
    with pytest.raises(InvalidInput) as refused:
        services.survey_request_correction(seat=liaison, response=survey, reason="")
    assert "reason" in refused.value.errors
    services.survey_request_correction(
        seat=liaison, response=survey, reason="needs_evidence", note="Add the pay stub total"
    )
    survey = services.survey_update(
        seat=seed_seat(world.a), response=survey, answers={"income_wages": "1100"}, submit=True
    )
    assert survey.state == SurveyResponse.State.RESUBMITTED
    assert selectors.latest_correction(survey).note == "Add the pay stub total"


def test_verifying_accrues_the_partners_stipend_exactly_once(world):
    survey = submitted(world.a)
    liaison = seat_of(world.a.liaison, world.a)
    services.survey_verify(seat=liaison, response=survey, evidence="pay stub seen")
    with pytest.raises(Conflict):
        services.survey_verify(seat=seat_of(world.a.staff, world.a), response=survey)
    stipend = Stipend.objects.get()
    assert (stipend.amount, stipend.currency) == (Decimal("25.00"), "USD")
    assert stipend.family == world.a.seed_family
    survey.refresh_from_db()
    assert survey.state == SurveyResponse.State.VERIFIED
    assert survey.reviews.get().evidence == "pay stub seen"


def test_liaisons_verify_only_in_their_cohorts_and_never_another_partners(world):
    from tests.factories import CohortFactory, MembershipFactory

    survey = submitted(world.a)
    other = CohortFactory(partner=world.a.partner, name="Elsewhere")
    outsider = MembershipFactory(partner=world.a.partner, role="liaison").user
    other.liaisons.add(outsider)
    with pytest.raises(NotAllowed):
        services.survey_verify(seat=seat_of(outsider, world.a), response=survey)
    with pytest.raises(NotAllowed):
        services.survey_verify(seat=seat_of(world.b.staff, world.b), response=survey)
    assert not Stipend.objects.exists()


def test_unusual_changes_are_flagged_for_the_liaison_without_blocking(world):
    liaison = seat_of(world.a.liaison, world.a)
    services.survey_verify(seat=liaison, response=submitted(world.a, clock.period(-4)))
    survey = submitted(world.a, clock.period(-3), income_wages="3000", savings_balance="110")
    assert [flag["metric"] for flag in survey.flags] == ["income_total"]
    assert survey.flags[0]["percent"] == 167  # 1200 -> 3200
    services.survey_verify(seat=liaison, response=survey)


def test_progress_counts_verified_months_against_the_baseline(world):
    liaison = seat_of(world.a.liaison, world.a)
    for period, wages in [
        (clock.period(-5), "1000"),
        (clock.period(-4), "1200"),
        (clock.period(-3), "1400"),
    ]:
        services.survey_verify(
            seat=liaison, response=submitted(world.a, period, income_wages=wages)
        )
    submitted(world.a, clock.period(-2), income_wages="9000")  # not verified: not counted
    progress = selectors.family_progress(world.a.seed_family)
    assert [m.period for m in progress.months] == [
        month(clock.period(-5)),
        month(clock.period(-4)),
        month(clock.period(-3)),
    ]
    assert progress.baseline["income_total"] == Decimal("1200.00")
    assert progress.months[-1].change["income_total"] == Decimal("400.00")
    assert progress.baseline["net_position"] == Decimal("-300.00")

    world.a.partner.baseline_months = 3
    world.a.partner.save()
    world.a.seed_family.refresh_from_db()
    progress = selectors.family_progress(world.a.seed_family)
    assert progress.baseline["income_total"] == Decimal("1400.00")
    assert progress.baseline_months == [
        month(clock.period(-5)),
        month(clock.period(-4)),
        month(clock.period(-3)),
    ]


def test_a_partners_new_question_is_a_new_version_and_old_answers_keep_theirs(world):
    old = submitted(world.a)
    admin = seat_of(world.a.admin, world.a)
    template = services.template_add_question(
        seat=admin,
        key="rent_paid_on_time",
        type="yes_no",
        labels={"en": "Rent paid on time", "es": "Alquiler pagado a tiempo"},
    )
    assert template.version == 2 and template.partner == world.a.partner
    assert template.questions.count() == old.template.questions.count() + 1
    new = services.survey_create(
        seat=seed_seat(world.a), period=clock.period(-2), answers={"rent_paid_on_time": "yes"}
    )
    assert new.template == template
    old.refresh_from_db()
    assert old.template.partner is None
    with pytest.raises(NotAllowed):
        services.template_add_question(
            seat=seat_of(world.a.staff, world.a), key="x", type="text", labels={"en": "X"}
        )
    with pytest.raises(InvalidInput) as refused:
        services.template_add_question(seat=admin, key="pets", type="number", labels={"en": "Pets"})
    assert "labels" in refused.value.errors  # Spanish is one of the partner's languages


def test_a_failed_payment_goes_into_the_next_batch(world):
    liaison = seat_of(world.a.liaison, world.a)
    staff = seat_of(world.a.staff, world.a)
    services.survey_verify(seat=liaison, response=submitted(world.a, clock.period(-4)))
    services.survey_verify(seat=liaison, response=submitted(world.a, clock.period(-3)))
    first = services.payment_batch_create(seat=staff, name="September")
    failed, paid = first.stipends.order_by("pk")
    services.stipend_mark(seat=staff, stipend=failed, status="failed", note="Wrong account")
    services.stipend_mark(seat=staff, stipend=paid, status="fulfilled")
    first.refresh_from_db()
    assert first.status == "closed"
    second = services.payment_batch_create(seat=staff, name="Retry")
    assert list(second.stipends.values_list("pk", flat=True)) == [failed.pk]
    with pytest.raises(Conflict):
        services.payment_batch_create(seat=staff, name="Nothing left")
    with pytest.raises(NotAllowed):
        services.payment_batch_create(seat=liaison, name="Liaisons do not pay")


def test_open_months_are_this_month_and_the_one_before(world):
    family = world.a.seed_family
    assert services.open_periods(family, clock.on(-1, 27)) == [
        month(clock.period(-1)),
        month(clock.period(-2)),
    ]
    assert services.open_periods(family, clock.on(-6, 3)) == [month(clock.period(-6))]


def test_every_platform_practice_has_a_name_and_a_description_in_three_languages(db):
    from surveys.models import Practice

    services.ensure_default_practices()
    practices = list(Practice.objects.filter(partner=None))
    assert len(practices) >= 10
    for practice in practices:
        for language in ("en", "es", "fr"):
            assert practice.names.get(language), (practice.slug, language)
            assert practice.descriptions.get(language), (practice.slug, language)
