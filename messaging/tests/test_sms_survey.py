"""The monthly survey by text message: from the first question to a survey waiting for
verification, answered in the household's language, with skip, back, retries, silence and the
end of the month; one survey per month whatever the channel."""

import datetime

import pytest

from accounts.models import AuditEvent
from messaging.models import Message, SmsSurveySession
from messaging.survey_by_sms import start_sms_survey
from messaging.tests.sms_survey_world import (
    PHONE,
    at_text,
    household_on_sms,
    last_reply,
    replies,
    speak,
)
from surveys import notices
from surveys import services as survey_services
from surveys.models import SurveyResponse
from tests import clock
from tests.seats import seed_seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def texting(world):
    return household_on_sms(world)


# The default short survey: income_wages, income_business, savings_balance, debt_formal,
# adults_working (required), health_insured (yes/no), housing (a choice).
ALL_ANSWERS = ["1350.50", "200", "80", "0", "2", "yes", "2"]


def month_survey(family, n=0):
    return SurveyResponse.objects.filter(family=family, period=clock.month(n)).first()


def answer(client, family, *texts):
    for text in texts:
        assert at_text(client, family.partner, text).status_code == 200
    return last_reply(family)


def test_the_whole_survey_by_text_ends_waiting_for_verification(
    world, client, texting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = start_sms_survey(texting)
    assert "the survey for" in first.body and clock.month_label(0) in first.body
    assert "7 questions" in first.body and "1/7 Earnings from jobs" in first.body
    assert Message.objects.get(pk=first.pk).status == "sent"

    with django_capture_on_commit_callbacks(execute=True):
        assert answer(client, texting, "1350.50").startswith("2/7 Net income")
    draft = month_survey(texting)
    # The answer is in the month's draft at once (the web form shows it).
    assert draft.state == "draft" and draft.channel == "sms"
    assert draft.answers == {"income_wages": "1350.50"}

    with django_capture_on_commit_callbacks(execute=True):
        done = answer(client, texting, *ALL_ANSWERS[1:])
    assert "Your survey for" in done and "is sent" in done
    survey = month_survey(texting)
    assert survey.pk == draft.pk
    assert survey.state == SurveyResponse.State.SUBMITTED and survey.submitted_at is not None
    assert survey.channel == "sms"
    assert survey.answers == {
        "income_wages": "1350.50",
        "income_business": "200.00",
        "savings_balance": "80.00",
        "debt_formal": "0.00",
        "adults_working": 2,
        "health_insured": True,
        "housing": "rent",
    }
    assert AuditEvent.objects.filter(verb="survey.submit", object_id=str(survey.pk)).exists()
    assert survey.revisions.count() >= len(ALL_ANSWERS)
    session = SmsSurveySession.objects.get(family=texting)
    assert session.state == "done" and session.channel == "sms"
    # Every reply went out, once each.
    assert len(replies(texting)) == 1 + len(ALL_ANSWERS)
    assert set(Message.objects.filter(template="sms_survey").values_list("status", flat=True)) == {
        "sent"
    }
    # The liaison's queue has it, as any survey sent from the web.
    assert survey in SurveyResponse.objects.filter(partner=world.a.partner, state="submitted")


def test_spanish_and_french_amounts_are_read_with_their_decimal_comma(world, client, texting):
    speak(texting, "es")
    start_sms_survey(texting)
    assert "1/7 Ingresos de trabajos" in last_reply(texting)
    assert answer(client, texting, "120,50").startswith("2/7 Ingreso neto")
    assert month_survey(texting).answers["income_wages"] == "120.50"

    speak(texting, "fr")
    assert answer(client, texting, "1 350,50").startswith("3/7 ")
    assert month_survey(texting).answers["income_business"] == "1350.50"


def test_english_refuses_a_decimal_comma_with_the_reason_and_keeps_the_question(
    world, client, texting
):
    start_sms_survey(texting)
    retry = answer(client, texting, "120,50")
    assert "Please try again." in retry
    assert month_survey(texting) is None
    # Written the English way, it is read.
    assert answer(client, texting, "120.50").startswith("2/7 ")
    assert month_survey(texting).answers["income_wages"] == "120.50"


def test_a_second_unreadable_answer_gets_the_whole_question_again(world, client, texting):
    start_sms_survey(texting)
    assert "Please try again." in answer(client, texting, "lots")
    assert answer(client, texting, "lots").startswith("1/7 Earnings from jobs")
    assert SmsSurveySession.objects.get(family=texting).position == 0
    assert answer(client, texting, "10").startswith("2/7 ")


def test_skip_passes_an_optional_question_and_back_returns_to_the_one_before(
    world, client, texting
):
    start_sms_survey(texting)
    answer(client, texting, *ALL_ANSWERS[:5])
    assert last_reply(texting).startswith("6/7 ")
    # A required question cannot be skipped...
    assert answer(client, texting, "back").startswith("5/7 ")
    assert "This question needs an answer." in answer(client, texting, "skip")
    assert answer(client, texting, "3").startswith("6/7 ")
    # ...an optional one can, in any of the partner's languages.
    assert answer(client, texting, "Saltar").startswith("7/7 ")
    assert answer(client, texting, "atrás").startswith("6/7 ")
    assert answer(client, texting, "passer").startswith("7/7 ")
    assert "is sent" in answer(client, texting, "1")
    survey = month_survey(texting)
    assert survey.state == "submitted"
    assert survey.answers["adults_working"] == 3 and survey.answers["housing"] == "own"
    assert "health_insured" not in survey.answers


def test_the_session_continues_after_hours_of_silence(world, client, texting, frozen):
    start_sms_survey(texting)
    answer(client, texting, "1000")
    frozen.shift(datetime.timedelta(hours=20))
    # The next text answers the next question, as if no time had passed.
    assert answer(client, texting, "50").startswith("3/7 ")
    assert month_survey(texting).answers["income_business"] == "50.00"
    frozen.shift(datetime.timedelta(hours=20))
    # After a long silence an unreadable reply gets the whole question, not a short retry.
    assert answer(client, texting, "hello?").startswith("3/7 Total savings")


def test_the_session_expires_at_the_end_of_the_month_and_the_next_text_starts_the_new_one(
    world, client, texting, frozen
):
    start_sms_survey(texting)
    answer(client, texting, "1000")
    old = SmsSurveySession.objects.get(family=texting)
    frozen.move_to(datetime.datetime.combine(clock.on(1, 10), datetime.time(15), datetime.UTC))
    reply = answer(client, texting, "50")
    old.refresh_from_db()
    assert old.state == "expired"
    # The text was not taken as an answer to last month's survey...
    assert month_survey(texting).answers == {"income_wages": "1000.00"}
    # ...it started this month's.
    assert clock.month_label(1) in reply and "1/7 Earnings from jobs" in reply
    new = SmsSurveySession.objects.get(family=texting, period=clock.month(1))
    assert new.state == "open" and new.position == 0


def test_the_daily_job_expires_last_months_sessions(world, texting, frozen):
    start_sms_survey(texting)
    frozen.move_to(datetime.datetime.combine(clock.on(1, 2), datetime.time(15), datetime.UTC))
    notices.month_open(world.a.partner)
    states = dict(SmsSurveySession.objects.values_list("period", "state"))
    assert states == {clock.month(0): "expired", clock.month(1): "open"}


def test_a_web_draft_is_filled_by_the_texts_and_the_web_form_shows_them(world, client, texting):
    seat = seed_seat(world.a)
    draft = survey_services.survey_create(
        seat=seat, period=clock.period(0), answers={"income_benefits": "30"}
    )
    start_sms_survey(texting)
    answer(client, texting, "1350.50", "200")
    draft.refresh_from_db()
    assert draft.answers == {
        "income_benefits": "30.00",
        "income_wages": "1350.50",
        "income_business": "200.00",
    }
    assert SurveyResponse.objects.filter(family=texting).count() == 1
    # The household opens the web form: what it texted is there to continue.
    client.force_login(world.a.seed_member)
    page = client.get(f"/family/surveys/{draft.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="1350.50"' in body and 'value="200.00"' in body
    # The household finishes by text: still one survey, sent by text.
    client.logout()
    answer(client, texting, *ALL_ANSWERS[2:])
    survey = month_survey(texting)
    assert survey.pk == draft.pk and survey.state == "submitted" and survey.channel == "sms"


def test_a_survey_sent_from_the_web_is_not_sent_again_by_text(world, client, texting):
    seat = seed_seat(world.a)
    sent = survey_services.survey_create(
        seat=seat,
        period=clock.period(0),
        answers={
            "income_wages": "1000",
            "income_business": "0",
            "income_benefits": "0",
            "income_other": "0",
            "savings_balance": "100",
            "debt_formal": "0",
            "debt_high_cost": "0",
            "adults_working": 1,
        },
        submit=True,
    )
    revisions = sent.revisions.count()
    assert start_sms_survey(texting) is None
    reply = answer(client, texting, "5000")
    assert "is already sent" in reply
    sent.refresh_from_db()
    assert sent.answers["income_wages"] == "1000.00" and sent.channel == "web"
    assert sent.revisions.count() == revisions
    assert SurveyResponse.objects.filter(family=texting).count() == 1


def test_the_month_opening_job_texts_the_first_question_once(
    world, texting, django_capture_on_commit_callbacks
):
    partner = world.a.partner
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.month_open(partner, today=clock.on(0, 2)) >= 1
        notices.month_open(partner, today=clock.on(0, 3))
    [first] = replies(texting)
    assert "1/7 Earnings from jobs" in first
    # Instead of the opening notice, not beside it; the friend household (no SMS survey) gets
    # its notice as before.
    assert not Message.objects.filter(family=texting, template="survey_open").exists()
    assert SmsSurveySession.objects.filter(family=texting, period=clock.month(0)).count() == 1


def test_stop_in_the_middle_stops_the_survey_and_every_text(world, client, texting):
    start_sms_survey(texting)
    answer(client, texting, "1000")
    assert at_text(client, world.a.partner, "STOP").status_code == 200
    session = SmsSurveySession.objects.get(family=texting)
    assert session.state == "stopped"
    confirmation = Message.objects.get(template="stop_confirmed")
    assert confirmation.to == PHONE and confirmation.status != "suppressed"
    # What it answered stays in the draft.
    assert month_survey(texting).answers == {"income_wages": "1000.00"}


def test_texts_waiting_for_the_task_are_answered_once_in_the_order_they_came(world, texting):
    from messaging.services import record_inbound
    from messaging.sms_survey_tasks import answer_inbound_texts

    start_sms_survey(texting)
    for n, body in enumerate(["1000", "50", "7"]):
        record_inbound(
            partner=world.a.partner,
            sender=PHONE,
            body=body,
            provider="africastalking",
            provider_id=f"ATXid_queued_{n}",
            family_id=texting.pk,
        )
    assert answer_inbound_texts(texting.pk) == 3
    assert answer_inbound_texts(texting.pk) == 0  # a second run answers nothing more
    survey = month_survey(texting)
    assert survey.answers == {
        "income_wages": "1000.00",
        "income_business": "50.00",
        "savings_balance": "7.00",
    }
    assert last_reply(texting).startswith("4/7 ") and len(replies(texting)) == 4
    assert not Message.objects.filter(direction="in", family=texting, handled_at=None).exists()
