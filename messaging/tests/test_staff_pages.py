"""What staff see of messages: a family's notice channel and its last messages, and the
partner's texts and their cost per month. Staff and admins see their partner's; liaisons a
family of their cohorts (not the partner's totals); everyone else gets 404."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messaging.models import Message, NoticePreference, SmsOptOut
from messaging.services import send_sms
from tests import clock
from tests.factories import CohortFactory, FamilyFactory, GroupFactory

PHONE = "+15105550142"
LOS_ANGELES = "America/Los_Angeles"


def family_page(tenant, family, page=None):
    address = reverse(
        "staff_family_messages",
        kwargs={"partner_slug": tenant.partner.slug, "family_id": family.pk},
    )
    return address + (f"?page={page}" if page else "")


def usage_page(tenant):
    return reverse("message_usage", kwargs={"partner_slug": tenant.partner.slug})


def signed_in(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def message(family, *, at, template="survey_open", **fields):
    values = {
        "partner": family.partner,
        "family": family,
        "to": family.contact_phone or PHONE,
        "template": template,
        "body": f"{family.partner.name}: the survey is open.",
        "status": Message.Status.SENT,
        "created_at": at,
    }
    return Message.objects.create(**{**values, **fields})


@pytest.fixture
def household(world):
    """Partner A (in Los Angeles) and its seed household with a phone."""
    partner = world.a.partner
    partner.timezone = LOS_ANGELES
    partner.save()
    family = world.a.seed_family
    family.contact_phone = PHONE
    family.save()
    return family


# A family's messages ---------------------------------------------------------------------------


def test_staff_see_the_channel_and_the_last_messages_in_the_partners_time(
    world, client, household, frozen
):
    NoticePreference.objects.create(family=household, channel="both", language="fr")
    sent_at = clock.at(-1)  # noon UTC yesterday
    message(
        household,
        at=sent_at,
        status=Message.Status.DELIVERED,
        cost=Decimal("0.0075"),
        cost_currency="USD",
    )
    message(
        household,
        at=clock.at(0, hours=-2),
        template="",
        direction=Message.Direction.IN,
        status=Message.Status.RECEIVED,
        body="Thank you!",
    )
    message(
        household,
        at=clock.at(0, hours=-1),
        template="signin_code",
        body="Your Mutuality code is 482913",
        status=Message.Status.FAILED,
        error="Twilio 21211: invalid number",
    )

    page = text(signed_in(client, world.a.staff).get(family_page(world.a, household)))

    assert "By text message and email" in page
    assert "French" in page
    assert "has not opted out" in page
    assert "The month&#x27;s survey is open" in page
    assert "Delivered" in page and "$0.0075" in page
    assert "Text from the family" in page and "Thank you!" in page and "Received" in page
    # A sign-in code is named, never shown.
    assert "Sign-in code" in page and "482913" not in page
    assert "Twilio 21211: invalid number" in page
    # Newest first: the code, the reply, then yesterday's notice.
    assert page.index("Sign-in code") < page.index("Thank you!") < page.index("$0.0075")
    local = sent_at.astimezone(zoneinfo.ZoneInfo(LOS_ANGELES))
    assert f"{local.hour % 12}:00\u202fAM" in page or f"{local.hour % 12}:00 AM" in page
    assert "12:00 PM" not in page  # not in UTC


def test_the_default_channel_and_a_number_that_opted_out(world, client, household):
    SmsOptOut.objects.create(partner=world.a.partner, phone=PHONE)
    # A STOP from the number that no family was matched to belongs to the household too.
    Message.objects.create(
        partner=world.a.partner,
        to=PHONE,
        direction=Message.Direction.IN,
        status=Message.Status.RECEIVED,
        body="STOP",
        created_at=clock.at(0, hours=-1),
    )

    page = text(signed_in(client, world.a.admin).get(family_page(world.a, household)))

    assert "By text message" in page and "not chosen by the household" in page
    assert "Opted out" in page and "answered STOP" in page
    assert "English" in page  # the partner's first language: nobody chose one
    assert "STOP" in page and "Text from the family" in page


def test_a_message_really_sent_appears_with_its_status(
    world, client, household, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_sms(
            to=PHONE,
            body="A notice.",
            template="stop_confirmed",
            partner=world.a.partner,
            family=household,
        )

    page = text(signed_in(client, world.a.staff).get(family_page(world.a, household)))

    assert "Confirmation of STOP" in page
    assert "A notice." in page and "Sent" in page


def test_messages_are_25_a_page_newest_first_in_constant_queries(
    world, client, household, django_assert_max_num_queries
):
    signed_in(client, world.a.staff)
    message(household, at=clock.at(-40), body="the oldest one")
    client.get(family_page(world.a, household))  # warm the session's first queries
    with CaptureQueriesContext(connection) as few:
        assert client.get(family_page(world.a, household)).status_code == 200
    for n in range(1, 30):
        message(household, at=clock.at(-30 + n), body=f"number {n:02d}")
    with django_assert_max_num_queries(len(few)):
        first = text(client.get(family_page(world.a, household)))
    assert first.count("<tr>") == 1 + 25  # the head and 25 messages
    assert "number 29" in first and "number 05" in first and "number 04" not in first
    assert first.index("number 29") < first.index("number 28")
    second = text(client.get(family_page(world.a, household, page=2)))
    assert "number 04" in second and "the oldest one" in second and "number 05" not in second


def test_the_staff_family_page_links_to_its_messages(world, client, household):
    address = reverse(
        "staff_family_detail",
        kwargs={"partner_slug": world.a.partner.slug, "family_id": household.pk},
    )
    page = text(signed_in(client, world.a.liaison).get(address))
    assert family_page(world.a, household) in page


def test_a_liaison_reads_their_cohorts_families_only(world, client, household):
    elsewhere = CohortFactory(partner=world.a.partner, name="Not theirs")
    other = FamilyFactory(group=GroupFactory(cohort=elsewhere), contact_phone="+15105550199")
    message(other, at=clock.at(-1), body="for the other cohort")
    signed_in(client, world.a.liaison)

    assert client.get(family_page(world.a, other)).status_code == 404
    mine = client.get(family_page(world.a, household))
    assert mine.status_code == 200 and "By text message" in text(mine)


def test_another_partners_staff_get_404(world, client, household):
    message(household, at=clock.at(-1), body="A's notice")
    signed_in(client, world.b.staff)

    refused = client.get(family_page(world.a, household))
    assert refused.status_code == 404 and "A&#x27;s notice" not in text(refused)
    # Their own partner's page with A's family id is 404 too; their own family is shown.
    assert client.get(family_page(world.b, household)).status_code == 404
    assert client.get(family_page(world.b, world.b.seed_family)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, world, household):
    response = client.get(family_page(world.a, household))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]
    response = client.get(usage_page(world.a))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


# A partner's usage -----------------------------------------------------------------------------


def test_the_usage_counts_texts_and_sums_their_cost_per_month_in_the_partners_time(
    world, client, household, frozen
):
    this_month = clock.at(-1)
    for status in ["delivered", "delivered", "failed", "sent", "suppressed"]:
        cost = Decimal("0.0075") if status == "delivered" else None
        message(household, at=this_month, status=status, cost=cost, cost_currency="USD")
    message(household, at=this_month, direction="in", status="received", template="")
    message(
        household,
        at=this_month,
        channel="email",
        to="seed@a.example.org",
        status="sent",
    )
    # 03:00 UTC on the 1st is still the month before in Los Angeles.
    first = datetime.datetime.combine(clock.on(0, 1), datetime.time(3), tzinfo=datetime.UTC)
    message(household, at=first, status="delivered", cost=Decimal("0.05"), cost_currency="EUR")
    message(household, at=clock.at(-400), status="delivered")  # older than a year
    message(world.b.seed_family, at=this_month, status="delivered", to="+231777123456")

    response = signed_in(client, world.a.staff).get(usage_page(world.a))

    assert response.status_code == 200
    page = text(response)
    rows = page.split("<tr>")[2:]  # past the head
    assert len(rows) == 12
    current, last = rows[0], rows[1]
    assert clock.month_label(0) in current
    cells = [cell.split("</td>")[0] for cell in current.split("<td>")[1:]]
    # sent (4: delivered twice, failed, sent), delivered, failed, not sent, received, emails
    assert cells[:6] == ["4", "2", "1", "1", "1", "1"]
    assert "$0.015" in cells[6]
    assert clock.month_label(-1) in last
    assert "€0.05" in last
    assert "none known" in rows[2]


def test_the_usage_speaks_the_readers_language(world, client, household):
    message(
        household, at=clock.at(-1), status="delivered", cost=Decimal("1.5"), cost_currency="USD"
    )
    world.a.staff.language = "es"
    world.a.staff.save()

    page = text(signed_in(client, world.a.staff).get(usage_page(world.a)))

    assert "1,50\xa0US$" in page
    assert clock.month_label(0, "es") in page


def test_a_liaison_may_not_see_the_partners_usage(world, client, household):
    signed_in(client, world.a.liaison)
    assert client.get(usage_page(world.a)).status_code == 403
    assert client.get(family_page(world.a, household)).status_code == 200


def test_another_partners_staff_get_404_for_the_usage(world, client):
    signed_in(client, world.b.admin)
    assert client.get(usage_page(world.a)).status_code == 404
    assert client.get(usage_page(world.b)).status_code == 200


def test_the_staff_navigation_names_the_usage_page(world, client):
    home = reverse("partner_home", kwargs={"partner_slug": world.a.partner.slug})
    assert usage_page(world.a) in text(signed_in(client, world.a.staff).get(home))
    assert usage_page(world.a) not in text(signed_in(client, world.a.liaison).get(home))
