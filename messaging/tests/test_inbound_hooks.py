"""The providers' inbound hooks: Twilio's signed texts (answered through our provider, with an
empty TwiML), Africa's Talking's at the partner's secret address; a retry changes nothing, a
stranger's text is ignored, STOP works from any number, and nothing answers 500."""

import itertools

import pytest
from twilio.request_validator import RequestValidator

from messaging.models import Message, SmsOptOut, SmsSurveySession
from messaging.tests.provider_servers import ProviderServer, twilio_answer
from messaging.tests.sms_survey_world import (
    PARTNER_NUMBER,
    PHONE,
    STRANGER,
    at_text,
    at_url,
    household_on_sms,
    last_reply,
    replies,
)
from surveys.models import SurveyResponse
from tests import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def texting(world):
    return household_on_sms(world)


SID = "AC" + "c" * 32
TOKEN = "the-inbound-auth-token"
URL = "/hooks/sms/twilio/"
_sids = itertools.count(1)


@pytest.fixture
def twilio_server(settings):
    """Our replies go through Twilio's client to a local server that speaks its protocol."""
    server = ProviderServer(twilio_answer)
    server.answers = [(201, {"price": "-0.00750"})]
    settings.SMS_URL = f"twilio://{SID}:{TOKEN}@?from={PARTNER_NUMBER}&base_url={server.url}"
    yield server
    server.close()


def twilio_form(body, *, sender=PHONE, sid=None):
    return {
        "MessageSid": sid or f"SM{next(_sids):032d}",
        "AccountSid": SID,
        "From": sender,
        "To": PARTNER_NUMBER,
        "Body": body,
        "NumMedia": "0",
    }


def twilio_post(client, form, *, token=TOKEN):
    signature = RequestValidator(token).compute_signature("http://testserver" + URL, form)
    return client.post(URL, form, HTTP_X_TWILIO_SIGNATURE=signature)


def test_the_whole_survey_through_twilio(
    world, client, texting, twilio_server, django_capture_on_commit_callbacks
):
    answers = ["hello", "1350.50", "200", "80", "0", "2", "skip", "1"]
    for body in answers:
        with django_capture_on_commit_callbacks(execute=True):
            response = twilio_post(client, twilio_form(body))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/xml")
        assert response.content.decode().endswith("<Response/>")
    # The first text started the survey; each later one answered a question.
    sent = [request["form"]["Body"] for request in twilio_server.requests]
    assert sent[0].startswith(f"{world.a.partner.name}: the survey for")
    assert "1/7 Earnings from jobs" in sent[0]
    assert sent[1].startswith("2/7 ")
    assert "is sent" in sent[-1]
    assert len(sent) == len(answers)
    assert {r["form"]["To"] for r in twilio_server.requests} == {PHONE}
    survey = SurveyResponse.objects.get(family=texting, period=clock.month(0))
    assert survey.state == "submitted" and survey.channel == "sms"
    assert survey.answers["housing"] == "own" and "health_insured" not in survey.answers
    # Inbound texts are kept with Twilio's ids; replies carry their Twilio ids.
    assert Message.objects.filter(direction="in", provider="twilio", family=texting).count() == 8
    assert not Message.objects.filter(direction="out", template="sms_survey", provider_id="")


def test_a_forged_or_unsigned_twilio_text_is_refused_and_changes_nothing(
    world, client, texting, twilio_server
):
    form = twilio_form("hello")
    assert twilio_post(client, form, token="not-the-token").status_code == 403
    assert client.post(URL, form).status_code == 403
    assert not Message.objects.filter(direction="in").exists()
    assert not SmsSurveySession.objects.exists()
    # Signed with the real token, the same text starts the survey.
    assert twilio_post(client, form).status_code == 200
    assert SmsSurveySession.objects.filter(family=texting).count() == 1


def test_twilios_retry_of_a_text_changes_nothing(world, client, texting, twilio_server):
    twilio_post(client, twilio_form("hello"))
    form = twilio_form("1350.50")
    assert twilio_post(client, form).status_code == 200
    survey = SurveyResponse.objects.get(family=texting)
    revisions, texts = survey.revisions.count(), len(replies(texting))
    # Twilio sends the same MessageSid again (it did not hear our answer in time).
    assert twilio_post(client, form).status_code == 200
    survey.refresh_from_db()
    assert survey.revisions.count() == revisions and len(replies(texting)) == texts
    assert SmsSurveySession.objects.get(family=texting).position == 1
    assert survey.answers == {"income_wages": "1350.50"}


def test_a_text_from_a_number_of_no_household_is_ignored(world, client, texting, twilio_server):
    assert twilio_post(client, twilio_form("my salary is 900", sender=STRANGER)).status_code == 200
    assert at_text(client, world.a.partner, "900", sender=STRANGER).status_code == 200
    # Nothing sent, nothing kept of what it said.
    assert not Message.objects.exists()
    assert not SmsSurveySession.objects.exists()
    assert twilio_server.requests == []
    # The household's own number is answered.
    assert at_text(client, world.a.partner, "hello").status_code == 200
    assert "1/7 Earnings from jobs" in last_reply(texting)


def test_a_household_of_the_other_partner_is_a_stranger_here(world, client, texting):
    other = world.b.seed_family
    other.contact_phone = "+15105550177"
    other.save()
    assert at_text(client, world.a.partner, "hello", sender="+15105550177").status_code == 200
    assert not Message.objects.filter(to="+15105550177").exists()
    assert at_text(client, world.a.partner, "hello").status_code == 200
    assert Message.objects.filter(to=PHONE, direction="out").count() == 1


def test_stop_from_any_number_opts_it_out_and_is_confirmed_once(world, client, texting):
    partner = world.a.partner
    assert at_text(client, partner, "Stop", sender=STRANGER).status_code == 200
    assert SmsOptOut.objects.filter(partner=partner, phone=STRANGER).exists()
    [confirmation] = Message.objects.filter(to=STRANGER, direction="out")
    assert confirmation.template == "stop_confirmed"
    assert at_text(client, partner, "ALTO", sender=STRANGER).status_code == 200
    assert Message.objects.filter(to=STRANGER, direction="out").count() == 1
    # The household's STOP, in French, works too.
    assert at_text(client, partner, "Arrêt").status_code == 200
    assert SmsOptOut.objects.filter(partner=partner, phone=PHONE).exists()


def test_africastalking_with_an_unknown_secret_is_404(world, client, texting):
    form = {"from": PHONE, "to": "12345", "text": "hello", "id": "ATXid_1"}
    assert client.post("/hooks/sms/africastalking/not-the-secret/", form).status_code == 404
    assert client.post("/hooks/ussd/africastalking/not-the-secret/", form).status_code == 404
    assert not Message.objects.exists()
    assert client.post(at_url(world.a.partner), form).status_code == 200
    assert "1/7 " in last_reply(texting)


def test_africastalkings_retry_with_the_same_id_changes_nothing(world, client, texting):
    partner = world.a.partner
    at_text(client, partner, "hello")
    at_text(client, partner, "1000", message_id="ATXid_same")
    at_text(client, partner, "1000", message_id="ATXid_same")
    assert len(replies(texting)) == 2
    assert SmsSurveySession.objects.get(family=texting).position == 1


def test_a_large_body_is_refused(world, client, texting):
    response = at_text(client, world.a.partner, "1" * 17000)
    assert response.status_code == 413
    assert not Message.objects.exists()
    assert at_text(client, world.a.partner, "hello").status_code == 200


def test_what_cannot_be_stored_answers_200_and_changes_nothing(
    world, client, texting, twilio_server
):
    # PostgreSQL stores no NUL character: the failure is logged, the provider gets its answer.
    response = twilio_post(client, twilio_form("12\x0034"))
    assert response.status_code == 200 and response.content.decode().endswith("<Response/>")
    assert at_text(client, world.a.partner, "\x00").status_code == 200
    assert not Message.objects.filter(family=texting).exists()
    assert twilio_post(client, twilio_form("hello")).status_code == 200
    assert Message.objects.filter(family=texting, direction="in").count() == 1


def test_the_hooks_take_posts_only(world, client):
    assert client.get(URL).status_code == 405
    assert client.get(at_url(world.a.partner)).status_code == 405
    assert client.get(at_url(world.a.partner, "ussd")).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_a_households_text_costs_the_hook_two_queries_and_waits_for_the_task(
    world, client, texting, django_assert_num_queries
):
    """Under a provider's burst the hook only keeps the text (the household by its number, then
    the text: no transaction around one INSERT, the partner of the secret remembered) and hands
    it to the task that answers it."""
    from mutuality.celery import app

    partner = world.a.partner
    at_text(client, partner, "hello")  # answered at once, in-process: the first question
    assert "1/7 " in last_reply(texting)
    url, form = at_url(partner), {"from": PHONE, "to": "12345", "text": "1000", "id": "ATXid_b"}
    app.conf.task_always_eager = False  # queued for a worker, as in production
    try:
        with django_assert_num_queries(2):
            assert client.post(url, form).status_code == 200
    finally:
        app.conf.task_always_eager = True
        app.control.purge()
    waiting = Message.objects.get(family=texting, direction="in", handled_at=None)
    assert waiting.body == "1000"
    assert len(replies(texting)) == 1  # not answered yet: that is the task's work
