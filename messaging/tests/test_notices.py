"""Notices reach a household by its channel and in its language: the month's survey is open
(then one reminder), a correction was asked with the reason, the survey verified with its
stipend, a payment that failed. Each goes once; a household that chose none gets nothing."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from babel.numbers import format_currency
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent
from messaging.models import Message, NoticePreference
from messaging.services import notice_preference_set, partner_messaging
from mutuality.errors import Conflict, InvalidInput
from surveys import notices
from surveys import services as survey_services
from surveys.models import PaymentBatch, Stipend
from surveys.services import payment_batch_create, stipend_mark
from surveys.tests.test_family_surveys import ask_correction, staff_seat
from surveys.tests.test_review_pages import submitted
from tests import clock
from tests.seats import seed_seat
from tests.seats import signed_in as api_signed_in

PHONE = "+15105550142"


@pytest.fixture
def phone_only(world):
    """Partner A's seed household: a phone, no email, no quiet hours in the way."""
    family = world.a.seed_family
    family.contact_phone, family.contact_email = PHONE, ""
    family.save()
    row = partner_messaging(world.a.partner)
    row.quiet_hours_start = row.quiet_hours_end = datetime.time(0)
    row.save()
    return family


def texts_to(family, template):
    return list(
        Message.objects.filter(family=family, template=template, channel="sms").values_list(
            "body", flat=True
        )
    )


def test_a_correction_is_texted_with_the_reason_and_no_link(
    world, phone_only, django_capture_on_commit_callbacks
):
    survey = submitted(phone_only)
    with django_capture_on_commit_callbacks(execute=True):
        ask_correction(world.a, survey, note="Savings went from 80 to 8000: is that right?")

    [text] = texts_to(phone_only, "correction_asked")
    assert "asked for a correction to the survey for" in text
    assert clock.month_label(-2) in text
    assert "Inconsistent with last month: Savings went from 80 to 8000" in text
    assert "http" not in text  # a link needs data
    assert Message.objects.get(template="correction_asked").status == "sent"


def test_a_verified_survey_tells_the_stipend_in_the_familys_language(world, phone_only):
    NoticePreference.objects.create(family=phone_only, channel="sms", language="fr")
    survey = submitted(phone_only)
    survey_services.survey_verify(seat=staff_seat(world.a), response=survey, evidence="seen")

    [text] = texts_to(phone_only, "survey_verified")
    amount = format_currency(world.a.partner.stipend_amount, "USD", locale="fr")
    assert amount in text
    assert "vérifiée" in text
    assert Message.objects.get(template="survey_verified").language == "fr"


def test_an_email_household_gets_an_email_with_the_page_to_open(
    world, django_capture_on_commit_callbacks
):
    family = world.a.friend_family  # an email, no phone
    survey = submitted(family)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ask_correction(world.a, survey)

    [email] = mail.outbox
    assert email.to == [family.contact_email]
    assert "A correction to your survey for" in email.subject
    assert reverse("survey_list") in email.body
    assert Message.objects.get(template="correction_asked").channel == "email"
    assert not Message.objects.filter(channel="sms").exists()


def test_a_household_that_chose_no_notices_gets_none(world, phone_only):
    notice_preference_set(seat=seed_seat(world.a), channel="none")
    survey = submitted(phone_only)
    ask_correction(world.a, survey)
    assert not Message.objects.filter(family=phone_only).exists()
    # Its neighbour, who chose nothing, still hears.
    other = submitted(world.a.friend_family)
    ask_correction(world.a, other)
    assert Message.objects.filter(family=world.a.friend_family).count() == 1


def test_a_failed_payment_is_texted_once_with_what_to_do(world, phone_only):
    survey = submitted(phone_only)
    survey_services.survey_verify(seat=staff_seat(world.a), response=survey, evidence="seen")
    stipend = Stipend.objects.get(survey=survey)
    staff = staff_seat(world.a, "staff")
    payment_batch_create(seat=staff, name="November", stipend_ids=[stipend.pk])
    stipend_mark(seat=staff, stipend=stipend, status="failed", note="wrong number")

    [text] = texts_to(phone_only, "payment_failed")
    assert "did not go through" in text and "Tell your liaison" in text
    assert format_currency(Decimal(stipend.amount), "USD", locale="en") in text
    assert PaymentBatch.objects.count() == 1


def test_the_month_opens_once_and_reminds_once_those_who_have_not_sent(world, phone_only):
    partner = world.a.partner
    friend = world.a.friend_family
    submitted(friend, period=clock.period(0))  # already sent this month: no notice
    opening = clock.on(0, 1)
    with time_machine.travel(datetime.datetime.combine(opening, datetime.time(9)), tick=False):
        assert notices.month_open(partner) == 1
        assert notices.month_open(partner) == 0  # the daily job again: nothing more
    [opened] = texts_to(phone_only, "survey_open")
    assert clock.month_label(0) in opened
    assert not Message.objects.filter(family=friend).exists()

    late = opening + datetime.timedelta(days=partner_messaging(partner).reminder_after_days)
    with time_machine.travel(datetime.datetime.combine(late, datetime.time(9)), tick=False):
        assert notices.month_open(partner) == 1
        assert notices.month_open(partner) == 0
    assert len(texts_to(phone_only, "survey_reminder")) == 1
    # Partner B's households are partner B's business: its own run, its own notices.
    assert not Message.objects.filter(partner=world.b.partner).exists()


def test_a_channel_needs_its_contact_and_nothing_is_written_when_refused(world, phone_only):
    with pytest.raises(Conflict) as refused:
        notice_preference_set(seat=seed_seat(world.a), channel="email")
    assert "no email address" in refused.value.errors["channel"][0]
    assert not NoticePreference.objects.exists()
    with pytest.raises(InvalidInput) as refused:
        notice_preference_set(seat=seed_seat(world.a), channel="pigeon")
    assert "channel" in refused.value.errors
    notice_preference_set(seat=seed_seat(world.a), channel="sms", language="es")
    assert NoticePreference.objects.get().language == "es"
    assert AuditEvent.objects.filter(verb="notices.preference").count() == 1


# The API and the page ---------------------------------------------------------------------------

NOTIFICATIONS = "/api/v1/me/notifications/"


def test_a_household_reads_and_sets_its_notices_through_the_api(world, api, phone_only):
    api_signed_in(api, world.a.seed_member)
    assert api.get(NOTIFICATIONS).json() == {"channel": "sms", "language": ""}

    refused = api.put(NOTIFICATIONS, {"channel": "pigeon"}, format="json")
    assert refused.status_code == 400
    assert "channel" in refused.json()["errors"]
    bad_language = api.put(NOTIFICATIONS, {"channel": "sms", "language": "xx"}, format="json")
    assert bad_language.status_code == 400
    assert "language" in bad_language.json()["errors"]
    no_email = api.put(NOTIFICATIONS, {"channel": "email"}, format="json")
    assert no_email.status_code == 409
    assert "no email address" in no_email.json()["errors"]["channel"][0]
    assert not NoticePreference.objects.exists()

    saved = api.put(NOTIFICATIONS, {"channel": "none", "language": "fr"}, format="json")
    assert saved.status_code == 200
    assert api.get(NOTIFICATIONS).json() == {"channel": "none", "language": "fr"}
    # The neighbour's choice is its own.
    api_signed_in(api, world.a.friend_member)
    assert api.get(NOTIFICATIONS).json() == {"channel": "email", "language": ""}


def test_staff_and_funders_get_no_notices_to_set(world, api):
    for user in (world.a.staff, world.a.funder):
        api_signed_in(api, user)
        assert api.get(NOTIFICATIONS).status_code == 404
        assert api.put(NOTIFICATIONS, {"channel": "sms"}, format="json").status_code == 404
    assert not NoticePreference.objects.exists()


def test_a_household_chooses_its_notices_on_its_page(world, client, phone_only):
    client.force_login(world.a.seed_member)
    page = client.get(reverse("family_notices"))
    assert page.status_code == 200
    assert "Text messages go to +1 510-555-0142." in page.content.decode()

    refused = client.post(reverse("family_notices"), {"channel": "both", "language": ""})
    assert refused.status_code == 409
    assert "no email address" in refused.content.decode()
    assert not NoticePreference.objects.exists()

    saved = client.post(reverse("family_notices"), {"channel": "none", "language": "es"})
    assert saved.status_code == 302
    assert NoticePreference.objects.get(family=phone_only).channel == "none"


def test_an_email_notice_is_tried_again_when_the_mail_server_is_down_then_given_up(
    world, settings, django_capture_on_commit_callbacks
):
    import socket

    from mutuality.celery import app

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    survey = submitted(world.a.friend_family)
    # Eager tasks run a retry at once, as long as the Retry is not propagated to the caller.
    propagates, app.conf.task_eager_propagates = app.conf.task_eager_propagates, False
    try:
        with django_capture_on_commit_callbacks(execute=True):
            ask_correction(world.a, survey)
    finally:
        app.conf.task_eager_propagates = propagates

    message = Message.objects.get(template="correction_asked", channel="email")
    assert message.status == "failed"
    assert message.attempts == 5
    assert message.error  # why, for staff
    assert message.to == world.a.friend_family.contact_email
