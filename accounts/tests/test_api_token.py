"""`POST /api/v1/auth/token/`: email and password (and the two-factor code when required) for a
token, sent afterwards as `Authorization: Token <token>`."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken, AuditEvent, Role
from accounts.tests.helpers import totp_code, wrong_code
from tests import factories

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"


def ask(api, **payload):
    return api.post(TOKEN, payload, format="json")


def me_with(api, token):
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get(ME)


def assert_error_shape(body):
    assert set(body) == {"message", "errors"}
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)


@pytest.fixture
def staff_without_2fa(world):
    user = factories.UserFactory(email="new.staff@a.example.org")
    factories.MembershipFactory(partner=world.a.partner, user=user, role=Role.STAFF)
    return user


def test_a_family_member_gets_a_token_that_opens_the_api(world, api):
    response = ask(api, email=world.a.seed_member.email, password=factories.PASSWORD)

    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    token = response.json()["token"]
    me = me_with(api, token)
    assert me.status_code == 200
    assert me.json()["email"] == world.a.seed_member.email
    assert me.json()["family"] == world.a.seed_family.pk


def test_the_email_is_not_case_sensitive(world, api):
    response = ask(api, email="SEED@a.example.org", password=factories.PASSWORD)

    assert response.status_code == 200


def test_each_request_gets_its_own_token(world, api):
    first = ask(api, email=world.a.seed_member.email, password=factories.PASSWORD).json()
    second = ask(api, email=world.a.seed_member.email, password=factories.PASSWORD).json()

    assert first["token"] != second["token"]
    assert me_with(api, first["token"]).status_code == 200
    assert me_with(api, second["token"]).status_code == 200


def test_issuing_a_token_is_audited(world, api):
    ask(api, email=world.a.seed_member.email, password=factories.PASSWORD)

    event = AuditEvent.objects.get(verb="api_token.issue")
    assert event.actor == world.a.seed_member


def test_a_wrong_password_is_a_401(world, api):
    response = ask(api, email=world.a.seed_member.email, password="not-the-password-at-all")

    assert response.status_code == 401
    assert_error_shape(response.json())
    assert "token" not in response.json()
    assert not ApiToken.objects.exists()


def test_an_unknown_address_is_a_401_like_a_wrong_password(world, api):
    wrong_password = ask(api, email=world.a.seed_member.email, password="not-the-password")
    unknown = ask(api, email="nobody@example.org", password=factories.PASSWORD)

    assert unknown.status_code == 401
    assert unknown.json() == wrong_password.json()


def test_a_deactivated_account_gets_no_token(world, api):
    world.a.seed_member.is_active = False
    world.a.seed_member.save()

    response = ask(api, email=world.a.seed_member.email, password=factories.PASSWORD)

    assert response.status_code == 401
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"password": factories.PASSWORD}, {"email"}),
        ({"email": "seed@a.example.org"}, {"password"}),
        ({}, {"email", "password"}),
        ({"email": "", "password": ""}, {"email", "password"}),
        ({"email": "not-an-email", "password": factories.PASSWORD}, {"email"}),
        ({"email": None, "password": factories.PASSWORD}, {"email"}),
    ],
)
def test_a_missing_or_bad_field_is_a_400_naming_it(world, api, payload, fields):
    response = ask(api, **payload)

    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body)
    assert set(body["errors"]) == fields
    assert not ApiToken.objects.exists()


def test_a_body_that_is_not_json_is_a_400(world, api):
    response = api.post(TOKEN, "{email", content_type="application/json")

    assert response.status_code == 400
    assert_error_shape(response.json())


def test_a_form_encoded_request_works_too(world, api):
    response = api.post(TOKEN, {"email": world.a.seed_member.email, "password": factories.PASSWORD})

    assert response.status_code == 200
    assert response.json()["token"]


# Two-factor authentication ---------------------------------------------------------------------


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_staff_with_2fa_must_send_the_code(world, api, seat):
    user = getattr(world.a, seat)

    response = ask(api, email=user.email, password=factories.PASSWORD)

    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body)
    assert body["errors"]["otp"] == ["Enter the code from your authenticator app."]
    assert not ApiToken.objects.exists()


def test_staff_with_a_wrong_code_get_no_token(world, api):
    user = world.a.staff

    response = ask(
        api, email=user.email, password=factories.PASSWORD, otp=wrong_code(totp_code(user))
    )

    assert response.status_code == 400
    assert response.json()["errors"]["otp"] == ["This code is not valid. Try the current one."]
    assert not ApiToken.objects.exists()


def test_staff_with_the_right_code_get_a_token(world, api):
    user = world.a.staff

    response = ask(api, email=user.email, password=factories.PASSWORD, otp=totp_code(user))

    assert response.status_code == 200
    me = me_with(api, response.json()["token"])
    assert me.status_code == 200
    assert me.json()["roles"] == [
        {"partner": "partner-a", "partner_name": "Partner A", "role": "staff"}
    ]


def test_a_code_with_spaces_around_it_is_accepted(world, api):
    user = world.a.staff

    response = ask(api, email=user.email, password=factories.PASSWORD, otp=f" {totp_code(user)} ")

    assert response.status_code == 200


def test_a_code_works_only_once(world, api):
    user = world.a.staff
    code = totp_code(user)
    ask(api, email=user.email, password=factories.PASSWORD, otp=code)

    response = ask(api, email=user.email, password=factories.PASSWORD, otp=code)

    assert response.status_code == 400
    assert response.json()["errors"]["otp"]
    assert ApiToken.objects.count() == 1


def test_the_right_code_with_a_wrong_password_is_a_401(world, api):
    user = world.a.staff

    response = ask(api, email=user.email, password="not-the-password", otp=totp_code(user))

    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_guessing_codes_locks_the_account_like_guessing_passwords(world, api):
    user = world.a.staff
    code = totp_code(user)
    for attempt in range(5):
        response = ask(api, email=user.email, password=factories.PASSWORD, otp=wrong_code(code))
        assert response.status_code == 400, attempt

    response = ask(api, email=user.email, password=factories.PASSWORD, otp=code)

    assert response.status_code == 429
    assert_error_shape(response.json())
    assert not ApiToken.objects.exists()


def test_asking_for_the_code_is_not_a_failed_attempt(world, api):
    user = world.a.staff
    for _attempt in range(5):
        ask(api, email=user.email, password=factories.PASSWORD)

    response = ask(api, email=user.email, password=factories.PASSWORD, otp=totp_code(user))

    assert response.status_code == 200


def test_staff_without_2fa_get_no_token(world, api, staff_without_2fa):
    response = ask(api, email=staff_without_2fa.email, password=factories.PASSWORD)

    assert response.status_code == 403
    body = response.json()
    assert_error_shape(body)
    assert "two-factor" in body["message"]
    assert not ApiToken.objects.exists()


def test_in_demo_mode_staff_without_2fa_get_a_token(world, api, staff_without_2fa, settings):
    settings.DEMO_MODE = True

    response = ask(api, email=staff_without_2fa.email, password=factories.PASSWORD)

    assert response.status_code == 200
    assert me_with(api, response.json()["token"]).status_code == 200


def test_a_demo_mode_token_stops_working_for_staff_without_2fa(
    world, api, staff_without_2fa, settings
):
    settings.DEMO_MODE = True
    token = ask(api, email=staff_without_2fa.email, password=factories.PASSWORD).json()["token"]
    settings.DEMO_MODE = False

    response = me_with(api, token)

    assert response.status_code == 403
    assert response.json() == {
        "message": "Set up two-factor authentication to continue.",
        "errors": {},
    }


def test_a_family_members_token_stops_working_when_they_join_the_staff_without_2fa(world, api):
    user = world.a.seed_member
    token = ask(api, email=user.email, password=factories.PASSWORD).json()["token"]
    factories.MembershipFactory(partner=world.a.partner, user=user, role=Role.LIAISON)

    response = me_with(api, token)

    assert response.status_code == 403
    assert_error_shape(response.json())


def test_funders_and_families_need_no_code(world, api):
    for user in (world.a.funder, world.b.friend_member):
        response = ask(api, email=user.email, password=factories.PASSWORD)
        assert response.status_code == 200, user.email


def test_a_family_member_who_turned_on_2fa_must_send_the_code(world, api):
    user = world.a.seed_member
    factories.enable_totp(user)

    without = ask(api, email=user.email, password=factories.PASSWORD)
    with_code = ask(api, email=user.email, password=factories.PASSWORD, otp=totp_code(user))

    assert without.status_code == 400
    assert without.json()["errors"]["otp"]
    assert with_code.status_code == 200


# Using the token -------------------------------------------------------------------------------


def test_an_expired_token_is_a_401(world, api):
    token = services.api_token_issue(user=world.a.seed_member)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = me_with(api, token)

    assert response.status_code == 401
    assert_error_shape(response.json())
    assert response["WWW-Authenticate"] == "Token"


def test_a_fresh_token_lasts_thirty_days(world, api):
    before = timezone.now()
    services.api_token_issue(user=world.a.seed_member)

    expires_at = ApiToken.objects.get().expires_at
    assert before + timedelta(days=29, hours=23) < expires_at <= timezone.now() + timedelta(days=30)


@pytest.mark.parametrize(
    "header",
    ["Token not-a-real-token", "Token ", "Token a b", "token  "],
)
def test_a_bad_token_is_a_401(world, api, header):
    api.credentials(HTTP_AUTHORIZATION=header)

    response = api.get(ME)

    assert response.status_code == 401
    assert_error_shape(response.json())


def test_a_deactivated_users_token_is_a_401(world, api):
    token = services.api_token_issue(user=world.a.seed_member)
    world.a.seed_member.is_active = False
    world.a.seed_member.save()

    assert me_with(api, token).status_code == 401


def test_using_a_token_records_when(world, api):
    token = services.api_token_issue(user=world.a.seed_member)

    me_with(api, token)

    assert ApiToken.objects.get().last_used_at is not None


def test_the_database_never_stores_the_token(world, api):
    token = ask(api, email=world.a.seed_member.email, password=factories.PASSWORD).json()["token"]

    stored = ApiToken.objects.get()
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert stored.user == world.a.seed_member
    assert token not in str(list(ApiToken.objects.values()))
    assert token not in str(list(AuditEvent.objects.values()))
    # The digest itself opens nothing.
    assert me_with(api, stored.digest).status_code == 401
