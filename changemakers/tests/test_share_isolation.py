"""What staff read before sharing never reveals a family of another partner that did not allow it.

Partner B has two families who described a savings circle in their own words: one let other
organizations learn from it (anonymously), one did not. Partner A has another cohort whose family
also described it. Partner A's staff, writing a share for their cohort, see the consenting
family's words with a country only, their own other cohort's words with its region only, and
never the other family's words or any name."""

import pytest

from accounts import policy
from families.access import FamilySeat
from families.models import Cohort
from surveys.models import ActionReport, Practice
from surveys.services import action_report_describe, ensure_default_practices
from tests import clock, factories

KEPT = "We hide our savings in the rice tin under the bed."
SHARED = "Twelve of us put five dollars in the box each Friday."
HILLSIDE = "Our circle meets after church on Sundays."
HOME = "We started our own circle in our own group."  # partner A's cohort: not "elsewhere"


def described(family, member, words, *, shared, period=clock.month(-3)):
    ensure_default_practices()
    report = ActionReport.objects.create(
        partner=family.partner,
        cohort=family.cohort,
        family=family,
        practice=Practice.objects.get(partner=None, slug="savings-circle"),
        period=period,
    )
    return action_report_describe(
        seat=FamilySeat(user=member, family=family),
        report=report,
        description=words,
        share_across_partners=shared,
    )


@pytest.fixture
def reports(world):
    described(world.b.seed_family, world.b.seed_member, KEPT, shared=False)
    described(world.b.friend_family, world.b.friend_member, SHARED, shared=True)
    hillside = factories.FamilyFactory(
        group=factories.GroupFactory(
            cohort=factories.CohortFactory(
                partner=world.a.partner, name="Cohort Hillside", region="Hillside"
            )
        ),
        name="Hillside household",
    )
    member = factories.UserFactory()
    factories.HouseholdMemberFactory(family=hillside, user=member, first_name="Hilda")
    described(hillside, member, HILLSIDE, shared=False)
    described(world.a.seed_family, world.a.seed_member, HOME, shared=True)
    Cohort.objects.filter(pk__in=[world.a.cohort.pk, world.b.cohort.pk]).update(phase=2)
    return world


def b_names(world) -> list[str]:
    return [
        world.b.seed_family.name,
        world.b.friend_family.name,
        world.b.partner.name,
        world.b.partner.slug,
        world.b.cohort.name,
        world.b.group.name,
        world.b.seed_member.email,
        world.b.friend_member.email,
    ]


def assert_reveals_only_consent(text: str, world) -> None:
    assert SHARED in text
    assert KEPT not in text
    for name in b_names(world):
        assert name not in text, name


def test_the_practice_context_shows_the_consenting_familys_words_with_a_country_only(reports, api):
    world = reports
    api.force_authenticate(world.a.staff)

    response = api.get(f"/api/v1/practices/savings-circle/context/?cohort={world.a.cohort.pk}")

    assert response.status_code == 200
    text = response.content.decode()
    assert_reveals_only_consent(text, world)
    examples = response.json()["examples"]
    assert {"month": clock.period(-3), "where": "LR", "description": SHARED} in examples


def test_the_partners_own_other_cohort_appears_with_its_region_never_a_name(reports, api):
    world = reports
    api.force_authenticate(world.a.liaison)

    response = api.get(f"/api/v1/practices/savings-circle/context/?cohort={world.a.cohort.pk}")

    assert response.status_code == 200
    text = response.content.decode()
    assert {
        "month": clock.period(-3),
        "where": "Hillside",
        "description": HILLSIDE,
    } in response.json()["examples"]
    assert "Hillside household" not in text
    assert "Hilda" not in text
    assert HOME not in text  # the cohort's own families are not "elsewhere"
    assert world.a.seed_family.name not in text


def test_the_share_page_shows_the_consenting_familys_words_and_no_names(reports, client):
    world = reports
    client.force_login(world.a.staff)

    response = client.get(
        f"/p/{world.a.partner.slug}/cohorts/{world.a.cohort.pk}/share/",
        {"practice": "savings-circle"},
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert_reveals_only_consent(text, world)
    assert HILLSIDE in text
    assert "Hillside household" not in text


def test_the_other_partner_never_reads_partner_as_families_words_without_consent(reports, api):
    world = reports
    api.force_authenticate(world.b.staff)

    response = api.get(f"/api/v1/practices/savings-circle/context/?cohort={world.b.cohort.pk}")

    assert response.status_code == 200
    text = response.content.decode()
    assert HILLSIDE not in text
    assert HOME in text  # partner A's seed family allowed it
    for name in [world.a.seed_family.name, "Hillside household", world.a.partner.name]:
        assert name not in text
    assert {"month": clock.period(-3), "where": "US", "description": HOME} in response.json()[
        "examples"
    ]


def test_a_share_stays_with_its_partner(reports, api):
    world = reports
    api.force_authenticate(world.a.staff)
    created = api.post(
        "/api/v1/best-practices/",
        {"cohort": world.a.cohort.pk, "practice": "savings-circle", "body": SHARED},
        format="json",
    )
    assert created.status_code == 201

    for user in [world.b.admin, world.b.staff, world.b.liaison, world.b.seed_member]:
        api.force_authenticate(user)
        response = api.get("/api/v1/best-practices/")
        assert response.status_code == 200, user
        assert set(response.json()) == {"count", "next", "previous", "results"}, user
        assert response.json()["results"] == [], user
    api.force_authenticate(world.b.seed_member)
    response = api.get("/api/v1/posts/", {"scope": "cohort"})
    assert response.status_code == 200
    assert set(response.json()) == {"count", "next", "previous", "results"}
    assert SHARED not in [post["body"] for post in response.json()["results"]]


def test_staff_of_one_partner_cannot_share_into_the_other(reports, api):
    world = reports
    seat = policy.access_partner(world.b.staff, world.b.partner.slug)
    assert not policy.can_view_cohort(seat, world.a.cohort)
    api.force_authenticate(world.b.staff)

    response = api.post(
        "/api/v1/best-practices/",
        {"cohort": world.a.cohort.pk, "practice": "savings-circle", "body": KEPT},
        format="json",
    )

    assert response.status_code == 400
    assert "cohort" in response.json()["errors"]
