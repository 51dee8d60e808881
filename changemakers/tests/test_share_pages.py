"""The share page: in phase II liaisons and staff tell a cohort what other families did (never
advice), and it lands in the cohort's feed marked as coming from staff. In phase I it is refused
to everyone, in the words of the policy."""

import pytest
from django.urls import reverse

from accounts import policy
from changemakers.models import BestPracticeShare
from families.access import FamilySeat
from families.models import Post
from families.selectors import cohort_feed
from surveys.models import ActionReport, Practice
from surveys.services import ensure_default_practices
from tests import clock
from tests.factories import CohortFactory, FamilyFactory, GroupFactory

SEATS = ["admin", "staff", "liaison"]


def share_url(tenant, cohort=None, **query):
    path = reverse(
        "practice_share",
        kwargs={"partner_slug": tenant.partner.slug, "cohort_id": (cohort or tenant.cohort).pk},
    )
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def phase_one_words(world) -> str:
    seat = policy.access_partner(world.a.staff, world.a.partner.slug)
    return policy.phase_refusal(seat, world.a.cohort, "practice.share")


@pytest.fixture
def circle(db) -> Practice:
    ensure_default_practices()
    return Practice.objects.get(partner=None, slug="savings-circle")


@pytest.fixture
def phase_two(world):
    world.a.cohort.phase = 2
    world.a.cohort.save()
    return world.a.cohort


def report(family, practice, *, words="", shared=False, period=clock.month(-3)):
    return ActionReport.objects.create(
        partner=family.partner,
        cohort=family.cohort,
        family=family,
        practice=practice,
        period=period,
        description=words,
        share_across_partners=shared,
    )


def share(client, tenant, practice, body="Four families pooled 10 dollars a week.", **extra):
    data = {"practice": practice.slug, "body": body, "confirm": "on", **extra}
    return client.post(share_url(tenant), data)


# Phase I: nobody shares -------------------------------------------------------------------------


@pytest.mark.parametrize("seat", SEATS)
def test_in_phase_one_the_share_page_is_refused_to_everyone_in_plain_words(
    world, client, seat, circle
):
    client.force_login(getattr(world.a, seat))
    response = client.get(share_url(world.a))
    assert response.status_code == 403
    assert phase_one_words(world) in response.content.decode()
    assert "This cohort is in phase I" in phase_one_words(world)
    response = share(client, world.a, circle)
    assert response.status_code == 403
    assert phase_one_words(world) in response.content.decode()
    assert not BestPracticeShare.objects.exists()
    assert not Post.objects.filter(source=Post.Source.STAFF).exists()


def test_the_cohort_page_links_to_sharing_only_in_phase_two(world, client):
    client.force_login(world.a.staff)
    cohort_page = reverse(
        "cohort_detail",
        kwargs={"partner_slug": world.a.partner.slug, "cohort_id": world.a.cohort.pk},
    )
    response = client.get(cohort_page)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Phase and readiness" in body
    assert "Peer consultants" in body
    assert "Share what families did" not in body
    world.a.cohort.phase = 2
    world.a.cohort.save()
    body = client.get(cohort_page).content.decode()
    assert "Share what families did" in body
    assert share_url(world.a) in body


# Phase II: liaisons and staff share -------------------------------------------------------------


@pytest.mark.parametrize("seat", SEATS)
def test_in_phase_two_everyone_of_the_cohort_may_share(world, client, seat, circle, phase_two):
    client.force_login(getattr(world.a, seat))
    response = client.get(share_url(world.a))
    assert response.status_code == 200
    assert "Joined or started a savings circle" in response.content.decode()
    response = share(client, world.a, circle)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "cohort_detail",
        kwargs={"partner_slug": world.a.partner.slug, "cohort_id": world.a.cohort.pk},
    )
    share_row = BestPracticeShare.objects.get()
    assert share_row.author == getattr(world.a, seat)
    assert share_row.practice == circle


def test_the_share_reaches_the_cohort_feed_marked_as_from_staff(world, client, circle, phase_two):
    client.force_login(world.a.liaison)
    response = client.post(
        share_url(world.a),
        {"practice": circle.slug, "body": "Four families pooled savings.", "confirm": "on"},
        follow=True,
    )
    assert "it is in their feed" in response.content.decode()
    feed = list(cohort_feed(FamilySeat(user=world.a.seed_member, family=world.a.seed_family)))
    assert feed[0].body == "Four families pooled savings."
    assert feed[0].source == "staff"
    assert feed[0].kind == Post.Kind.PRACTICE
    assert feed[0].shown_as == "Your partner's staff"
    # And the share page lists it among the earlier shares.
    body = client.get(share_url(world.a)).content.decode()
    shared = body[body.index('id="shares-heading"') :]
    assert "Four families pooled savings." in shared


def test_choosing_a_practice_shows_the_box_for_what_families_did(world, client, circle, phase_two):
    client.force_login(world.a.staff)
    first = client.get(share_url(world.a))
    assert first.status_code == 200
    body = first.content.decode()
    assert "Joined or started a savings circle" in body
    assert 'name="body"' not in body  # first choose a practice
    response = client.get(share_url(world.a, practice=circle.slug))
    body = response.content.decode()
    assert response.status_code == 200
    assert "What families did" in body
    assert 'name="body"' in body
    assert "advice" not in body.lower()
    assert not [name for name in response.context["share_form"].fields if "advice" in name]


def test_an_unknown_practice_is_a_400(world, client, phase_two):
    client.force_login(world.a.staff)
    response = client.get(share_url(world.a, practice="no-such-practice"))
    assert response.status_code == 400
    assert "Choose a practice from the catalogue." in response.content.decode()
    data = {"practice": "no-such-practice", "body": "Families pooled savings.", "confirm": "on"}
    response = client.post(share_url(world.a), data)
    assert response.status_code == 400
    assert "Choose a practice from the catalogue." in response.content.decode()
    assert not BestPracticeShare.objects.exists()


def test_another_partners_own_practice_cannot_be_shared(world, client, phase_two):
    theirs = Practice.objects.create(partner=world.b.partner, slug="b-only", names={"en": "B's"})
    client.force_login(world.a.staff)
    response = share(client, world.a, theirs)
    assert response.status_code == 400
    assert not BestPracticeShare.objects.exists()


def test_an_empty_share_is_a_400_naming_the_field_and_writes_nothing(
    world, client, circle, phase_two
):
    client.force_login(world.a.staff)
    response = share(client, world.a, circle, body="   ")
    assert response.status_code == 400
    assert response.context["share_form"].errors["body"] == ["Write what families did."]
    assert not BestPracticeShare.objects.exists()
    assert not Post.objects.filter(source=Post.Source.STAFF).exists()


def test_a_share_asks_for_a_confirmation_first(world, client, circle, phase_two):
    client.force_login(world.a.staff)
    data = {"practice": circle.slug, "body": "Families pooled savings."}
    response = client.post(share_url(world.a), data)
    assert response.status_code == 400
    assert "Tick the box to confirm that you share this." in response.content.decode()
    assert not BestPracticeShare.objects.exists()


def test_a_liaison_of_another_cohort_gets_404(world, client, circle):
    other = CohortFactory(partner=world.a.partner, name="Hillside", phase=2)
    client.force_login(world.a.liaison)
    assert client.get(share_url(world.a, other)).status_code == 404
    data = {"practice": circle.slug, "body": "x", "confirm": "on"}
    assert client.post(share_url(world.a, other), data).status_code == 404
    assert not BestPracticeShare.objects.exists()


@pytest.mark.parametrize("seat", SEATS)
def test_another_partners_people_get_404(world, client, seat, circle, phase_two):
    client.force_login(getattr(world.b, seat))
    assert client.get(share_url(world.a)).status_code == 404
    assert share(client, world.a, circle).status_code == 404
    assert not BestPracticeShare.objects.exists()


# What families elsewhere did: counts and their own words, never their names ---------------------


def test_the_context_counts_and_quotes_families_without_their_names(
    world, client, circle, phase_two
):
    hillside = CohortFactory(partner=world.a.partner, name="Hillside", region="Hill district")
    neighbour = FamilyFactory(group=GroupFactory(cohort=hillside), name="Hillside household")
    report(neighbour, circle, words="We meet on Sundays and each puts in ten dollars.")
    report(world.a.friend_family, circle, words="Our own cohort's words.")  # this cohort: not here
    report(world.b.seed_family, circle, words="Words of a Liberian family.", shared=False)
    report(world.b.friend_family, circle, words="", shared=True)  # counted, nothing to quote

    client.force_login(world.a.staff)
    response = client.get(share_url(world.a, practice=circle.slug))
    assert response.status_code == 200
    body = response.content.decode()
    context = response.context["practice_context"]
    assert context["families_in_partner"] == 1
    # Only the Liberian family that allowed it is counted.
    assert context["families_by_country"] == [("LR", 1)]
    assert "1 family in your other cohorts reported it." in body
    assert "LR, other organizations: 1 family reported it." in body
    assert "We meet on Sundays and each puts in ten dollars." in body
    assert "Hill district" in body
    assert "Hillside household" not in body
    assert "Our own cohort's words." not in body
    # Another partner's report is quoted only with the family's leave; its name never shows.
    assert "Words of a Liberian family." not in body
    assert "Seed household B" not in body


def test_another_partners_words_appear_when_the_family_allowed_it(world, client, circle, phase_two):
    report(world.b.seed_family, circle, words="Words of a Liberian family.", shared=True)
    client.force_login(world.a.liaison)
    response = client.get(share_url(world.a, practice=circle.slug))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Words of a Liberian family." in body
    examples = body[body.index("In families' own words") :]
    assert "LR" in examples  # the country, not the partner or the family
    assert "Seed household B" not in body
    assert "Partner B" not in body
    assert "Cohort B" not in body
