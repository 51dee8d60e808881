"""Each provider's official client, talking to a local server that speaks its protocol."""

import pytest

from messaging.models import Message
from messaging.services import send_sms
from messaging.tests.provider_servers import (
    ProviderServer,
    africastalking_answer,
    android_gateway_answer,
    twilio_answer,
)

pytestmark = pytest.mark.django_db(transaction=True)

SID = "AC" + "a" * 32
AT_OK = {"status": "Success", "statusCode": 101, "cost": "KES 0.8000"}


@pytest.fixture(autouse=True)
def eager_retries():
    """Eager tasks run a retry at once, as long as the Retry is not propagated to the caller."""
    from mutuality.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


@pytest.fixture
def twilio_server(settings):
    server = ProviderServer(twilio_answer)
    settings.SMS_URL = f"twilio://{SID}:secret-token@?from=%2B15005550006&base_url={server.url}"
    yield server
    server.close()


@pytest.fixture
def at_server(settings):
    server = ProviderServer(africastalking_answer)
    settings.SMS_URL = f"africastalking://coop:the-api-key@?from=COOP&base_url={server.url}"
    yield server
    server.close()


def _send(world, key="notice:1"):
    message = send_sms(
        to="+254711000111",
        body="Your survey for this month is open.",
        template="survey_open",
        partner=world.a.partner,
        dedupe_key=key,
    )
    message.refresh_from_db()
    return message


def test_twilio_sends_and_records_the_sid_and_price(world, twilio_server):
    twilio_server.answers = [(201, {"price": "-0.00750"})]
    message = _send(world)
    assert message.status == Message.Status.SENT
    assert message.provider == "twilio"
    assert message.provider_id.startswith("SM")
    assert str(message.cost) == "0.0075" and message.cost_currency == "USD"
    (request,) = twilio_server.requests
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["form"] == {
        "To": "+254711000111",
        "From": "+15005550006",
        "Body": "Your survey for this month is open.",
    }
    assert request["headers"]["authorization"].startswith("Basic ")


def test_twilio_invalid_number_fails_once_without_retry(world, twilio_server):
    twilio_server.answers = [
        (
            400,
            {
                "code": 21211,
                "message": "The 'To' number is not a valid phone number.",
                "more_info": "https://www.twilio.com/docs/errors/21211",
                "status": 400,
            },
        )
    ]
    message = _send(world)
    assert message.status == Message.Status.FAILED
    assert "21211" in message.error
    assert len(twilio_server.requests) == 1


def test_twilio_down_then_up_is_retried_and_sent_once(world, twilio_server):
    twilio_server.answers = [
        (503, {"code": 20503, "message": "Service unavailable", "status": 503}),
        (429, {"code": 20429, "message": "Too Many Requests", "status": 429}),
        (201, {"price": None}),
    ]
    message = _send(world)
    assert message.status == Message.Status.SENT
    assert message.attempts == 3
    assert message.cost is None
    assert len(twilio_server.requests) == 3


def test_africastalking_sends_and_records_the_cost(world, at_server):
    at_server.answers = [(201, AT_OK)]
    message = _send(world)
    assert message.status == Message.Status.SENT
    assert message.provider == "africastalking"
    assert message.provider_id == "ATXid_1"
    assert str(message.cost) == "0.8000" and message.cost_currency == "KES"
    (request,) = at_server.requests
    assert request["path"] == "/version1/messaging"
    assert request["headers"]["apikey"] == "the-api-key"
    assert request["form"]["username"] == "coop"
    assert request["form"]["to"] == "+254711000111"
    assert request["form"]["from"] == "COOP"


def test_africastalking_invalid_number_fails_without_retry(world, at_server):
    at_server.answers = [(201, {"status": "InvalidPhoneNumber", "statusCode": 403, "cost": "0"})]
    message = _send(world)
    assert message.status == Message.Status.FAILED
    assert "InvalidPhoneNumber" in message.error
    assert message.cost is None
    assert len(at_server.requests) == 1


def test_africastalking_gateway_error_then_success_sends_once(world, at_server):
    at_server.answers = [
        (500, {"error": "Internal Server Error"}),
        (201, {"status": "InternalServerError", "statusCode": 500, "cost": "0"}),
        (201, AT_OK),
    ]
    message = _send(world)
    assert message.status == Message.Status.SENT
    assert message.attempts == 3
    assert len(at_server.requests) == 3
    # The same notice again reaches nobody.
    assert (
        send_sms(to="+254711000111", body="again", partner=world.a.partner, dedupe_key="notice:1")
        is None
    )
    assert len(at_server.requests) == 3


def test_a_provider_that_never_recovers_leaves_the_message_failed(world, at_server):
    at_server.answers = [(503, {"error": "down"})]
    message = _send(world)
    assert message.status == Message.Status.FAILED
    assert "Africa's Talking" in message.error
    assert len(at_server.requests) == 5


@pytest.fixture
def gateway_server(settings):
    server = ProviderServer(android_gateway_answer)
    host = server.url.removeprefix("http://")
    settings.SMS_URL = f"http://sms:phone-pass@{host}/message"
    yield server
    server.close()


def test_an_android_phone_gateway_sends_with_basic_auth(world, gateway_server):
    gateway_server.answers = [(500, {"message": "busy"}), (202, {})]
    message = _send(world)
    assert message.status == Message.Status.SENT
    assert message.provider == "android" and message.provider_id == "gw2"
    assert message.attempts == 2
    request = gateway_server.requests[-1]
    assert request["path"] == "/message"
    assert request["form"] == {
        "message": "Your survey for this month is open.",
        "phoneNumbers": ["+254711000111"],
    }
    assert request["headers"]["authorization"] == "Basic c21zOnBob25lLXBhc3M="


def test_an_android_gateway_refusal_fails_without_retry(world, gateway_server):
    gateway_server.answers = [(400, {"message": "invalid phone number"})]
    message = _send(world)
    assert message.status == Message.Status.FAILED
    assert "400" in message.error
    assert len(gateway_server.requests) == 1
