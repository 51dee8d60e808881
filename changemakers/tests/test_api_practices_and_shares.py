"""The practices API: the catalogue for anyone signed in, what families elsewhere did with a
practice (for staff writing a share), and best-practice shares: phase II only, into the cohort's
feed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import policy
from accounts.models import AuditEvent
from changemakers.models import BestPracticeShare
from changemakers.services import best_practice_share
from families.models import Cohort, Post
from surveys.models import ActionReport, Practice
from surveys.services import ensure_default_practices, practice_create
from tests import clock, factories
from tests.seats import signed_in

PRACTICES = "/api/v1/practices/"
SHARES = "/api/v1/best-practices/"
PAGE_KEYS = {"count", "next", "previous", "results"}
BODY = "Families in another town pooled five dollars a week in a savings circle."


def seat_of(user, tenant):
    return policy.access_partner(user, tenant.partner.slug)


def in_phase_two(cohort) -> Cohort:
    Cohort.objects.filter(pk=cohort.pk).update(phase=2)
    cohort.refresh_from_db()
    return cohort


def context_url(slug, cohort=None) -> str:
    url = f"/api/v1/practices/{slug}/context/"
    return url if cohort is None else f"{url}?cohort={cohort.pk}"


def own_practice(tenant, english="Community garden", spanish="Huerto comunitario") -> Practice:
    return practice_create(seat=seat_of(tenant.admin, tenant), names={"en": english, "es": spanish})


def other_partner_people(world):
    return {
        "admin": world.b.admin,
        "staff": world.b.staff,
        "liaison": world.b.liaison,
        "family": world.b.seed_member,
        "funder": world.b.funder,
        "no role": world.outsider,
    }


def nothing_shared():
    assert not BestPracticeShare.objects.exists()
    assert not Post.objects.filter(source=Post.Source.STAFF).exists()
    assert not AuditEvent.objects.filter(verb="practice.share").exists()


# The catalogue ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["family", "staff", "liaison", "funder", "no role"])
def test_anyone_signed_in_reads_the_catalogue(world, api, who):
    user = {
        "family": world.a.seed_member,
        "staff": world.a.staff,
        "liaison": world.a.liaison,
        "funder": world.a.funder,
        "no role": world.outsider,
    }[who]

    response = signed_in(api, user).get(PRACTICES)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == PAGE_KEYS
    circle = next(p for p in body["results"] if p["slug"] == "savings-circle")
    assert circle["name"] == "Joined or started a savings circle"
    assert set(circle["names"]) == {"en", "es", "fr"}
    assert circle["partner"] is None


def test_names_come_in_the_language_asked_for(world, api):
    response = signed_in(api, world.a.seed_member).get(PRACTICES, HTTP_ACCEPT_LANGUAGE="es")

    circle = next(p for p in response.json()["results"] if p["slug"] == "savings-circle")
    assert circle["name"] == "Se unió o formó un círculo de ahorro"
    assert circle["names"]["fr"] == "A rejoint ou créé une tontine"


def test_a_partners_own_practice_is_listed_for_its_people(world, api):
    own_practice(world.a)

    for user in [world.a.staff, world.a.liaison, world.a.friend_member]:
        results = signed_in(api, user).get(PRACTICES, HTTP_ACCEPT_LANGUAGE="es").json()["results"]
        garden = next(p for p in results if p["slug"] == "community-garden")
        assert (garden["name"], garden["partner"]) == ("Huerto comunitario", "partner-a")


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison", "family", "funder", "no role"])
def test_a_partners_own_practice_is_not_listed_for_anyone_else(world, api, seat):
    own_practice(world.a)

    response = signed_in(api, other_partner_people(world)[seat]).get(PRACTICES, {"page_size": 100})

    assert response.status_code == 200
    slugs = {p["slug"] for p in response.json()["results"]}
    assert "savings-circle" in slugs
    assert "community-garden" not in slugs


def test_retired_practices_are_left_out(world, api):
    ensure_default_practices()
    Practice.objects.filter(slug="savings-circle").update(is_active=False)

    response = signed_in(api, world.a.staff).get(PRACTICES, {"page_size": 100})

    assert response.status_code == 200
    slugs = {p["slug"] for p in response.json()["results"]}
    assert "opened-savings-account" in slugs
    assert "savings-circle" not in slugs


def test_signed_out_callers_do_not_read_the_catalogue(world, api):
    assert api.get(PRACTICES).status_code in (401, 403)


def test_the_catalogue_takes_as_many_queries_for_many_practices_as_for_few(world, api):
    ensure_default_practices()
    client = signed_in(api, world.a.staff)
    seat = seat_of(world.a.admin, world.a)

    def add(count, start):
        for n in range(start, start + count):
            practice_create(seat=seat, names={"en": f"Own practice {n}", "es": f"Propia {n}"})

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PRACTICES, {"page_size": 100}).status_code == 200
        return len(captured)

    add(3, 0)
    few = queries()
    add(30, 3)
    assert queries() == few


# What families elsewhere did -------------------------------------------------------------------


def report(family, slug, *, period, description="", shared=False) -> ActionReport:
    ensure_default_practices()
    return ActionReport.objects.create(
        partner=family.partner,
        cohort=family.cohort,
        family=family,
        practice=Practice.objects.get(partner=None, slug=slug),
        period=period,
        description=description,
        share_across_partners=shared,
    )


def another_cohort_family(tenant, *, name="Hillside household", region="Hillside"):
    cohort = factories.CohortFactory(partner=tenant.partner, name=f"Cohort {region}", region=region)
    return factories.FamilyFactory(group=factories.GroupFactory(cohort=cohort), name=name)


@pytest.mark.parametrize("role", ["admin", "staff", "liaison"])
def test_staff_and_the_cohorts_liaison_read_what_families_elsewhere_did(world, api, role):
    hillside = another_cohort_family(world.a)
    report(
        hillside,
        "savings-circle",
        period=clock.month(-3),
        description="We meet after church and save together.",
    )

    response = signed_in(api, getattr(world.a, role)).get(
        context_url("savings-circle", world.a.cohort)
    )

    assert response.status_code == 200
    body = response.json()
    assert body["cohort"] == world.a.cohort.pk
    assert body["practice"] == {
        "slug": "savings-circle",
        "name": "Joined or started a savings circle",
    }
    assert body["families_in_partner"] == 1
    assert body["examples"] == [
        {
            "month": clock.period(-3),
            "where": "Hillside",
            "description": "We meet after church and save together.",
        }
    ]
    assert "Hillside household" not in response.content.decode()


def test_the_context_works_in_phase_one_too(world, api):
    assert world.a.cohort.phase == 1

    response = signed_in(api, world.a.liaison).get(context_url("savings-circle", world.a.cohort))

    assert response.status_code == 200


def test_a_partners_own_practice_has_a_context_for_its_staff(world, api):
    own_practice(world.a)

    response = signed_in(api, world.a.staff).get(context_url("community-garden", world.a.cohort))

    assert response.status_code == 200
    assert response.json()["practice"]["name"] == "Community garden"


def test_the_context_needs_a_cohort(world, api):
    response = signed_in(api, world.a.staff).get(context_url("savings-circle"))

    assert response.status_code == 400
    assert "cohort" in response.json()["errors"]


def test_a_cohort_that_is_not_a_number_is_400_naming_it(world, api):
    response = signed_in(api, world.a.staff).get(context_url("savings-circle") + "?cohort=abc")

    assert response.status_code == 400
    assert "cohort" in response.json()["errors"]


def test_a_practice_outside_the_catalogue_is_404(world, api):
    response = signed_in(api, world.a.staff).get(context_url("no-such-thing", world.a.cohort))

    assert response.status_code == 404


def test_another_partners_own_practice_is_404(world, api):
    own_practice(world.b, english="Fishing cooperative", spanish="Cooperativa de pesca")

    response = signed_in(api, world.a.staff).get(context_url("fishing-cooperative", world.a.cohort))

    assert response.status_code == 404


def test_a_liaison_of_another_cohort_gets_404(world, api):
    other = factories.CohortFactory(partner=world.a.partner, name="Unassigned")

    response = signed_in(api, world.a.liaison).get(context_url("savings-circle", other))

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["family", "funder", "no role"])
def test_families_and_others_may_not_read_the_context(world, api, who):
    user = {"family": world.a.seed_member, "funder": world.a.funder, "no role": world.outsider}[who]

    response = signed_in(api, user).get(context_url("savings-circle", world.a.cohort))

    assert response.status_code == 403


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison", "family", "funder", "no role"])
def test_another_partners_people_get_404_for_a_partners_own_practice(world, api, seat):
    own_practice(world.a)

    response = signed_in(api, other_partner_people(world)[seat]).get(
        context_url("community-garden", world.a.cohort)
    )

    assert response.status_code == 404


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_another_partners_staff_get_404_for_its_cohort(world, api, seat):
    response = signed_in(api, other_partner_people(world)[seat]).get(
        context_url("savings-circle", world.a.cohort)
    )

    assert response.status_code == 404


# Sharing ---------------------------------------------------------------------------------------


def share_body(tenant, **changes):
    body = {"cohort": tenant.cohort.pk, "practice": "savings-circle", "body": BODY}
    body.update(changes)
    return body


@pytest.mark.parametrize("role", ["admin", "staff", "liaison"])
def test_in_phase_two_staff_and_liaisons_share_what_families_did(world, api, role):
    in_phase_two(world.a.cohort)
    user = getattr(world.a, role)

    response = signed_in(api, user).post(SHARES, share_body(world.a), format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["cohort"], body["body"]) == (world.a.cohort.pk, BODY)
    assert body["practice"] == {
        "slug": "savings-circle",
        "name": "Joined or started a savings circle",
    }
    assert body["author"] == {"id": user.pk, "name": user.name}
    share = BestPracticeShare.objects.get()
    assert (share.author, share.cohort, share.practice.slug) == (
        user,
        world.a.cohort,
        "savings-circle",
    )
    assert body["post"] == share.post_id
    assert (share.post.source, share.post.kind, share.post.visibility) == (
        "staff",
        "practice",
        "cohort",
    )
    assert AuditEvent.objects.filter(verb="practice.share", actor=user).exists()


def test_the_cohorts_families_read_the_share_in_their_feed_as_coming_from_staff(world, api):
    in_phase_two(world.a.cohort)
    signed_in(api, world.a.liaison).post(SHARES, share_body(world.a), format="json")

    feed = signed_in(api, world.a.friend_member).get("/api/v1/posts/", {"scope": "cohort"}).json()

    post = next(p for p in feed["results"] if p["body"] == BODY)
    assert (post["source"], post["shown_as"], post["family"]) == (
        "staff",
        "Your partner's staff",
        None,
    )


@pytest.mark.parametrize("role", ["admin", "staff", "liaison"])
def test_in_phase_one_nobody_shares(world, api, role):
    response = signed_in(api, getattr(world.a, role)).post(
        SHARES, share_body(world.a), format="json"
    )

    assert response.status_code == 403
    assert "phase I" in response.json()["message"]
    nothing_shared()


def test_in_phase_one_even_a_bad_practice_is_refused_for_the_phase(world, api):
    response = signed_in(api, world.a.staff).post(
        SHARES, share_body(world.a, practice="no-such-thing"), format="json"
    )

    assert response.status_code == 403
    nothing_shared()


@pytest.mark.parametrize("who", ["seed family", "friend family", "funder", "no role"])
def test_families_and_others_do_not_share(world, api, who):
    in_phase_two(world.a.cohort)
    user = {
        "seed family": world.a.seed_member,
        "friend family": world.a.friend_member,
        "funder": world.a.funder,
        "no role": world.outsider,
    }[who]

    response = signed_in(api, user).post(SHARES, share_body(world.a), format="json")

    assert response.status_code == 403
    nothing_shared()


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_another_partners_cohort_is_400_naming_cohort_and_nothing_is_written(world, api, seat):
    in_phase_two(world.a.cohort)

    response = signed_in(api, other_partner_people(world)[seat]).post(
        SHARES, share_body(world.a), format="json"
    )

    assert response.status_code == 400
    assert "cohort" in response.json()["errors"]
    nothing_shared()


def test_a_liaison_shares_only_with_the_cohorts_assigned_to_them(world, api):
    other = in_phase_two(factories.CohortFactory(partner=world.a.partner, name="Unassigned"))

    response = signed_in(api, world.a.liaison).post(
        SHARES, share_body(world.a, cohort=other.pk), format="json"
    )

    assert response.status_code == 400
    assert "cohort" in response.json()["errors"]
    nothing_shared()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cohort": None}, "cohort"),
        ({"cohort": "abc"}, "cohort"),
        ({"practice": ""}, "practice"),
        ({"practice": "no-such-thing"}, "practice"),
        ({"practice": "fishing-cooperative"}, "practice"),  # partner B's own
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 4001}, "body"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_nothing_is_written(world, api, changes, field):
    in_phase_two(world.a.cohort)
    own_practice(world.b, english="Fishing cooperative", spanish="Cooperativa de pesca")

    response = signed_in(api, world.a.staff).post(
        SHARES, share_body(world.a, **changes), format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]
    nothing_shared()


def test_missing_fields_are_each_named(world, api):
    in_phase_two(world.a.cohort)

    response = signed_in(api, world.a.staff).post(SHARES, {}, format="json")

    assert response.status_code == 400
    assert {"cohort", "practice", "body"} <= set(response.json()["errors"])
    nothing_shared()


def test_a_partners_own_practice_may_be_shared_with_its_cohorts(world, api):
    in_phase_two(world.a.cohort)
    own_practice(world.a)

    response = signed_in(api, world.a.staff).post(
        SHARES, share_body(world.a, practice="community-garden"), format="json"
    )

    assert response.status_code == 201
    assert response.json()["practice"]["slug"] == "community-garden"


def test_a_retried_share_with_its_key_is_shared_once(world, api):
    in_phase_two(world.a.cohort)
    client = signed_in(api, world.a.staff)
    headers = {"HTTP_IDEMPOTENCY_KEY": "share-once"}

    first = client.post(SHARES, share_body(world.a), format="json", **headers)
    again = client.post(SHARES, share_body(world.a), format="json", **headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert BestPracticeShare.objects.count() == 1
    assert Post.objects.filter(source=Post.Source.STAFF).count() == 1


# Reading shares --------------------------------------------------------------------------------


def shared(tenant, user=None, cohort=None, body=BODY) -> BestPracticeShare:
    user = user or tenant.staff
    cohort = in_phase_two(cohort or tenant.cohort)
    ensure_default_practices()
    return best_practice_share(
        seat=seat_of(user, tenant),
        cohort=cohort,
        practice=Practice.objects.get(partner=None, slug="savings-circle"),
        body=body,
    )


def test_staff_list_the_shares_of_their_cohorts(world, api):
    share = shared(world.a)
    shared(world.b, body="Partner B's own share")

    response = signed_in(api, world.a.admin).get(SHARES)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == PAGE_KEYS
    assert [s["id"] for s in body["results"]] == [share.pk]
    assert body["results"][0]["author"]["id"] == world.a.staff.pk


def test_a_liaison_lists_the_shares_of_the_cohorts_assigned_to_them(world, api):
    mine = shared(world.a)
    other = factories.CohortFactory(partner=world.a.partner, name="Unassigned")
    shared(world.a, cohort=other, body="Told another cohort")

    results = signed_in(api, world.a.liaison).get(SHARES).json()["results"]

    assert [s["id"] for s in results] == [mine.pk]


def test_staff_filter_the_shares_by_cohort(world, api):
    other = factories.CohortFactory(partner=world.a.partner, name="Second")
    there = shared(world.a, cohort=other, body="Told another cohort")
    shared(world.a)

    results = signed_in(api, world.a.staff).get(SHARES, {"cohort": other.pk}).json()["results"]

    assert [s["id"] for s in results] == [there.pk]


def test_another_partners_cohort_as_a_filter_is_404(world, api):
    response = signed_in(api, world.b.staff).get(SHARES, {"cohort": world.a.cohort.pk})

    assert response.status_code == 404


def test_a_family_lists_its_own_cohorts_shares_without_who_wrote_them(world, api):
    share = shared(world.a)
    shared(world.b, body="Partner B's own share")

    results = signed_in(api, world.a.seed_member).get(SHARES).json()["results"]

    assert [(s["id"], s["author"]) for s in results] == [(share.pk, None)]


def test_signed_in_people_of_nothing_do_not_list_shares(world, api):
    shared(world.a)

    assert signed_in(api, world.outsider).get(SHARES).status_code == 403


def test_the_share_list_takes_as_many_queries_for_many_shares_as_for_few(world, api):
    client = signed_in(api, world.a.staff)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(SHARES, {"page_size": 100}).status_code == 200
        return len(captured)

    for n in range(3):
        shared(world.a, body=f"Share {n}")
    few = queries()
    for n in range(30):
        shared(world.a, user=world.a.liaison, body=f"More {n}")
    assert queries() == few
