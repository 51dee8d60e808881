"""A user's sessions: listed and ended from "Account security"; a new password ends the
others and the API tokens; losing a role ends every session and token at once."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import policy, services
from accounts.models import ApiToken, AuditEvent, Membership, Role
from accounts.tests.helpers import totp_code
from mutuality.errors import Conflict, NotAllowed, NotFound
from tests import factories

LOGIN = reverse("account_login")
SESSIONS = reverse("usersessions_list")
TOKEN = "/api/v1/auth/token/"
NEW_PASSWORD = "a-brand-new-long-password-2027"


def browser(name):
    return Client(HTTP_USER_AGENT=f"{name} browser")


def signed_in_as(client, user, *, otp=False):
    """Sign in through the pages (and the two-factor step for staff roles)."""
    response = client.post(LOGIN, {"login": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    if otp:
        client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})
    assert client.session.get("_auth_user_id") == str(user.pk)
    return client


def family_page_opens(client):
    return client.get(reverse("family_home")).status_code == 200


def api_token(user, **extra):
    response = Client().post(
        TOKEN,
        {"email": user.email, "password": factories.PASSWORD, **extra},
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()["token"]


def me_status(token):
    return Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code


# Account security and the sessions list ---------------------------------------------------------


def test_account_security_links_to_the_sessions_list(world):
    phone = signed_in_as(browser("Phone"), world.a.seed_member)

    page = phone.get(reverse("mfa_index"))

    assert page.status_code == 200
    assert f'href="{SESSIONS}"' in page.content.decode()
    assert "Where you are signed in" in page.content.decode()
    spanish = phone.get(reverse("mfa_index"), HTTP_ACCEPT_LANGUAGE="es")
    assert "Dónde tiene la sesión iniciada" in spanish.content.decode()


def test_the_sessions_list_shows_each_browser_and_which_one_this_is(world):
    phone = signed_in_as(browser("Phone"), world.a.seed_member)
    signed_in_as(browser("Laptop"), world.a.seed_member)
    signed_in_as(browser("Other person"), world.a.friend_member)

    page = phone.get(SESSIONS)

    body = page.content.decode()
    assert page.status_code == 200
    assert "Phone browser" in body
    assert "Laptop browser" in body
    assert "Other person browser" not in body
    assert body.count("This browser</span>") == 1
    assert "Sign out everywhere else" in body


def test_signing_out_elsewhere_ends_the_other_session_and_keeps_this_one(world):
    phone = signed_in_as(browser("Phone"), world.a.seed_member)
    laptop = signed_in_as(browser("Laptop"), world.a.seed_member)
    friend = signed_in_as(browser("Friend"), world.a.friend_member)

    response = phone.post(SESSIONS, follow=True)

    assert response.status_code == 200
    assert "Signed out of all other sessions." in response.content.decode()
    assert family_page_opens(phone)
    assert laptop.get(reverse("family_home"))["Location"].startswith(LOGIN)
    assert family_page_opens(friend)  # someone else's session is untouched
    page = phone.get(SESSIONS)
    assert page.status_code == 200
    assert "Phone browser" in page.content.decode()
    assert "Laptop browser" not in page.content.decode()
    event = AuditEvent.objects.get(verb="user.sessions_end")
    assert event.actor == world.a.seed_member
    assert event.after == {"reason": "signed_out_elsewhere", "sessions": 1}


def test_alone_there_is_nothing_else_to_sign_out(world):
    phone = signed_in_as(browser("Phone"), world.a.seed_member)

    page = phone.get(SESSIONS)

    assert page.status_code == 200
    body = page.content.decode()
    assert "You are signed in here only." in body
    assert "Sign out everywhere else" not in body


def test_the_sessions_list_needs_a_sign_in(db, client):
    response = client.get(SESSIONS)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# A new password ---------------------------------------------------------------------------------


def test_changing_the_password_ends_the_other_sessions_and_tokens_but_keeps_this_one(world):
    user = world.a.seed_member
    phone = signed_in_as(browser("Phone"), user)
    laptop = signed_in_as(browser("Laptop"), user)
    token = api_token(user)
    friends_token = api_token(world.a.friend_member)

    response = phone.post(
        reverse("account_change_password"),
        {"oldpassword": factories.PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert family_page_opens(phone)
    assert laptop.get(reverse("family_home"))["Location"].startswith(LOGIN)
    assert me_status(token) == 401
    assert me_status(friends_token) == 200
    event = AuditEvent.objects.get(verb="user.sessions_end")
    assert event.actor == user
    assert event.after == {"reason": "password_changed", "sessions": 1, "api_tokens": 1}
    # The new password signs in elsewhere again.
    again = browser("Laptop")
    again.post(LOGIN, {"login": user.email, "password": NEW_PASSWORD})
    assert family_page_opens(again)


def test_resetting_the_password_ends_every_session_and_token(world):
    user = world.a.seed_member
    phone = signed_in_as(browser("Phone"), user)
    token = api_token(user)
    stranger = browser("Stranger")

    stranger.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+/", mail.outbox[-1].body).group()
    form = stranger.get(link, follow=True)
    response = stranger.post(
        form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert phone.get(reverse("family_home"))["Location"].startswith(LOGIN)
    assert me_status(token) == 401
    assert not ApiToken.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(verb="user.sessions_end")
    assert event.after["reason"] == "password_reset"
    assert event.after["api_tokens"] == 1
    fresh = browser("Phone")
    fresh.post(LOGIN, {"login": user.email, "password": NEW_PASSWORD})
    assert family_page_opens(fresh)


# Losing a role ----------------------------------------------------------------------------------


@pytest.fixture
def clock():
    with time_machine.travel(datetime.now(UTC).replace(microsecond=0), tick=False) as traveller:
        yield traveller


def liaison_with_a_session_and_a_token(tenant, clock):
    token = api_token(tenant.liaison, otp=totp_code(tenant.liaison))
    clock.shift(timedelta(seconds=60))  # a code works once: the pages get the next one
    page = signed_in_as(browser("Liaison"), tenant.liaison, otp=True)
    partner_home = reverse("partner_home", args=[tenant.partner.slug])
    assert page.get(partner_home).status_code == 200
    assert me_status(token) == 200
    return page, token, partner_home


def seat(user, tenant):
    return policy.seat_for(user, tenant.partner)


def test_a_removed_liaison_is_signed_out_and_their_token_stops_at_once(world, clock):
    page, token, partner_home = liaison_with_a_session_and_a_token(world.a, clock)
    membership = Membership.objects.get(user=world.a.liaison, partner=world.a.partner)
    colleague = signed_in_as(browser("Staff"), world.a.staff, otp=True)

    services.membership_remove(seat=seat(world.a.staff, world.a), membership=membership)

    response = page.get(partner_home)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert me_status(token) == 401
    assert colleague.get(partner_home).status_code == 200  # the remover stays signed in
    assert not Membership.objects.filter(pk=membership.pk).exists()
    removed = AuditEvent.objects.get(verb="membership.remove")
    assert removed.actor == world.a.staff
    assert removed.before == {"user": world.a.liaison.email, "role": "liaison"}
    ended = AuditEvent.objects.get(verb="user.sessions_end")
    assert ended.after == {"reason": "membership_removed", "sessions": 1, "api_tokens": 1}


def test_a_changed_role_ends_the_members_sessions_and_tokens(world, clock):
    page, token, partner_home = liaison_with_a_session_and_a_token(world.a, clock)
    membership = Membership.objects.get(user=world.a.liaison, partner=world.a.partner)

    services.membership_change_role(
        seat=seat(world.a.admin, world.a), membership=membership, role=Role.STAFF
    )

    assert page.get(partner_home)["Location"].startswith(LOGIN)
    assert me_status(token) == 401
    membership.refresh_from_db()
    assert membership.role == Role.STAFF
    event = AuditEvent.objects.get(verb="membership.change_role")
    assert (event.before["role"], event.after["role"]) == ("liaison", "staff")
    # Signed in again, they work with the new role.
    clock.shift(timedelta(seconds=60))
    again = signed_in_as(browser("Liaison"), world.a.liaison, otp=True)
    assert again.get(reverse("team", args=[world.a.partner.slug])).status_code == 200


def test_staff_remove_liaisons_but_not_other_staff_or_admins(world):
    staff_seat = seat(world.a.staff, world.a)
    admin_membership = Membership.objects.get(user=world.a.admin)

    with pytest.raises(NotAllowed):
        services.membership_remove(seat=staff_seat, membership=admin_membership)

    assert Membership.objects.filter(pk=admin_membership.pk).exists()
    liaison_membership = Membership.objects.get(user=world.a.liaison)
    services.membership_remove(seat=staff_seat, membership=liaison_membership)
    assert not Membership.objects.filter(pk=liaison_membership.pk).exists()


def test_only_admins_change_roles(world):
    membership = Membership.objects.get(user=world.a.liaison)

    with pytest.raises(NotAllowed):
        services.membership_change_role(
            seat=seat(world.a.staff, world.a), membership=membership, role=Role.STAFF
        )

    membership.refresh_from_db()
    assert membership.role == Role.LIAISON
    assert not AuditEvent.objects.filter(verb="user.sessions_end").exists()


def test_the_last_admin_stays(world):
    admin_seat = seat(world.a.admin, world.a)
    membership = Membership.objects.get(user=world.a.admin)

    with pytest.raises(Conflict):
        services.membership_remove(seat=admin_seat, membership=membership)
    with pytest.raises(Conflict):
        services.membership_change_role(seat=admin_seat, membership=membership, role=Role.STAFF)

    assert Membership.objects.get(pk=membership.pk).role == Role.ADMIN
    # With a second admin, the first may step down.
    factories.MembershipFactory(partner=world.a.partner, role=Role.ADMIN)
    services.membership_change_role(seat=admin_seat, membership=membership, role=Role.STAFF)
    assert Membership.objects.get(pk=membership.pk).role == Role.STAFF


def test_another_partners_member_is_not_found(world):
    other = Membership.objects.get(user=world.b.liaison)

    with pytest.raises(NotFound):
        policy.access_membership(seat(world.a.admin, world.a), other.pk)

    mine = Membership.objects.get(user=world.a.liaison)
    assert policy.access_membership(seat(world.a.admin, world.a), mine.pk) == mine


def test_a_session_opened_by_joining_through_an_invitation_ends_with_the_role(world):
    from accounts.services import _staff_invitation_issue

    _invitation, token = _staff_invitation_issue(
        actor=world.a.admin,
        partner=world.a.partner,
        email="new.liaison@a.example.org",
        role="liaison",
    )
    newcomer = browser("Newcomer")
    newcomer.post(
        reverse("staff_invitation_accept", args=[token]),
        {"name": "Nell", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    partner_home = reverse("partner_home", args=[world.a.partner.slug])
    # Signed in, and asked to set up two-factor authentication first.
    assert newcomer.get(partner_home)["Location"] == reverse("mfa_activate_totp")
    assert "Newcomer browser" in newcomer.get(SESSIONS).content.decode()

    membership = Membership.objects.get(user__email="new.liaison@a.example.org")
    services.membership_remove(seat=seat(world.a.admin, world.a), membership=membership)

    assert newcomer.get(partner_home)["Location"].startswith(LOGIN)


def test_behind_the_proxy_the_list_shows_the_clients_address(world, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    phone = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    signed_in_as(phone, world.a.seed_member)

    page = phone.get(SESSIONS)

    assert page.status_code == 200
    body = page.content.decode()
    assert "203.0.113.9" in body
    assert "10.0.0.2" not in body
