"""Providers' delivery reports move a sent message to delivered or failed, once."""

import pytest
from twilio.request_validator import RequestValidator

from messaging.models import Message
from messaging.services import partner_messaging

pytestmark = pytest.mark.django_db

SID = "AC" + "b" * 32
TOKEN = "the-auth-token"
TWILIO_URL = "/hooks/sms/twilio/status/"


@pytest.fixture
def twilio_settings(settings):
    settings.SMS_URL = f"twilio://{SID}:{TOKEN}@"


def _sent(world, provider, provider_id):
    return Message.objects.create(
        partner=world.a.partner,
        to="+254711000111",
        body="Your survey is open.",
        status=Message.Status.SENT,
        provider=provider,
        provider_id=provider_id,
    )


def _twilio_post(client, form, token=TOKEN):
    signature = RequestValidator(token).compute_signature("http://testserver" + TWILIO_URL, form)
    return client.post(TWILIO_URL, form, HTTP_X_TWILIO_SIGNATURE=signature)


def test_twilio_report_marks_the_message_delivered_and_a_retry_changes_nothing(
    world, client, twilio_settings
):
    message = _sent(world, "twilio", "SM123")
    form = {"MessageSid": "SM123", "MessageStatus": "delivered", "AccountSid": SID}
    assert _twilio_post(client, form).status_code == 204
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    first_at = message.status_at
    # Twilio's retry, then a late "sent": the message stays delivered.
    assert _twilio_post(client, form).status_code == 204
    assert _twilio_post(client, {**form, "MessageStatus": "sent"}).status_code == 204
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED and message.status_at == first_at


def test_twilio_undelivered_keeps_the_error_code(world, client, twilio_settings):
    message = _sent(world, "twilio", "SM124")
    form = {"MessageSid": "SM124", "MessageStatus": "undelivered", "ErrorCode": "30003"}
    assert _twilio_post(client, form).status_code == 204
    message.refresh_from_db()
    assert message.status == Message.Status.UNDELIVERED
    assert message.error == "Twilio 30003"


def test_a_forged_twilio_report_is_refused_and_changes_nothing(world, client, twilio_settings):
    message = _sent(world, "twilio", "SM125")
    form = {"MessageSid": "SM125", "MessageStatus": "failed"}
    assert _twilio_post(client, form, token="not-the-token").status_code == 403
    assert client.post(TWILIO_URL, form).status_code == 403
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert _twilio_post(client, form).status_code == 204


def test_a_large_report_is_refused(world, client, twilio_settings):
    form = {"MessageSid": "SM126", "MessageStatus": "delivered", "Padding": "x" * 5000}
    assert _twilio_post(client, form).status_code == 413


def test_africastalking_report_at_the_partners_secret_address(world, client):
    message = _sent(world, "africastalking", "ATXid_9")
    secret = partner_messaging(world.a.partner).hook_secret
    url = f"/hooks/sms/africastalking/{secret}/delivery/"
    form = {
        "id": "ATXid_9",
        "status": "Failed",
        "phoneNumber": "+254711000111",
        "networkCode": "63902",
        "failureReason": "AbsentSubscriber",
    }
    assert client.post(url, form).status_code == 200
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.error == "AbsentSubscriber"
    # The same report again, and one for a message we never sent: still 200, nothing moves.
    assert client.post(url, form).status_code == 200
    assert client.post(url, {**form, "id": "ATXid_unknown"}).status_code == 200
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED


def test_africastalking_report_with_an_unknown_secret_is_404(world, client):
    message = _sent(world, "africastalking", "ATXid_10")
    form = {"id": "ATXid_10", "status": "Success", "phoneNumber": "+254711000111"}
    assert client.post("/hooks/sms/africastalking/not-a-secret/delivery/", form).status_code == 404
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    secret = partner_messaging(world.a.partner).hook_secret
    assert client.post(f"/hooks/sms/africastalking/{secret}/delivery/", form).status_code == 200
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
