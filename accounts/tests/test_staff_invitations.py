"""Partner staff invite colleagues by email; the invitee joins through the emailed link.

Pages (`/p/<slug>/team/`, revoke, resend, `/join/<token>/`) and the API
(`/api/v1/partners/<slug>/staff-invitations/`), from every seat of the shared world.
"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import policy, services
from accounts.models import AuditEvent, Membership, Role, StaffInvitation, User
from accounts.tests.helpers import totp_code
from mutuality.errors import NotAllowed
from mutuality.models import IdempotencyRecord

NEW_PASSWORD = "river-lantern-copper-72"
LINK = re.compile(r"https?://[^\s]+(/join/(?P<token>[^/\s]+)/)")


def team_url(tenant):
    return reverse("team", args=[tenant.partner.slug])


def revoke_url(tenant, invitation):
    return reverse("staff_invitation_revoke", args=[tenant.partner.slug, invitation.pk])


def resend_url(tenant, invitation):
    return reverse("staff_invitation_resend", args=[tenant.partner.slug, invitation.pk])


def api_url(tenant):
    return f"/api/v1/partners/{tenant.partner.slug}/staff-invitations/"


def invite(user, tenant, email="new.liaison@example.org", role=Role.LIAISON):
    """An invitation made through the service, as `user` of `tenant`; returns it and its token."""
    seat = policy.access_partner(user, tenant.partner.slug)
    return services.staff_invitation_create(seat=seat, email=email, role=role)


def emailed_links() -> list[tuple[str, str]]:
    """(path, token) of every invitation link in the emails sent so far."""
    return [
        (match.group(1), match.group("token"))
        for message in mail.outbox
        for match in LINK.finditer(message.body)
    ]


def signed_in(client, user):
    client.force_login(user)
    return client


def token_client(api, user):
    token = services.api_token_issue(user=user, otp=totp_code(user))
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def nothing_written():
    # Issuing the test's own API token is the only thing allowed in the audit trail.
    return (
        not StaffInvitation.objects.exists()
        and not AuditEvent.objects.exclude(verb="api_token.issue").exists()
    )


# Inviting on the team page ---------------------------------------------------------------------


def test_staff_invite_a_liaison_by_email(world, client, django_capture_on_commit_callbacks):
    signed_in(client, world.a.staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            team_url(world.a), {"email": "New.Liaison@Example.org", "role": Role.LIAISON}
        )

    assert response.status_code == 302
    assert response["Location"] == team_url(world.a)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.liaison@example.org"]
    assert "Partner A" in message.subject
    links = emailed_links()
    assert len(links) == 1
    invitation = StaffInvitation.objects.get()
    assert invitation.partner == world.a.partner
    assert invitation.role == Role.LIAISON
    assert invitation.invited_by == world.a.staff
    assert invitation.sent_at is not None

    page = client.get(team_url(world.a))
    assert "Invitation sent to new.liaison@example.org." in page.content.decode()
    assert [i.email for i in page.context["invitations"]] == ["new.liaison@example.org"]
    assert "Valid until" in page.content.decode()

    event = AuditEvent.objects.get(verb="staff_invitation.create")
    assert event.partner == world.a.partner
    assert event.actor == world.a.staff
    assert event.after == {"email": "new.liaison@example.org", "role": "liaison"}


def test_the_emailed_link_opens_the_join_page(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(world.a.staff, world.a)
    [(path, _token)] = emailed_links()

    response = client.get(path)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Join Partner A" in body
    assert "new.liaison@example.org" in body
    assert "Liaison" in body


def test_the_token_is_never_stored(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(world.a.staff, world.a)

    invitation.refresh_from_db()
    assert invitation.token_digest == StaffInvitation.digest(token)
    assert token not in str(list(StaffInvitation.objects.values()))
    assert token not in str(list(AuditEvent.objects.values()))


def test_the_team_page_lists_the_people_and_the_waiting_invitations(world, client):
    invite(world.a.staff, world.a, email="waiting@example.org")
    invite(world.b.staff, world.b, email="other-partner@example.org")

    response = signed_in(client, world.a.staff).get(team_url(world.a))

    assert response.status_code == 200
    body = response.content.decode()
    assert world.a.admin.email in body
    assert world.a.liaison.email in body
    assert "waiting@example.org" in body
    assert world.b.staff.email not in body
    assert "other-partner@example.org" not in body


def test_the_team_page_offers_staff_the_staff_and_liaison_roles_only(world, client):
    response = signed_in(client, world.a.staff).get(team_url(world.a))

    assert response.status_code == 200
    roles = [value for value, _label in response.context["form"].fields["role"].choices]
    assert roles == [Role.STAFF, Role.LIAISON]
    assert 'value="liaison"' in response.content.decode()
    assert 'value="admin"' not in response.content.decode()


def test_the_team_page_offers_an_admin_every_role(world, client):
    response = signed_in(client, world.a.admin).get(team_url(world.a))

    roles = [value for value, _label in response.context["form"].fields["role"].choices]
    assert roles == [Role.ADMIN, Role.STAFF, Role.LIAISON]


def test_staff_cannot_invite_an_admin(world, client):
    response = signed_in(client, world.a.staff).post(
        team_url(world.a), {"email": "boss@example.org", "role": Role.ADMIN}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["role"]
    assert nothing_written()
    assert len(mail.outbox) == 0


def test_the_service_refuses_staff_inviting_an_admin(world):
    with pytest.raises(NotAllowed):
        invite(world.a.staff, world.a, email="boss@example.org", role=Role.ADMIN)

    assert nothing_written()


def test_an_admin_can_invite_an_admin(world, client, django_capture_on_commit_callbacks):
    signed_in(client, world.a.admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(team_url(world.a), {"email": "boss@example.org", "role": "admin"})

    assert response.status_code == 302
    invitation = StaffInvitation.objects.get()
    assert (invitation.email, invitation.role) == ("boss@example.org", Role.ADMIN)
    assert mail.outbox[0].to == ["boss@example.org"]


def test_a_liaison_cannot_see_the_team_page(world, client):
    response = signed_in(client, world.a.liaison).get(team_url(world.a))

    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    assert world.a.staff.email not in response.content.decode()


def test_a_liaison_cannot_invite(world, client):
    response = signed_in(client, world.a.liaison).post(
        team_url(world.a), {"email": "new@example.org", "role": Role.LIAISON}
    )

    assert response.status_code == 403
    assert nothing_written()
    assert len(mail.outbox) == 0


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_another_partners_people_do_not_find_the_team_page(world, client, seat):
    signed_in(client, getattr(world.b, seat))

    assert client.get(team_url(world.a)).status_code == 404
    response = client.post(team_url(world.a), {"email": "new@example.org", "role": "liaison"})
    assert response.status_code == 404
    assert nothing_written()


@pytest.mark.parametrize("who", ["outsider", "family", "funder"])
def test_people_without_a_role_do_not_find_the_team_page(world, client, who):
    user = {
        "outsider": world.outsider,
        "family": world.a.seed_member,
        "funder": world.a.funder,
    }[who]

    response = signed_in(client, user).get(team_url(world.a))

    assert response.status_code == 404


def test_a_visitor_is_sent_to_sign_in(world, client):
    response = client.get(team_url(world.a))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("email", ["", "not-an-email", "someone@", "a" * 250 + "@example.org"])
def test_a_bad_email_is_refused_next_to_the_field(world, client, email):
    response = signed_in(client, world.a.staff).post(
        team_url(world.a), {"email": email, "role": Role.LIAISON}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    assert 'id="id_email_error"' in response.content.decode()
    assert nothing_written()
    assert len(mail.outbox) == 0


def test_inviting_someone_who_already_works_here_is_refused(world, client):
    response = signed_in(client, world.a.staff).post(
        team_url(world.a), {"email": world.a.liaison.email.upper(), "role": Role.STAFF}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["Already a member."]
    assert 'id="id_email_error"' in response.content.decode()
    assert nothing_written()


def test_someone_working_for_another_partner_can_be_invited(world, client):
    response = signed_in(client, world.a.staff).post(
        team_url(world.a), {"email": world.b.staff.email, "role": Role.STAFF}
    )

    assert response.status_code == 302
    assert StaffInvitation.objects.get().email == world.b.staff.email


def test_inviting_an_address_already_invited_is_refused(world, client):
    invite(world.a.staff, world.a, email="twice@example.org")

    response = signed_in(client, world.a.admin).post(
        team_url(world.a), {"email": "Twice@Example.org", "role": Role.STAFF}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["Already invited."]
    assert StaffInvitation.objects.count() == 1
    assert AuditEvent.objects.filter(verb="staff_invitation.create").count() == 1


def test_an_address_invited_by_another_partner_can_still_be_invited(world):
    invite(world.b.staff, world.b, email="popular@example.org")

    invite(world.a.staff, world.a, email="popular@example.org")

    assert StaffInvitation.objects.filter(email="popular@example.org").count() == 2


# Revoking and sending again --------------------------------------------------------------------


def test_revoking_asks_first(world, client):
    invitation, token = invite(world.a.staff, world.a)

    response = signed_in(client, world.a.staff).get(revoke_url(world.a, invitation))

    assert response.status_code == 200
    assert "Revoke the invitation to new.liaison@example.org?" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == StaffInvitation.Status.PENDING
    assert not AuditEvent.objects.filter(verb="staff_invitation.revoke").exists()
    assert client.get(reverse("staff_invitation_accept", args=[token])).status_code == 200


def test_a_revoked_link_cannot_be_used(world, client):
    invitation, token = invite(world.a.staff, world.a)

    response = signed_in(client, world.a.staff).post(revoke_url(world.a, invitation))

    assert response.status_code == 302
    assert response["Location"] == team_url(world.a)
    invitation.refresh_from_db()
    assert invitation.status == StaffInvitation.Status.REVOKED
    event = AuditEvent.objects.get(verb="staff_invitation.revoke")
    assert event.actor == world.a.staff
    page = client.get(team_url(world.a))
    assert page.status_code == 200
    assert "The invitation to new.liaison@example.org was revoked." in page.content.decode()
    assert list(page.context["invitations"]) == []

    client.logout()
    response = client.get(reverse("staff_invitation_accept", args=[token]))
    assert response.status_code == 410
    assert "This invitation cannot be used" in response.content.decode()
    response = client.post(
        reverse("staff_invitation_accept", args=[token]),
        {"name": "Lee", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="new.liaison@example.org").exists()


def test_revoking_twice_changes_nothing_more(world, client):
    invitation, _token = invite(world.a.staff, world.a)
    signed_in(client, world.a.staff).post(revoke_url(world.a, invitation))

    response = client.post(revoke_url(world.a, invitation), follow=True)

    assert "Only a waiting invitation can be revoked." in response.content.decode()
    assert AuditEvent.objects.filter(verb="staff_invitation.revoke").count() == 1


def test_sending_again_issues_a_new_link_and_the_old_one_stops_working(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _token = invite(world.a.staff, world.a)
    [(old_path, _old_token)] = emailed_links()
    invitation.expires_at = timezone.now() + timedelta(hours=1)
    invitation.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(client, world.a.admin).post(resend_url(world.a, invitation))

    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["new.liaison@example.org"]
    [_, (new_path, _new_token)] = emailed_links()
    assert new_path != old_path
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
    assert StaffInvitation.objects.count() == 1
    assert AuditEvent.objects.filter(verb="staff_invitation.resend").exists()

    client.logout()
    assert client.get(old_path).status_code == 410
    assert client.get(new_path).status_code == 200


def test_a_revoked_invitation_cannot_be_sent_again(world, client):
    invitation, _token = invite(world.a.staff, world.a)
    signed_in(client, world.a.staff).post(revoke_url(world.a, invitation))
    mail.outbox.clear()

    response = client.post(resend_url(world.a, invitation), follow=True)

    assert "Only a waiting invitation can be re-sent." in response.content.decode()
    assert len(mail.outbox) == 0
    invitation.refresh_from_db()
    assert invitation.status == StaffInvitation.Status.REVOKED


def test_a_liaison_cannot_revoke_or_send_again(world, client):
    invitation, token = invite(world.a.staff, world.a)
    signed_in(client, world.a.liaison)

    assert client.get(revoke_url(world.a, invitation)).status_code == 403
    assert client.post(revoke_url(world.a, invitation)).status_code == 403
    assert client.post(resend_url(world.a, invitation)).status_code == 403

    invitation.refresh_from_db()
    assert invitation.status == StaffInvitation.Status.PENDING
    assert invitation.token_digest == StaffInvitation.digest(token)


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_another_partners_people_cannot_revoke_or_send_again(world, client, seat):
    invitation, token = invite(world.a.staff, world.a)
    signed_in(client, getattr(world.b, seat))

    assert client.get(revoke_url(world.a, invitation)).status_code == 404
    assert client.post(revoke_url(world.a, invitation)).status_code == 404
    assert client.post(resend_url(world.a, invitation)).status_code == 404
    # Nor through their own partner's address.
    assert client.get(revoke_url(world.b, invitation)).status_code == 404
    assert client.post(revoke_url(world.b, invitation)).status_code == 404
    assert client.post(resend_url(world.b, invitation)).status_code == 404

    invitation.refresh_from_db()
    assert invitation.status == StaffInvitation.Status.PENDING
    assert invitation.token_digest == StaffInvitation.digest(token)


def test_an_invitation_that_does_not_exist_is_not_found(world, client):
    signed_in(client, world.a.staff)

    assert client.get(f"{team_url(world.a)}invitations/999999/revoke/").status_code == 404


# Accepting ------------------------------------------------------------------------------------


def join(client, token, *, name="Lee Okafor", password1=NEW_PASSWORD, password2=None):
    return client.post(
        reverse("staff_invitation_accept", args=[token]),
        {"name": name, "password1": password1, "password2": password2 or password1},
    )


def test_a_new_colleague_creates_an_account_and_joins(world, client):
    _invitation, token = invite(world.a.staff, world.a)

    response = join(client, token)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="new.liaison@example.org")
    assert user.name == "Lee Okafor"
    assert user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.partner, membership.role) == (world.a.partner, Role.LIAISON)
    assert EmailAddress.objects.get(user=user).verified is True
    assert int(client.session["_auth_user_id"]) == user.pk
    invitation = StaffInvitation.objects.get()
    assert invitation.status == StaffInvitation.Status.ACCEPTED
    assert invitation.accepted_at is not None
    assert AuditEvent.objects.filter(verb="membership.create", actor=user).exists()


def test_a_new_colleague_can_sign_in_with_the_chosen_password(world, client):
    _invitation, token = invite(world.a.staff, world.a)
    join(client, token)
    client.logout()

    response = client.post(
        reverse("account_login"), {"login": "new.liaison@example.org", "password": NEW_PASSWORD}
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.liaison@example.org")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_new_colleague_is_asked_to_set_up_two_factor_authentication(world, client):
    _invitation, token = invite(world.a.staff, world.a)
    join(client, token)

    response = client.get(reverse("partner_home", args=[world.a.partner.slug]))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short-pw-1", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("831204659917", "This password is entirely numeric."),
    ],
)
def test_a_weak_password_is_refused(world, client, password, message):
    _invitation, token = invite(world.a.staff, world.a)

    response = join(client, token, password1=password)

    assert response.status_code == 400
    assert message in response.context["form"].errors["password1"]
    assert 'id="id_password1_error"' in response.content.decode()
    assert not User.objects.filter(email="new.liaison@example.org").exists()
    assert (
        not Membership.objects.filter(partner=world.a.partner, role=Role.LIAISON)
        .exclude(user=world.a.liaison)
        .exists()
    )
    assert StaffInvitation.objects.get().status == StaffInvitation.Status.PENDING
    assert "_auth_user_id" not in client.session


def test_a_password_like_the_email_is_refused(world, client):
    _invitation, token = invite(world.a.staff, world.a, email="marguerite.lafontaine@example.org")

    response = join(client, token, password1="marguerite.lafontaine")

    assert response.status_code == 400
    assert "The password is too similar to the email." in response.content.decode()
    assert not User.objects.filter(email="marguerite.lafontaine@example.org").exists()


def test_passwords_that_differ_are_refused(world, client):
    _invitation, token = invite(world.a.staff, world.a)

    response = join(client, token, password2=NEW_PASSWORD + "x")

    assert response.status_code == 400
    assert response.context["form"].errors["password2"] == ["The two passwords differ."]
    assert not User.objects.filter(email="new.liaison@example.org").exists()


def test_a_name_is_required(world, client):
    _invitation, token = invite(world.a.staff, world.a)

    response = join(client, token, name="")

    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert not User.objects.filter(email="new.liaison@example.org").exists()


def test_a_forged_link_shows_the_cannot_be_used_page(world, client):
    invitation, token = invite(world.a.staff, world.a)

    # Made up, one character off the real one, or the digest someone read in the database.
    for forged in ["forged-token", token[:-1], token + "x", invitation.token_digest]:
        response = join(client, forged)
        assert response.status_code == 410, forged
        assert "This invitation cannot be used" in response.content.decode()
        assert client.get(reverse("staff_invitation_accept", args=[forged])).status_code == 410

    assert not User.objects.filter(email="new.liaison@example.org").exists()
    assert StaffInvitation.objects.get().status == StaffInvitation.Status.PENDING


def test_an_expired_link_shows_the_cannot_be_used_page(world, client):
    invitation, token = invite(world.a.staff, world.a)
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()

    assert client.get(reverse("staff_invitation_accept", args=[token])).status_code == 410
    response = join(client, token)

    assert response.status_code == 410
    assert "This invitation cannot be used" in response.content.decode()
    assert not User.objects.filter(email="new.liaison@example.org").exists()


def test_a_used_link_shows_the_cannot_be_used_page(world, client):
    _invitation, token = invite(world.a.staff, world.a)
    join(client, token)
    client.logout()

    response = join(client, token, name="Someone Else")

    assert response.status_code == 410
    assert "This invitation cannot be used" in response.content.decode()
    assert User.objects.get(email="new.liaison@example.org").name == "Lee Okafor"
    assert Membership.objects.filter(user__email="new.liaison@example.org").count() == 1


def test_a_signed_in_user_with_another_email_is_refused(world, client):
    _invitation, token = invite(world.a.staff, world.a)
    signed_in(client, world.b.staff)

    page = client.get(reverse("staff_invitation_accept", args=[token]))
    response = client.post(reverse("staff_invitation_accept", args=[token]))

    assert page.status_code == 200
    assert "This invitation is for new.liaison@example.org" in response.content.decode()
    assert "Sign out and open the link again." in response.content.decode()
    assert not Membership.objects.filter(user=world.b.staff, partner=world.a.partner).exists()
    assert StaffInvitation.objects.get().status == StaffInvitation.Status.PENDING


def test_a_signed_in_user_with_the_invited_email_joins(world, client):
    _invitation, token = invite(world.a.staff, world.a, email=world.b.liaison.email, role="staff")
    signed_in(client, world.b.liaison)

    response = client.post(reverse("staff_invitation_accept", args=[token]))

    assert response.status_code == 302
    assert Membership.objects.get(user=world.b.liaison, partner=world.a.partner).role == "staff"
    assert Membership.objects.get(user=world.b.liaison, partner=world.b.partner).role == "liaison"


def test_someone_with_an_account_is_told_to_sign_in_first(world, client):
    _invitation, token = invite(world.a.staff, world.a, email=world.b.staff.email)

    response = join(client, token)

    assert response.status_code == 400
    assert "You already have an account. Sign in, then open the link again." in (
        response.content.decode()
    )
    world.b.staff.refresh_from_db()
    assert world.b.staff.name != "Lee Okafor"
    assert not world.b.staff.check_password(NEW_PASSWORD)
    assert not Membership.objects.filter(user=world.b.staff, partner=world.a.partner).exists()


# The API --------------------------------------------------------------------------------------


def test_api_staff_invite_a_liaison(world, api, django_capture_on_commit_callbacks):
    token_client(api, world.a.staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            api_url(world.a), {"email": "api.liaison@example.org", "role": "liaison"}, format="json"
        )

    assert response.status_code == 201
    body = response.json()
    invitation = StaffInvitation.objects.get()
    assert body["id"] == invitation.pk
    assert body["email"] == "api.liaison@example.org"
    assert body["role"] == "liaison"
    assert body["status"] == "pending"
    assert "token" not in body
    assert invitation.partner == world.a.partner
    assert mail.outbox[0].to == ["api.liaison@example.org"]
    assert AuditEvent.objects.filter(verb="staff_invitation.create", actor=world.a.staff).exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"role": "liaison"},
        {"email": "", "role": "liaison"},
        {"email": "not-an-email", "role": "liaison"},
        {"email": None, "role": "liaison"},
        {"email": ["a@example.org"], "role": "liaison"},
    ],
)
def test_api_a_missing_or_bad_email_is_a_400_naming_the_field(world, api, payload):
    token_client(api, world.a.staff)

    response = api.post(api_url(world.a), payload, format="json")

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"message", "errors"}
    assert body["message"]
    assert body["errors"]["email"]
    assert nothing_written()


@pytest.mark.parametrize("role", ["", "owner", "funder", None])
def test_api_an_unknown_role_is_a_400_naming_the_field(world, api, role):
    token_client(api, world.a.admin)

    response = api.post(api_url(world.a), {"email": "x@example.org", "role": role}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["role"]
    assert nothing_written()


def test_api_a_body_that_is_not_json_is_a_400(world, api):
    token_client(api, world.a.staff)

    response = api.post(api_url(world.a), "{not json", content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()) == {"message", "errors"}
    assert nothing_written()


def test_api_a_liaison_cannot_invite(world, api):
    token_client(api, world.a.liaison)

    response = api.post(api_url(world.a), {"email": "x@example.org", "role": "liaison"})

    assert response.status_code == 403
    assert set(response.json()) == {"message", "errors"}
    assert api.get(api_url(world.a)).status_code == 403
    assert nothing_written()


def test_api_staff_cannot_invite_an_admin(world, api):
    token_client(api, world.a.staff)

    response = api.post(api_url(world.a), {"email": "boss@example.org", "role": "admin"})

    assert response.status_code == 403
    assert nothing_written()


def test_api_an_admin_can_invite_an_admin(world, api):
    token_client(api, world.a.admin)

    response = api.post(api_url(world.a), {"email": "boss@example.org", "role": "admin"})

    assert response.status_code == 201
    assert StaffInvitation.objects.get().role == Role.ADMIN


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_api_another_partners_people_get_404(world, api, seat):
    invitation, _token = invite(world.a.staff, world.a)
    token_client(api, getattr(world.b, seat))

    assert api.get(api_url(world.a)).status_code == 404
    response = api.post(api_url(world.a), {"email": "x@example.org", "role": "liaison"})
    assert response.status_code == 404
    assert set(response.json()) == {"message", "errors"}
    revoke = f"{api_url(world.a)}{invitation.pk}/revoke/"
    assert api.post(revoke).status_code == 404
    assert api.post(f"{api_url(world.b)}{invitation.pk}/revoke/").status_code == 404
    assert StaffInvitation.objects.count() == 1
    assert StaffInvitation.objects.get().status == StaffInvitation.Status.PENDING


@pytest.mark.parametrize("who", ["family", "funder", "outsider"])
def test_api_people_without_a_role_get_404(world, api, who):
    user = {"family": world.a.seed_member, "funder": world.a.funder, "outsider": world.outsider}
    api.force_authenticate(user[who])

    assert api.get(api_url(world.a)).status_code == 404
    assert api.post(
        api_url(world.a), {"email": "x@example.org", "role": "liaison"}
    ).status_code == (404)
    assert nothing_written()


def test_api_a_visitor_gets_401(world, api):
    response = api.post(api_url(world.a), {"email": "x@example.org", "role": "liaison"})

    assert response.status_code == 401
    assert set(response.json()) == {"message", "errors"}
    assert nothing_written()


def test_api_a_second_invitation_to_one_address_is_a_409(world, api):
    token_client(api, world.a.staff)
    api.post(api_url(world.a), {"email": "twice@example.org", "role": "liaison"})

    response = api.post(api_url(world.a), {"email": "TWICE@example.org", "role": "staff"})

    assert response.status_code == 409
    assert response.json()["errors"] == {"email": ["Already invited."]}
    assert StaffInvitation.objects.count() == 1


def test_api_inviting_a_member_is_a_409(world, api):
    token_client(api, world.a.staff)

    response = api.post(api_url(world.a), {"email": world.a.admin.email, "role": "staff"})

    assert response.status_code == 409
    assert response.json()["errors"] == {"email": ["Already a member."]}
    assert nothing_written()


def test_api_the_list_is_paginated_and_holds_only_this_partners_invitations(world, api):
    for n in range(3):
        invite(world.a.staff, world.a, email=f"a{n}@example.org")
    invite(world.b.staff, world.b, email="b@example.org")
    revoked, _token = invite(world.a.staff, world.a, email="revoked@example.org")
    services.staff_invitation_revoke(
        seat=policy.access_partner(world.a.staff, world.a.partner.slug), invitation=revoked
    )
    token_client(api, world.a.staff)

    response = api.get(api_url(world.a), {"page_size": 2})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert body["previous"] is None
    assert body["next"]
    second = api.get(body["next"]).json()
    emails = {item["email"] for item in body["results"] + second["results"]}
    assert emails == {"a0@example.org", "a1@example.org", "a2@example.org"}


def test_api_staff_revoke_an_invitation(world, api):
    invitation, token = invite(world.a.staff, world.a)
    token_client(api, world.a.staff)

    response = api.post(f"{api_url(world.a)}{invitation.pk}/revoke/")

    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    assert services.staff_invitation_by_token(token) is None


def test_api_a_liaison_cannot_revoke(world, api):
    invitation, _token = invite(world.a.staff, world.a)
    token_client(api, world.a.liaison)

    response = api.post(f"{api_url(world.a)}{invitation.pk}/revoke/")

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == StaffInvitation.Status.PENDING


# Idempotency ----------------------------------------------------------------------------------


def test_api_a_retry_with_the_same_key_creates_one_invitation(
    world, api, django_capture_on_commit_callbacks
):
    token_client(api, world.a.staff)
    payload = {"email": "once@example.org", "role": "liaison"}

    with django_capture_on_commit_callbacks(execute=True):
        first = api.post(api_url(world.a), payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    with django_capture_on_commit_callbacks(execute=True):
        second = api.post(api_url(world.a), payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert StaffInvitation.objects.count() == 1
    assert AuditEvent.objects.filter(verb="staff_invitation.create").count() == 1
    assert len(mail.outbox) == 1


def test_api_the_same_key_with_another_body_is_a_409(world, api):
    token_client(api, world.a.staff)
    api.post(
        api_url(world.a),
        {"email": "once@example.org", "role": "liaison"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )

    response = api.post(
        api_url(world.a),
        {"email": "other@example.org", "role": "liaison"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )

    assert response.status_code == 409
    assert set(response.json()) == {"message", "errors"}
    assert list(StaffInvitation.objects.values_list("email", flat=True)) == ["once@example.org"]


def test_api_a_refused_request_does_not_use_up_its_key(world, api):
    token_client(api, world.a.staff)

    refused = api.post(
        api_url(world.a),
        {"email": "not-an-email", "role": "liaison"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    corrected = api.post(
        api_url(world.a),
        {"email": "fixed@example.org", "role": "liaison"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )

    assert refused.status_code == 400
    assert corrected.status_code == 201
    assert corrected.json()["email"] == "fixed@example.org"
    assert "Idempotent-Replayed" not in corrected
    assert StaffInvitation.objects.get().email == "fixed@example.org"


def test_api_a_conflict_does_not_use_up_its_key(world, api):
    token_client(api, world.a.staff)
    invitation, _token = invite(world.a.staff, world.a, email="taken@example.org")
    payload = {"email": "taken@example.org", "role": "liaison"}

    refused = api.post(api_url(world.a), payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    services.staff_invitation_revoke(
        seat=policy.access_partner(world.a.staff, world.a.partner.slug), invitation=invitation
    )
    retried = api.post(api_url(world.a), payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert refused.status_code == 409
    assert retried.status_code == 201
    assert StaffInvitation.objects.filter(status="pending").count() == 1


def test_api_keys_belong_to_their_caller(world, api):
    payload = {"email": "shared-key@example.org", "role": "liaison"}
    api.force_authenticate(world.a.staff)
    first = api.post(api_url(world.a), payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    api.force_authenticate(world.b.staff)

    second = api.post(api_url(world.b), payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second
    assert second.json()["id"] != first.json()["id"]
    assert StaffInvitation.objects.filter(partner=world.b.partner).count() == 1
    assert IdempotencyRecord.objects.count() == 2


def test_api_an_overlong_key_is_a_400(world, api):
    token_client(api, world.a.staff)

    response = api.post(
        api_url(world.a),
        {"email": "x@example.org", "role": "liaison"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k" * 256,
    )

    assert response.status_code == 400
    assert response.json()["errors"]["Idempotency-Key"]
    assert nothing_written()
