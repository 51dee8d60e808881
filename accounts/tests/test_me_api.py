"""`GET /api/v1/me/`: who the caller is, their roles per partner, their family, funder or not."""

import pytest

from accounts import services
from accounts.models import Role
from accounts.tests.helpers import totp_code
from tests import factories

ME = "/api/v1/me/"


def me(api, user):
    api.force_authenticate(user)
    response = api.get(ME)
    assert response.status_code == 200
    return response.json()


def test_staff_see_their_role_in_their_partner(world, api):
    token = services.api_token_issue(user=world.a.staff, otp=totp_code(world.a.staff))
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = api.get(ME)

    assert response.status_code == 200
    assert response.json() == {
        "id": world.a.staff.pk,
        "email": "staff@a.example.org",
        "phone": None,
        "name": world.a.staff.name,
        "language": world.a.staff.language,
        "is_platform_admin": False,
        "roles": [{"partner": "partner-a", "partner_name": "Partner A", "role": "staff"}],
        "family": None,
        "is_funder": False,
    }


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_each_seat_sees_only_its_own_partner(world, api, seat):
    body = me(api, getattr(world.b, seat))

    assert body["roles"] == [{"partner": "partner-b", "partner_name": "Partner B", "role": seat}]


def test_someone_working_for_two_partners_sees_both_roles(world, api):
    factories.MembershipFactory(partner=world.b.partner, user=world.a.staff, role=Role.LIAISON)

    body = me(api, world.a.staff)

    assert body["roles"] == [
        {"partner": "partner-a", "partner_name": "Partner A", "role": "staff"},
        {"partner": "partner-b", "partner_name": "Partner B", "role": "liaison"},
    ]


def test_a_family_member_sees_their_family(world, api):
    body = me(api, world.a.seed_member)

    assert body["family"] == world.a.seed_family.pk
    assert body["roles"] == []
    assert body["is_funder"] is False
    assert body["is_platform_admin"] is False


def test_each_family_member_sees_their_own_family(world, api):
    assert me(api, world.a.friend_member)["family"] == world.a.friend_family.pk
    assert me(api, world.b.seed_member)["family"] == world.b.seed_family.pk


def test_a_funder_is_marked_as_funder(world, api):
    body = me(api, world.a.funder)

    assert body["is_funder"] is True
    assert body["family"] is None
    assert body["roles"] == []


def test_someone_who_belongs_to_nothing_has_no_roles(world, api):
    body = me(api, world.outsider)

    assert body["email"] == "outsider@example.org"
    assert body["roles"] == []
    assert body["family"] is None
    assert body["is_funder"] is False


def test_a_platform_admin_is_marked_as_such(world, api):
    operator = factories.UserFactory(email="operator@example.org", is_superuser=True)
    factories.enable_totp(operator)

    body = me(api, operator)

    assert body["is_platform_admin"] is True
    assert body["roles"] == []


def test_the_saved_language_is_shown(world, api):
    services.user_set_language(user=world.a.seed_member, language="fr")

    assert me(api, world.a.seed_member)["language"] == "fr"


def test_a_signed_in_browser_session_works_too(world, client):
    client.force_login(world.a.seed_member)

    response = client.get(ME)

    assert response.status_code == 200
    assert response.json()["family"] == world.a.seed_family.pk


def test_a_visitor_gets_a_401(world, api):
    response = api.get(ME)

    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"message", "errors"}
    assert body["message"]
    assert response["WWW-Authenticate"] == "Token"


def test_me_is_read_only(world, api):
    api.force_authenticate(world.a.seed_member)

    response = api.post(ME, {"email": "changed@example.org"}, format="json")

    assert response.status_code == 405
    assert set(response.json()) == {"message", "errors"}
    world.a.seed_member.refresh_from_db()
    assert world.a.seed_member.email == "seed@a.example.org"


def test_the_number_of_queries_does_not_grow_with_roles(world, api, django_assert_max_num_queries):
    api.force_authenticate(world.a.staff)
    with django_assert_max_num_queries(6):
        response = api.get(ME)
    assert response.status_code == 200
    assert len(response.json()["roles"]) == 1
    for partner in (factories.PartnerFactory() for _ in range(5)):
        factories.MembershipFactory(partner=partner, user=world.a.staff, role=Role.STAFF)

    with django_assert_max_num_queries(6):
        response = api.get(ME)

    assert response.status_code == 200
    assert len(response.json()["roles"]) == 6
