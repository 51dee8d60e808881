"""Seed families enrolled from a CSV file: upload, a preview of every row with its problems
(nothing saved), then a signed confirmation that enrolls all the rows or none. And the shared CSV
writer that keeps formulas out of the spreadsheets we hand out."""

import csv
import io
from decimal import Decimal

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent
from families.models import Family, Group, HouseholdMember
from mutuality import csv_safety
from tests import clock
from tests.factories import FamilyFactory, GroupFactory

HEADER = [
    "household_name",
    "contact_email",
    "contact_phone",
    "household_size",
    "members",
    "culture",
    "religion",
    "language",
]


def csv_url(tenant, name="family_enroll_csv"):
    return reverse(name, args=[tenant.partner.slug, tenant.cohort.pk])


def csv_file(rows, *, header=HEADER, bom=False, name="seeds.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    text = ("\ufeff" if bom else "") + out.getvalue()
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


GOOD_ROWS = [
    ["Mensah household", "mensah@example.org", "", "4", "Ama|1980|head; Kofi|2011|child",
     "Akan", "", "Twi"],
    ["Diaz household", "", "+1 510 555 0142", "2", "", "", "Catholic", "Spanish"],
    ["Nguyen household", "nguyen@example.org", "", "5", "Lan", "", "", ""],
]  # fmt: skip


def upload(client, tenant, rows=GOOD_ROWS, **kwargs):
    return client.post(csv_url(tenant), {"file": csv_file(rows, **kwargs)})


def families_in(tenant) -> int:
    return Family.objects.filter(cohort=tenant.cohort).count()


def signed_in(client, user):
    client.force_login(user)
    return client


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# The shared writer ------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_a_spreadsheet_would_evaluate_gets_a_quote(prefix):
    assert csv_safety.neutralize(f"{prefix}SUM(A1:A9)") == f"'{prefix}SUM(A1:A9)"


def test_ordinary_text_numbers_and_dates_are_written_as_they_are():
    assert csv_safety.neutralize("Mensah household") == "Mensah household"
    assert csv_safety.neutralize("a=b") == "a=b"
    assert csv_safety.neutralize(Decimal("-25.00")) == Decimal("-25.00")
    assert csv_safety.neutralize(-3) == -3
    assert csv_safety.neutralize(clock.month(-2)) == clock.month(-2)
    assert csv_safety.neutralize(None) == ""


def test_the_writer_neutralizes_every_cell_header_included():
    out = io.StringIO()
    csv_safety.write_csv(
        out,
        header=["name", "=amount"],
        rows=[['=HYPERLINK("http://x","Click")', Decimal("-12.50")], ["@SUM(1)", 3]],
    )
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["name", "'=amount"],
        ['\'=HYPERLINK("http://x","Click")', "-12.50"],
        ["'@SUM(1)", "3"],
    ]


def test_a_csv_download_is_utf8_with_a_byte_order_mark_and_an_attachment():
    response = csv_safety.csv_response("payments.csv", header=["name"], rows=[["Zoë"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="payments.csv"'
    assert response.content.startswith("\ufeff".encode())
    assert read_csv(response) == [["name"], ["Zoë"]]


# Upload and preview -----------------------------------------------------------------------------


def test_the_page_explains_the_file_and_offers_a_template(world, client):
    response = signed_in(client, world.a.staff).get(csv_url(world.a))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in body
    assert csv_url(world.a, "family_enroll_csv_template") in body
    assert "Ana|1985|head; Luis|2012|child" in body
    template = client.get(csv_url(world.a, "family_enroll_csv_template"))
    assert template.status_code == 200
    assert "attachment" in template["Content-Disposition"]
    assert read_csv(template) == [HEADER]


def test_a_valid_file_is_previewed_and_nothing_is_saved(world, client):
    before = (families_in(world.a), Group.objects.count(), AuditEvent.objects.count())
    response = upload(signed_in(client, world.a.staff), world.a)
    body = response.content.decode()
    assert response.status_code == 200
    for name in ("Mensah household", "Diaz household", "Nguyen household"):
        assert name in body
    assert "Enroll 3 families" in body
    assert 'name="payload"' in body
    assert (families_in(world.a), Group.objects.count(), AuditEvent.objects.count()) == before


def test_a_file_with_a_byte_order_mark_is_read_like_any_other(world, client):
    response = upload(signed_in(client, world.a.staff), world.a, bom=True)
    assert response.status_code == 200
    assert response.context["valid"]
    assert response.context["rows"][0].cells["household_name"] == "Mensah household"


def test_the_preview_shows_each_rows_problems_and_saves_nothing(world, client):
    rows = [
        GOOD_ROWS[0],
        ["", "", "", "3", "", "", "", ""],  # no name, no contact
        ["Sow household", "not-an-email", "", "many", "", "", "", ""],
        ["Ba household", "ba@example.org", "", "1", "Awa|1990|head; Moussa|20x1|child", "", "", ""],
        ["Fall household", "fall@example.org", "", "2", "Ndeye|1975|aunt", "", "", ""],
    ]
    before = families_in(world.a)
    response = upload(signed_in(client, world.a.staff), world.a, rows=rows)
    body = response.content.decode()
    assert response.status_code == 400
    parsed = response.context["rows"]
    assert not parsed[0].errors
    assert set(parsed[1].errors) == {"household_name", "contact_email"}
    assert set(parsed[2].errors) == {"contact_email", "household_size"}
    assert "“20x1” is not a birth year." in parsed[3].errors["members"]
    assert "“aunt” is not a relationship" in parsed[4].errors["members"][0]
    assert "Give the household a name." in body
    assert "4 rows have problems" in body
    assert 'name="payload"' not in body  # nothing to confirm
    assert families_in(world.a) == before


def test_a_row_with_more_members_than_people_is_flagged(world, client):
    rows = [["Ba household", "ba@example.org", "", "1", "Awa|1990|head; Moussa|2011|child"]]
    response = upload(signed_in(client, world.a.staff), world.a, rows=rows, header=HEADER[:5])
    assert response.status_code == 400
    assert response.context["rows"][0].errors["members"] == [
        "More members are listed than people in the household."
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00h\x00o", "The file is not UTF-8 text."),
        (b"", "file is empty."),
        (b"\n\n", "The file is empty."),
        (
            b"household_name,contact_email,size\nA,a@example.org,2\n",
            "Unknown columns: size",
        ),
        (b"household_name,contact_email\nA,a@example.org\n", "Missing columns: household_size"),
        (b"household_name,contact_phone,household_size\n", "The file has no households."),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(world, client, content, message):
    response = signed_in(client, world.a.staff).post(
        csv_url(world.a), {"file": SimpleUploadedFile("seeds.csv", content)}
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert families_in(world.a) == 2


def test_a_file_over_one_megabyte_or_500_rows_is_refused(world, client):
    signed_in(client, world.a.staff)
    big = SimpleUploadedFile("seeds.csv", b"household_name,household_size\n" + b"x" * 1_100_000)
    response = client.post(csv_url(world.a), {"file": big})
    assert response.status_code == 400
    assert "larger than 1 MB" in str(response.context["form"].errors["file"])
    rows = [[f"Household {i}", f"h{i}@example.org", "", "2"] for i in range(501)]
    response = upload(client, world.a, rows=rows, header=HEADER[:4])
    assert response.status_code == 400
    assert "at most 500" in str(response.context["form"].errors["file"])


def test_the_preview_warns_when_the_file_has_more_seeds_than_the_cohort_has_room_for(world, client):
    world.a.cohort.seed_limit = 3
    world.a.cohort.save()
    response = upload(signed_in(client, world.a.staff), world.a)
    body = response.content.decode()
    assert response.status_code == 200  # the rows are sound; only the room is short
    assert "Cohort A has room for 2 more seed families, and the file has 3." in body
    assert 'name="payload"' not in body


def test_a_formula_in_a_cell_is_shown_as_text_in_the_preview(world, client):
    rows = [['=HYPERLINK("http://x","Click")', "x@example.org", "", "2"]]
    response = upload(signed_in(client, world.a.staff), world.a, rows=rows, header=HEADER[:4])
    body = response.content.decode()
    assert response.status_code == 200
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;Click&quot;)" in body
    assert '<a href="http://x"' not in body


# Confirm ----------------------------------------------------------------------------------------


def confirm(client, tenant, payload):
    return client.post(csv_url(tenant), {"payload": payload})


def test_confirming_a_valid_file_enrolls_every_household(world, client):
    signed_in(client, world.a.staff)
    payload = upload(client, world.a).context["payload"]
    response = confirm(client, world.a, payload)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "cohort_detail", args=[world.a.partner.slug, world.a.cohort.pk]
    )
    mensah = Family.objects.get(name="Mensah household")
    assert mensah.is_seed and mensah.cohort == world.a.cohort and mensah.household_size == 4
    assert (mensah.culture, mensah.language) == ("Akan", "Twi")
    assert [(m.first_name, m.birth_year, m.relationship) for m in mensah.members.all()] == [
        ("Ama", 1980, "head"),
        ("Kofi", 2011, "child"),
    ]
    assert Family.objects.get(name="Diaz household").contact_phone == "+15105550142"
    nguyen = HouseholdMember.objects.get(family__name="Nguyen household")
    assert (nguyen.birth_year, nguyen.relationship) == (None, "other")
    assert families_in(world.a) == 5
    assert AuditEvent.objects.filter(verb="family.enroll").count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "3 families are enrolled as seed families." in page


def test_a_confirmation_enrolls_its_file_once_however_often_it_is_posted(world, client):
    signed_in(client, world.a.staff)
    payload = upload(client, world.a).context["payload"]
    assert confirm(client, world.a, payload).status_code == 302
    for _ in range(4):
        again = confirm(client, world.a, payload)
        assert again.status_code == 409
        assert "This file was already enrolled. Nothing more was saved." in again.content.decode()
    assert families_in(world.a) == 5  # the world's two and the file's three, once
    assert Family.objects.filter(name="Mensah household").count() == 1
    assert AuditEvent.objects.filter(verb="family.enroll").count() == 3


def test_a_second_upload_of_the_same_file_shows_who_is_enrolled_already(world, client):
    signed_in(client, world.a.staff)
    assert confirm(client, world.a, upload(client, world.a).context["payload"]).status_code == 302
    preview = upload(client, world.a)
    body = preview.content.decode()
    assert preview.status_code == 400
    assert "Mensah household of this cohort already has this email." in body
    assert "Diaz household of this cohort already has this phone number." in body
    assert 'name="payload"' not in body  # nothing to confirm
    assert families_in(world.a) == 5


def test_a_file_that_lists_one_household_twice_is_refused_whole(world, client):
    rows = [
        ["Diaz household", "", "+1 510 555 0142", "2"],
        ["Diaz family", "", "(510) 555-0142", "3"],  # the same number, the local way
        ["Mensah household", "mensah@example.org", "", "4"],
    ]
    signed_in(client, world.a.staff)
    preview = upload(client, world.a, rows=rows, header=HEADER[:4])
    assert preview.status_code == 400
    assert "Diaz household of this cohort already has this phone number." in (
        preview.content.decode()
    )
    assert families_in(world.a) == 2


def test_a_tampered_confirmation_is_refused_and_nothing_is_saved(world, client):
    signed_in(client, world.a.staff)
    payload = upload(client, world.a).context["payload"]
    data = signing.loads(payload, salt="families.enroll_csv")
    data["rows"][0]["name"] = "Someone else"
    forged = signing.dumps(data, salt="another-salt", compress=True)
    for bad in (payload[:-3] + "abc", forged, "not a payload"):
        response = confirm(client, world.a, bad)
        assert response.status_code == 400
        assert "was changed or has expired" in response.content.decode()
    assert families_in(world.a) == 2


def test_a_confirmation_works_only_for_the_cohort_and_person_it_was_made_for(world, client):
    signed_in(client, world.a.staff)
    payload = upload(client, world.a).context["payload"]
    other_group = GroupFactory(cohort__partner=world.a.partner, cohort__name="Hillside")
    other = reverse("family_enroll_csv", args=[world.a.partner.slug, other_group.cohort.pk])
    assert client.post(other, {"payload": payload}).status_code == 400
    signed_in(client, world.a.admin)
    assert confirm(client, world.a, payload).status_code == 400
    assert not Family.objects.filter(name="Mensah household").exists()


def test_the_seed_limit_is_checked_again_at_confirmation_all_or_nothing(world, client):
    world.a.cohort.seed_limit = 4
    world.a.cohort.save()
    signed_in(client, world.a.staff)
    payload = upload(client, world.a).context["payload"]
    FamilyFactory(
        group=GroupFactory(cohort=world.a.cohort), is_seed=True
    )  # someone else, meanwhile
    response = confirm(client, world.a, payload)
    assert response.status_code == 409
    assert "has room for 2 more seed families, and the file has 3" in response.content.decode()
    assert not Family.objects.filter(name="Mensah household").exists()


def test_a_formula_enrolled_from_a_file_comes_out_of_the_export_quoted(world, client):
    rows = [['=HYPERLINK("http://x")', "x@example.org", "", "2"]]
    signed_in(client, world.a.staff)
    payload = upload(client, world.a, rows=rows, header=HEADER[:4]).context["payload"]
    assert confirm(client, world.a, payload).status_code == 302
    assert Family.objects.filter(name='=HYPERLINK("http://x")').exists()  # kept as data
    export = read_csv(client.get(csv_url(world.a, "cohort_export")))
    assert '\'=HYPERLINK("http://x")' in [row[0] for row in export[1:]]


# Who may ---------------------------------------------------------------------------------------


def test_a_liaison_may_not_enroll_from_a_file(world, client):
    signed_in(client, world.a.liaison)
    assert client.get(csv_url(world.a)).status_code == 403
    assert upload(client, world.a).status_code == 403
    assert families_in(world.a) == 2


def test_another_partners_staff_get_404_and_cannot_use_a_stolen_confirmation(world, client):
    signed_in(client, world.a.staff)
    payload = upload(client, world.a).context["payload"]
    signed_in(client, world.b.staff)
    assert client.get(csv_url(world.a)).status_code == 404
    assert confirm(client, world.a, payload).status_code == 404
    b_cohort = reverse("family_enroll_csv", args=[world.b.partner.slug, world.b.cohort.pk])
    assert client.post(b_cohort, {"payload": payload}).status_code == 400
    assert not Family.objects.filter(name="Mensah household").exists()
