"""The survey by USSD (Africa's Talking): a screen per question to END, with the whole path
so far in `text`; a provider's retry or a new dial continues where the household was; every
screen fits in 182 characters in every language."""

import itertools

import pytest

from messaging import ussd
from messaging.models import SmsSurveySession
from messaging.tests.sms_survey_world import (
    PHONE,
    STRANGER,
    at_url,
    household_on_sms,
    speak,
)
from surveys.models import Question, SurveyResponse
from surveys.services import current_template
from surveys.services.sms_questions import SMS_QUESTION_TYPES
from tests import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def texting(world):
    return household_on_sms(world)


_sessions = itertools.count(1)


def dial(client, partner, path, *, session="ATUid_1", phone=PHONE):
    response = client.post(
        at_url(partner, "ussd"),
        {"sessionId": session, "serviceCode": "*384*123#", "phoneNumber": phone, "text": path},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    screen = response.content.decode()
    assert len(screen) <= ussd.MAX_SCREEN, screen
    return screen


def test_the_whole_survey_by_ussd_ends_with_thanks_and_a_survey_waiting(world, client, texting):
    partner = world.a.partner
    first = dial(client, partner, "")
    assert first.startswith("CON 1/7 Earnings from jobs")
    path = []
    for typed in ["1350", "200", "80", "0", "2", "1", "#"]:
        path.append(typed)
        screen = dial(client, partner, "*".join(path))
    assert screen.startswith("END ") and "is sent" in screen
    survey = SurveyResponse.objects.get(family=texting, period=clock.month(0))
    assert survey.state == "submitted" and survey.channel == "ussd"
    assert survey.answers["income_wages"] == "1350.00"
    assert survey.answers["health_insured"] is True and "housing" not in survey.answers
    # The provider's retry of the last screen gets the same thanks and changes nothing.
    revisions = survey.revisions.count()
    assert dial(client, partner, "*".join(path)) == screen
    survey.refresh_from_db()
    assert survey.revisions.count() == revisions
    # A new dial: the survey is sent already.
    assert "already sent" in dial(client, partner, "", session="ATUid_2")


def test_a_retried_screen_changes_nothing_and_a_new_dial_continues(world, client, texting):
    partner = world.a.partner
    dial(client, partner, "")
    assert dial(client, partner, "1350").startswith("CON 2/7 ")
    assert dial(client, partner, "1350").startswith("CON 2/7 ")  # the provider's retry
    assert SurveyResponse.objects.get(family=texting).revisions.count() == 1
    # The line dropped; the household dials again and continues at question 2.
    assert dial(client, partner, "", session="ATUid_2").startswith("CON 2/7 ")
    assert dial(client, partner, "200", session="ATUid_2").startswith("CON 3/7 ")
    session = SmsSurveySession.objects.get(family=texting, channel="ussd")
    assert session.position == 2 and session.ussd_session_id == "ATUid_2"


def test_back_and_an_unreadable_answer_on_a_keypad(world, client, texting):
    partner = world.a.partner
    dial(client, partner, "")
    dial(client, partner, "1350")
    assert dial(client, partner, "1350*00").startswith("CON 1/7 ")
    screen = dial(client, partner, "1350*00*12x")
    assert screen.startswith("CON ") and "1/7 Earnings from jobs" in screen
    assert "Write an amount" in screen or "Reply with" in screen
    assert dial(client, partner, "1350*00*12x*900").startswith("CON 2/7 ")
    assert SurveyResponse.objects.get(family=texting).answers["income_wages"] == "900.00"


def test_a_number_of_no_household_gets_an_end_screen_and_nothing_is_kept(world, client, texting):
    screen = dial(client, world.a.partner, "", phone=STRANGER)
    assert screen.startswith("END ") and "not registered" in screen
    assert not SmsSurveySession.objects.exists()
    assert dial(client, world.a.partner, "").startswith("CON 1/7 ")


def test_spanish_screens_read_the_decimal_comma(world, client, texting):
    speak(texting, "es")
    partner = world.a.partner
    assert dial(client, partner, "").startswith("CON 1/7 Ingresos de trabajos")
    assert dial(client, partner, "120,50").startswith("CON 2/7 ")
    assert SurveyResponse.objects.get(family=texting).answers["income_wages"] == "120.50"


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_every_screen_fits_in_182_characters(world, texting, language):
    """Each keypad question of the standard survey, the longest label and a partner's question
    with a very long label and many long choices, with a reason line on top."""
    speak(texting, language)
    template = current_template(world.a.partner)
    keypad = [q for q in template.questions.all() if q.type in SMS_QUESTION_TYPES]
    long_label = "A question written by a partner that goes on and on " * 6
    keypad.append(
        Question(
            template=template,
            key="water",
            type="choice",
            labels={language: long_label},
            choices=[
                {"value": f"v{n}", "labels": {language: "A very long answer label " * 3}}
                for n in range(9)
            ],
        )
    )
    longest = max(keypad, key=lambda q: len(q.labels.get(language, "")))
    assert longest.key == "water"
    session = SmsSurveySession(partner=world.a.partner, family=texting, period=clock.month(0))
    from django.utils import translation

    with translation.override(language):
        for position in range(len(keypad)):
            session.position = position
            for reason in ("", "Write an amount like 1 350,50, with a comma before the cents."):
                screen = "CON " + ussd.question_screen(session, keypad, language, reason)
                assert len(screen) <= ussd.MAX_SCREEN, screen
                assert f"{position + 1}/{len(keypad)} " in screen
        for text in ("already sent " * 30,):
            assert len(ussd._end(text)) <= ussd.MAX_SCREEN
