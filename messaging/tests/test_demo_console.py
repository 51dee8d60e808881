"""The demo site's console: what the console SMS backend "sent", sign-in codes included, for
platform admins (everything) and partner staff (their partner's and the partner-less ones).
Outside demo mode the page does not exist."""

import pytest
from django.urls import reverse

from messaging.models import Message
from messaging.services import send_sms
from tests import clock
from tests.factories import UserFactory

CONSOLE = "/demo/messages/"


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    settings.SMS_URL = "console://"


def signed_in(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def sent(world, demo, django_capture_on_commit_callbacks):
    """A sign-in code of no partner, and a text from each partner, through the console."""
    with django_capture_on_commit_callbacks(execute=True):
        code = send_sms(
            to="+15105550142",
            body="Your sign-in code was sent.",
            private_body="Your Mutuality code is 482913",
            template="signin_code",
        )
        a = send_sms(
            to="+15105550143",
            body="Partner A: you will get no more messages.",
            template="stop_confirmed",
            partner=world.a.partner,
        )
        b = send_sms(
            to="+231777123456",
            body="Partner B: you will get no more messages.",
            template="stop_confirmed",
            partner=world.b.partner,
        )
    return code, a, b


def test_the_url_is_the_documented_one():
    assert reverse("demo_messages") == CONSOLE


def test_staff_see_their_partners_messages_and_the_codes_newest_first(world, client, sent):
    code, _a, _b = sent
    assert Message.objects.get(pk=code.pk).status == Message.Status.SENT  # the console "sent" it

    page = text(signed_in(client, world.a.staff).get(CONSOLE))

    assert "Your Mutuality code is 482913" in page and "Sign-in code" in page
    assert "Partner A: you will get no more messages." in page
    assert "Partner B" not in page
    assert page.index("Partner A: you will") < page.index("482913")  # newest first


def test_platform_admins_see_every_partners_messages(world, client, sent):
    operator = UserFactory(email="operator@example.org", is_superuser=True)
    page = text(signed_in(client, operator).get(CONSOLE))
    assert "482913" in page
    assert "Partner A: you will" in page and "Partner B: you will" in page


def test_the_console_pages_25_at_a_time(world, client, demo):
    for n in range(30):
        Message.objects.create(
            partner=world.a.partner,
            to="+15105550142",
            body=f"console text {n:02d}",
            status=Message.Status.SENT,
            created_at=clock.at(-30 + n),
        )
    signed_in(client, world.a.admin)
    first = text(client.get(CONSOLE))
    assert "console text 29" in first and "console text 05" in first
    assert "console text 04" not in first
    second = text(client.get(CONSOLE + "?page=2"))
    assert "console text 04" in second and "console text 00" in second


def test_the_staff_dashboard_links_the_console_only_in_demo_mode(world, client, settings):
    home = reverse("partner_home", kwargs={"partner_slug": world.a.partner.slug})
    signed_in(client, world.a.staff)
    assert CONSOLE not in text(client.get(home))
    settings.DEMO_MODE = True
    assert CONSOLE in text(client.get(home))


def test_outside_demo_mode_the_console_is_404_for_everyone(world, client):
    Message.objects.create(partner=world.a.partner, to="+15105550142", body="kept text")
    assert client.get(CONSOLE).status_code == 404  # not even a redirect to sign in
    refused = signed_in(client, world.a.staff).get(CONSOLE)
    assert refused.status_code == 404 and "kept text" not in text(refused)
    # The rest of the staff's pages are there.
    home = reverse("partner_home", kwargs={"partner_slug": world.a.partner.slug})
    assert client.get(home).status_code == 200


def test_anonymous_visitors_of_a_demo_site_are_sent_to_sign_in(client, sent):
    response = client.get(CONSOLE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "482913" not in text(response)


def test_families_and_liaisons_get_404(world, client, sent):
    for user in (world.a.seed_member, world.a.liaison, world.outsider):
        refused = signed_in(client, user).get(CONSOLE)
        assert refused.status_code == 404, user
        assert "482913" not in text(refused)
    assert signed_in(client, world.a.admin).get(CONSOLE).status_code == 200
