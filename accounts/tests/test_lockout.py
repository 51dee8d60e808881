"""A lockout that cannot be turned against the account's owner.

Behind the TLS proxy every request comes from the proxy's address; the client's is the last
entry of `X-Forwarded-For`. Axes locks the pair (account, client address); each account also
takes a limited number of failed attempts a minute from all addresses together, a limit that
lifts when the minute is over.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client

from tests import factories

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"
TOO_MANY_FOR_ACCOUNT = "Too many attempts for this account. Try again in a minute."


@pytest.fixture(autouse=True)
def _behind_the_proxy(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1


def page_sign_in(address, email, password=factories.PASSWORD):
    """A sign-in from its own browser at `address`, as the proxy forwards it."""
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)
    response = client.post(LOGIN, {"login": email, "password": password})
    return client, response


def api_sign_in(address, email, password=factories.PASSWORD):
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)
    return client.post(
        TOKEN, {"email": email, "password": password}, content_type="application/json"
    )


def signed_in(client):
    return client.session.get("_auth_user_id") is not None


def at_the_start_of_a_minute():
    return datetime.now(UTC).replace(second=1, microsecond=0)


def test_the_lockout_counts_the_client_address_the_proxy_forwards(world):
    email = world.a.seed_member.email

    # What the client itself wrote to the left of the proxy's entry proves nothing.
    page_sign_in(f"192.0.2.99, {ATTACKER}", email, "wrong-password")

    attempt = AccessAttempt.objects.get()
    assert attempt.ip_address == ATTACKER
    assert attempt.username == email


def test_without_proxies_the_connection_address_counts(world, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 0

    page_sign_in(ATTACKER, world.a.seed_member.email, "wrong-password")

    assert AccessAttempt.objects.get().ip_address == "10.0.0.2"


def test_an_attacker_failing_many_times_cannot_keep_the_owner_out(world):
    email = world.a.seed_member.email
    for attempt in range(20):
        page_sign_in(ATTACKER, email, f"wrong-password-{attempt}")
        api_sign_in(ATTACKER, email, f"wrong-password-{attempt}")

    owner, response = page_sign_in(OWNER, email)

    assert response.status_code == 302
    assert signed_in(owner)
    assert api_sign_in(OWNER, email).status_code == 200
    # The attacker's address stays locked out, even with the right password.
    attacker, locked = page_sign_in(ATTACKER, email)
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert not signed_in(attacker)
    assert api_sign_in(ATTACKER, email).status_code == 429


def test_the_attacker_is_locked_out_after_five_failures(world):
    email = world.a.seed_member.email
    for attempt in range(4):
        assert page_sign_in(ATTACKER, email, f"wrong-{attempt}")[1].status_code == 200

    assert page_sign_in(ATTACKER, email, "wrong-5")[1].status_code == 429
    client, response = page_sign_in(ATTACKER, email)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert not signed_in(client)
    # Another account from the same address is not locked.
    other, response = page_sign_in(ATTACKER, world.a.friend_member.email)
    assert response.status_code == 302
    assert signed_in(other)


def test_the_api_locks_the_attacker_and_not_the_owner(world):
    email = world.a.friend_member.email
    for attempt in range(5):
        api_sign_in(ATTACKER, email, f"wrong-{attempt}")

    locked = api_sign_in(ATTACKER, email)
    owner = api_sign_in(OWNER, email)

    assert locked.status_code == 429
    assert set(locked.json()) == {"message", "errors"}
    assert owner.status_code == 200
    assert owner.json()["token"]


@pytest.mark.parametrize("channel", ["page", "api"])
def test_many_addresses_together_are_slowed_for_a_minute_only(world, channel):
    email = world.a.seed_member.email
    with time_machine.travel(at_the_start_of_a_minute(), tick=False) as traveller:
        for n in range(10):
            address = f"192.0.2.{n + 1}"
            if channel == "page":
                assert page_sign_in(address, email, "wrong")[1].status_code == 200
            else:
                assert api_sign_in(address, email, "wrong").status_code == 401

        # The eleventh attempt in the minute is refused, whoever sends it, right password or not.
        if channel == "page":
            owner, refused = page_sign_in(OWNER, email)
            assert refused.status_code == 200
            assert TOO_MANY_FOR_ACCOUNT in refused.content.decode()
            assert not signed_in(owner)
        else:
            refused = api_sign_in(OWNER, email)
            assert refused.status_code == 429
            assert refused.json()["message"] == TOO_MANY_FOR_ACCOUNT
            assert "token" not in refused.json()
        # Other accounts are not slowed.
        assert api_sign_in(OWNER, world.a.friend_member.email).status_code == 200

        traveller.shift(timedelta(seconds=30))
        assert api_sign_in(OWNER, email).status_code == 429

        traveller.shift(timedelta(seconds=31))
        owner, response = page_sign_in(OWNER, email)
        assert response.status_code == 302
        assert signed_in(owner)
        assert api_sign_in(OWNER, email).status_code == 200


def test_attempts_from_a_locked_out_address_do_not_use_up_the_accounts_minute(world):
    email = world.a.seed_member.email
    with time_machine.travel(at_the_start_of_a_minute(), tick=False):
        for attempt in range(50):
            api_sign_in(ATTACKER, email, f"wrong-{attempt}")
        for n in range(5):
            api_sign_in(f"192.0.2.{n + 1}", email, "wrong")

        response = api_sign_in(OWNER, email)

    assert response.status_code == 200
