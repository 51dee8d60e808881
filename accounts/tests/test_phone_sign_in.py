"""Families with a phone and no email: they join, sign in and get their codes by SMS.

allauth's login by code does the codes (expiry, single use, attempts, rate limits); these tests
check what a family notices: the texts that arrive, the pages, and that nobody else gets in.
Partner B is in Liberia, so its numbers may be typed without the country code.
"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import AuditEvent, User
from families import services
from families.models import Family, FamilyInvitation
from messaging.models import Message
from tests.seats import seed_seat

CODE = re.compile(r"SMS to (?P<to>\+\d+): Your Mutuality code is (?P<code>\d{6})")
LINK = re.compile(r"SMS to (?P<to>\+\d+): .*?(?P<path>/(invite|welcome)/[^/\s]+/)")
REQUEST_CODE = reverse("account_request_login_code")
CONFIRM_CODE = reverse("account_confirm_login_code")
NUMBER = "+231777123456"


def last_code(capsys, to=NUMBER) -> str:
    codes = [m["code"] for m in CODE.finditer(capsys.readouterr().out) if m["to"] == to]
    assert codes, "no code was texted"
    return codes[-1]


def invite_by_phone(tenant, capsys, django_capture_on_commit_callbacks, phone="0777 123 456"):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _token = services.family_invitation_create(
            seat=seed_seat(tenant), name="Musu Kollie", phone=phone
        )
    texted = LINK.search(capsys.readouterr().out)
    assert texted and texted["to"] == invitation.phone
    return invitation, texted["path"]


def join_by_phone(client, path, django_capture_on_commit_callbacks, **extra):
    data = {
        "name": "Musu Kollie",
        "phone": "0777 123 456",
        "email": "",
        "password1": "",
        "password2": "",
        "household_name": "The Kollie family",
        "household_size": "4",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
        **extra,
    }
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(path, data)


def phone_user(tenant, phone=NUMBER, verified=True):
    """A member of the tenant's seed household who signs in with a phone only."""
    from tests import factories

    user = User.objects.create_user(email=None, phone=phone, name="Musu Kollie")
    User.objects.filter(pk=user.pk).update(phone_verified=verified)
    factories.HouseholdMemberFactory(family=tenant.seed_family, user=user, first_name="Musu")
    user.refresh_from_db()
    return user


def ask_code(client, django_capture_on_commit_callbacks, phone="0777 123 456"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(REQUEST_CODE, {"phone": phone, "email": ""})


def sign_in_by_code(client, capsys, django_capture_on_commit_callbacks):
    ask_code(client, django_capture_on_commit_callbacks)
    client.post(CONFIRM_CODE, {"code": last_code(capsys)})
    assert SESSION_KEY in client.session


def confirm_it_is_you(client, capsys, django_capture_on_commit_callbacks):
    """allauth asks again before a change of how one signs in; a family answers with a code."""
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("account_request_reauthentication_code"), {"recipient": NUMBER})
    assert sent.status_code == 302
    client.post(sent.url, {"code": last_code(capsys)})


# Joining -----------------------------------------------------------------------------------------


def test_a_friend_invited_by_phone_joins_with_a_code_alone(
    world, client, capsys, django_capture_on_commit_callbacks
):
    invitation, path = invite_by_phone(world.b, capsys, django_capture_on_commit_callbacks)
    # The link went by SMS but is not kept: staff reading the message see no credential.
    kept = Message.objects.get(template="invitation", to=NUMBER)
    assert "/invite/" not in kept.body and "Seed household B" in kept.body

    page = client.get(path)
    assert page.status_code == 200
    assert page.context["form"].initial["phone"] == "+231 77 712 3456"

    response = join_by_phone(client, path, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response.url.startswith(CONFIRM_CODE)
    assert SESSION_KEY not in client.session  # not signed in before the code comes back
    user = User.objects.get(phone=NUMBER)
    assert user.email is None and not user.has_usable_password() and not user.phone_verified
    assert not EmailAddress.objects.filter(user=user).exists()
    family = Family.objects.get(members__user=user)
    assert family.contact_phone == NUMBER and family.group == world.b.group
    code = last_code(capsys)

    done = client.post(response.url, {"code": code})

    assert done.status_code == 302 and done.url == reverse("family_home")
    assert int(client.session[SESSION_KEY]) == user.pk
    user.refresh_from_db()
    assert user.phone_verified
    assert client.get(reverse("family_home")).status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == FamilyInvitation.Status.ACCEPTED


def test_joining_needs_a_phone_or_an_email_and_a_bad_number_is_named(
    world, client, capsys, django_capture_on_commit_callbacks
):
    _invitation, path = invite_by_phone(world.b, capsys, django_capture_on_commit_callbacks)

    nothing = join_by_phone(client, path, django_capture_on_commit_callbacks, phone="")
    assert nothing.status_code == 400
    assert "Give your phone number or your email." in nothing.context["form"].errors["phone"]
    bad = join_by_phone(client, path, django_capture_on_commit_callbacks, phone="12")
    assert bad.status_code == 400
    assert "not a phone number we can text" in bad.context["form"].errors["phone"][0]

    # Nothing was half-made, and the link still works.
    assert not User.objects.filter(name="Musu Kollie").exists()
    assert not Family.objects.filter(name="The Kollie family").exists()
    assert join_by_phone(client, path, django_capture_on_commit_callbacks).status_code == 302


def test_a_number_that_already_signs_in_cannot_join_again(
    world, client, capsys, django_capture_on_commit_callbacks
):
    phone_user(world.a)
    _invitation, path = invite_by_phone(world.b, capsys, django_capture_on_commit_callbacks)

    response = join_by_phone(client, path, django_capture_on_commit_callbacks)

    assert response.status_code == 400
    assert "already exists" in response.context["form"].errors["phone"][0]
    assert User.objects.filter(phone=NUMBER).count() == 1
    assert not Family.objects.filter(name="The Kollie family").exists()


def test_a_household_enrolled_with_a_phone_gets_its_link_by_sms_and_signs_in_by_code(
    world, client, capsys, django_capture_on_commit_callbacks
):
    from accounts import policy

    seat = policy.access_partner(world.b.staff, world.b.partner.slug)
    with django_capture_on_commit_callbacks(execute=True):
        family = services.family_enroll_seed(
            seat=seat,
            cohort=world.b.cohort,
            data=services.HouseholdInput(
                name="Doe household", household_size=2, contact_phone="0886 555 123"
            ),
        )
    texted = LINK.search(capsys.readouterr().out)
    assert texted and texted["to"] == family.contact_phone == "+231886555123"
    assert "/welcome/" in texted["path"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            texted["path"],
            {"name": "Comfort Doe", "phone": "0886 555 123", "email": "", "birth_year": ""},
        )

    assert response.status_code == 302 and response.url.startswith(CONFIRM_CODE)
    code = last_code(capsys, to="+231886555123")
    assert client.post(response.url, {"code": code}).url == reverse("family_home")
    assert User.objects.get(phone="+231886555123").phone_verified


# Signing in by code ------------------------------------------------------------------------------


def test_a_family_signs_in_with_a_code_typed_as_they_write_their_number(
    world, client, capsys, django_capture_on_commit_callbacks
):
    user = phone_user(world.b)

    response = ask_code(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response.url.startswith(CONFIRM_CODE)
    page = client.get(response.url)
    assert "+231 77 712 3456" in page.content.decode()
    code = last_code(capsys)
    kept = Message.objects.get(template="signin_code", to=NUMBER)
    assert code not in kept.body and kept.family == world.b.seed_family
    client.post(CONFIRM_CODE, {"code": code})
    assert int(client.session[SESSION_KEY]) == user.pk


def test_a_wrong_code_three_times_ends_that_code(
    world, client, capsys, django_capture_on_commit_callbacks
):
    phone_user(world.b)
    ask_code(client, django_capture_on_commit_callbacks)
    code = last_code(capsys)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    first = client.post(CONFIRM_CODE, {"code": wrong})
    assert first.status_code == 200 and first.context["verify_form"].errors
    client.post(CONFIRM_CODE, {"code": wrong})
    client.post(CONFIRM_CODE, {"code": wrong})
    # The right code no longer works either: a new one must be asked for.
    client.post(CONFIRM_CODE, {"code": code})
    assert SESSION_KEY not in client.session

    ask_code(client, django_capture_on_commit_callbacks)
    client.post(CONFIRM_CODE, {"code": last_code(capsys)})
    assert SESSION_KEY in client.session


def test_a_code_expires_and_works_only_once(
    world, client, capsys, django_capture_on_commit_callbacks, frozen
):
    phone_user(world.b)
    ask_code(client, django_capture_on_commit_callbacks)
    code = last_code(capsys)
    frozen.shift(timedelta(minutes=11))
    client.post(CONFIRM_CODE, {"code": code})
    assert SESSION_KEY not in client.session

    frozen.shift(timedelta(minutes=2))  # allauth's one-minute limit per number has passed
    ask_code(client, django_capture_on_commit_callbacks)
    code = last_code(capsys)
    client.post(CONFIRM_CODE, {"code": code})
    assert SESSION_KEY in client.session
    client.logout()
    again = client.post(CONFIRM_CODE, {"code": code})
    assert SESSION_KEY not in client.session and again.status_code in (302, 200)


def test_codes_are_limited_per_number(world, capsys, django_capture_on_commit_callbacks):
    from django.test import Client

    phone_user(world.b)
    for _attempt in range(3):  # from three browsers, say
        ask_code(Client(), django_capture_on_commit_callbacks)
    assert len(CODE.findall(capsys.readouterr().out)) == 3

    refused = ask_code(Client(), django_capture_on_commit_callbacks)

    assert refused.status_code == 200 and refused.context["form"].errors
    assert CODE.search(capsys.readouterr().out) is None
    assert Message.objects.filter(template="signin_code").count() == 3


def test_an_unknown_number_is_answered_alike_and_gets_no_text(
    world, client, capsys, django_capture_on_commit_callbacks
):
    from django.test import Client

    phone_user(world.b)

    unknown = ask_code(client, django_capture_on_commit_callbacks, phone="0777 999 888")

    assert unknown.status_code == 302 and unknown.url.startswith(CONFIRM_CODE)
    assert "SMS to" not in capsys.readouterr().out
    assert not Message.objects.filter(to="+231777999888").exists()
    known = ask_code(Client(), django_capture_on_commit_callbacks)
    assert known.status_code == 302 and last_code(capsys)


def test_the_sign_in_page_offers_codes_and_takes_a_phone_with_a_password(world, client):
    user = phone_user(world.b)
    user.set_password("river-lantern-copper-72")
    user.save()

    page = client.get(reverse("account_login")).content.decode()
    assert "Email or phone number" in page and REQUEST_CODE in page

    client.post(
        reverse("account_login"),
        {"login": "0777 123 456", "password": "river-lantern-copper-72"},
    )
    assert int(client.session[SESSION_KEY]) == user.pk


# Adding and changing a phone or an email ---------------------------------------------------------


def test_a_member_changes_their_phone_and_it_counts_once_verified(
    world, client, capsys, django_capture_on_commit_callbacks
):
    user = phone_user(world.b)
    sign_in_by_code(client, capsys, django_capture_on_commit_callbacks)
    confirm_it_is_you(client, capsys, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_change_phone"), {"phone": "0886 222 333"})

    assert response.status_code == 302
    code = last_code(capsys, to="+231886222333")
    user.refresh_from_db()
    assert user.phone == NUMBER  # the old number works until the new one is proven
    client.post(reverse("account_verify_phone"), {"code": code})
    user.refresh_from_db()
    assert user.phone == "+231886222333" and user.phone_verified
    assert AuditEvent.objects.filter(verb="user.phone_change", object_id=str(user.pk)).exists()


def test_a_member_adds_an_email_that_must_be_confirmed(
    world, client, mailoutbox, capsys, django_capture_on_commit_callbacks
):
    user = phone_user(world.b)
    sign_in_by_code(client, capsys, django_capture_on_commit_callbacks)
    confirm_it_is_you(client, capsys, django_capture_on_commit_callbacks)

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "musu@example.org"}
    )

    assert response.status_code == 302
    address = EmailAddress.objects.get(user=user, email="musu@example.org")
    assert not address.verified
    assert mailoutbox and mailoutbox[-1].to == ["musu@example.org"]


# The API -----------------------------------------------------------------------------------------

CODE_API = reverse("api_sign_in_code")
TOKEN_API = reverse("api_token")


def test_an_app_gets_a_token_with_a_phone_and_a_code(
    world, api, capsys, django_capture_on_commit_callbacks
):
    user = phone_user(world.b, verified=False)

    with django_capture_on_commit_callbacks(execute=True):
        asked = api.post(CODE_API, {"phone": "0777 123 456"}, format="json")
    assert asked.status_code == 202
    code = last_code(capsys)

    wrong = api.post(TOKEN_API, {"phone": NUMBER, "code": "000000"}, format="json")
    assert wrong.status_code == 400 and "code" in wrong.json()["errors"]
    response = api.post(TOKEN_API, {"phone": NUMBER, "code": code}, format="json")

    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = api.get(reverse("api_me")).json()
    assert me["id"] == user.pk and me["phone"] == NUMBER and me["email"] is None
    user.refresh_from_db()
    assert user.phone_verified
    again = api.post(TOKEN_API, {"phone": NUMBER, "code": code}, format="json")
    assert again.status_code == 400  # a code works once


def test_asking_a_code_says_nothing_about_who_has_an_account(
    world, api, capsys, django_capture_on_commit_callbacks
):
    phone_user(world.b)
    with django_capture_on_commit_callbacks(execute=True):
        unknown = api.post(CODE_API, {"phone": "+231 777 999 888"}, format="json")
        known = api.post(CODE_API, {"phone": NUMBER}, format="json")
    assert unknown.status_code == known.status_code == 202
    assert unknown.json() == known.json()
    out = capsys.readouterr().out
    assert "+231777999888" not in out and NUMBER in out
    bad = api.post(CODE_API, {"phone": "12"}, format="json")
    assert bad.status_code == 400 and "phone" in bad.json()["errors"]


def test_staff_still_need_their_second_factor_with_a_code(
    world, api, capsys, django_capture_on_commit_callbacks
):
    from accounts.tests.helpers import totp_code

    staff = world.b.staff
    staff.phone = "+231777555444"
    staff.phone_verified = True
    staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        api.post(CODE_API, {"phone": staff.phone}, format="json")
    code = last_code(capsys, to=staff.phone)

    refused = api.post(TOKEN_API, {"phone": staff.phone, "code": code}, format="json")
    assert refused.status_code == 400 and "otp" in refused.json()["errors"]

    with django_capture_on_commit_callbacks(execute=True):
        api.post(CODE_API, {"phone": staff.phone}, format="json")
    code = last_code(capsys, to=staff.phone)
    response = api.post(
        TOKEN_API, {"phone": staff.phone, "code": code, "otp": totp_code(staff)}, format="json"
    )
    assert response.status_code == 200 and response.json()["token"]


@pytest.mark.parametrize("extra", [{}, {"email": "musu@example.org"}])
def test_an_app_accepts_an_invitation_with_a_phone_and_no_password(
    world, api, capsys, django_capture_on_commit_callbacks, extra
):
    _invitation, path = invite_by_phone(world.b, capsys, django_capture_on_commit_callbacks)
    token = path.strip("/").split("/")[-1]
    url = reverse("api_family_invitation_accept", args=[token])

    bad = api.post(url, {"name": "Musu", "phone": "12", "household_size": 3}, format="json")
    assert bad.status_code == 400 and "phone" in bad.json()["errors"]
    assert not User.objects.filter(name="Musu").exists()

    response = api.post(
        url, {"name": "Musu", "phone": "0777 123 456", "household_size": 3, **extra}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["token"] is None and response.json()["sign_in"] == "code"
    assert User.objects.get(phone=NUMBER).name == "Musu"


def test_a_family_without_a_password_confirms_a_change_with_a_code(
    world, client, capsys, django_capture_on_commit_callbacks
):
    user = phone_user(world.b)
    sign_in_by_code(client, capsys, django_capture_on_commit_callbacks)

    asked = client.post(reverse("account_change_phone"), {"phone": "0886 222 333"})
    assert asked.status_code == 302 and "reauthenticate/code" in asked.url
    page = client.get(asked.url)
    assert "Send the code to" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(asked.url, {"recipient": NUMBER})
    assert sent.status_code == 302
    # The right code carries on with the change that was asked (allauth replays it).
    with django_capture_on_commit_callbacks(execute=True):
        client.post(sent.url, {"code": last_code(capsys)})

    client.post(reverse("account_verify_phone"), {"code": last_code(capsys, to="+231886222333")})
    user.refresh_from_db()
    assert user.phone == "+231886222333" and user.phone_verified
