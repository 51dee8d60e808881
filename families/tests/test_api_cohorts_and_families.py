"""The families API, part one: cohorts, their network, families (households), groups, consent."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from families.models import Cohort, Family, Group, HouseholdMember, Tie
from families.services import tie_record
from tests import clock, factories
from tests.seats import signed_in

COHORTS = "/api/v1/cohorts/"
FAMILIES = "/api/v1/families/"
GROUPS = "/api/v1/groups/"
PAGE_KEYS = {"count", "next", "previous", "results"}


def cohort_url(cohort) -> str:
    return f"/api/v1/cohorts/{cohort.pk}/"


def family_url(family) -> str:
    return f"/api/v1/families/{family.pk}/"


def group_url(group) -> str:
    return f"/api/v1/groups/{group.pk}/"


def consent_url(family) -> str:
    return f"/api/v1/families/{family.pk}/consent/"


def other_partner_seats(world):
    return {
        "admin": world.b.admin,
        "staff": world.b.staff,
        "liaison": world.b.liaison,
        "family": world.b.seed_member,
        "funder": world.b.funder,
        "no role": world.outsider,
    }


OTHERS = ["admin", "staff", "liaison", "family", "funder", "no role"]


def new_cohort_body(**changes):
    body = {
        "name": "Eastside 2026",
        "region": "Eastside",
        "started_on": clock.on(-3, 1).isoformat(),
    }
    body.update(changes)
    return body


def seed_body(cohort, **changes):
    body = {
        "cohort": cohort.pk,
        "name": "Household Mensah",
        "contact_phone": "+1 510 555 0100",
        "household_size": 3,
        "is_seed": True,
        "members": [
            {"first_name": "Ama", "birth_year": 1984, "relationship": "head"},
            {"first_name": "Kofi", "birth_year": 2012, "relationship": "child"},
        ],
        "culture": "Ghanaian",
        "language": "Twi",
    }
    body.update(changes)
    return body


def names(body) -> list[str]:
    return [item["name"] for item in body["results"]]


def queries_for(api, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    return len(queries)


# Cohorts: the list ---------------------------------------------------------------------------


def test_staff_see_their_cohorts_with_phase_seeds_reach_and_liaisons(world, api):
    response = signed_in(api, world.a.staff).get(COHORTS)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == PAGE_KEYS
    assert body["count"] == 1
    assert body["results"] == [
        {
            "id": world.a.cohort.pk,
            "partner": "partner-a",
            "name": "Cohort A",
            "region": "Riverside",
            "started_on": clock.on(-6, 1).isoformat(),
            "phase": 1,
            "seed_limit": 10,
            "seeds": 1,
            "reach": {"households": 2, "people": 8},
            "liaisons": [world.a.liaison.pk],
        }
    ]


def test_a_liaison_sees_only_the_cohorts_assigned_to_them(world, api):
    factories.CohortFactory(partner=world.a.partner, name="Not assigned")

    assert names(signed_in(api, world.a.liaison).get(COHORTS).json()) == ["Cohort A"]
    assert sorted(names(signed_in(api, world.a.admin).get(COHORTS).json())) == [
        "Cohort A",
        "Not assigned",
    ]


def test_a_family_member_sees_only_their_own_cohort_and_not_its_liaisons(world, api):
    factories.CohortFactory(partner=world.a.partner, name="Another cohort")

    response = signed_in(api, world.a.friend_member).get(COHORTS)
    assert response.status_code == 200
    body = response.json()

    assert names(body) == ["Cohort A"]
    assert "liaisons" not in body["results"][0]
    assert body["results"][0]["reach"] == {"households": 2, "people": 8}


@pytest.mark.parametrize("seat", ["funder", "no role"])
def test_funders_and_people_without_a_role_are_refused_the_cohort_list(world, api, seat):
    response = signed_in(api, other_partner_seats(world)[seat]).get(COHORTS)

    assert response.status_code == 403
    assert set(response.json()) == {"message", "errors"}


def test_the_cohort_list_pages_and_its_queries_do_not_grow(world, api):
    for n in range(9):
        cohort = factories.CohortFactory(partner=world.a.partner, name=f"Cohort {n:02}")
        cohort.liaisons.add(world.a.liaison)
    signed_in(api, world.a.staff)
    few = queries_for(api, COHORTS)
    for n in range(9, 60):
        cohort = factories.CohortFactory(partner=world.a.partner, name=f"Cohort {n:02}")
        factories.FamilyFactory(group=factories.GroupFactory(cohort=cohort))
        cohort.liaisons.add(world.a.liaison)

    many = queries_for(api, COHORTS + "?page_size=100")
    response = api.get(COHORTS + "?page_size=25")
    assert response.status_code == 200
    paged = response.json()

    assert many == few
    assert paged["count"] == 61
    assert len(paged["results"]) == 25
    assert paged["next"].endswith("page=2&page_size=25")
    assert paged["previous"] is None


# Cohorts: starting one -----------------------------------------------------------------------


def test_staff_start_a_cohort_with_its_liaisons(world, api):
    response = signed_in(api, world.a.staff).post(
        COHORTS, new_cohort_body(liaisons=[world.a.liaison.pk], seed_limit=8), format="json"
    )

    assert response.status_code == 201
    body = response.json()
    cohort = Cohort.objects.get(pk=body["id"])
    assert cohort.partner == world.a.partner
    assert list(cohort.liaisons.all()) == [world.a.liaison]
    assert body["phase"] == 1
    assert body["seed_limit"] == 8
    assert body["seeds"] == 0
    assert body["reach"] == {"households": 0, "people": 0}
    assert body["liaisons"] == [world.a.liaison.pk]


def test_someone_working_for_two_partners_names_the_partner(world, api):
    factories.MembershipFactory(partner=world.b.partner, user=world.a.staff, role=Role.STAFF)
    signed_in(api, world.a.staff)

    unnamed = api.post(COHORTS, new_cohort_body(), format="json")
    named = api.post(COHORTS, new_cohort_body(partner="partner-b"), format="json")

    assert unnamed.status_code == 400
    assert "partner" in unnamed.json()["errors"]
    assert named.status_code == 201
    assert Cohort.objects.get(name="Eastside 2026").partner == world.b.partner


def test_a_partner_one_does_not_work_for_is_refused_and_nothing_is_written(world, api):
    response = signed_in(api, world.a.staff).post(
        COHORTS, new_cohort_body(partner="partner-b"), format="json"
    )

    assert response.status_code == 400
    assert "partner" in response.json()["errors"]
    assert not Cohort.objects.filter(name="Eastside 2026").exists()


@pytest.mark.parametrize("seat", ["liaison", "seed_member", "funder"])
def test_liaisons_families_and_funders_cannot_start_cohorts(world, api, seat):
    response = signed_in(api, getattr(world.a, seat)).post(
        COHORTS, new_cohort_body(), format="json"
    )

    assert response.status_code == 403
    assert not Cohort.objects.filter(name="Eastside 2026").exists()


def test_a_cohort_without_a_name_or_a_real_date_is_refused(world, api):
    response = signed_in(api, world.a.staff).post(
        COHORTS, {"name": "", "started_on": "next spring"}, format="json"
    )

    assert response.status_code == 400
    assert {"name", "started_on"} <= set(response.json()["errors"])
    assert Cohort.objects.count() == 2


def test_another_partners_liaison_cannot_be_assigned(world, api):
    response = signed_in(api, world.a.staff).post(
        COHORTS, new_cohort_body(liaisons=[world.b.liaison.pk]), format="json"
    )

    assert response.status_code == 400
    assert "liaisons" in response.json()["errors"]
    assert not Cohort.objects.filter(name="Eastside 2026").exists()


def test_a_second_cohort_with_the_same_name_conflicts(world, api):
    response = signed_in(api, world.a.staff).post(
        COHORTS, new_cohort_body(name="cohort a"), format="json"
    )

    assert response.status_code == 409
    assert Cohort.objects.filter(partner=world.a.partner).count() == 1


def test_retrying_with_the_same_idempotency_key_starts_one_cohort(world, api):
    signed_in(api, world.a.staff)
    first = api.post(COHORTS, new_cohort_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(COHORTS, new_cohort_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Cohort.objects.filter(name="Eastside 2026").count() == 1


# Cohorts: one, and its edits -----------------------------------------------------------------


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_the_partners_people_see_the_cohort_with_its_liaisons(world, api, seat):
    response = signed_in(api, getattr(world.a, seat)).get(cohort_url(world.a.cohort))

    assert response.status_code == 200
    assert response.json()["phase"] == 1
    assert response.json()["liaisons"] == [world.a.liaison.pk]


def test_the_cohorts_families_see_it_without_its_liaisons(world, api):
    response = signed_in(api, world.a.seed_member).get(cohort_url(world.a.cohort))

    assert response.status_code == 200
    assert response.json()["name"] == "Cohort A"
    assert "liaisons" not in response.json()


def test_a_liaison_not_assigned_to_the_cohort_gets_404(world, api):
    other = factories.CohortFactory(partner=world.a.partner)

    assert signed_in(api, world.a.liaison).get(cohort_url(other)).status_code == 404


def test_a_family_does_not_see_another_cohort_of_its_partner(world, api):
    other = factories.CohortFactory(partner=world.a.partner)

    assert signed_in(api, world.a.seed_member).get(cohort_url(other)).status_code == 404


@pytest.mark.parametrize("seat", OTHERS)
def test_another_partners_people_get_404_for_the_cohort(world, api, seat):
    signed_in(api, other_partner_seats(world)[seat])
    url = cohort_url(world.a.cohort)

    assert api.get(url).status_code == 404
    assert api.patch(url, {"name": "Taken over"}, format="json").status_code == 404
    assert api.get(url + "network/").status_code == 404
    assert Cohort.objects.get(pk=world.a.cohort.pk).name == "Cohort A"


def test_staff_edit_a_cohort(world, api):
    response = signed_in(api, world.a.staff).patch(
        cohort_url(world.a.cohort), {"name": "Riverside North", "seed_limit": 12}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Riverside North"
    world.a.cohort.refresh_from_db()
    assert (world.a.cohort.name, world.a.cohort.seed_limit) == ("Riverside North", 12)


def test_staff_change_a_cohorts_liaisons(world, api):
    second = factories.UserFactory()
    factories.MembershipFactory(partner=world.a.partner, user=second, role=Role.LIAISON)

    response = signed_in(api, world.a.admin).patch(
        cohort_url(world.a.cohort), {"liaisons": [second.pk]}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["liaisons"] == [second.pk]
    assert list(world.a.cohort.liaisons.all()) == [second]


@pytest.mark.parametrize("seat", ["liaison", "seed_member"])
def test_liaisons_and_the_cohorts_families_cannot_edit_it(world, api, seat):
    response = signed_in(api, getattr(world.a, seat)).patch(
        cohort_url(world.a.cohort), {"name": "Renamed"}, format="json"
    )

    assert response.status_code == 403
    assert Cohort.objects.get(pk=world.a.cohort.pk).name == "Cohort A"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"seed_limit": 0}, "seed_limit"),
        ({"started_on": "soon"}, "started_on"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_edit_is_refused_naming_the_field(world, api, change, field):
    response = signed_in(api, world.a.staff).patch(
        cohort_url(world.a.cohort), change, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]
    world.a.cohort.refresh_from_db()
    assert (world.a.cohort.name, world.a.cohort.seed_limit) == ("Cohort A", 10)


# Cohorts: the network -------------------------------------------------------------------------


@pytest.mark.parametrize("seat", ["staff", "liaison"])
def test_staff_and_liaisons_read_the_cohorts_network_metrics(world, api, seat):
    tie_record(first=world.a.seed_family, second=world.a.friend_family, reason=Tie.Reason.INVITED)

    response = signed_in(api, getattr(world.a, seat)).get(cohort_url(world.a.cohort) + "network/")

    assert response.status_code == 200
    assert response.json() == {
        "cohort": world.a.cohort.pk,
        "families": 2,
        "groups": 1,
        "ungrouped": 0,
        "ties_by_kind": {"bonding": 1, "bridging": 0},
        "bridging_share": 0.0,
        "ei_index": -1.0,
        "largest_component": 2,
    }


def test_the_cohorts_families_do_not_read_its_network_metrics(world, api):
    response = signed_in(api, world.a.seed_member).get(cohort_url(world.a.cohort) + "network/")

    assert response.status_code == 403


# Families: the list ---------------------------------------------------------------------------


def test_staff_see_the_families_of_their_cohorts_with_contact_and_household(world, api):
    body = signed_in(api, world.a.staff).get(FAMILIES).json()

    assert set(body) == PAGE_KEYS
    assert names(body) == ["Seed household A", "Friend household A"]
    seed = body["results"][0]
    assert seed["is_seed"] is True
    assert seed["group"] == world.a.group.pk
    assert seed["household_size"] == 4
    assert seed["members"] == [{"first_name": "Sol", "relationship": "head"}]
    assert seed["contact_email"] == world.a.seed_family.contact_email
    assert body["results"][1]["invited_by"] == world.a.seed_family.pk


def test_staff_do_not_see_the_household_of_a_family_that_keeps_it_from_them(world, api):
    Family.objects.filter(pk=world.a.friend_family.pk).update(show_household_to_staff=False)

    response = signed_in(api, world.a.staff).get(FAMILIES)
    assert response.status_code == 200
    friend = response.json()["results"][1]

    assert friend["name"] == "Friend household A"
    assert friend["household_size"] is None
    assert friend["members"] is None
    assert friend["contact_email"] == world.a.friend_family.contact_email


def test_staff_filter_families_by_cohort(world, api):
    other = factories.CohortFactory(partner=world.a.partner)
    factories.FamilyFactory(group=factories.GroupFactory(cohort=other), name="Elsewhere")
    signed_in(api, world.a.staff)

    assert len(api.get(FAMILIES).json()["results"]) == 3
    assert names(api.get(f"{FAMILIES}?cohort={other.pk}").json()) == ["Elsewhere"]
    assert api.get(f"{FAMILIES}?cohort={world.b.cohort.pk}").status_code == 404
    not_a_number = api.get(f"{FAMILIES}?cohort=first")
    assert not_a_number.status_code == 400
    assert "cohort" in not_a_number.json()["errors"]


def test_a_liaison_sees_only_the_families_of_their_cohorts(world, api):
    other = factories.CohortFactory(partner=world.a.partner)
    factories.FamilyFactory(group=factories.GroupFactory(cohort=other), name="Elsewhere")

    body = signed_in(api, world.a.liaison).get(FAMILIES).json()

    assert names(body) == ["Seed household A", "Friend household A"]


def test_a_family_sees_its_group_and_the_directory_as_their_consent_allows(world, api):
    other_group = factories.GroupFactory(cohort=world.a.cohort, name="Group Z")
    factories.FamilyFactory(group=other_group, name="Unlisted", is_seed=True)
    listed = factories.FamilyFactory(
        group=other_group, name="Listed", in_cohort_directory=True, offers="Rides to work"
    )
    Family.objects.filter(pk=world.a.friend_family.pk).update(show_household_to_group=False)

    response = signed_in(api, world.a.seed_member).get(FAMILIES)
    assert response.status_code == 200
    body = response.json()

    cards = {card["name"]: card for card in body["results"]}
    assert set(cards) == {"Seed household A", "Friend household A", "Listed"}
    assert cards["Seed household A"]["members"] == [{"first_name": "Sol", "relationship": "head"}]
    assert cards["Friend household A"]["members"] is None
    assert cards["Friend household A"]["household_size"] is None
    assert cards["Friend household A"]["contact_email"] == world.a.friend_family.contact_email
    assert cards["Listed"]["offers"] == "Rides to work"
    assert cards["Listed"]["contact_email"] is None
    assert cards["Listed"]["members"] is None
    assert listed.pk == cards["Listed"]["id"]


def test_a_family_does_not_see_the_contact_of_a_group_peer_who_keeps_it(world, api):
    Family.objects.filter(pk=world.a.seed_family.pk).update(show_contact_to_group=False)

    response = signed_in(api, world.a.friend_member).get(FAMILIES)
    assert response.status_code == 200
    body = response.json()

    seed = next(card for card in body["results"] if card["is_seed"])
    assert seed["name"] == "Seed household A"
    assert seed["contact_email"] is None
    assert seed["contact_phone"] is None


def test_another_partners_families_are_never_listed(world, api):
    for user in [world.a.staff, world.a.liaison, world.a.seed_member]:
        response = signed_in(api, user).get(FAMILIES)
        assert response.status_code == 200
        listed = names(response.json())
        assert "Seed household A" in listed
        assert not [name for name in listed if name.endswith(" B")]


@pytest.mark.parametrize("seat", ["funder", "no role"])
def test_funders_and_people_without_a_role_are_refused_the_family_list(world, api, seat):
    assert signed_in(api, other_partner_seats(world)[seat]).get(FAMILIES).status_code == 403


@pytest.mark.parametrize("seat", ["staff", "seed_member"])
def test_the_family_list_queries_do_not_grow_with_the_families(
    world, api, seat, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            family = factories.FamilyFactory(group=world.a.group, in_cohort_directory=True)
            factories.HouseholdMemberFactory(family=family, user=None)

    signed_in(api, getattr(world.a, seat))
    add(8)
    few = queries_for(api, FAMILIES + "?page_size=100")
    add(90)

    with django_assert_max_num_queries(few):
        response = api.get(FAMILIES + "?page_size=100")

    assert response.status_code == 200
    assert response.json()["count"] == 100
    assert len(response.json()["results"]) == 100


# Families: enrolling a seed --------------------------------------------------------------------


def test_staff_enroll_a_seed_family_with_its_members(world, api):
    response = signed_in(api, world.a.staff).post(
        FAMILIES, seed_body(world.a.cohort), format="json"
    )

    assert response.status_code == 201
    body = response.json()
    family = Family.objects.get(pk=body["id"])
    assert family.is_seed and family.cohort == world.a.cohort
    assert family.group is not None and body["group"] == family.group_id
    assert [m.first_name for m in family.members.all()] == ["Ama", "Kofi"]
    assert body["members"] == [
        {"first_name": "Ama", "relationship": "head"},
        {"first_name": "Kofi", "relationship": "child"},
    ]
    assert body["contact_phone"] == "+15105550100"
    assert "culture" not in body  # only ever shown in aggregate


def test_enrolling_a_household_of_the_cohort_again_is_a_conflict_naming_the_field(world, api):
    signed_in(api, world.a.staff)
    assert api.post(FAMILIES, seed_body(world.a.cohort), format="json").status_code == 201
    again = api.post(FAMILIES, {**seed_body(world.a.cohort), "name": "Again"}, format="json")
    assert again.status_code == 409
    assert list(again.json()["errors"]) == ["contact_phone"]
    assert not Family.objects.filter(name="Again").exists()


def test_friend_families_are_not_enrolled_by_staff(world, api):
    response = signed_in(api, world.a.staff).post(
        FAMILIES, seed_body(world.a.cohort, is_seed=False), format="json"
    )

    assert response.status_code == 400
    assert "is_seed" in response.json()["errors"]
    assert not Family.objects.filter(name="Household Mensah").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"contact_phone": ""}, "contact_email"),
        ({"contact_phone": "", "contact_email": "not an address"}, "contact_email"),
        ({"household_size": 0}, "household_size"),
        ({"name": ""}, "name"),
        ({"members": [{"first_name": "Ama", "relationship": "aunt"}]}, "members.0.relationship"),
        ({"members": [{"first_name": "Ama", "birth_year": 1492}]}, "members.0.birth_year"),
        ({"household_size": 1}, "members"),
    ],
)
def test_a_bad_enrollment_is_refused_naming_the_field(world, api, change, field):
    response = signed_in(api, world.a.staff).post(
        FAMILIES, seed_body(world.a.cohort, **change), format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Family.objects.count() == 4
    assert HouseholdMember.objects.count() == 4


def test_a_seed_cannot_be_enrolled_in_another_partners_cohort(world, api):
    response = signed_in(api, world.a.staff).post(
        FAMILIES, seed_body(world.b.cohort), format="json"
    )

    assert response.status_code == 400
    assert "cohort" in response.json()["errors"]
    assert world.b.cohort.families.count() == 2


@pytest.mark.parametrize("seat", ["liaison", "seed_member", "funder"])
def test_liaisons_families_and_funders_cannot_enroll(world, api, seat):
    response = signed_in(api, getattr(world.a, seat)).post(
        FAMILIES, seed_body(world.a.cohort), format="json"
    )

    assert response.status_code == 403
    assert not Family.objects.filter(name="Household Mensah").exists()


def test_the_eleventh_seed_family_is_refused_with_a_conflict(world, api):
    for n in range(8):
        factories.FamilyFactory(
            group=factories.GroupFactory(cohort=world.a.cohort), is_seed=True, name=f"Seed {n}"
        )
    signed_in(api, world.a.staff)

    tenth = api.post(FAMILIES, seed_body(world.a.cohort), format="json")
    eleventh = api.post(
        FAMILIES,
        seed_body(world.a.cohort, name="One too many", contact_phone="+1 510 555 0111"),
        format="json",
    )

    assert tenth.status_code == 201
    assert eleventh.status_code == 409
    assert "seed families" in eleventh.json()["message"]
    assert world.a.cohort.families.filter(is_seed=True).count() == 10
    assert not Family.objects.filter(name="One too many").exists()


def test_retrying_an_enrollment_with_the_same_idempotency_key_enrolls_one_family(world, api):
    signed_in(api, world.a.staff)
    body = seed_body(world.a.cohort)

    first = api.post(FAMILIES, body, format="json", HTTP_IDEMPOTENCY_KEY="enroll-mensah")
    again = api.post(FAMILIES, body, format="json", HTTP_IDEMPOTENCY_KEY="enroll-mensah")

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Family.objects.filter(name="Household Mensah").count() == 1


# Families: one -------------------------------------------------------------------------------


def test_staff_and_the_liaison_see_one_family(world, api):
    for user in [world.a.admin, world.a.staff, world.a.liaison]:
        response = signed_in(api, user).get(family_url(world.a.friend_family))
        assert response.status_code == 200
        assert response.json()["name"] == "Friend household A"


def test_a_family_sees_a_group_peer_as_their_consent_allows(world, api):
    Family.objects.filter(pk=world.a.friend_family.pk).update(show_household_to_group=False)

    response = signed_in(api, world.a.seed_member).get(family_url(world.a.friend_family))
    own = signed_in(api, world.a.friend_member).get(family_url(world.a.friend_family))

    assert response.status_code == 200
    assert response.json()["name"] == "Friend household A"
    assert response.json()["members"] is None
    assert own.status_code == 200
    assert own.json()["members"] == [{"first_name": "Fran", "relationship": "head"}]


def test_a_family_gets_404_for_an_unlisted_family_of_another_group(world, api):
    unlisted = factories.FamilyFactory(group=factories.GroupFactory(cohort=world.a.cohort))

    assert signed_in(api, world.a.seed_member).get(family_url(unlisted)).status_code == 404


def test_a_liaison_gets_404_for_a_family_of_a_cohort_not_theirs(world, api):
    elsewhere = factories.FamilyFactory(
        group=factories.GroupFactory(cohort=factories.CohortFactory(partner=world.a.partner))
    )

    assert signed_in(api, world.a.liaison).get(family_url(elsewhere)).status_code == 404
    assert signed_in(api, world.a.staff).get(family_url(elsewhere)).status_code == 200


@pytest.mark.parametrize("seat", OTHERS)
def test_another_partners_people_get_404_for_a_family(world, api, seat):
    response = signed_in(api, other_partner_seats(world)[seat]).get(
        family_url(world.a.friend_family)
    )

    assert response.status_code == 404


# Consent ---------------------------------------------------------------------------------------


def test_a_family_reads_and_changes_what_others_may_see(world, api):
    signed_in(api, world.a.friend_member)
    url = consent_url(world.a.friend_family)

    before = api.get(url)
    changed = api.patch(
        url, {"show_household_to_group": False, "offers": "Sewing lessons"}, format="json"
    )

    assert before.status_code == 200
    assert before.json()["show_household_to_group"] is True
    assert before.json()["share_posts_with_staff"] is False
    assert changed.status_code == 200
    assert changed.json()["show_household_to_group"] is False
    assert changed.json()["offers"] == "Sewing lessons"
    response = signed_in(api, world.a.seed_member).get(family_url(world.a.friend_family))
    assert response.status_code == 200
    friend = response.json()
    assert friend["name"] == "Friend household A"
    assert friend["members"] is None


def test_staff_cannot_read_or_change_a_familys_consent(world, api):
    signed_in(api, world.a.staff)
    url = consent_url(world.a.friend_family)

    assert api.get(url).status_code == 403
    assert api.patch(url, {"share_posts_with_staff": True}, format="json").status_code == 403
    assert not Family.objects.get(pk=world.a.friend_family.pk).share_posts_with_staff


def test_another_family_of_the_group_gets_404_for_a_familys_consent(world, api):
    response = signed_in(api, world.a.seed_member).patch(
        consent_url(world.a.friend_family), {"in_cohort_directory": True}, format="json"
    )

    assert response.status_code == 404
    assert not Family.objects.get(pk=world.a.friend_family.pk).in_cohort_directory


@pytest.mark.parametrize("seat", OTHERS)
def test_another_partners_people_get_404_for_a_familys_consent(world, api, seat):
    signed_in(api, other_partner_seats(world)[seat])

    assert api.get(consent_url(world.a.friend_family)).status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"show_household_to_group": "perhaps"}, "show_household_to_group"),
        ({"offers": "x" * 301}, "offers"),
    ],
)
def test_a_bad_consent_change_is_refused_naming_the_field(world, api, change, field):
    response = signed_in(api, world.a.friend_member).patch(
        consent_url(world.a.friend_family), {**change, "in_cohort_directory": True}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]
    family = Family.objects.get(pk=world.a.friend_family.pk)
    assert (family.show_household_to_group, family.in_cohort_directory) == (True, False)


# Groups ------------------------------------------------------------------------------------------


def test_a_family_sees_its_own_group_with_the_seed_first(world, api):
    factories.GroupFactory(cohort=world.a.cohort, name="Another group")

    body = signed_in(api, world.a.friend_member).get(GROUPS).json()

    assert set(body) == PAGE_KEYS
    assert body["count"] == 1
    group = body["results"][0]
    assert group["id"] == world.a.group.pk
    assert group["seed_family"] == world.a.seed_family.pk
    assert group["households"] == 2
    assert [m["name"] for m in group["members"]] == ["Seed household A", "Friend household A"]


def test_a_groups_members_are_hidden_when_a_family_keeps_its_household_from_the_group(world, api):
    Family.objects.filter(pk=world.a.seed_family.pk).update(show_household_to_group=False)

    friend_view = signed_in(api, world.a.friend_member).get(group_url(world.a.group))
    assert friend_view.status_code == 200
    seen_by_friend = friend_view.json()
    seed_view = signed_in(api, world.a.seed_member).get(group_url(world.a.group))
    assert seed_view.status_code == 200
    seen_by_seed = seed_view.json()

    assert seen_by_friend["members"][0]["name"] == "Seed household A"
    assert seen_by_friend["members"][0]["members"] is None
    assert seen_by_friend["members"][0]["household_size"] is None
    assert seen_by_seed["members"][0]["members"] == [{"first_name": "Sol", "relationship": "head"}]


def test_staff_see_every_group_and_liaisons_the_groups_of_their_cohorts(world, api):
    other = factories.CohortFactory(partner=world.a.partner)
    factories.GroupFactory(cohort=other, name="Far away")
    factories.GroupFactory(cohort=world.a.cohort, name="Nearby")

    staff = names(signed_in(api, world.a.staff).get(GROUPS).json())
    liaison = names(signed_in(api, world.a.liaison).get(GROUPS).json())
    filtered = names(signed_in(api, world.a.staff).get(f"{GROUPS}?cohort={other.pk}").json())

    assert sorted(staff) == ["Far away", "Group A", "Nearby"]
    assert liaison == ["Group A", "Nearby"]
    assert filtered == ["Far away"]


def test_staff_see_group_members_only_when_families_share_their_household_with_staff(world, api):
    Family.objects.filter(pk=world.a.friend_family.pk).update(show_household_to_staff=False)

    response = signed_in(api, world.a.staff).get(group_url(world.a.group))
    assert response.status_code == 200
    group = response.json()

    seed, friend = group["members"]
    assert seed["members"] == [{"first_name": "Sol", "relationship": "head"}]
    assert friend["members"] is None


def test_a_family_gets_404_for_another_group_of_its_cohort(world, api):
    other = factories.GroupFactory(cohort=world.a.cohort)

    assert signed_in(api, world.a.seed_member).get(group_url(other)).status_code == 404


@pytest.mark.parametrize("seat", OTHERS)
def test_another_partners_people_get_404_for_a_group(world, api, seat):
    signed_in(api, other_partner_seats(world)[seat])

    assert api.get(group_url(world.a.group)).status_code == 404
    if seat in {"admin", "staff", "liaison"}:
        assert api.get(f"{GROUPS}?cohort={world.a.cohort.pk}").status_code == 404


@pytest.mark.parametrize("seat", ["funder", "no role"])
def test_funders_and_people_without_a_role_are_refused_the_group_list(world, api, seat):
    assert signed_in(api, other_partner_seats(world)[seat]).get(GROUPS).status_code == 403


def test_the_group_list_queries_do_not_grow_with_the_families(
    world, api, django_assert_max_num_queries
):
    def add(groups, per_group):
        for _ in range(groups):
            group = factories.GroupFactory(cohort=world.a.cohort)
            for _ in range(per_group):
                family = factories.FamilyFactory(group=group)
                factories.HouseholdMemberFactory(family=family, user=None)

    signed_in(api, world.a.staff)
    add(1, 9)
    few = queries_for(api, GROUPS)
    add(9, 10)

    with django_assert_max_num_queries(few):
        response = api.get(GROUPS + "?page_size=100")

    assert response.status_code == 200
    assert response.json()["count"] == 11
    assert sum(g["households"] for g in response.json()["results"]) == 2 + 9 + 90
    assert Group.objects.filter(cohort=world.a.cohort).count() == 11
