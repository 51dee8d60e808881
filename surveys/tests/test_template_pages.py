"""The partner's own survey questions: a partner admin sees the survey in the partner's languages
and adds a question, which makes a new version; surveys already filled in keep theirs. Staff and
liaisons get 403; another partner's people get 404."""

import html

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from families.access import FamilySeat
from surveys import services
from surveys.models import Question, SurveyTemplate
from tests import clock

ANSWERS = {
    "income_wages": "1000.00",
    "income_business": "0",
    "income_benefits": "0",
    "income_other": "0",
    "savings_balance": "100",
    "debt_formal": "0",
    "debt_high_cost": "400",
    "adults_working": 1,
}


def signed_in(client, user):
    client.force_login(user)
    return client


def page(tenant):
    return reverse("survey_template", kwargs={"partner_slug": tenant.partner.slug})


def text(response, status=200) -> str:
    """The page's text, once it is known to have rendered with `status`."""
    assert response.status_code == status
    return html.unescape(response.content.decode())


def question(**changes) -> dict:
    """A new question as the form sends it (partner A writes in English and Spanish)."""
    return {
        "key": "water_access",
        "type": "yes_no",
        "label_en": "Running water at home",
        "label_es": "Agua corriente en casa",
        "help_en": "Count a shared tap in the yard.",
        **changes,
    }


def survey_in(tenant, period):
    return services.survey_create(
        seat=FamilySeat(user=tenant.seed_member, family=tenant.seed_family),
        period=period,
        answers=ANSWERS,
        submit=True,
    )


def keys(template) -> list[str]:
    return list(template.questions.values_list("key", flat=True))


def test_an_admin_sees_the_survey_questions_in_the_partners_languages(world, client):
    response = signed_in(client, world.a.admin).get(page(world.a))
    assert response.status_code == 200
    body = text(response)
    assert "The platform's standard survey, version 1" in body
    assert "income_wages" in body
    assert "Earnings from jobs" in body and "Ingresos de trabajos" in body
    assert "Revenus du travail salarié" not in body  # French is not one of partner A's languages
    assert 'name="label_en"' in body and 'name="label_es"' in body
    assert 'name="label_fr"' not in body


def test_an_admin_adds_a_question_and_makes_a_new_version(world, client):
    old = survey_in(world.a, clock.period(-3))
    standard = old.template
    client = signed_in(client, world.a.admin)

    response = client.post(page(world.a), question())
    assert response.status_code == 302 and response["Location"] == page(world.a)
    first = SurveyTemplate.objects.get(partner=world.a.partner, is_current=True)
    assert first.version == 2  # continues from the standard survey's version 1
    assert keys(first) == [*keys(standard), "water_access"]
    added = first.questions.get(key="water_access")
    assert added.labels == {"en": "Running water at home", "es": "Agua corriente en casa"}
    assert added.help_texts == {"en": "Count a shared tap in the yard."}
    assert added.type == Question.Type.YES_NO
    on_first = survey_in(world.a, clock.period(-2))
    assert on_first.template == first

    response = client.post(
        page(world.a),
        question(
            key="water_source",
            type="choice",
            label_en="Where your water comes from",
            label_es="De dónde viene su agua",
            choices="piped|Piped|Entubada\nwell|Well|Pozo\n",
            required="on",
        ),
    )
    assert response.status_code == 302
    second = SurveyTemplate.objects.get(partner=world.a.partner, is_current=True)
    assert second.version == 3
    assert keys(second) == [*keys(first), "water_source"]
    source = second.questions.get(key="water_source")
    assert source.required
    assert source.choices == [
        {"value": "piped", "labels": {"en": "Piped", "es": "Entubada"}},
        {"value": "well", "labels": {"en": "Well", "es": "Pozo"}},
    ]
    # Surveys already filled in keep the version they were filled in with.
    old.refresh_from_db()
    on_first.refresh_from_db()
    assert old.template == standard and on_first.template == first
    assert keys(first) == [*keys(standard), "water_access"]
    assert (
        AuditEvent.objects.filter(verb="survey_template.add_question", actor=world.a.admin).count()
        == 2
    )

    body = text(client.get(page(world.a)))
    assert "Your survey, version 3" in body
    assert "Where your water comes from" in body and "De dónde viene su agua" in body
    assert "Version 3 of your survey asks" in body  # the message after adding


def test_a_number_question_keeps_its_bounds(world, client):
    response = signed_in(client, world.a.admin).post(
        page(world.a),
        question(key="rooms", type="number", min_value="1", max_value="20"),
    )
    assert response.status_code == 302
    rooms = services.current_template(world.a.partner).questions.get(key="rooms")
    assert (rooms.min_value, rooms.max_value) == (1, 20)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"label_es": ""}, "label_es"),
        ({"label_en": "  "}, "label_en"),
        ({"key": ""}, "key"),
        ({"key": "Water access!"}, "key"),
        ({"key": "income_wages"}, "key"),  # the survey already asks it
        ({"type": "essay"}, "type"),
        ({"type": "choice", "choices": ""}, "choices"),
        ({"type": "choice", "choices": "piped"}, "choices"),
        ({"type": "choice", "choices": "a|A\na|Again"}, "choices"),
        ({"type": "number", "min_value": "10", "max_value": "2"}, "max_value"),
    ],
)
def test_a_bad_question_is_a_400_naming_the_field_and_nothing_is_written(
    world, client, changes, field
):
    audits = AuditEvent.objects.count()
    response = signed_in(client, world.a.admin).post(page(world.a), question(**changes))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not SurveyTemplate.objects.filter(partner=world.a.partner).exists()
    assert AuditEvent.objects.count() == audits


def test_staff_and_liaisons_get_403(world, client):
    for user in [world.a.staff, world.a.liaison]:
        signed_in(client, user)
        assert client.get(page(world.a)).status_code == 403
        assert client.post(page(world.a), question()).status_code == 403
    assert not SurveyTemplate.objects.filter(partner=world.a.partner).exists()


def test_another_partners_people_get_404(world, client):
    for user in [world.b.admin, world.b.staff, world.a.seed_member, world.outsider]:
        signed_in(client, user)
        assert client.get(page(world.a)).status_code == 404
        assert client.post(page(world.a), question()).status_code == 404
    assert not SurveyTemplate.objects.filter(partner=world.a.partner).exists()


def test_a_partner_writing_in_french_is_asked_for_french(world, client):
    world.b.partner.languages = ["en", "fr"]
    world.b.partner.save()
    client = signed_in(client, world.b.admin)
    body = text(client.get(page(world.b)))
    assert 'name="label_fr"' in body and 'name="label_es"' not in body
    response = client.post(page(world.b), question(label_fr=""))
    assert response.status_code == 400
    assert response.context["form"].errors["label_fr"] == ["Write the question in French."]
    response = client.post(page(world.b), question(label_fr="L'eau courante à la maison"))
    assert response.status_code == 302
    added = services.current_template(world.b.partner).questions.get(key="water_access")
    assert added.labels == {"en": "Running water at home", "fr": "L'eau courante à la maison"}
