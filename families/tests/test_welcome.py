"""Enrolled households create their sign-in from a link: emailed, or shared by staff."""

import re

import pytest
from django.urls import reverse

from accounts import policy
from accounts.models import AuditEvent, User
from families import services
from families.models import FamilyAccountInvitation, HouseholdMember


def _seat(tenant):
    return policy.access_partner(tenant.staff, tenant.partner.slug)


def _enroll(tenant, **contact):
    return services.family_enroll_seed(
        seat=_seat(tenant),
        cohort=tenant.cohort,
        data=services.HouseholdInput(
            name="Amani household",
            household_size=3,
            members=[services.MemberInput(first_name="Amani", birth_year=1984)],
            **contact,
        ),
    )


def _link_from(mail) -> str:
    return re.search(r"https?://\S+/welcome/\S+/", mail.body).group(0)


def test_an_enrolled_household_with_email_gets_its_sign_in_link(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        family = _enroll(world.a, contact_email="amani@example.org")
    assert [m.to for m in mailoutbox] == [["amani@example.org"]]
    path = "/" + _link_from(mailoutbox[0]).split("/", 3)[3]

    page = client.get(path)
    assert page.status_code == 200
    assert "Amani household" in page.content.decode()
    response = client.post(
        path,
        {
            "name": "Amani Otieno",
            "email": "amani@example.org",
            "password1": "a-long-family-password",
            "password2": "a-long-family-password",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("family_home")
    user = User.objects.get(email="amani@example.org")
    member = HouseholdMember.objects.get(user=user)
    assert member.family == family
    assert member.birth_year == 1984  # linked to the member staff listed, not a new one
    assert family.members.count() == 1
    assert user.emailaddress_set.get().verified
    assert client.get(reverse("family_home")).status_code == 200
    assert AuditEvent.objects.filter(verb="family.account_create", actor=user).exists()

    # The link works once.
    client.logout()
    assert client.get(path).status_code == 410


def test_staff_make_a_link_to_share_with_a_phone_only_household(world, client, mailoutbox):
    family = _enroll(world.a, contact_phone="+1 510 555 0142")
    assert mailoutbox == []
    client.force_login(world.a.staff)
    url = reverse("family_account_link", args=[world.a.partner.slug, family.pk])
    assert client.get(url).status_code == 405  # making a link changes state: POST only
    first = client.post(url)
    assert first.status_code == 200
    first_link = re.search(r'value="(http[^"]+/welcome/[^"]+/)"', first.content.decode()).group(1)
    second = client.post(url)
    second_link = re.search(r'value="(http[^"]+/welcome/[^"]+/)"', second.content.decode()).group(1)
    client.logout()
    # A new link replaces the old one.
    assert client.get("/" + first_link.split("/", 3)[3]).status_code == 410
    assert client.get("/" + second_link.split("/", 3)[3]).status_code == 200
    assert (
        FamilyAccountInvitation.objects.filter(family=family, revoked_at__isnull=True).count() == 1
    )


def test_only_staff_of_the_household_partner_make_sign_in_links(world, client):
    url = reverse("family_account_link", args=[world.a.partner.slug, world.a.seed_family.pk])
    client.force_login(world.a.liaison)
    assert client.post(url).status_code == 403
    client.force_login(world.b.staff)
    assert client.post(url).status_code == 404
    client.force_login(world.a.seed_member)
    assert client.post(url).status_code == 404
    assert not FamilyAccountInvitation.objects.exists()


@pytest.mark.parametrize("token", ["nonsense", "eyJpIjoxfQ:forged:signature"])
def test_forged_links_show_a_clear_page(db, client, token):
    response = client.get(reverse("family_welcome", args=[token]))
    assert response.status_code == 410
    assert "This link cannot be used" in response.content.decode()


def test_a_weak_password_is_refused_and_nothing_is_created(world, client):
    family = _enroll(world.a, contact_phone="+1 510 555 0143")
    token = services.family_account_invitation_create(seat=_seat(world.a), family=family)
    response = client.post(
        reverse("family_welcome", args=[token]),
        {"name": "Amani", "email": "amani@example.org", "password1": "short", "password2": "short"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="amani@example.org").exists()
    assert FamilyAccountInvitation.objects.get(family=family, revoked_at=None).used_at is None
