"""Sessions end on their own: staff roles after 30 idle minutes and at most 12 hours after
signing in, families after 12 idle hours. The user is sent to sign in and told why."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from tests import factories

LOGIN = reverse("account_login")
IDLE_MESSAGE = "You were signed out after a while without activity. Sign in again."
LIMIT_MESSAGE = "You were signed out because your session reached its time limit. Sign in again."


@pytest.fixture
def clock():
    with time_machine.travel(datetime.now(UTC).replace(microsecond=0), tick=False) as traveller:
        yield traveller


def partner_home(tenant):
    return reverse("partner_home", args=[tenant.partner.slug])


def signed_out_to_sign_in(response, path):
    return response.status_code == 302 and response["Location"] == f"{LOGIN}?next={path}"


def test_a_liaison_idle_for_29_minutes_is_still_signed_in(world, client, clock):
    client.force_login(world.a.liaison)
    clock.shift(timedelta(minutes=29))

    response = client.get(partner_home(world.a))

    assert response.status_code == 200
    assert "Cohort A" in response.content.decode()


def test_a_liaison_idle_for_31_minutes_is_signed_out_and_told_why(world, client, clock):
    client.force_login(world.a.liaison)
    clock.shift(timedelta(minutes=31))

    response = client.get(partner_home(world.a))

    assert signed_out_to_sign_in(response, partner_home(world.a))
    assert client.session.get("_auth_user_id") is None
    page = client.get(response["Location"])
    assert IDLE_MESSAGE in page.content.decode()
    # Signing in again works at once.
    client.force_login(world.a.liaison)
    assert client.get(partner_home(world.a)).status_code == 200


def test_activity_keeps_a_staff_session_alive(world, client, clock):
    client.force_login(world.a.staff)
    for _step in range(4):
        clock.shift(timedelta(minutes=20))
        assert client.get(partner_home(world.a)).status_code == 200


def test_a_staff_session_ends_after_12_hours_even_while_in_use(world, client, clock):
    client.force_login(world.a.staff)
    for _step in range(35):  # every 20 minutes: 11 h 40 min
        clock.shift(timedelta(minutes=20))
        assert client.get(partner_home(world.a)).status_code == 200

    clock.shift(timedelta(minutes=21))
    response = client.get(partner_home(world.a))

    assert signed_out_to_sign_in(response, partner_home(world.a))
    assert LIMIT_MESSAGE in client.get(response["Location"]).content.decode()


def test_a_family_idle_for_11_hours_is_still_signed_in(world, client, clock):
    client.force_login(world.a.seed_member)
    clock.shift(timedelta(hours=11))

    response = client.get(reverse("family_home"))

    assert response.status_code == 200
    assert "Seed household A" in response.content.decode()


def test_a_family_idle_for_12_hours_and_a_minute_is_signed_out(world, client, clock):
    client.force_login(world.a.seed_member)
    clock.shift(timedelta(hours=12, minutes=1))

    response = client.get(reverse("family_home"))

    assert signed_out_to_sign_in(response, reverse("family_home"))
    assert IDLE_MESSAGE in client.get(response["Location"]).content.decode()


def test_a_family_in_use_has_no_absolute_limit(world, client, clock):
    client.force_login(world.a.seed_member)
    for _step in range(8):  # every 6 hours for two days
        clock.shift(timedelta(hours=6))
        assert client.get(reverse("family_home")).status_code == 200


def test_a_platform_admin_has_the_staff_limits(world, client, clock):
    operator = factories.UserFactory(email="operator@example.org", is_superuser=True)
    factories.enable_totp(operator)
    client.force_login(operator)
    clock.shift(timedelta(minutes=29))
    assert client.get(reverse("platform_home")).status_code == 200

    clock.shift(timedelta(minutes=31))
    response = client.get(reverse("platform_home"))

    assert signed_out_to_sign_in(response, reverse("platform_home"))


def test_an_expired_session_gets_a_401_from_the_api(world, client, clock):
    client.force_login(world.a.liaison)
    assert client.get("/api/v1/me/").status_code == 200
    clock.shift(timedelta(minutes=31))

    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json() == {"message": IDLE_MESSAGE, "errors": {}}
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_a_signed_in_staff_member_through_the_pages_gets_the_limits_too(world, client, clock):
    from accounts.tests.helpers import totp_code

    client.post(LOGIN, {"login": world.a.staff.email, "password": factories.PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(world.a.staff)})
    assert client.get(partner_home(world.a)).status_code == 200

    clock.shift(timedelta(minutes=31))

    assert signed_out_to_sign_in(client.get(partner_home(world.a)), partner_home(world.a))


def test_the_reason_is_given_in_the_users_language(world, client, clock):
    client.force_login(world.a.seed_member)
    clock.shift(timedelta(hours=13))

    response = client.get(reverse("family_home"), follow=True, HTTP_ACCEPT_LANGUAGE="es")

    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "Se cerró su sesión después de un rato sin actividad." in response.content.decode()
