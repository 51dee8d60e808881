"""Partner admins choose the short survey asked by text message and USSD on the survey's page:
keypad questions only, ten at most, audited; the standard survey has one already. A survey
says through the API how it was sent."""

import html

import pytest
from django.urls import reverse

from accounts import policy
from accounts.models import AuditEvent
from surveys import services
from surveys.defaults import SMS_SURVEY_KEYS
from surveys.models import SurveyTemplate
from surveys.services.sms_questions import sms_questions
from tests import clock
from tests.seats import seed_seat
from tests.seats import signed_in as api_signed_in

pytestmark = pytest.mark.django_db


def page(tenant):
    return reverse("survey_template", kwargs={"partner_slug": tenant.partner.slug})


def mark_url(tenant):
    return reverse("survey_sms_questions", kwargs={"partner_slug": tenant.partner.slug})


def marked(tenant) -> list[str]:
    return [q.key for q in sms_questions(services.current_template(tenant.partner))]


def test_the_standard_survey_has_a_short_survey_of_keypad_questions(world):
    keys = marked(world.a)
    assert keys == [k for k in keys if k in SMS_SURVEY_KEYS] and 5 <= len(keys) <= 10
    template = services.current_template(world.a.partner)
    assert {q.type for q in sms_questions(template)} <= {"money", "number", "yes_no", "choice"}


def test_an_admin_chooses_the_short_survey_and_it_is_audited(world, client):
    client.force_login(world.a.admin)
    body = html.unescape(client.get(page(world.a)).content.decode())
    assert "The survey by text message" in body and 'name="sms_questions"' in body
    chosen = ["income_wages", "savings_balance", "housing"]
    response = client.post(mark_url(world.a), {"sms_questions": chosen})
    assert response.status_code == 302
    assert marked(world.a) == chosen
    # The standard survey is everyone's: the partner got its own version, the default kept its.
    template = services.current_template(world.a.partner)
    assert template.partner == world.a.partner
    assert marked(world.b) == list(SMS_SURVEY_KEYS)
    event = AuditEvent.objects.get(verb="survey_template.sms_questions")
    assert event.actor == world.a.admin and event.partner == world.a.partner
    assert event.after["sms_questions"] == sorted(chosen)
    # Choosing again on the partner's own version changes it in place: no new version.
    assert client.post(mark_url(world.a), {"sms_questions": ["income_wages"]}).status_code == 302
    assert services.current_template(world.a.partner).pk == template.pk
    assert marked(world.a) == ["income_wages"]
    page_after = html.unescape(client.get(page(world.a)).content.decode())
    assert "By text message" in page_after


def test_a_text_question_or_more_than_ten_are_refused_with_the_reason(world, client):
    client.force_login(world.a.admin)
    response = client.post(mark_url(world.a), {"sms_questions": ["income_wages", "notes"]})
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "can be asked by text message" in body and "Anything else" in body
    keypad = [
        q.key
        for q in services.current_template(world.a.partner).questions.all()
        if q.type in {"money", "number", "yes_no", "choice"}
    ]
    assert len(keypad) > 10
    response = client.post(mark_url(world.a), {"sms_questions": keypad[:11]})
    assert response.status_code == 400
    assert "at most 10 questions" in html.unescape(response.content.decode())
    # Nothing changed, and ten are fine.
    assert marked(world.a) == list(SMS_SURVEY_KEYS)
    assert not AuditEvent.objects.filter(verb="survey_template.sms_questions").exists()
    assert client.post(mark_url(world.a), {"sms_questions": keypad[:10]}).status_code == 302
    assert marked(world.a) == keypad[:10]


def test_only_partner_admins_choose(world, client):
    client.force_login(world.a.staff)
    assert client.post(mark_url(world.a), {"sms_questions": ["income_wages"]}).status_code == 403
    client.force_login(world.b.admin)
    assert client.post(mark_url(world.a), {"sms_questions": ["income_wages"]}).status_code == 404
    assert marked(world.a) == list(SMS_SURVEY_KEYS)
    client.force_login(world.a.admin)
    assert client.post(mark_url(world.a), {"sms_questions": ["income_wages"]}).status_code == 302


def test_adding_a_question_keeps_the_short_survey(world):
    seat_admin = policy.access_partner(world.a.admin, world.a.partner.slug)
    template = services.template_add_question(
        seat=seat_admin,
        key="water_access",
        type="yes_no",
        labels={"en": "Running water at home", "es": "Agua corriente en casa"},
    )
    assert SurveyTemplate.objects.get(pk=template.pk).version == 2
    assert marked(world.a) == list(SMS_SURVEY_KEYS)


def test_the_api_says_how_each_survey_was_sent(world, api):
    client = api_signed_in(api, world.a.seed_member)
    response = client.post(
        "/api/v1/surveys/",
        {"period": clock.period(-1), "answers": {"income_wages": "10"}},
        format="json",
    )
    assert response.status_code == 201 and response.json()["channel"] == "api"
    web = services.survey_create(
        seat=seed_seat(world.a), period=clock.period(0), answers={"income_wages": "5"}
    )
    assert web.channel == "web"
    listed = {s["period"]: s["channel"] for s in client.get("/api/v1/surveys/").json()["results"]}
    assert listed == {clock.period(-1): "api", clock.period(0): "web"}
    assert client.get(f"/api/v1/surveys/{web.pk}/").json()["channel"] == "web"
