"""Recording and sending a text message through the console backend (the `make run` default)."""

import pytest

from messaging.models import Message
from messaging.services import opt_out, send_sms

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_message_is_recorded_then_printed_once(world, capsys):
    partner = world.a.partner
    message = send_sms(
        to="+231777123456",
        body="Your survey is open.",
        template="survey_open",
        partner=partner,
        dedupe_key="survey_open:1",
    )
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.provider == "console"
    assert "SMS to +231777123456: Your survey is open." in capsys.readouterr().out
    # The same notice again goes nowhere.
    assert (
        send_sms(
            to="+231777123456",
            body="Your survey is open.",
            partner=partner,
            dedupe_key="survey_open:1",
        )
        is None
    )
    assert Message.objects.filter(dedupe_key="survey_open:1").count() == 1


def test_a_number_that_said_stop_gets_nothing(world, capsys):
    partner = world.a.partner
    assert opt_out(partner, "+231777123456") is True
    message = send_sms(to="+231777123456", body="Your survey is open.", partner=partner)
    assert message.status == Message.Status.SUPPRESSED
    assert "SMS to" not in capsys.readouterr().out
    # Another partner's families are not affected.
    other = send_sms(to="+231777123456", body="Hello", partner=world.b.partner)
    other.refresh_from_db()
    assert other.status == Message.Status.SENT


def test_a_sign_in_code_is_sent_but_never_kept(world, capsys, settings):
    settings.DEMO_MODE = False
    message = send_sms(
        to="+231777123456",
        body="Sign-in code sent.",
        private_body="Your code: 482913",
        template="signin_code",
        partner=world.a.partner,
    )
    message.refresh_from_db()
    assert "Your code: 482913" in capsys.readouterr().out
    assert message.status == Message.Status.SENT
    assert "482913" not in message.body


def test_stop_in_the_partners_languages_ends_messages_after_one_confirmation(world, capsys):
    from messaging.services import is_stop_word, opt_out_and_confirm

    partner = world.a.partner
    partner.languages = ["en", "fr"]
    assert is_stop_word(partner, " Arrêt. ") and is_stop_word(partner, "STOP")
    assert not is_stop_word(partner, "350")
    opt_out_and_confirm(partner=partner, phone="+231777123456", language="fr")
    assert "SMS to +231777123456:" in capsys.readouterr().out
    later = send_sms(to="+231777123456", body="Your survey is open.", partner=partner)
    assert later.status == Message.Status.SUPPRESSED
