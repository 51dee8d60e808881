"""The families API, part two: a seed family invites friends; whoever holds the link joins."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from families.models import Family, FamilyInvitation, Tie
from families.services import family_invitation_create, family_invitation_revoke
from tests.seats import seed_seat, signed_in

PASSWORD = "a-long-friend-password-2026"


def invitations_url(family) -> str:
    return f"/api/v1/families/{family.pk}/invitations/"


def revoke_url(family, invitation) -> str:
    return f"{invitations_url(family)}{invitation.pk}/revoke/"


def accept_url(token: str) -> str:
    return f"/api/v1/invitations/{token}/accept/"


def invite(tenant, name="Rosa", **contact):
    contact = contact or {"phone": "+1 510 555 0123"}
    return family_invitation_create(seat=seed_seat(tenant), name=name, **contact)


def join_body(**changes):
    body = {
        "name": "Rosa Alvarez",
        "email": "rosa@example.org",
        "password": PASSWORD,
        "household_size": 3,
        "household_name": "The Alvarez household",
    }
    body.update(changes)
    return body


OTHERS = ["admin", "staff", "liaison", "family", "funder", "no role"]


def other_partner_seat(world, seat):
    return {
        "admin": world.b.admin,
        "staff": world.b.staff,
        "liaison": world.b.liaison,
        "family": world.b.seed_member,
        "funder": world.b.funder,
        "no role": world.outsider,
    }[seat]


# Listing and sending ----------------------------------------------------------------------------


def test_a_seed_family_lists_its_invitations_without_their_secrets(world, api):
    invite(world.a, name="Rosa")
    invite(world.a, name="Omar", email="omar@example.org")

    response = signed_in(api, world.a.seed_member).get(invitations_url(world.a.seed_family))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert [i["name"] for i in body["results"]] == ["Omar", "Rosa"]
    assert body["results"][0]["status"] == "pending"
    assert "token" not in body["results"][0]
    assert "link" not in body["results"][0]


def test_a_seed_family_invites_a_friend_by_email(
    world, api, mailoutbox, django_capture_on_commit_callbacks
):
    signed_in(api, world.a.seed_member)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            invitations_url(world.a.seed_family),
            {"name": "Rosa", "email": "Rosa@Example.org"},
            format="json",
        )

    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "rosa@example.org"
    assert body["status"] == "pending"
    assert body["token"]
    assert body["link"].endswith(f"/invite/{body['token']}/")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["rosa@example.org"]
    assert body["link"] in mailoutbox[0].body


def test_a_seed_family_invites_a_friend_by_phone_and_shares_the_link_itself(
    world, api, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(api, world.a.seed_member).post(
            invitations_url(world.a.seed_family),
            {"name": "Rosa", "phone": "+1 510 555 0123"},
            format="json",
        )

    assert response.status_code == 201
    assert response.json()["phone"] == "+15105550123"
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Rosa"}, "email"),
        ({"name": "Rosa", "email": "", "phone": ""}, "email"),
        ({"name": "Rosa", "email": "rosa at home"}, "email"),
        ({"name": "", "phone": "+1 510 555 0123"}, "name"),
        ({"phone": "+1 510 555 0123"}, "name"),
    ],
)
def test_a_bad_invitation_is_refused_naming_the_field(world, api, body, field):
    response = signed_in(api, world.a.seed_member).post(
        invitations_url(world.a.seed_family), body, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not FamilyInvitation.objects.exists()


def test_a_friend_family_cannot_invite_until_it_is_a_seed(world, api):
    response = signed_in(api, world.a.friend_member).post(
        invitations_url(world.a.friend_family),
        {"name": "Rosa", "phone": "+1 510 555 0100"},
        format="json",
    )

    assert response.status_code == 403
    assert "Seed families invite friends" in response.json()["message"]
    assert not FamilyInvitation.objects.exists()


def test_the_eleventh_friend_is_refused_with_a_conflict(world, api):
    # The friend family already in the group uses one of the ten places.
    for n in range(8):
        invite(world.a, name=f"Friend {n}")
    signed_in(api, world.a.seed_member)
    url = invitations_url(world.a.seed_family)

    tenth = api.post(url, {"name": "Tenth", "phone": "+1 510 555 0110"}, format="json")
    eleventh = api.post(url, {"name": "Eleventh", "phone": "+1 510 555 0111"}, format="json")

    assert tenth.status_code == 201
    assert eleventh.status_code == 409
    assert "10 invitations" in eleventh.json()["message"]
    assert not FamilyInvitation.objects.filter(name="Eleventh").exists()


def test_a_revoked_invitation_frees_its_place(world, api):
    for n in range(9):
        invitation, _token = invite(world.a, name=f"Friend {n}")
    family_invitation_revoke(seat=seed_seat(world.a), invitation=invitation)

    response = signed_in(api, world.a.seed_member).post(
        invitations_url(world.a.seed_family),
        {"name": "Late", "phone": "+1 510 555 0100"},
        format="json",
    )

    assert response.status_code == 201


def test_retrying_an_invitation_with_the_same_idempotency_key_sends_one(world, api):
    signed_in(api, world.a.seed_member)
    url = invitations_url(world.a.seed_family)
    body = {"name": "Rosa", "phone": "+1 510 555 0123"}

    first = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="invite-rosa")
    again = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="invite-rosa")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert FamilyInvitation.objects.count() == 1


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_the_partners_staff_cannot_read_or_send_a_familys_invitations(world, api, seat):
    signed_in(api, getattr(world.a, seat))
    url = invitations_url(world.a.seed_family)

    assert api.get(url).status_code == 403
    assert (
        api.post(url, {"name": "Rosa", "phone": "+1 510 555 0100"}, format="json").status_code
        == 403
    )
    assert not FamilyInvitation.objects.exists()


def test_another_family_of_the_group_gets_404_for_a_familys_invitations(world, api):
    signed_in(api, world.a.friend_member)
    url = invitations_url(world.a.seed_family)

    assert api.get(url).status_code == 404
    assert (
        api.post(url, {"name": "Rosa", "phone": "+1 510 555 0100"}, format="json").status_code
        == 404
    )
    assert not FamilyInvitation.objects.exists()


@pytest.mark.parametrize("seat", OTHERS)
def test_another_partners_people_get_404_for_a_familys_invitations(world, api, seat):
    invitation, _token = invite(world.a)
    signed_in(api, other_partner_seat(world, seat))

    assert api.get(invitations_url(world.a.seed_family)).status_code == 404
    assert (
        api.post(
            invitations_url(world.a.seed_family), {"name": "X", "phone": "+1"}, format="json"
        ).status_code
        == 404
    )
    assert api.post(revoke_url(world.a.seed_family, invitation)).status_code == 404
    assert FamilyInvitation.objects.get().status == FamilyInvitation.Status.PENDING


# Revoking -------------------------------------------------------------------------------------


def test_a_family_revokes_a_waiting_invitation(world, api):
    invitation, token = invite(world.a)
    signed_in(api, world.a.seed_member)

    response = api.post(revoke_url(world.a.seed_family, invitation))
    again = api.post(revoke_url(world.a.seed_family, invitation))

    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    assert again.status_code == 409
    joined = APIClient().post(accept_url(token), join_body(), format="json")
    assert joined.status_code == 409


def test_staff_cannot_revoke_a_familys_invitation(world, api):
    invitation, _token = invite(world.a)

    response = signed_in(api, world.a.staff).post(revoke_url(world.a.seed_family, invitation))

    assert response.status_code == 403
    assert FamilyInvitation.objects.get().status == FamilyInvitation.Status.PENDING


def test_an_invitation_of_another_family_cannot_be_revoked_through_ones_own(world, api):
    invitation, _token = invite(world.b)

    response = signed_in(api, world.a.seed_member).post(revoke_url(world.a.seed_family, invitation))

    assert response.status_code == 404
    assert FamilyInvitation.objects.get().status == FamilyInvitation.Status.PENDING


# Accepting --------------------------------------------------------------------------------------


def test_a_friend_joins_the_inviters_group_and_gets_an_api_token(world):
    _invitation, token = invite(world.a, email="rosa@example.org")
    client = APIClient(enforce_csrf_checks=True)

    response = client.post(accept_url(token), join_body(), format="json")

    assert response.status_code == 201
    body = response.json()
    family = Family.objects.get(pk=body["family"])
    assert body["group"] == world.a.group.pk
    assert family.name == "The Alvarez household"
    assert family.group == world.a.group
    assert family.invited_by == world.a.seed_family
    assert family.is_seed is False
    assert family.household_size == 3
    assert Tie.objects.filter(reason=Tie.Reason.INVITED, kind=Tie.Kind.BONDING).count() == 1
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["family"] == family.pk
    assert me.json()["email"] == "rosa@example.org"


def test_a_household_is_named_after_the_friend_unless_they_name_it(world):
    _invitation, token = invite(world.a)
    body = join_body()
    del body["household_name"]

    response = APIClient().post(accept_url(token), body, format="json")

    assert response.status_code == 201
    assert Family.objects.get(pk=response.json()["family"]).name == "Household of Rosa Alvarez"


def test_an_invitation_works_once(world):
    _invitation, token = invite(world.a)
    client = APIClient()

    first = client.post(accept_url(token), join_body(), format="json")
    second = client.post(
        accept_url(token), join_body(email="someone.else@example.org"), format="json"
    )

    assert first.status_code == 201
    assert second.status_code == 409
    assert "already used" in second.json()["message"]
    assert not User.objects.filter(email="someone.else@example.org").exists()


def test_an_expired_invitation_is_refused_clearly(world):
    invitation, token = invite(world.a)
    FamilyInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = APIClient().post(accept_url(token), join_body(), format="json")

    assert response.status_code == 409
    assert "expired" in response.json()["message"]
    assert not User.objects.filter(email="rosa@example.org").exists()


@pytest.mark.parametrize("token", ["forged", "eyJpIjoxLCJzIjoieCJ9:1abc:deadbeef"])
def test_a_forged_link_is_not_found(world, token):
    response = APIClient().post(accept_url(token), join_body(), format="json")

    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "errors": {}}
    assert not User.objects.filter(email="rosa@example.org").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "short"}, "password"),
        ({"email": "rosa"}, "email"),
        ({"email": "seed@a.example.org"}, "email"),
        ({"household_size": 0}, "household_size"),
        ({"household_size": None}, "household_size"),
        ({"name": "  "}, "name"),
        ({"members": [{"first_name": ""}]}, "members.0.first_name"),
    ],
)
def test_a_bad_acceptance_is_refused_naming_the_field_and_creates_nothing(world, change, field):
    invitation, token = invite(world.a)
    families, users = Family.objects.count(), User.objects.count()

    response = APIClient().post(accept_url(token), join_body(**change), format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert (Family.objects.count(), User.objects.count()) == (families, users)
    invitation.refresh_from_db()
    assert invitation.status == FamilyInvitation.Status.PENDING


def test_retrying_an_acceptance_with_the_same_idempotency_key_creates_one_household(world):
    _invitation, token = invite(world.a)
    client = APIClient()

    first = client.post(
        accept_url(token), join_body(), format="json", HTTP_IDEMPOTENCY_KEY="join-rosa"
    )
    again = client.post(
        accept_url(token), join_body(), format="json", HTTP_IDEMPOTENCY_KEY="join-rosa"
    )

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Family.objects.filter(invited_by=world.a.seed_family).count() == 2
    assert ApiToken.objects.filter(user__email="rosa@example.org").count() == 1


def test_a_signed_in_visitor_accepts_for_the_new_household_not_their_own(world, api):
    _invitation, token = invite(world.a)

    response = signed_in(api, world.b.seed_member).post(
        accept_url(token), join_body(), format="json"
    )

    assert response.status_code == 201
    family = Family.objects.get(pk=response.json()["family"])
    assert family.partner == world.a.partner
    assert family.members.get().user.email == "rosa@example.org"


def test_the_friend_family_counts_in_the_cohorts_reach(world, api):
    _invitation, token = invite(world.a)
    APIClient().post(accept_url(token), join_body(), format="json")

    cohort = signed_in(api, world.a.staff).get(f"/api/v1/cohorts/{world.a.cohort.pk}/").json()

    assert cohort["reach"] == {"households": 3, "people": 11}
