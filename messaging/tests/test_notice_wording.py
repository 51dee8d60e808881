"""Partner admins word the notices their way, per language; a wording stays a notice (the same
facts, one text message, no link or number), and families get it from then on."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from messaging.models import Message, NoticeWording
from messaging.notices import month_key, notify_family
from messaging.services import partner_messaging
from tests import clock

OWN = "%(partner)s: it is survey time for %(month)s! Tell us how the month went."


def edit_url(tenant, notice="survey_open", language="en"):
    return reverse("notice_wording_edit", args=[tenant.partner.slug, notice, language])


def reset_url(tenant, notice="survey_open", language="en"):
    return reverse("notice_wording_reset", args=[tenant.partner.slug, notice, language])


@pytest.fixture
def texted_family(world):
    family = world.a.seed_family
    family.contact_phone, family.contact_email = "+15105550142", ""
    family.save()
    row = partner_messaging(world.a.partner)
    row.quiet_hours_start = row.quiet_hours_end = datetime.time(0)
    row.save()
    return family


def test_an_admin_words_a_notice_and_families_get_it(
    world, client, texted_family, django_capture_on_commit_callbacks
):
    client.force_login(world.a.admin)
    page = client.get(reverse("notice_wording_list", args=[world.a.partner.slug]))
    assert page.status_code == 200 and "the survey for" in page.content.decode()

    response = client.post(edit_url(world.a), {"text": OWN})

    assert response.status_code == 302
    row = NoticeWording.objects.get(partner=world.a.partner, notice="survey_open", language="en")
    assert row.text == OWN and row.updated_by == world.a.admin
    assert AuditEvent.objects.filter(verb="notice_wording.set", partner=world.a.partner).exists()
    with django_capture_on_commit_callbacks(execute=True):
        notify_family(
            family=texted_family,
            notice="survey_open",
            key=month_key(texted_family, clock.month(0)),
            month=clock.month(0),
        )
    [body] = Message.objects.filter(family=texted_family).values_list("body", flat=True)
    assert body.startswith("Partner A: it is survey time for ")
    # Partner B's families still read the platform's wording.
    assert not NoticeWording.objects.filter(partner=world.b.partner).exists()


@pytest.mark.parametrize(
    "text, problem",
    [
        ("Survey time! Tell us how the month went.", "Keep each of these exactly once"),
        ("%(partner)s %(month)s %(month)s", "Keep each of these exactly once"),
        ("%(partner)s %(month)s %(amount)s", "Keep each of these exactly once"),
        ("%(partner)s: %(month)s, see https://example.org/s", "no link"),
        ("%(partner)s: %(month)s, call +1 510 555 0199", "no phone number"),
        ("%(partner)s: %(month)s " + "and then " * 20, "Too long for one text message"),
        ("%(partner)s: %(month)s at 100% ", "Use the facts only as they are written"),
    ],
)
def test_a_wording_that_is_not_that_notice_is_refused(world, client, text, problem):
    client.force_login(world.a.admin)

    response = client.post(edit_url(world.a), {"text": text})

    assert response.status_code == 400
    assert any(problem in error for error in response.context["form"].errors["text"])
    assert not NoticeWording.objects.filter(partner=world.a.partner).exists()
    assert "the survey for" in response.content.decode()  # the platform's wording, shown


def test_only_the_partners_admins_word_its_notices(world, client):
    client.force_login(world.a.staff)
    assert client.post(edit_url(world.a), {"text": OWN}).status_code == 403
    client.force_login(world.b.admin)
    assert client.post(edit_url(world.a), {"text": OWN}).status_code == 404
    assert client.get(edit_url(world.a, language="fr")).status_code == 404  # not A's language
    assert client.get(edit_url(world.a, notice="free_message")).status_code == 404
    assert not NoticeWording.objects.exists()
    client.force_login(world.a.admin)
    assert client.get(edit_url(world.a)).status_code == 200


def test_going_back_to_the_platforms_wording_asks_first(world, client):
    client.force_login(world.a.admin)
    client.post(edit_url(world.a), {"text": OWN})

    asked = client.get(reset_url(world.a))
    assert asked.status_code == 200 and "Back to the platform" in asked.content.decode()
    assert NoticeWording.objects.filter(partner=world.a.partner).exists()

    done = client.post(reset_url(world.a))

    assert done.status_code == 302
    assert not NoticeWording.objects.filter(partner=world.a.partner).exists()
    assert AuditEvent.objects.filter(verb="notice_wording.reset").exists()
