"""Signing in through the real pages: password, the two-factor step, lockout, 2FA set-up.

Sign-ins go through `client.post` on allauth's pages (not `client.login`): django-axes needs
the request to count failures.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.helpers import totp_code, wrong_code
from tests import factories

LOGIN = "/accounts/login/"
TWO_FACTOR = "/accounts/2fa/authenticate/"
TOKEN = "/api/v1/auth/token/"


def sign_in(client, email, password=factories.PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def signed_in_user_id(client):
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def partner_home(tenant):
    return reverse("partner_home", args=[tenant.partner.slug])


def test_the_sign_in_page_asks_for_email_and_password(db, client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="login"' in body
    assert 'name="password"' in body


def test_a_family_member_signs_in_and_lands_on_the_family_page(world, client):
    response = sign_in(client, world.a.seed_member.email)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == world.a.seed_member.pk
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == reverse("family_home")
    page = client.get(home["Location"])
    assert page.status_code == 200
    assert "Seed household A" in page.content.decode()


def test_the_email_is_not_case_sensitive(world, client):
    response = sign_in(client, "  Seed@A.Example.ORG ")

    assert response.status_code == 302
    assert signed_in_user_id(client) == world.a.seed_member.pk


def test_a_wrong_password_is_refused(world, client):
    response = sign_in(client, world.a.seed_member.email, "not-the-password-at-all")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert signed_in_user_id(client) is None


def test_an_unknown_address_is_refused_like_a_wrong_password(world, client):
    response = sign_in(client, "nobody@example.org")

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert signed_in_user_id(client) is None


def test_a_deactivated_account_cannot_sign_in(world, client):
    world.a.seed_member.is_active = False
    world.a.seed_member.save()

    response = sign_in(client, world.a.seed_member.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_inactive")
    assert "This sign-in is switched off" in client.get(response["Location"]).content.decode()
    assert signed_in_user_id(client) is None
    assert client.get(reverse("family_home")).status_code == 302


# Two-factor step -------------------------------------------------------------------------------


def test_staff_are_asked_for_the_code_after_the_password(world, client):
    response = sign_in(client, world.a.staff.email)

    assert response.status_code == 302
    assert response["Location"] == TWO_FACTOR
    assert signed_in_user_id(client) is None
    page = client.get(TWO_FACTOR)
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()
    # Until the code is given, partner pages are out of reach.
    assert client.get(partner_home(world.a))["Location"].startswith(reverse("account_login"))


def test_a_wrong_code_is_refused(world, client):
    sign_in(client, world.a.staff.email)

    response = client.post(TWO_FACTOR, {"code": wrong_code(totp_code(world.a.staff))})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert signed_in_user_id(client) is None
    assert client.get(partner_home(world.a)).status_code == 302


def test_the_right_code_completes_sign_in_on_the_partner_page(world, client):
    sign_in(client, world.a.staff.email)

    response = client.post(TWO_FACTOR, {"code": totp_code(world.a.staff)}, follow=True)

    assert signed_in_user_id(client) == world.a.staff.pk
    assert response.redirect_chain[-1][0] == partner_home(world.a)
    assert response.status_code == 200
    assert "Cohort A" in response.content.decode()


def test_a_code_works_only_once(world, client):
    code = totp_code(world.a.staff)
    sign_in(client, world.a.staff.email)
    client.post(TWO_FACTOR, {"code": code})
    client.logout()

    sign_in(client, world.a.staff.email)
    response = client.post(TWO_FACTOR, {"code": code})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize("seat", ["admin", "liaison"])
def test_admins_and_liaisons_also_pass_the_code(world, client, seat):
    user = getattr(world.a, seat)

    assert sign_in(client, user.email)["Location"] == TWO_FACTOR
    client.post(TWO_FACTOR, {"code": totp_code(user)})

    assert signed_in_user_id(client) == user.pk
    assert client.get(partner_home(world.a)).status_code == 200


def test_the_code_step_cannot_be_skipped(world, client):
    response = client.post(TWO_FACTOR, {"code": "123456"})

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert signed_in_user_id(client) is None
    assert client.get(partner_home(world.a))["Location"].startswith(LOGIN)


def test_a_code_for_someone_else_does_not_sign_in(world, client):
    sign_in(client, world.a.staff.email)

    response = client.post(TWO_FACTOR, {"code": totp_code(world.a.admin)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert signed_in_user_id(client) is None


# Lockout ---------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account(world, client, api):
    email = world.a.seed_member.email
    for attempt in range(4):
        response = sign_in(client, email, f"wrong-password-{attempt}")
        assert response.status_code == 200, attempt

    fifth = sign_in(client, email, "wrong-password-5")
    assert fifth.status_code == 429
    assert "Too many attempts" in fifth.content.decode()
    assert "Reset your password" in fifth.content.decode()

    # Locked out from this address, even with the right password.
    response = sign_in(client, email)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert signed_in_user_id(client) is None

    token = api.post(TOKEN, {"email": email, "password": factories.PASSWORD}, format="json")
    assert token.status_code == 429
    assert set(token.json()) == {"message", "errors"}
    assert token.json()["message"]
    assert "token" not in token.json()


def test_the_lock_outlasts_the_cache(world, client):
    email = world.a.seed_member.email
    for attempt in range(5):
        sign_in(client, email, f"wrong-password-{attempt}")
    cache.clear()  # the per-minute limits live in the cache; axes keeps its lock in the database

    response = sign_in(client, email)

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_the_lock_ends_after_the_cool_off(world, client):
    email = world.a.seed_member.email
    for attempt in range(5):
        sign_in(client, email, f"wrong-password-{attempt}")
    cache.clear()
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))

    response = sign_in(client, email)

    assert response.status_code == 302
    assert signed_in_user_id(client) == world.a.seed_member.pk


def test_a_lockout_is_for_that_account_only(world, client):
    for attempt in range(5):
        sign_in(client, world.a.seed_member.email, f"wrong-password-{attempt}")

    response = sign_in(client, world.a.friend_member.email)

    assert response.status_code == 302
    assert signed_in_user_id(client) == world.a.friend_member.pk


def test_wrong_passwords_through_the_api_count_too(world, client, api):
    email = world.a.seed_member.email
    for attempt in range(5):
        api.post(TOKEN, {"email": email, "password": f"wrong-{attempt}"}, format="json")

    response = sign_in(client, email)

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_four_wrong_passwords_do_not_lock_the_account(world, client):
    email = world.a.seed_member.email
    for attempt in range(4):
        sign_in(client, email, f"wrong-password-{attempt}")

    response = sign_in(client, email)

    assert response.status_code == 302
    assert signed_in_user_id(client) == world.a.seed_member.pk


# Setting up two-factor authentication ----------------------------------------------------------


@pytest.fixture
def staff_without_2fa(world):
    user = factories.UserFactory(email="new.staff@a.example.org")
    factories.MembershipFactory(partner=world.a.partner, user=user, role=Role.STAFF)
    return user


def test_staff_without_2fa_are_sent_to_set_it_up(world, client, staff_without_2fa):
    client.force_login(staff_without_2fa)

    response = client.get(partner_home(world.a))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_without_2fa_signing_in_are_told_why_they_set_it_up(world, client, staff_without_2fa):
    sign_in(client, staff_without_2fa.email)

    response = client.get(partner_home(world.a), follow=True)

    # allauth asks for the password once more before showing an authenticator's secret.
    assert response.redirect_chain[0][0] == reverse("mfa_activate_totp")
    assert response.status_code == 200
    assert "Set up two-factor authentication to continue." in response.content.decode()
    confirmed = client.post(
        response.redirect_chain[-1][0], {"password": factories.PASSWORD}, follow=True
    )
    assert confirmed.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert confirmed.status_code == 200
    assert 'name="code"' in confirmed.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/", "/p/partner-a/team/", "/family/", "/funder/", "/p/partner-b/"],
)
def test_staff_without_2fa_reach_no_other_page(world, client, staff_without_2fa, path):
    client.force_login(staff_without_2fa)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_without_2fa_get_a_json_403_from_the_api(world, client, staff_without_2fa):
    client.force_login(staff_without_2fa)

    response = client.get("/api/v1/me/")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "message": "Set up two-factor authentication to continue.",
        "errors": {},
    }


def test_staff_without_2fa_can_still_sign_out(world, client, staff_without_2fa):
    client.force_login(staff_without_2fa)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert signed_in_user_id(client) is None


def test_liaisons_and_admins_without_2fa_are_sent_to_set_it_up(world, client):
    for role in (Role.LIAISON, Role.ADMIN):
        user = factories.UserFactory(email=f"new.{role}@a.example.org")
        factories.MembershipFactory(partner=world.a.partner, user=user, role=role)
        client.force_login(user)

        response = client.get(partner_home(world.a))

        assert response.status_code == 302, role
        assert response["Location"] == reverse("mfa_activate_totp")


def test_in_demo_mode_staff_without_2fa_reach_the_partner_page(
    world, client, staff_without_2fa, settings
):
    settings.DEMO_MODE = True
    client.force_login(staff_without_2fa)

    response = client.get(partner_home(world.a))

    assert response.status_code == 200
    assert "Cohort A" in response.content.decode()
    assert client.get("/api/v1/me/").status_code == 200


def test_in_demo_mode_staff_without_2fa_sign_in_with_a_password_alone(
    world, client, staff_without_2fa, settings
):
    settings.DEMO_MODE = True

    response = sign_in(client, staff_without_2fa.email)

    assert response.status_code == 302
    assert signed_in_user_id(client) == staff_without_2fa.pk
    assert client.get("/", follow=True).redirect_chain[-1][0] == partner_home(world.a)


@pytest.mark.parametrize("who", ["seed_member", "friend_member", "funder"])
def test_families_and_funders_without_2fa_are_never_sent_to_set_it_up(world, client, who):
    user = getattr(world.a, who)

    response = sign_in(client, user.email)

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/", follow=True)
    assert home.status_code == 200
    assert all(url != reverse("mfa_activate_totp") for url, _status in home.redirect_chain)
    assert client.get("/api/v1/me/").status_code == 200
