"""The team page: admins remove members and change their roles; staff remove liaisons. The
person removed or given another role is signed out at once."""

from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent, Membership, Role
from accounts.tests.helpers import totp_code
from tests import factories


def team(tenant):
    return reverse("team", args=[tenant.partner.slug])


def remove_url(tenant, membership):
    return reverse("team_member_remove", args=[tenant.partner.slug, membership.pk])


def role_url(tenant, membership):
    return reverse("team_member_role", args=[tenant.partner.slug, membership.pk])


def membership_of(user):
    return Membership.objects.get(user=user)


def liaison_signed_in(tenant):
    """The liaison in a browser of their own, with a session recorded at sign-in."""
    browser = Client(HTTP_USER_AGENT="Liaison browser")
    browser.post(
        reverse("account_login"), {"login": tenant.liaison.email, "password": factories.PASSWORD}
    )
    browser.post(reverse("mfa_authenticate"), {"code": totp_code(tenant.liaison)})
    assert browser.get(reverse("partner_home", args=[tenant.partner.slug])).status_code == 200
    return browser


def test_an_admin_sees_how_to_remove_and_change_roles(world, client):
    client.force_login(world.a.admin)

    body = client.get(team(world.a)).content.decode()

    assert remove_url(world.a, membership_of(world.a.liaison)) in body
    assert remove_url(world.a, membership_of(world.a.staff)) in body
    assert role_url(world.a, membership_of(world.a.liaison)) in body


def test_staff_see_how_to_remove_liaisons_only(world, client):
    client.force_login(world.a.staff)

    response = client.get(team(world.a))

    assert response.status_code == 200
    body = response.content.decode()
    assert remove_url(world.a, membership_of(world.a.liaison)) in body
    assert remove_url(world.a, membership_of(world.a.admin)) not in body
    assert role_url(world.a, membership_of(world.a.liaison)) not in body


def test_removing_a_liaison_from_the_team_page_signs_them_out(world, client):
    browser = liaison_signed_in(world.a)
    membership = membership_of(world.a.liaison)
    client.force_login(world.a.staff)

    confirm = client.get(remove_url(world.a, membership))
    response = client.post(remove_url(world.a, membership), follow=True)

    assert confirm.status_code == 200
    assert "They are signed out at once" in confirm.content.decode()
    assert response.redirect_chain[-1][0] == team(world.a)
    assert "no longer works with Partner A; they were signed out." in response.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    page = browser.get(reverse("partner_home", args=[world.a.partner.slug]))
    assert page["Location"].startswith(reverse("account_login"))
    assert AuditEvent.objects.filter(verb="membership.remove", actor=world.a.staff).exists()


def test_staff_cannot_remove_an_admin(world, client):
    membership = membership_of(world.a.admin)
    client.force_login(world.a.staff)

    assert client.get(remove_url(world.a, membership)).status_code == 403
    assert client.post(remove_url(world.a, membership)).status_code == 403

    assert Membership.objects.filter(pk=membership.pk).exists()


def test_another_partners_member_is_a_404(world, client):
    client.force_login(world.b.admin)
    membership = membership_of(world.a.liaison)

    assert client.post(remove_url(world.b, membership)).status_code == 404
    assert client.post(role_url(world.b, membership), {"role": Role.STAFF}).status_code == 404

    assert membership_of(world.a.liaison).role == Role.LIAISON


def test_an_admin_changes_a_role_and_the_member_is_signed_out(world, client):
    browser = liaison_signed_in(world.a)
    membership = membership_of(world.a.liaison)
    client.force_login(world.a.admin)

    response = client.post(role_url(world.a, membership), {"role": Role.STAFF}, follow=True)

    assert "is now Partner staff; they sign in again with it." in response.content.decode()
    assert membership_of(world.a.liaison).role == Role.STAFF
    page = browser.get(reverse("partner_home", args=[world.a.partner.slug]))
    assert page["Location"].startswith(reverse("account_login"))


def test_a_bad_role_changes_nothing(world, client):
    membership = membership_of(world.a.liaison)
    client.force_login(world.a.admin)

    response = client.post(role_url(world.a, membership), {"role": "owner"}, follow=True)

    assert "Choose a valid role." in response.content.decode()
    assert membership_of(world.a.liaison).role == Role.LIAISON


def test_staff_cannot_change_roles(world, client):
    membership = membership_of(world.a.liaison)
    client.force_login(world.a.staff)

    assert client.post(role_url(world.a, membership), {"role": Role.STAFF}).status_code == 403
    assert membership_of(world.a.liaison).role == Role.LIAISON


def test_the_last_admin_is_told_why_they_stay(world, client):
    membership = membership_of(world.a.admin)
    client.force_login(world.a.admin)

    response = client.post(remove_url(world.a, membership), follow=True)

    assert "A partner keeps at least one admin." in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert response.redirect_chain[-1][0] == team(world.a)
