"""The monthly survey reads amounts and numbers the way the family writes them, in French,
Spanish and English, keeps what they typed when it refuses it, and shows saved answers their
way."""

import pytest
from django.urls import reverse

from surveys.models import SurveyResponse
from tests import clock

NNBSP = "\u202f"

SURVEY_REQUIRED = {
    "income_wages": "1200",
    "income_business": "0",
    "income_benefits": "150",
    "income_other": "0",
    "savings_balance": "80",
    "debt_formal": "0",
    "debt_high_cost": "300",
    "adults_working": "1",
}


def speaking(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


def new_survey_url() -> str:
    return f"{reverse('survey_new')}?period={clock.period(0)}"


# Amounts and numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "stored"),
    [
        ("fr", "120,50", "120.50"),
        ("fr", "1 350,50", "1350.50"),
        ("fr", f"1{NNBSP}350,50", "1350.50"),
        ("fr", "120.50", "120.50"),
        ("es", "75,25", "75.25"),
        ("es", "1.350,50", "1350.50"),
        ("es", "1.200", "1200.00"),
        ("en", "1,350.50", "1350.50"),
    ],
)
def test_the_survey_saves_an_amount_as_the_family_wrote_it(world, client, language, typed, stored):
    client.force_login(speaking(world.a.seed_member, language))

    response = client.post(
        new_survey_url(), {**SURVEY_REQUIRED, "income_wages": typed, "action": "draft"}
    )

    assert response.status_code == 302
    assert SurveyResponse.objects.get().answers["income_wages"] == stored


def test_the_survey_follows_the_browsers_language_for_a_family_that_chose_none(world, client):
    client.force_login(world.a.seed_member)  # no language of their own

    response = client.post(
        new_survey_url(),
        {**SURVEY_REQUIRED, "savings_balance": "1 350,50", "action": "draft"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 302
    assert SurveyResponse.objects.get().answers["savings_balance"] == "1350.50"


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        ("fr", "1.200", "« 1.200 » peut se lire de deux façons : écrivez 1,2 ou 1\u202f200."),
        ("fr", "12,50,3", "Écrivez un montant comme 1\u202f350,50."),
        ("es", "120.50", "Use una coma para los céntimos, como 120,50."),
        ("es", "doce", "Escriba un importe como 1.350,50."),
    ],
)
def test_the_survey_refuses_an_ambiguous_amount_in_the_familys_words(
    world, client, language, typed, message
):
    client.force_login(speaking(world.a.seed_member, language))

    response = client.post(
        new_survey_url(), {**SURVEY_REQUIRED, "savings_balance": typed, "action": "draft"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["savings_balance"] == [message]
    assert f'value="{typed}"' in response.content.decode()  # kept as typed, to correct
    assert not SurveyResponse.objects.exists()


def test_the_survey_shows_the_hint_and_saved_amounts_the_familys_way(world, client):
    client.force_login(speaking(world.a.seed_member, "fr"))
    client.post(new_survey_url(), {**SURVEY_REQUIRED, "income_wages": "1 350,5", "action": "draft"})
    survey = SurveyResponse.objects.get()

    page = client.get(reverse("survey_detail", kwargs={"survey_id": survey.pk}))

    body = page.content.decode()
    assert 'value="1350,50"' in body
    assert "avec une virgule avant les centimes : 1,200 vaut 1,2." in body
    assert survey.answers["income_wages"] == "1350.50"


def test_the_survey_reads_whole_numbers_the_familys_way(world, client):
    client.force_login(speaking(world.a.seed_member, "es"))

    refused = client.post(
        new_survey_url(), {**SURVEY_REQUIRED, "adults_working": "1,5", "action": "draft"}
    )
    saved = client.post(
        new_survey_url(), {**SURVEY_REQUIRED, "adults_working": " 2 ", "action": "draft"}
    )

    assert refused.context["form"].errors["adults_working"] == [
        "Escriba un número entero, como 1.200."
    ]
    assert saved.status_code == 302
    assert SurveyResponse.objects.get().answers["adults_working"] == 2
