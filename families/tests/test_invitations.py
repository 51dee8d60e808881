"""Seed families invite friend households; a friend joins through the link, signed out.

Pages: `/family/invitations/` (list, limit, invite by email or phone), revoke, re-send, and
`/invite/<token>/` (the join form, or a 410 page for a link that cannot be used).
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, User
from families import selectors, services
from families.models import Family, FamilyInvitation, HouseholdMember, Tie
from tests.seats import seed_seat

NEW_PASSWORD = "river-lantern-copper-72"
LINK = re.compile(r"https?://[^\s\"<]+(/invite/(?P<token>[^/\s\"<]+)/)")
INVALID = "This invitation cannot be used"

INVITATIONS = reverse("family_invitations")


def invite(tenant, name="Ana and Luis", email="", phone="+1 510 555 0100"):
    return services.family_invitation_create(
        seat=seed_seat(tenant), name=name, email=email, phone=phone
    )


def accept_url(token):
    return reverse("family_invitation_accept", args=[token])


def revoke_url(invitation):
    return reverse("family_invitation_revoke", args=[invitation.pk])


def resend_url(invitation):
    return reverse("family_invitation_resend", args=[invitation.pk])


def signed_in(client, user):
    client.force_login(user)
    return client


def links_in(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group("token")) for m in LINK.finditer(text)]


def join_data(**overrides):
    data = {
        "name": "Mariam Okafor",
        "email": "mariam@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "household_name": "The Okafor household",
        "household_size": "3",
        "members-TOTAL_FORMS": "4",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "49",
        "members-0-first_name": "Chidi",
        "members-0-birth_year": "2015",
        "members-0-relationship": "child",
    }
    data.update(overrides)
    return data


# The invitations page ----------------------------------------------------------------------------


def test_a_seed_invites_a_friend_by_email(world, client, django_capture_on_commit_callbacks):
    signed_in(client, world.a.seed_member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITATIONS, {"name": "Ana", "email": "Ana@Example.org"})

    assert response.status_code == 302
    assert response["Location"] == INVITATIONS
    invitation = FamilyInvitation.objects.get()
    assert invitation.family == world.a.seed_family
    assert invitation.email == "ana@example.org"
    assert invitation.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.org"]
    assert "Seed household A" in mail.outbox[0].subject
    [(path, _token)] = links_in(mail.outbox[0].body)

    page = client.get(INVITATIONS)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Invitation sent to ana@example.org." in body
    assert "ana@example.org" in body
    assert "Waiting, valid until" in body
    # The email's link is never shown on the page.
    assert path not in body
    assert client.get(path).status_code == 200


def test_a_phone_invitation_shows_the_link_to_share_once(world, client):
    signed_in(client, world.a.seed_member)

    response = client.post(INVITATIONS, {"name": "Kofi", "phone": "+1 510 555 0142"}, follow=True)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Invitation ready. Send the link below to Kofi." in body
    [(path, _token)] = links_in(body)
    assert 'href="sms:+15105550142?body=' in body  # the number is filled in
    assert "+1 510-555-0142" in body
    assert "wa.me" not in body
    assert len(mail.outbox) == 0
    # The link is shown once; it is never stored in the clear.
    page = client.get(INVITATIONS)
    assert page.status_code == 200
    assert "Kofi" in page.content.decode()
    assert path not in page.content.decode()
    assert client.get(path).status_code == 200


def test_the_invitations_page_counts_the_places_left(world, client):
    # The world's friend family joined before invitations existed: it takes one place.
    invite(world.a)
    response = signed_in(client, world.a.seed_member).get(INVITATIONS)
    assert response.context["left"] == 8
    assert "8 invitations left." in response.content.decode()


def test_the_eleventh_friend_is_refused_with_the_services_message(world, client):
    left = selectors.invitations_left(world.a.seed_family)
    assert left == 9  # the world's friend family counts
    for number in range(left):
        invite(world.a, name=f"Friend {number}", phone=f"+1 510 555 01{number:02d}")
    signed_in(client, world.a.seed_member)

    response = client.post(INVITATIONS, {"name": "One too many", "phone": "+1 510 555 0199"})

    assert response.status_code == 409
    body = response.content.decode()
    assert "Your family has used its 10 invitations (waiting ones count)." in body
    assert "0 invitations left." in body
    assert FamilyInvitation.objects.count() == 9
    assert not FamilyInvitation.objects.filter(name="One too many").exists()


def test_revoking_a_waiting_invitation_frees_a_place(world, client):
    invitations = [invite(world.a, name=f"Friend {n}")[0] for n in range(9)]
    signed_in(client, world.a.seed_member)

    confirm = client.get(revoke_url(invitations[0]))
    assert confirm.status_code == 200
    assert "Revoke the invitation to Friend 0?" in confirm.content.decode()
    assert FamilyInvitation.objects.get(pk=invitations[0].pk).status == "pending"

    response = client.post(revoke_url(invitations[0]))
    assert response.status_code == 302
    assert FamilyInvitation.objects.get(pk=invitations[0].pk).status == "revoked"
    assert selectors.invitations_left(world.a.seed_family) == 1

    response = client.post(INVITATIONS, {"name": "Instead", "phone": "+1 510 555 0177"})
    assert response.status_code == 302
    assert FamilyInvitation.objects.filter(name="Instead").exists()


def test_expired_invitations_do_not_count(world, client):
    for n in range(9):
        invite(world.a, name=f"Friend {n}")
    FamilyInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    signed_in(client, world.a.seed_member)

    page = client.get(INVITATIONS)
    assert page.context["left"] == 9
    assert "Expired" in page.content.decode()
    response = client.post(INVITATIONS, {"name": "Fresh start", "phone": "+1 510 555 0188"})
    assert response.status_code == 302


def test_a_friend_family_is_told_that_seed_families_invite(world, client):
    signed_in(client, world.a.friend_member)

    page = client.get(INVITATIONS)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Seed families invite friends." in body
    assert 'name="email"' not in body

    response = client.post(INVITATIONS, {"name": "Ana", "email": "ana@example.org"})
    assert response.status_code == 403
    assert "Seed families invite friends." in response.content.decode()
    assert not FamilyInvitation.objects.exists()


def test_an_invitation_needs_a_name_and_a_way_to_reach_them(world, client):
    signed_in(client, world.a.seed_member)

    response = client.post(INVITATIONS, {"name": "", "email": "", "phone": ""})
    assert response.status_code == 400
    assert "name" in response.context["form"].errors

    response = client.post(INVITATIONS, {"name": "Ana", "email": "", "phone": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["Give their email or their phone number."]

    response = client.post(INVITATIONS, {"name": "Ana", "email": "not-an-email"})
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert not FamilyInvitation.objects.exists()
    assert not AuditEvent.objects.filter(verb="family_invitation.create").exists()


def test_resending_gives_a_new_link_and_the_old_one_stops_working(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _token = invite(world.a, email="ana@example.org", phone="")
    [(old_path, _old)] = links_in(mail.outbox[0].body)
    signed_in(client, world.a.seed_member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(invitation))

    assert response.status_code == 302
    assert len(mail.outbox) == 2
    [(new_path, _new)] = links_in(mail.outbox[1].body)
    assert new_path != old_path
    assert "Invitation sent again to ana@example.org." in client.get(INVITATIONS).content.decode()
    client.logout()
    old = client.get(old_path)
    assert old.status_code == 410
    assert INVALID in old.content.decode()
    assert client.get(new_path).status_code == 200


def test_resending_a_phone_invitation_shows_the_new_link(world, client):
    invitation, token = invite(world.a)
    signed_in(client, world.a.seed_member)

    response = client.post(resend_url(invitation), follow=True)

    body = response.content.decode()
    [(path, new_token)] = links_in(body)
    assert new_token != token
    assert "the old one no longer works" in body
    client.logout()
    assert client.get(accept_url(token)).status_code == 410
    assert client.get(path).status_code == 200


def test_resend_is_post_only(world, client):
    invitation, _token = invite(world.a)
    response = signed_in(client, world.a.seed_member).get(resend_url(invitation))
    assert response.status_code == 405


def test_another_family_gets_404_for_an_invitation_that_is_not_theirs(world, client):
    invitation, _token = invite(world.a)
    for user in (world.b.seed_member, world.a.friend_member):
        signed_in(client, user)
        assert client.get(revoke_url(invitation)).status_code == 404
        assert client.post(revoke_url(invitation)).status_code == 404
        assert client.post(resend_url(invitation)).status_code == 404
        client.logout()
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert not AuditEvent.objects.filter(verb="family_invitation.resend").exists()


@pytest.mark.parametrize("role", ["staff", "liaison", "admin", "funder"])
def test_people_who_are_not_a_family_get_404_on_invitation_pages(world, client, role):
    invitation, _token = invite(world.a)
    signed_in(client, getattr(world.a, role))
    assert client.get(INVITATIONS).status_code == 404
    assert client.post(INVITATIONS, {"name": "X", "phone": "+1 510 555 0111"}).status_code == 404
    assert client.post(revoke_url(invitation)).status_code == 404
    assert client.post(resend_url(invitation)).status_code == 404
    assert FamilyInvitation.objects.count() == 1
    assert FamilyInvitation.objects.get().status == "pending"


# Accepting -------------------------------------------------------------------------------------


def test_the_link_opens_the_join_form_signed_out(world, client):
    _invitation, token = invite(world.a)
    response = client.get(accept_url(token))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Seed household A invites your household" in body
    assert 'name="household_name"' in body
    assert 'name="members-3-first_name"' in body  # four blank rows
    assert 'name="members-4-first_name"' not in body


def test_a_friend_joins_the_inviters_group_and_is_signed_in(world, client):
    _invitation, token = invite(world.a)

    response = client.post(accept_url(token), join_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("family_home")
    user = User.objects.get(email="mariam@example.org")
    family = Family.objects.get(name="The Okafor household")
    assert family.partner == world.a.partner
    assert family.cohort == world.a.cohort
    assert family.group == world.a.group
    assert family.invited_by == world.a.seed_family
    assert family.generation == world.a.seed_family.generation + 1
    assert not family.is_seed
    assert family.household_size == 3
    assert family.contact_phone == "+15105550100"
    assert sorted(family.members.values_list("first_name", flat=True)) == ["Chidi", "Mariam"]
    assert HouseholdMember.objects.get(user=user).family == family
    tie = Tie.objects.get(reason=Tie.Reason.INVITED)
    assert {tie.family_low, tie.family_high} == {world.a.seed_family, family}
    assert tie.kind == Tie.Kind.BONDING
    invitation = FamilyInvitation.objects.get()
    assert invitation.status == "accepted"
    assert invitation.accepted_family == family
    assert int(client.session[SESSION_KEY]) == user.pk

    home = client.get(reverse("family_home"))
    assert home.status_code == 200
    assert "The Okafor household" in home.content.decode()
    assert "Welcome, The Okafor household! You are now in the group of Seed household A." in (
        home.content.decode()
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password1": "short", "password2": "short"}, "password1"),
        ({"password1": "password12345", "password2": "password12345"}, "password1"),
        ({"household_name": ""}, "household_name"),
        ({"household_size": "0"}, "household_size"),
        ({"password2": "something-else-entirely"}, "password2"),
        ({"members-0-birth_year": "1850"}, None),
    ],
)
def test_bad_input_re_renders_the_join_form_and_creates_nothing(world, client, overrides, field):
    _invitation, token = invite(world.a)

    response = client.post(accept_url(token), join_data(**overrides))

    assert response.status_code == 400
    if field is not None:
        assert response.context["form"].errors[field]
    else:
        assert any(response.context["members"].errors)
    assert not User.objects.filter(email="mariam@example.org").exists()
    assert not Family.objects.filter(name="The Okafor household").exists()
    assert FamilyInvitation.objects.get().status == "pending"
    assert SESSION_KEY not in client.session


def test_the_services_password_errors_show_next_to_the_password(world, client):
    _invitation, token = invite(world.a)
    response = client.post(
        accept_url(token), join_data(password1="short-pass", password2="short-pass")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["password1"]
    assert any("at least 12 characters" in error for error in errors)
    assert 'id="id_password1_error"' in response.content.decode()


def test_an_email_already_in_use_is_refused(world, client):
    _invitation, token = invite(world.a)
    response = client.post(accept_url(token), join_data(email=world.a.staff.email))
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [
        "An account with this email already exists."
    ]
    assert Family.objects.count() == 4


def test_a_forged_link_shows_the_410_page(client, db):
    response = client.get(accept_url("not-a-real-token"))
    assert response.status_code == 410
    body = response.content.decode()
    assert INVALID in body
    assert "Ask the family who invited you to send it again." in body
    assert client.post(accept_url("not-a-real-token"), join_data()).status_code == 410


def test_an_expired_link_shows_the_410_page(world, client):
    _invitation, token = invite(world.a)
    FamilyInvitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(accept_url(token))
    assert response.status_code == 410
    assert INVALID in response.content.decode()


def test_a_revoked_link_shows_the_410_page(world, client):
    invitation, token = invite(world.a)
    services.family_invitation_revoke(seat=seed_seat(world.a), invitation=invitation)
    response = client.post(accept_url(token), join_data())
    assert response.status_code == 410
    assert not User.objects.filter(email="mariam@example.org").exists()


def test_a_used_link_shows_the_410_page(world, client):
    _invitation, token = invite(world.a)
    assert client.post(accept_url(token), join_data()).status_code == 302
    client.logout()

    response = client.get(accept_url(token))
    assert response.status_code == 410
    assert INVALID in response.content.decode()
    again = client.post(accept_url(token), join_data(email="second@example.org"))
    assert again.status_code == 410
    assert Family.objects.filter(name="The Okafor household").count() == 1


def test_a_signed_in_person_is_told_to_sign_out_first(world, client):
    _invitation, token = invite(world.a)
    signed_in(client, world.a.friend_member)

    page = client.get(accept_url(token))
    assert page.status_code == 200
    body = page.content.decode()
    assert "sign out first" in body
    assert 'name="household_name"' not in body

    client.post(accept_url(token), join_data())
    assert not User.objects.filter(email="mariam@example.org").exists()
    assert FamilyInvitation.objects.get().status == "pending"


def test_a_member_row_needs_only_a_first_name(world, client):
    _invitation, token = invite(world.a)
    data = join_data(**{"members-0-relationship": "", "members-1-first_name": "Ada"})
    assert client.post(accept_url(token), data).status_code == 302
    family = Family.objects.get(name="The Okafor household")
    assert family.members.get(first_name="Ada").relationship == "other"
    assert family.members.get(first_name="Chidi").relationship == "other"


def test_joining_with_the_invited_email_proves_the_address(world, client):
    _invitation, token = invite(world.a, email="mariam@example.org", phone="")
    assert client.post(accept_url(token), join_data(email="Mariam@Example.org")).status_code == 302
    user = User.objects.get(email="mariam@example.org")
    assert user.emailaddress_set.get().verified
