"""Phone numbers are read in the partner's country and kept in E.164: enrolling, inviting and the
CSV file alike. What is not a number is refused, naming the field, and nothing is written.
Numbers kept from before that cannot be read are listed for staff to write again."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent
from families.models import Family, FamilyInvitation
from families.services import family_invitation_create
from mutuality import phones
from mutuality.errors import InvalidInput
from tests.factories import FamilyFactory, GroupFactory
from tests.seats import seed_seat
from tests.seats import signed_in as api_signed_in

# Partner A is in the United States, partner B in Liberia (conftest.py).
LIBERIAN_AS_TYPED = "0777 123 456"
LIBERIAN = "+231777123456"


def enroll_data(**overrides):
    data = {
        "name": "Kollie household",
        "contact_email": "",
        "contact_phone": LIBERIAN_AS_TYPED,
        "household_size": "3",
        "culture": "",
        "religion": "",
        "language": "",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-first_name": "",
        "members-0-birth_year": "",
        "members-0-relationship": "other",
    }
    return {**data, **overrides}


def enroll_url(tenant):
    return reverse("family_enroll", args=[tenant.partner.slug, tenant.cohort.pk])


# Reading ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "region", "e164"),
    [
        ("0777 123 456", "LR", "+231777123456"),
        ("077-712-3456", "LR", "+231777123456"),
        ("00 231 777 123 456", "US", "+231777123456"),
        ("+1 (510) 555-0101", "LR", "+15105550101"),
        ("(510) 555-0101", "US", "+15105550101"),
        ("  ", "US", ""),
    ],
)
def test_a_number_is_read_in_the_partners_country_unless_it_has_its_code(typed, region, e164):
    assert phones.to_e164(typed, region) == e164


@pytest.mark.parametrize("typed", ["12345", "call me", "0777 123 456 789 000", "+999 123"])
def test_what_is_not_a_number_is_refused_with_an_example_of_that_country(typed):
    with pytest.raises(phones.NotAPhoneNumber) as refused:
        phones.to_e164(typed, "LR")
    assert "Write it like +231 " in refused.value.message
    assert phones.to_e164("0777 123 456", "LR") == LIBERIAN  # the example's country reads


def test_a_number_is_shown_grouped_the_international_way():
    assert phones.for_display(LIBERIAN) == "+231 77 712 3456"
    assert phones.for_display("not a number") == "not a number"


# Enrolling and inviting ------------------------------------------------------------------------


def test_staff_in_liberia_enroll_a_phone_only_family_typed_the_local_way(world, client):
    client.force_login(world.b.staff)
    response = client.post(enroll_url(world.b), enroll_data())
    assert response.status_code == 302
    family = Family.objects.get(name="Kollie household")
    assert family.contact_phone == LIBERIAN
    page = client.get(reverse("staff_family_detail", args=[world.b.partner.slug, family.pk]))
    assert f'href="tel:{LIBERIAN}"' in page.content.decode()
    assert "+231 77 712 3456" in page.content.decode()


def test_a_number_that_cannot_be_read_is_refused_naming_the_phone_and_nothing_is_written(
    world, client
):
    client.force_login(world.b.staff)
    before = (Family.objects.count(), AuditEvent.objects.count())
    response = client.post(enroll_url(world.b), enroll_data(contact_phone="12345"))
    assert response.status_code == 400
    [message] = response.context["form"].errors["contact_phone"]
    assert message.startswith("This is not a phone number we can text.")
    assert (Family.objects.count(), AuditEvent.objects.count()) == before
    # The same household with its number written right is enrolled.
    assert client.post(enroll_url(world.b), enroll_data()).status_code == 302


def test_the_api_keeps_the_number_in_e164_and_refuses_what_is_not_one(world, api):
    api_signed_in(api, world.b.staff)
    body = {
        "cohort": world.b.cohort.pk,
        "name": "Kollie household",
        "contact_phone": "12345",
        "household_size": 2,
        "is_seed": True,
    }
    refused = api.post("/api/v1/families/", body, format="json")
    assert refused.status_code == 400
    assert "contact_phone" in refused.json()["errors"]
    assert not Family.objects.filter(name="Kollie household").exists()

    created = api.post(
        "/api/v1/families/", {**body, "contact_phone": LIBERIAN_AS_TYPED}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert Family.objects.get(name="Kollie household").contact_phone == LIBERIAN


def test_a_phone_invitation_keeps_the_number_in_e164_and_texts_it_from_the_link(world, client):
    client.force_login(world.b.seed_member)
    response = client.post(
        reverse("family_invitations"), {"name": "Musu", "phone": LIBERIAN_AS_TYPED}, follow=True
    )
    assert response.status_code == 200
    assert FamilyInvitation.objects.get(name="Musu").phone == LIBERIAN
    body = response.content.decode()
    assert f'href="sms:{LIBERIAN}?body=' in body
    assert "+231 77 712 3456" in body


def test_an_invitation_to_a_number_that_cannot_be_read_is_refused(world):
    with pytest.raises(InvalidInput) as refused:
        family_invitation_create(seat=seed_seat(world.b), name="Musu", phone="12345")
    assert "phone" in refused.value.errors
    assert not FamilyInvitation.objects.exists()


def test_a_csv_row_with_a_number_that_cannot_be_read_is_flagged_in_the_preview(world, client):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["household_name", "contact_email", "contact_phone", "household_size"])
    writer.writerow(["Kollie household", "", LIBERIAN_AS_TYPED, "3"])
    writer.writerow(["Doe household", "", "12345", "2"])
    upload = SimpleUploadedFile("seeds.csv", out.getvalue().encode(), content_type="text/csv")
    client.force_login(world.b.staff)
    url = reverse("family_enroll_csv", args=[world.b.partner.slug, world.b.cohort.pk])

    response = client.post(url, {"file": upload})

    assert response.status_code == 400
    good, bad = response.context["rows"]
    assert not good.errors
    assert good.data.contact_phone == LIBERIAN
    assert "contact_phone" in bad.errors
    assert not Family.objects.filter(name__in=["Kollie household", "Doe household"]).exists()


def test_the_same_number_written_two_ways_is_one_household(world, client):
    world.b.friend_family.contact_phone = LIBERIAN
    world.b.friend_family.save()
    client.force_login(world.b.staff)
    response = client.post(enroll_url(world.b), enroll_data(contact_phone="+231 77 712 3456"))
    assert response.status_code == 409
    assert "already has this phone number" in response.context["form"].errors["contact_phone"][0]
    assert not Family.objects.filter(name="Kollie household").exists()


# Numbers to fix --------------------------------------------------------------------------------


@pytest.fixture
def unreadable(world):
    return FamilyFactory(
        group=GroupFactory(cohort=world.b.cohort),
        name="Flomo household",
        contact_email="",
        contact_phone="",
        contact_phone_as_typed="ask at the market",
    )


def test_staff_see_the_numbers_to_fix_and_write_one_again(world, client, unreadable):
    client.force_login(world.b.staff)
    cohorts = client.get(reverse("cohort_list", args=[world.b.partner.slug])).content.decode()
    assert "1 family has a phone number that cannot be read." in cohorts
    listed = client.get(reverse("phones_to_fix", args=[world.b.partner.slug]))
    assert listed.status_code == 200
    assert "Flomo household" in listed.content.decode()
    assert "ask at the market" in listed.content.decode()

    edit = reverse("family_contact_edit", args=[world.b.partner.slug, unreadable.pk])
    form = client.get(edit)
    assert "could not be read as a number" in form.content.decode()
    saved = client.post(edit, {"contact_email": "", "contact_phone": LIBERIAN_AS_TYPED})

    assert saved.status_code == 302
    unreadable.refresh_from_db()
    assert (unreadable.contact_phone, unreadable.contact_phone_as_typed) == (LIBERIAN, "")
    event = AuditEvent.objects.get(verb="family.contact")
    assert event.actor == world.b.staff
    assert set(event.after["changed"]) == {"contact_phone", "contact_phone_as_typed"}
    assert LIBERIAN not in str(event.after)  # the trail says what changed, not the number
    again = client.get(reverse("phones_to_fix", args=[world.b.partner.slug])).content.decode()
    assert "Every phone number can be read." in again


def test_a_number_written_again_badly_is_refused_and_the_old_one_stays(world, client, unreadable):
    client.force_login(world.b.staff)
    edit = reverse("family_contact_edit", args=[world.b.partner.slug, unreadable.pk])
    response = client.post(edit, {"contact_email": "", "contact_phone": "still not"})
    assert response.status_code == 400
    assert "contact_phone" in response.context["form"].errors
    unreadable.refresh_from_db()
    assert unreadable.contact_phone_as_typed == "ask at the market"
    assert not AuditEvent.objects.filter(verb="family.contact").exists()
    # Neither an email nor a phone: refused too.
    empty = client.post(edit, {"contact_email": "", "contact_phone": ""})
    assert empty.status_code == 400
    assert "contact_email" in empty.context["form"].errors


def test_a_liaison_may_not_change_contacts_and_another_partner_sees_nothing(
    world, client, unreadable
):
    edit = reverse("family_contact_edit", args=[world.b.partner.slug, unreadable.pk])
    client.force_login(world.b.liaison)
    assert client.get(reverse("phones_to_fix", args=[world.b.partner.slug])).status_code == 403
    assert client.post(edit, {"contact_phone": LIBERIAN}).status_code == 403
    client.force_login(world.a.staff)
    assert client.get(edit).status_code == 404
    other = reverse("family_contact_edit", args=[world.a.partner.slug, unreadable.pk])
    assert client.post(other, {"contact_phone": LIBERIAN}).status_code == 404
    assert (
        "Flomo household"
        not in client.get(reverse("phones_to_fix", args=[world.a.partner.slug])).content.decode()
    )
    unreadable.refresh_from_db()
    assert unreadable.contact_phone == ""
    # The partner's own staff can.
    client.force_login(world.b.staff)
    assert client.post(edit, {"contact_phone": LIBERIAN}).status_code == 302
