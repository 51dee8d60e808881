"""Posts that do not come from a family of the cohort: what the partner's staff share in phase II
(what other families did) and what peer consultants post. Both go to the whole cohort, have no
group, and staff posts have no family: the feeds, the post page, reactions and comments work for
them, each marked with where it comes from.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import policy
from families import selectors, services
from families.access import FamilySeat
from families.models import Comment, Post, Reaction
from mutuality.errors import NotAllowed
from tests import clock, factories

COHORT_FEED = reverse("family_feed_cohort")
GROUP_FEED = reverse("family_feed_group")
STAFF_BADGE = "From your partner's staff: what other families did"
SHARE = "Three families of Riverside pooled their savings to buy a freezer together."


def signed_in(client, user):
    client.force_login(user)
    return client


def staff_seat(tenant, role="staff") -> policy.Seat:
    return policy.access_partner(getattr(tenant, role), tenant.partner.slug)


def phase_two(tenant):
    tenant.cohort.phase = 2
    tenant.cohort.save(update_fields=["phase"])
    return tenant.cohort


def staff_share(tenant, body=SHARE, role="staff") -> Post:
    return services.post_practice_share(
        seat=staff_seat(tenant, role), cohort=phase_two(tenant), body=body
    )


def peer_post(world, body="We started a savings circle.") -> Post:
    """A family of an earlier cohort of partner A consults world.a's cohort and posts in it."""
    earlier = factories.CohortFactory(
        partner=world.a.partner, name="Earlier", started_on=clock.month(-23)
    )
    group = factories.GroupFactory(cohort=earlier, name="Earlier group")
    family = factories.FamilyFactory(group=group, name="Veteran household", is_seed=True)
    member = factories.HouseholdMemberFactory(family=family, first_name="Vera").user
    seat = FamilySeat(user=member, family=family)
    consultancy = services.peer_invite(
        seat=staff_seat(world.a), family=family, cohort=world.a.cohort
    )
    services.peer_answer(seat=seat, consultancy=consultancy, accept=True)
    return services.peer_post_create(seat=seat, consultancy=consultancy, body=body)


def detail_url(post) -> str:
    return reverse("family_post_detail", args=[post.pk])


# Staff shares ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "liaison"])
def test_a_staff_share_shows_in_the_cohort_feed_with_the_staff_badge(world, client, role):
    post = staff_share(world.a, role=role)
    assert post.family is None and post.group is None

    response = signed_in(client, world.a.friend_member).get(COHORT_FEED)

    assert response.status_code == 200
    body = response.content.decode()
    assert SHARE in body
    assert STAFF_BADGE in body
    assert "Your partner&#x27;s staff" in body
    assert "What other families did" in body
    # No staff member's name: the share comes from the partner, not from a person.
    assert getattr(world.a, role).display_name not in body


def test_a_staff_share_is_not_in_the_group_feed(world, client):
    staff_share(world.a)
    response = signed_in(client, world.a.seed_member).get(GROUP_FEED)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing shared yet. Be the first!" in body
    assert SHARE not in body


def test_families_react_to_and_comment_on_a_staff_share(world, client):
    post = staff_share(world.a)
    signed_in(client, world.a.seed_member)

    detail = client.get(detail_url(post))
    assert detail.status_code == 200
    assert STAFF_BADGE in detail.content.decode()
    reacted = client.post(
        reverse("family_post_react", args=[post.pk]), {"kind": "cheer", "next": COHORT_FEED}
    )
    assert reacted.status_code == 302
    assert reacted["Location"] == COHORT_FEED
    commented = client.post(
        reverse("family_post_comment", args=[post.pk]), {"body": "Where did they buy it?"}
    )
    assert commented.status_code == 302

    assert Reaction.objects.get(post=post).family == world.a.seed_family
    assert Comment.objects.get(post=post).body == "Where did they buy it?"
    feed = client.get(COHORT_FEED).content.decode()
    assert "Cheer (1)" in feed
    assert "1 comment" in feed
    body = client.get(detail_url(post)).content.decode()
    assert "Where did they buy it?" in body
    assert "Seed household A" in body


def test_an_empty_comment_on_a_staff_share_is_refused_naming_the_field(world, client):
    post = staff_share(world.a)
    response = signed_in(client, world.a.seed_member).post(
        reverse("family_post_comment", args=[post.pk]), {"body": "  "}
    )
    assert response.status_code == 400
    assert 'id="id_body_error"' in response.content.decode()
    assert not Comment.objects.exists()


def test_a_staff_share_has_no_photo_link(world, client):
    post = staff_share(world.a)
    signed_in(client, world.a.seed_member)
    response = client.get(COHORT_FEED)
    assert response.status_code == 200
    assert SHARE in response.content.decode()
    assert reverse("family_post_photo", args=[post.pk]) not in response.content.decode()
    assert client.get(reverse("family_post_photo", args=[post.pk])).status_code == 404


def test_staff_cannot_share_in_phase_one(world):
    with pytest.raises(NotAllowed):
        services.post_practice_share(seat=staff_seat(world.a), cohort=world.a.cohort, body=SHARE)
    assert not Post.objects.exists()


def test_other_cohorts_and_partners_do_not_see_a_staff_share(world, client):
    post = staff_share(world.a)
    other_cohort = factories.CohortFactory(partner=world.a.partner, name="Elsewhere")
    group = factories.GroupFactory(cohort=other_cohort)
    family = factories.FamilyFactory(group=group, is_seed=True)
    elsewhere = factories.HouseholdMemberFactory(family=family).user
    for user in [elsewhere, world.b.seed_member]:
        signed_in(client, user)
        response = client.get(COHORT_FEED)
        assert response.status_code == 200
        assert "Nothing shared yet. Be the first!" in response.content.decode()
        assert SHARE not in response.content.decode()
        assert client.get(detail_url(post)).status_code == 404
        assert (
            client.post(reverse("family_post_react", args=[post.pk]), {"kind": "cheer"}).status_code
            == 404
        )
        assert (
            client.post(reverse("family_post_comment", args=[post.pk]), {"body": "Hi"}).status_code
            == 404
        )
    assert not Reaction.objects.exists()
    assert not Comment.objects.exists()


def test_a_family_without_a_group_sees_no_staff_or_peer_posts_in_its_group_feed(world, client):
    staff_share(world.a)
    peer_post(world, body="A peer's words")
    family = factories.FamilyFactory(
        group=None, cohort=world.a.cohort, partner=world.a.partner, name="Newcomers"
    )
    member = factories.HouseholdMemberFactory(family=family).user

    response = signed_in(client, member).get(GROUP_FEED)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing shared yet. Be the first!" in body
    assert SHARE not in body
    assert "A peer&#x27;s words" not in body
    assert not selectors.group_feed(FamilySeat(user=member, family=family)).exists()


# Peer posts --------------------------------------------------------------------------------------


def test_a_peer_post_shows_in_the_cohort_feed_with_the_peer_badge(world, client):
    peer_post(world)
    response = signed_in(client, world.a.seed_member).get(COHORT_FEED)
    assert response.status_code == 200
    body = response.content.decode()
    assert "We started a savings circle." in body
    assert "Peer consultant" in body
    assert "Veteran household, peer consultant" in body
    assert STAFF_BADGE not in body


def test_the_feed_mixes_every_source_newest_first(world, client):
    mine = services.post_create(
        seat=FamilySeat(user=world.a.seed_member, family=world.a.seed_family),
        body="Our own news",
        visibility="cohort",
    )
    peer = peer_post(world)
    share = staff_share(world.a)
    response = signed_in(client, world.a.friend_member).get(COHORT_FEED)
    assert [p.pk for p in response.context["page"]] == [share.pk, peer.pk, mine.pk]
    assert [p.source for p in response.context["page"]] == ["staff", "peer", "family"]


# Lists stay fast -------------------------------------------------------------------------------


def _shares(tenant, count):
    Post.objects.bulk_create(
        Post(
            partner=tenant.partner,
            cohort=tenant.cohort,
            source=Post.Source.STAFF,
            kind=Post.Kind.PRACTICE,
            visibility=Post.Visibility.COHORT,
            body=f"Share {n}",
        )
        for n in range(count)
    )


def test_the_cohort_feed_queries_do_not_grow_with_staff_shares(world, client):
    phase_two(world.a)
    peer_post(world)
    signed_in(client, world.a.seed_member)
    _shares(world.a, 10)
    with CaptureQueriesContext(connection) as few:
        assert client.get(COHORT_FEED).status_code == 200
    _shares(world.a, 90)
    with CaptureQueriesContext(connection) as many:
        response = client.get(COHORT_FEED)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25
    assert len(many) == len(few)
