"""Partner staff's pages for cohorts and families: the cohort list, new and edited cohorts, the
cohort page, enrolling a seed family, the families export, the staff family page, making a new
seed and recording that groups met. From every seat: staff and admins act, liaisons read only
their cohorts, another partner's people get 404."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Membership, Role
from families.models import (
    Cohort,
    Family,
    FamilyInvitation,
    Group,
    GroupMeeting,
    HouseholdMember,
    Tie,
)
from tests import clock
from tests.factories import (
    CohortFactory,
    FamilyFactory,
    GroupFactory,
    HouseholdMemberFactory,
    UserFactory,
    enable_totp,
)


def signed_in(client, user):
    client.force_login(user)
    return client


def url(name, tenant, **kwargs):
    return reverse(name, kwargs={"partner_slug": tenant.partner.slug, **kwargs})


def cohort_url(name, tenant, cohort=None):
    return url(name, tenant, cohort_id=(cohort or tenant.cohort).pk)


def family_url(name, tenant, family):
    return url(name, tenant, family_id=family.pk)


def audit_count() -> int:
    return AuditEvent.objects.count()


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def add_families(group, n):
    for i in range(n):
        family = FamilyFactory(group=group, invited_by=None, generation=1 + i % 3)
        HouseholdMemberFactory(family=family, user=None)


# The cohort list --------------------------------------------------------------------------------


def test_staff_see_every_cohort_of_their_partner_with_its_reach(world, client):
    CohortFactory(partner=world.a.partner, name="Hillside")
    response = signed_in(client, world.a.staff).get(url("cohort_list", world.a))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cohort A" in body and "Hillside" in body
    assert cohort_url("cohort_detail", world.a) in body
    assert "Cohort B" not in body
    assert url("cohort_create", world.a) in body


def test_a_liaison_sees_only_the_cohorts_assigned_to_them(world, client):
    CohortFactory(partner=world.a.partner, name="Hillside")
    response = signed_in(client, world.a.liaison).get(url("cohort_list", world.a))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cohort A" in body
    assert "Hillside" not in body
    assert url("cohort_create", world.a) not in body


def test_the_cohort_list_paginates(world, client):
    for i in range(30):
        CohortFactory(partner=world.a.partner, name=f"Area {i:02d}")
    response = signed_in(client, world.a.staff).get(url("cohort_list", world.a))
    assert "Page 1 of 2" in response.content.decode()
    second = client.get(url("cohort_list", world.a) + "?page=2").content.decode()
    assert "Page 2 of 2" in second


def test_the_cohort_list_does_not_grow_in_queries_with_families(
    world, client, django_assert_max_num_queries
):
    signed_in(client, world.a.staff)
    add_families(world.a.group, 10)
    with_ten = count_queries(client, url("cohort_list", world.a))
    add_families(world.a.group, 90)
    with django_assert_max_num_queries(with_ten):
        response = client.get(url("cohort_list", world.a))
    assert response.status_code == 200
    assert "102" in response.content.decode()  # households reached


# New and edited cohorts -------------------------------------------------------------------------


def test_staff_start_a_cohort_with_liaisons(world, client):
    response = signed_in(client, world.a.staff).get(url("cohort_create", world.a))
    body = response.content.decode()
    assert 'type="date"' in body
    assert 'value="10"' in body  # the default seed limit
    assert world.a.liaison.email in body or world.a.liaison.name in body
    response = client.post(
        url("cohort_create", world.a),
        {
            "name": "Hillside",
            "region": "North",
            "started_on": clock.on(-3, 1).isoformat(),
            "seed_limit": "8",
            "liaisons": [world.a.liaison.pk],
        },
    )
    cohort = Cohort.objects.get(partner=world.a.partner, name="Hillside")
    assert response.status_code == 302
    assert response["Location"] == cohort_url("cohort_detail", world.a, cohort)
    assert cohort.started_on == clock.month(-3)
    assert cohort.seed_limit == 8
    assert list(cohort.liaisons.all()) == [world.a.liaison]
    assert AuditEvent.objects.filter(verb="cohort.create", object_id=str(cohort.pk)).exists()


def test_a_new_cohort_without_a_name_or_date_is_refused_and_nothing_is_written(world, client):
    before = (Cohort.objects.count(), audit_count())
    response = signed_in(client, world.a.staff).post(
        url("cohort_create", world.a), {"name": "", "started_on": "not a date", "seed_limit": "10"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "name" in form.errors and "started_on" in form.errors
    assert (Cohort.objects.count(), audit_count()) == before


def test_a_cohort_cannot_have_another_partners_liaison(world, client):
    response = signed_in(client, world.a.staff).post(
        url("cohort_create", world.a),
        {
            "name": "Hillside",
            "started_on": clock.on(-3, 1).isoformat(),
            "seed_limit": "10",
            "liaisons": [world.b.liaison.pk],
        },
    )
    assert response.status_code == 400
    assert "liaisons" in response.context["form"].errors
    assert not Cohort.objects.filter(name="Hillside").exists()


def test_a_second_cohort_with_the_same_name_is_refused(world, client):
    response = signed_in(client, world.a.staff).post(
        url("cohort_create", world.a),
        {"name": "cohort a", "started_on": clock.on(-3, 1).isoformat(), "seed_limit": "10"},
    )
    assert response.status_code == 409
    assert "A cohort with this name already exists." in response.context["form"].errors["name"]
    assert Cohort.objects.filter(partner=world.a.partner).count() == 1


def test_staff_edit_a_cohort_but_not_its_phase(world, client):
    other_liaison = UserFactory(email="second.liaison@a.example.org")
    Membership.objects.create(partner=world.a.partner, user=other_liaison, role=Role.LIAISON)
    enable_totp(other_liaison)
    edit = cohort_url("cohort_edit", world.a)
    body = signed_in(client, world.a.admin).get(edit).content.decode()
    assert 'value="Cohort A"' in body
    assert "Phase I" in body
    response = client.post(
        edit,
        {
            "name": "Riverside",
            "region": "South",
            "started_on": clock.on(-5, 1).isoformat(),
            "seed_limit": "12",
            "liaisons": [other_liaison.pk],
            "phase": "2",
        },
    )
    assert response.status_code == 302
    world.a.cohort.refresh_from_db()
    assert world.a.cohort.name == "Riverside"
    assert world.a.cohort.seed_limit == 12
    assert world.a.cohort.phase == Cohort.Phase.ONE
    assert list(world.a.cohort.liaisons.all()) == [other_liaison]


def test_a_seed_limit_below_the_seeds_already_enrolled_is_refused(world, client):
    FamilyFactory(group=GroupFactory(cohort=world.a.cohort), is_seed=True)
    response = signed_in(client, world.a.staff).post(
        cohort_url("cohort_edit", world.a),
        {"name": "Cohort A", "started_on": clock.on(-6, 1).isoformat(), "seed_limit": "1"},
    )
    assert response.status_code == 400
    assert "already has 2 seed families" in str(response.context["form"].errors["seed_limit"])
    world.a.cohort.refresh_from_db()
    assert world.a.cohort.seed_limit == 10


# The cohort page --------------------------------------------------------------------------------


@pytest.fixture
def spread(world):
    """Partner A's cohort after a few weeks: two groups, a second generation, an invitation
    outstanding, seeds of several cultures, a meeting."""
    a = world.a
    a.seed_family.culture, a.seed_family.religion, a.seed_family.language = (
        "Kru",
        "Methodist",
        "Kru",
    )
    a.seed_family.save()
    a.friend_family.household_size = 3
    a.friend_family.save()
    second_group = GroupFactory(cohort=a.cohort, name="Hilltop group")
    second_seed = FamilyFactory(
        group=second_group, name="Hilltop seed", is_seed=True, culture="Kru", household_size=5
    )
    grandchild = FamilyFactory(
        group=a.group, name="Second-generation household", invited_by=a.friend_family, generation=2
    )
    FamilyInvitation.objects.create(
        partner=a.partner,
        family=second_seed,
        name="A neighbour",
        phone="+1 510 555 0100",
        secret_digest="x" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    meeting = GroupMeeting.objects.create(
        partner=a.partner, cohort=a.cohort, met_on=clock.on(-2, 4), note="Potluck"
    )
    meeting.groups.set([a.group, second_group])
    return {"second_group": second_group, "second_seed": second_seed, "grandchild": grandchild}


def test_the_cohort_page_shows_reach_groups_spread_and_coverage(world, client, spread):
    response = signed_in(client, world.a.staff).get(cohort_url("cohort_detail", world.a))
    body = response.content.decode()
    assert response.status_code == 200
    # 4 households: 4 + 3 + 5 + 4 people
    assert "4 households, 16 people reached." in body
    assert "2 seed families of 10 at most." in body
    assert "1 invitation outstanding." in body
    overview = response.context["overview"]
    groups = {summary.group.name: summary for summary in overview["groups"]}
    assert groups["Group A"].seed.name == "Seed household A"
    assert (groups["Group A"].friends, groups["Group A"].households) == (2, 3)
    assert groups["Group A"].deepest_generation == 2
    assert overview["generations"] == [(0, 2), (1, 1), (2, 1)]
    assert "Hilltop seed" in body
    # Coverage in aggregate: two seeds say Kru; one seed did not say its religion.
    cultures = dict(overview["coverage"]["culture"])
    assert cultures == {"Kru": 2}
    assert "not said" in body
    assert "Potluck" in body and "Hilltop group" in body
    assert response.context["network"].families == 4
    assert 'aria-labelledby="network-heading"' in body


def test_the_cohort_page_never_puts_a_family_next_to_its_culture(world, client, spread):
    world.a.seed_family.culture = "Distinctive-culture"
    world.a.seed_family.save()
    response = signed_in(client, world.a.staff).get(cohort_url("cohort_detail", world.a))
    assert response.status_code == 200
    body = response.content.decode()
    family_list = body[body.index('id="families-heading"') :]
    assert "Seed household A" in family_list
    assert "Distinctive-culture" not in family_list
    seeds_table = body[body.index('id="groups-heading"') : body.index('id="coverage-heading"')]
    assert "Seed household A" in seeds_table
    assert "Distinctive-culture" not in seeds_table


def test_the_cohort_page_shows_household_members_only_with_the_familys_consent(world, client):
    world.a.friend_family.show_household_to_staff = False
    world.a.friend_family.save()
    HouseholdMemberFactory(family=world.a.friend_family, first_name="Hiddenname", user=None)
    response = signed_in(client, world.a.staff).get(cohort_url("cohort_detail", world.a))
    assert response.status_code == 200
    body = response.content.decode()
    assert "4 people: Sol" in body  # the seed's household, shared with staff
    assert "Hiddenname" not in body
    assert family_url("staff_family_detail", world.a, world.a.friend_family) in body


def test_the_cohort_page_paginates_its_families(world, client):
    add_families(world.a.group, 30)
    response = signed_in(client, world.a.staff).get(cohort_url("cohort_detail", world.a))
    assert len(response.context["page"].object_list) == 25
    assert "Page 1 of 2" in response.content.decode()


def test_the_cohort_page_does_not_grow_in_queries_with_families(
    world, client, django_assert_max_num_queries
):
    signed_in(client, world.a.staff)
    add_families(world.a.group, 10)
    with_ten = count_queries(client, cohort_url("cohort_detail", world.a))
    add_families(GroupFactory(cohort=world.a.cohort), 90)
    with django_assert_max_num_queries(with_ten):
        response = client.get(cohort_url("cohort_detail", world.a))
    assert response.status_code == 200
    assert "102 households" in response.content.decode()


def test_a_liaison_reads_the_page_of_their_cohort_without_staff_actions(world, client):
    response = signed_in(client, world.a.liaison).get(cohort_url("cohort_detail", world.a))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Seed household A" in body
    for name in ("family_enroll", "family_enroll_csv", "cohort_export", "cohort_edit"):
        assert cohort_url(name, world.a) not in body


def test_a_liaison_gets_404_for_a_cohort_not_assigned_to_them(world, client):
    other = CohortFactory(partner=world.a.partner, name="Hillside")
    signed_in(client, world.a.liaison)
    for name in ("cohort_detail", "cohort_edit", "family_enroll", "cohort_export"):
        assert client.get(cohort_url(name, world.a, other)).status_code == 404


STAFF_ONLY_COHORT_PAGES = [
    "cohort_edit",
    "family_enroll",
    "family_enroll_csv",
    "family_enroll_csv_template",
    "cohort_export",
    "group_meeting_create",
]


@pytest.mark.parametrize("name", STAFF_ONLY_COHORT_PAGES)
def test_a_liaison_may_not_change_or_export_their_cohort(world, client, name):
    signed_in(client, world.a.liaison)
    assert client.get(cohort_url(name, world.a)).status_code == 403
    if name not in ("cohort_export", "family_enroll_csv_template"):
        assert client.post(cohort_url(name, world.a), {}).status_code == 403


def test_a_liaison_may_not_start_a_cohort_or_make_a_seed(world, client):
    signed_in(client, world.a.liaison)
    assert client.get(url("cohort_create", world.a)).status_code == 403
    assert client.post(url("cohort_create", world.a), {"name": "X"}).status_code == 403
    promote = family_url("family_promote", world.a, world.a.friend_family)
    assert client.get(promote).status_code == 403
    assert client.post(promote, {"cohort": world.a.cohort.pk}).status_code == 403
    assert not Family.objects.get(pk=world.a.friend_family.pk).is_seed


@pytest.mark.parametrize("user", ["staff", "admin", "liaison"])
def test_another_partners_people_get_404_on_every_page(world, client, user):
    signed_in(client, getattr(world.b, user))
    paths = [url("cohort_list", world.a), url("cohort_create", world.a)]
    paths += [cohort_url(name, world.a) for name in ["cohort_detail", *STAFF_ONLY_COHORT_PAGES]]
    paths += [
        family_url("staff_family_detail", world.a, world.a.friend_family),
        family_url("family_promote", world.a, world.a.friend_family),
    ]
    for path in paths:
        assert client.get(path).status_code == 404, path
    # Their own partner's address with partner A's ids is no way in either.
    assert client.get(cohort_url("cohort_detail", world.b, world.a.cohort)).status_code == 404
    assert (
        client.get(family_url("staff_family_detail", world.b, world.a.friend_family)).status_code
        == 404
    )


def test_a_family_member_gets_404_on_the_staff_pages(world, client):
    signed_in(client, world.a.seed_member)
    assert client.get(cohort_url("cohort_detail", world.a)).status_code == 404
    assert client.get(url("cohort_list", world.a)).status_code == 404


# Enrolling a seed family ------------------------------------------------------------------------


def enroll_data(**overrides):
    data = {
        "name": "Okafor household",
        "contact_email": "okafor@example.org",
        "contact_phone": "",
        "household_size": "3",
        "culture": "Igbo",
        "religion": "",
        "language": "",
        "members-TOTAL_FORMS": "4",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-first_name": "Ada",
        "members-0-birth_year": "1984",
        "members-0-relationship": "head",
        "members-1-first_name": "Chidi",
        "members-1-birth_year": "2014",
        "members-1-relationship": "child",
    }
    for i in range(2, 4):
        data[f"members-{i}-first_name"] = ""
        data[f"members-{i}-birth_year"] = ""
        data[f"members-{i}-relationship"] = "other"
    data.update(overrides)
    return data


def test_staff_enroll_a_seed_family_with_its_members(world, client):
    enroll = cohort_url("family_enroll", world.a)
    body = signed_in(client, world.a.staff).get(enroll).content.decode()
    assert "only ever shown in aggregate" in body
    assert body.count('name="members-') >= 12  # four blank rows of three fields
    response = client.post(enroll, enroll_data())
    assert response.status_code == 302
    family = Family.objects.get(name="Okafor household")
    assert family.is_seed and family.cohort == world.a.cohort and family.partner == world.a.partner
    assert family.group.name == "Okafor group"
    assert family.culture == "Igbo"
    assert [(m.first_name, m.birth_year, m.relationship) for m in family.members.all()] == [
        ("Ada", 1984, "head"),
        ("Chidi", 2014, "child"),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Okafor household is enrolled as a seed family." in page


def test_sending_the_enrollment_form_twice_enrolls_the_household_once(world, client):
    enroll = cohort_url("family_enroll", world.a)
    signed_in(client, world.a.staff)
    assert client.post(enroll, enroll_data()).status_code == 302
    again = client.post(
        enroll, enroll_data(name="Okafor family", contact_email="OKAFOR@example.org")
    )
    assert again.status_code == 409
    assert again.context["form"].errors["contact_email"] == [
        "Okafor household of this cohort already has this email."
    ]
    assert Family.objects.filter(contact_email="okafor@example.org").count() == 1
    assert not Family.objects.filter(name="Okafor family").exists()


def test_a_phone_already_in_the_cohort_is_refused_however_it_is_spaced(world, client):
    world.a.friend_family.contact_phone = "+15105550199"
    world.a.friend_family.save()
    signed_in(client, world.a.staff)
    # Written the way people in the partner's country (the US) write it, without +1.
    response = client.post(
        cohort_url("family_enroll", world.a),
        enroll_data(contact_email="", contact_phone="(510) 555-0199"),
    )
    assert response.status_code == 409
    assert response.context["form"].errors["contact_phone"] == [
        "Friend household A of this cohort already has this phone number."
    ]
    assert not Family.objects.filter(name="Okafor household").exists()
    # The same phone in another cohort is someone else's business.
    other = GroupFactory(cohort__partner=world.a.partner, cohort__name="Hillside").cohort
    response = client.post(
        reverse("family_enroll", args=[world.a.partner.slug, other.pk]),
        enroll_data(contact_email="", contact_phone="+1-510-555-0199"),
    )
    assert response.status_code == 302
    assert Family.objects.get(name="Okafor household").cohort == other


def test_a_seed_family_needs_an_email_or_a_phone(world, client):
    before = (Family.objects.count(), audit_count())
    response = signed_in(client, world.a.staff).post(
        cohort_url("family_enroll", world.a), enroll_data(contact_email="")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["contact_email"] == ["Give an email or a phone number."]
    assert (Family.objects.count(), audit_count()) == before


def test_bad_household_input_is_refused_field_by_field(world, client):
    before = Family.objects.count()
    response = signed_in(client, world.a.staff).post(
        cohort_url("family_enroll", world.a),
        enroll_data(name="", household_size="0", contact_email="not-an-email"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"name", "household_size", "contact_email"} <= set(errors)
    assert Family.objects.count() == before


def test_more_members_than_people_is_refused_next_to_the_members(world, client):
    before = (Family.objects.count(), HouseholdMember.objects.count())
    response = signed_in(client, world.a.staff).post(
        cohort_url("family_enroll", world.a), enroll_data(household_size="1")
    )
    assert response.status_code == 400
    assert "More members are listed than people in the household." in str(
        response.context["formset"].non_form_errors()
    )
    assert "More members are listed" in response.content.decode()
    assert (Family.objects.count(), HouseholdMember.objects.count()) == before


def test_a_member_with_a_birth_year_but_no_name_is_refused(world, client):
    response = signed_in(client, world.a.staff).post(
        cohort_url("family_enroll", world.a),
        enroll_data(**{"members-2-first_name": "", "members-2-birth_year": "1990"}),
    )
    assert response.status_code == 400
    assert "Every member needs a first name." in response.content.decode()
    assert not Family.objects.filter(name="Okafor household").exists()


def test_the_seed_beyond_the_cohorts_limit_is_refused_with_a_clear_message(world, client):
    signed_in(client, world.a.staff)
    for i in range(9):  # the world's seed plus nine: ten seeds
        FamilyFactory(group=GroupFactory(cohort=world.a.cohort), is_seed=True, name=f"Seed {i}")
    before = Family.objects.filter(cohort=world.a.cohort).count()
    response = client.post(cohort_url("family_enroll", world.a), enroll_data())
    body = response.content.decode()
    assert response.status_code == 409
    assert "Cohort A already has its 10 seed families." in body
    assert "make a friend family the seed of a new group" in body
    assert Family.objects.filter(cohort=world.a.cohort).count() == before
    assert not Family.objects.filter(name="Okafor household").exists()


# The families export ----------------------------------------------------------------------------


def test_staff_download_the_cohorts_families(world, client):
    world.a.friend_family.show_household_to_staff = False
    world.a.friend_family.contact_phone = "+15105550101"
    world.a.friend_family.save()
    response = signed_in(client, world.a.staff).get(cohort_url("cohort_export", world.a))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == [
        "household_name",
        "is_seed",
        "group",
        "generation",
        "household_size",
        "contact_email",
        "contact_phone",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Seed household A", "Friend household A"}
    assert by_name["Seed household A"][1:5] == ["yes", "Group A", "0", "4"]
    friend = by_name["Friend household A"]
    assert friend[1:5] == ["no", "Group A", "1", ""]  # size not shared with staff
    assert friend[6] == "'+15105550101"  # a leading + is never read as a formula


def test_a_formula_in_a_household_name_comes_out_of_the_export_as_text(world, client):
    signed_in(client, world.a.staff)
    response = client.post(
        cohort_url("family_enroll", world.a),
        enroll_data(name='=HYPERLINK("http://x","Click")', contact_email="x@example.org"),
    )
    assert response.status_code == 302
    rows = read_csv(client.get(cohort_url("cohort_export", world.a)))
    names = [row[0] for row in rows[1:]]
    assert "Seed household A" in names
    assert '\'=HYPERLINK("http://x","Click")' in names
    assert '=HYPERLINK("http://x","Click")' not in names


def test_the_export_has_only_this_cohorts_families(world, client):
    other = CohortFactory(partner=world.a.partner, name="Hillside")
    FamilyFactory(group=GroupFactory(cohort=other), name="Hillside household")
    rows = read_csv(signed_in(client, world.a.admin).get(cohort_url("cohort_export", world.a)))
    names = {row[0] for row in rows[1:]}
    assert names == {"Seed household A", "Friend household A"}
    assert "Hillside household" not in names and "Seed household B" not in names


# The staff family page and new seeds ------------------------------------------------------------


def test_staff_see_a_family_its_group_inviter_and_the_families_it_invited(world, client, spread):
    HouseholdMemberFactory(family=world.a.friend_family, first_name="Zebediah", user=None)
    response = signed_in(client, world.a.staff).get(
        family_url("staff_family_detail", world.a, world.a.friend_family)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Friend household A" in body and "Group A" in body
    assert "generation 1" in body
    assert "Zebediah" in body  # shared with staff
    assert family_url("staff_family_detail", world.a, world.a.seed_family) in body  # inviter
    assert "Second-generation household" in body  # the family it invited
    assert family_url("family_promote", world.a, world.a.friend_family) in body


def test_the_staff_family_page_respects_the_familys_consent(world, client):
    world.a.friend_family.show_household_to_staff = False
    world.a.friend_family.save()
    HouseholdMemberFactory(family=world.a.friend_family, first_name="Zebediah", user=None)
    response = signed_in(client, world.a.staff).get(
        family_url("staff_family_detail", world.a, world.a.friend_family)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Friend household A" in body
    assert "Zebediah" not in body
    assert "chose not to share who lives in the household" in body


def test_a_liaison_reads_a_family_of_their_cohort_but_cannot_promote_it(world, client):
    response = signed_in(client, world.a.liaison).get(
        family_url("staff_family_detail", world.a, world.a.friend_family)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Friend household A" in body
    assert family_url("family_promote", world.a, world.a.friend_family) not in body


def test_promoting_a_friend_family_asks_first(world, client):
    promote = family_url("family_promote", world.a, world.a.friend_family)
    response = signed_in(client, world.a.staff).get(promote)
    assert response.status_code == 200
    assert "Yes, make them a seed family" in response.content.decode()
    assert not Family.objects.get(pk=world.a.friend_family.pk).is_seed


def test_staff_make_a_friend_family_the_seed_of_a_new_group(world, client):
    other = CohortFactory(partner=world.a.partner, name="Hillside")
    response = signed_in(client, world.a.staff).post(
        family_url("family_promote", world.a, world.a.friend_family),
        {"cohort": other.pk, "group_name": "Hillside circle"},
    )
    assert response.status_code == 302
    family = Family.objects.select_related("group").get(pk=world.a.friend_family.pk)
    assert family.is_seed and family.cohort == other
    assert family.group.name == "Hillside circle"
    assert AuditEvent.objects.filter(verb="family.promote", object_id=str(family.pk)).exists()


def test_a_seed_family_cannot_be_promoted_again(world, client):
    groups = Group.objects.count()
    response = signed_in(client, world.a.staff).post(
        family_url("family_promote", world.a, world.a.seed_family), {"cohort": world.a.cohort.pk}
    )
    assert response.status_code == 409
    assert "Seed household A is already a seed family." in response.content.decode()
    assert Group.objects.count() == groups


def test_a_family_cannot_be_moved_into_another_partners_cohort(world, client):
    response = signed_in(client, world.a.staff).post(
        family_url("family_promote", world.a, world.a.friend_family), {"cohort": world.b.cohort.pk}
    )
    assert response.status_code == 400
    assert "cohort" in response.context["form"].errors
    assert Family.objects.get(pk=world.a.friend_family.pk).cohort == world.a.cohort


# Group meetings ---------------------------------------------------------------------------------


def test_staff_record_that_two_groups_met(world, client, spread):
    meeting_url = cohort_url("group_meeting_create", world.a)
    body = signed_in(client, world.a.staff).get(meeting_url).content.decode()
    assert "Hilltop group" in body and 'type="checkbox"' in body
    response = client.post(
        meeting_url,
        {
            "groups": [world.a.group.pk, spread["second_group"].pk],
            "met_on": clock.on(-2, 20).isoformat(),
            "note": "Soup night",
        },
    )
    assert response.status_code == 302
    meeting = GroupMeeting.objects.get(note="Soup night")
    assert set(meeting.groups.all()) == {world.a.group, spread["second_group"]}
    # Three families of group A each met the one family of the hilltop group.
    assert Tie.objects.filter(cohort=world.a.cohort, kind=Tie.Kind.BRIDGING).count() == 3
    assert "Soup night" in client.get(response["Location"]).content.decode()


def test_a_meeting_of_one_group_is_refused(world, client):
    response = signed_in(client, world.a.staff).post(
        cohort_url("group_meeting_create", world.a),
        {"groups": [world.a.group.pk], "met_on": clock.on(-2, 20).isoformat()},
    )
    assert response.status_code == 400
    assert "Choose at least two groups of this cohort." in response.context["form"].errors["groups"]
    assert not GroupMeeting.objects.exists()


def test_a_meeting_in_the_future_is_refused(world, client, spread):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = signed_in(client, world.a.staff).post(
        cohort_url("group_meeting_create", world.a),
        {"groups": [world.a.group.pk, spread["second_group"].pk], "met_on": tomorrow.isoformat()},
    )
    assert response.status_code == 400
    assert "met_on" in response.context["form"].errors
    assert GroupMeeting.objects.count() == 1  # the fixture's


def test_a_meeting_cannot_include_another_partners_group(world, client):
    response = signed_in(client, world.a.staff).post(
        cohort_url("group_meeting_create", world.a),
        {"groups": [world.a.group.pk, world.b.group.pk], "met_on": clock.on(-2, 20).isoformat()},
    )
    assert response.status_code == 400
    assert "groups" in response.context["form"].errors
    assert not GroupMeeting.objects.exists()


# The dashboards link to the cohort pages --------------------------------------------------------


def test_the_dashboards_link_to_the_cohort_pages(world, client):
    home = reverse("partner_home", args=[world.a.partner.slug])
    staff_home = signed_in(client, world.a.staff).get(home).content.decode()
    assert cohort_url("cohort_detail", world.a) in staff_home
    assert url("cohort_create", world.a) in staff_home
    liaison_home = signed_in(client, world.a.liaison).get(home).content.decode()
    assert cohort_url("cohort_detail", world.a) in liaison_home
