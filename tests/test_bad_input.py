"""Hostile or odd input gets a clear refusal (or a safe redirect), never a server error, and
leaves nothing half-written."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from families import services as family_services
from families.models import HelpExchange, Reaction
from mutuality.errors import InvalidInput
from surveys.models import SurveyResponse
from tests import clock, factories
from tests.seats import seed_seat, signed_in
from ventures import services as venture_services
from ventures.models import VentureUpdate

SURVEYS = "/api/v1/surveys/"
REQUIRED = {
    "income_wages": "1200.00",
    "income_business": "0",
    "income_benefits": "150.00",
    "income_other": "0",
    "savings_balance": "80.00",
    "debt_formal": "0",
    "debt_high_cost": "300.00",
    "adults_working": "1",
}


def send_survey(api, tenant, **answers):
    """The family's survey of this month, sent through the API with these answers changed."""
    signed_in(api, tenant.seed_member)
    return api.post(
        SURVEYS, {"period": clock.period(0), "answers": {**REQUIRED, **answers}}, format="json"
    )


def a_post(tenant):
    return family_services.post_create(seat=seed_seat(tenant), body="We opened an account!")


# Where an action sends the user back to ---------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["abc", "family_home", "//evil.example/", "https://evil.example/"]
)
def test_a_reaction_with_a_strange_next_goes_back_to_the_post(world, client, target):
    post = a_post(world.a)
    client.force_login(world.a.friend_member)

    response = client.post(
        reverse("family_post_react", args=[post.pk]), {"kind": "cheer", "next": target}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("family_post_detail", args=[post.pk])
    assert Reaction.objects.get().kind == "cheer"  # saved, once


def test_a_reaction_with_a_next_of_this_site_goes_there(world, client):
    post = a_post(world.a)
    client.force_login(world.a.friend_member)
    feed = reverse("family_feed_group")

    response = client.post(
        reverse("family_post_react", args=[post.pk]), {"kind": "cheer", "next": feed}
    )

    assert response["Location"] == feed


@pytest.mark.parametrize("referer", ["abc", "javascript:alert(1)", "https://evil.example/x"])
def test_a_refused_action_with_a_strange_referer_goes_home_with_the_reason(world, client, referer):
    post = a_post(world.a)
    client.force_login(world.a.friend_member)

    response = client.post(
        reverse("family_post_react", args=[post.pk]), {"kind": "boo"}, HTTP_REFERER=referer
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not Reaction.objects.exists()
    home = client.get("/", follow=True)
    assert home.status_code == 200
    assert "Choose a reaction from the list." in home.content.decode()


def test_the_language_switch_ignores_a_next_that_is_no_page(world, client):
    client.force_login(world.a.seed_member)

    response = client.post(reverse("language_switch"), {"language": "fr", "next": "abc"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    world.a.seed_member.refresh_from_db()
    assert world.a.seed_member.language == "fr"


# Characters no database keeps -------------------------------------------------------------------


def test_a_nul_character_in_a_survey_answer_is_refused_naming_the_answer(world, api):
    response = send_survey(api, world.a, notes="fine\x00 thanks")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["answers.notes"]
    assert not SurveyResponse.objects.exists()
    assert send_survey(api, world.a, notes="fine, thanks").status_code == 201


def test_a_nul_character_typed_in_the_survey_form_is_shown_next_to_the_answer(world, client):
    client.force_login(world.a.seed_member)
    url = f"{reverse('survey_new')}?period={clock.period(0)}"

    response = client.post(url, {**REQUIRED, "notes": "a\x00b", "action": "send"})

    assert response.status_code == 400
    assert "notes" in response.context["form"].errors
    assert not SurveyResponse.objects.exists()


# Numbers written oddly are read one way everywhere -----------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(" 5 ", "5.00"), ("５０", "50.00"), ("1,250.50", "1250.50"), ("٧", "7.00")],
)
def test_amounts_with_spaces_or_other_digits_are_read_as_the_family_meant(
    world, api, typed, stored
):
    response = send_survey(api, world.a, income_wages=typed)

    assert response.status_code == 201
    assert SurveyResponse.objects.get().answers["income_wages"] == stored


@pytest.mark.parametrize("typed", ["1e2", "1E3", "0x10", "1_000", "NaN", "Infinity", "--5"])
def test_amounts_in_notations_nobody_types_are_refused(world, api, typed):
    response = send_survey(api, world.a, income_wages=typed)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["answers.income_wages"]
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(("typed", "stored"), [(" 2 ", 2), ("３", 3)])
def test_whole_numbers_are_read_the_same_way(world, api, typed, stored):
    response = send_survey(api, world.a, adults_working=typed)
    assert response.status_code == 201
    assert SurveyResponse.objects.get().answers["adults_working"] == stored


@pytest.mark.parametrize("typed", ["1e1", "2.5", "1_0"])
def test_whole_numbers_in_other_notations_are_refused(world, api, typed):
    response = send_survey(api, world.a, adults_working=typed)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["answers.adults_working"]


def help_between(world, value):
    return family_services.help_record(
        seat=seed_seat(world.a),
        other_family=world.a.friend_family,
        direction="given",
        kind="childcare",
        estimated_value=value,
        happened_on=clock.days(-1),
    )


def test_help_values_are_read_like_survey_amounts(world):
    assert help_between(world, " ２０ ").estimated_value == Decimal("20.00")
    with pytest.raises(InvalidInput) as refused:
        help_between(world, "2e1")
    assert refused.value.errors == {"estimated_value": ["Enter an amount, like 25.00."]}
    assert HelpExchange.objects.count() == 1


def test_help_worth_more_than_the_partners_ceiling_is_refused(world):
    ceiling = world.a.partner.survey_money_ceiling
    with pytest.raises(InvalidInput) as refused:
        help_between(world, str(ceiling))
    assert "estimated_value" in refused.value.errors
    assert help_between(world, str(ceiling - 1)).estimated_value == ceiling - 1


# Dates before the work began ---------------------------------------------------------------------


def test_help_dated_before_the_cohort_began_is_refused(world):
    began = world.a.cohort.started_on.replace(day=1)
    with pytest.raises(InvalidInput) as refused:
        family_services.help_record(
            seat=seed_seat(world.a),
            other_family=world.a.friend_family,
            direction="given",
            kind="childcare",
            estimated_value="10",
            happened_on=began - datetime.timedelta(days=1),
        )
    assert refused.value.errors["happened_on"] == [
        f"This is before Cohort A began ({world.a.cohort.started_on.isoformat()})."
    ]
    assert not HelpExchange.objects.exists()
    assert help_between(world, "10").happened_on == clock.days(-1)


def test_a_venture_update_for_a_month_before_the_cohort_is_refused(world, client):
    venture = venture_services.venture_create(
        seat=seed_seat(world.a),
        name="Tamales on Saturdays",
        kind="new",
        sector="food",
        description="Tamales sold from a basket at the market.",
        plan=venture_services.PlanInput(budget_lines=[("Steamer", "80.00")]),
    )
    too_early = clock.month(-7)  # the world's cohort began six months ago
    client.force_login(world.a.seed_member)
    url = reverse("venture_update_new", args=[venture.pk])
    data = {"revenue": "10", "costs": "5", "household_jobs": "0", "other_jobs": "0", "note": ""}

    refused = client.post(url, {**data, "period": too_early.strftime("%Y-%m")})

    assert refused.status_code == 400
    assert "period" in refused.context["form"].errors
    assert not VentureUpdate.objects.exists()
    assert client.post(url, {**data, "period": clock.period(-6)}).status_code == 302
    assert VentureUpdate.objects.get().period == clock.month(-6)


@pytest.mark.parametrize("typed", ["0000-05", "1999-12"])
def test_a_month_before_the_platform_could_exist_is_refused_not_a_crash(world, client, typed):
    client.force_login(world.a.seed_member)

    response = client.get(f"{reverse('survey_new')}?period={typed}")

    assert response.status_code == 400
    assert "Give the month as YYYY-MM" in response.content.decode()
    assert client.get(f"{reverse('survey_new')}?period={clock.period(0)}").status_code == 200


def test_the_funders_amount_filter_and_the_rate_table_read_numbers_one_way(world, api):
    signed_in(api, world.a.funder)
    refused = api.get("/api/v1/funding-asks/", {"min_amount": "1e2"})
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["min_amount"]
    assert api.get("/api/v1/funding-asks/", {"min_amount": " 100 "}).status_code == 200

    admin = factories.UserFactory(email="rates@example.org", is_superuser=True)
    with pytest.raises(InvalidInput) as bad_rate:
        venture_services.exchange_rate_set(user=admin, currency="XOF", usd_per_unit="1e-3")
    assert list(bad_rate.value.errors) == ["usd_per_unit"]
    row = venture_services.exchange_rate_set(user=admin, currency="XOF", usd_per_unit="0.0017")
    assert row.usd_per_unit == Decimal("0.0017")
