"""The families API, part three: the peer feed (posts, comments, reactions) and help between
families."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from families.access import FamilySeat
from families.models import Comment, Family, HelpExchange, Post, Reaction
from families.services import comment_create, help_record, post_create, post_react
from tests import clock, factories
from tests.seats import friend_seat, seed_seat, signed_in

POSTS = "/api/v1/posts/"
HELP = "/api/v1/help-exchanges/"
PAGE_KEYS = {"count", "next", "previous", "results"}
OTHERS = ["admin", "staff", "liaison", "family", "funder", "no role"]


def other_partner_seat(world, seat):
    return {
        "admin": world.b.admin,
        "staff": world.b.staff,
        "liaison": world.b.liaison,
        "family": world.b.seed_member,
        "funder": world.b.funder,
        "no role": world.outsider,
    }[seat]


def a_post(tenant, body="We opened a savings account!", **options) -> Post:
    return post_create(seat=seed_seat(tenant), body=body, **options)


def other_group_member(tenant, **family_options):
    """A family of another group of the same cohort, with a signed-in member."""
    family = factories.FamilyFactory(
        group=factories.GroupFactory(cohort=tenant.cohort, name="Other group"),
        name="Other household",
        **family_options,
    )
    user = factories.UserFactory()
    factories.HouseholdMemberFactory(family=family, user=user)
    return family, user


def comments_url(post) -> str:
    return f"/api/v1/posts/{post.pk}/comments/"


def reactions_url(post) -> str:
    return f"/api/v1/posts/{post.pk}/reactions/"


def confirm_url(exchange) -> str:
    return f"/api/v1/help-exchanges/{exchange.pk}/confirm/"


def help_body(tenant, **changes):
    body = {
        "other_family": tenant.friend_family.pk,
        "direction": "given",
        "kind": "childcare",
        "estimated_value": "20.00",
        "happened_on": clock.on(-2, 1).isoformat(),
        "note": "Looked after the twins",
    }
    body.update(changes)
    return body


def recorded_help(tenant, **changes) -> HelpExchange:
    values = {
        "other_family": tenant.friend_family,
        "direction": "given",
        "kind": "childcare",
        "estimated_value": "20.00",
        "happened_on": clock.month(-2),
    }
    values.update(changes)
    return help_record(seat=seed_seat(tenant), **values)


# Posts -----------------------------------------------------------------------------------------


def test_a_family_posts_a_win_to_its_group(world, api):
    response = signed_in(api, world.a.seed_member).post(
        POSTS, {"body": "Paid off the payday loan!", "kind": "win"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["family"] == {"id": world.a.seed_family.pk, "name": "Seed household A"}
    assert (body["kind"], body["visibility"], body["group"]) == ("win", "group", world.a.group.pk)
    assert body["photo"] is None
    assert body["comment_count"] == 0
    assert body["reactions"] == {"cheer": 0, "thanks": 0, "support": 0}
    assert Post.objects.get().author == world.a.seed_member


def test_the_group_sees_the_post_in_its_feed(world, api):
    a_post(world.a)

    body = signed_in(api, world.a.friend_member).get(POSTS).json()

    assert set(body) == PAGE_KEYS
    assert [p["body"] for p in body["results"]] == ["We opened a savings account!"]


def test_the_cohort_feed_shows_posts_shared_with_the_cohort_but_not_other_groups_posts(world, api):
    a_post(world.a, body="Only for my group")
    a_post(world.a, body="For everyone", visibility="cohort")
    family, other_user = other_group_member(world.a)
    post_create(seat=FamilySeat(user=other_user, family=family), body="In our own group")
    signed_in(api, other_user)

    cohort = api.get(POSTS + "?scope=cohort")
    group = api.get(POSTS + "?scope=group")

    assert cohort.status_code == group.status_code == 200
    assert [p["body"] for p in cohort.json()["results"]] == ["In our own group", "For everyone"]
    assert [p["body"] for p in group.json()["results"]] == ["In our own group"]


def test_an_unknown_feed_scope_is_refused_naming_it(world, api):
    response = signed_in(api, world.a.seed_member).get(POSTS + "?scope=world")

    assert response.status_code == 400
    assert "scope" in response.json()["errors"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({}, "body"),
        ({"body": "Hello", "visibility": "public"}, "visibility"),
        ({"body": "Hello", "kind": "advert"}, "kind"),
        ({"body": "x" * 4001}, "body"),
    ],
)
def test_a_bad_post_is_refused_naming_the_field(world, api, body, field):
    response = signed_in(api, world.a.seed_member).post(POSTS, body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Post.objects.exists()


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_staff_and_liaisons_do_not_post_in_family_feeds(world, api, seat):
    response = signed_in(api, getattr(world.a, seat)).post(
        POSTS, {"body": "A word from the office"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["message"] == "Staff and liaisons do not post in family feeds."
    assert not Post.objects.exists()


@pytest.mark.parametrize("seat", ["funder", "no role"])
def test_funders_and_people_without_a_role_cannot_post_or_read_feeds(world, api, seat):
    signed_in(api, other_partner_seat(world, seat))

    assert api.post(POSTS, {"body": "Hello"}, format="json").status_code == 403
    assert api.get(POSTS).status_code == 403
    assert not Post.objects.exists()


def test_retrying_a_post_with_the_same_idempotency_key_posts_once(world, api):
    signed_in(api, world.a.seed_member)

    first = api.post(POSTS, {"body": "Hello"}, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    again = api.post(POSTS, {"body": "Hello"}, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    other_key = api.post(POSTS, {"body": "Hello"}, format="json", HTTP_IDEMPOTENCY_KEY="p-2")

    assert first.status_code == again.status_code == other_key.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Post.objects.count() == 2


def test_staff_read_only_the_posts_of_families_who_share_them(world, api):
    a_post(world.a, body="Not for the office")
    post_create(seat=friend_seat(world.a), body="Staff may read this")
    Family.objects.filter(pk=world.a.friend_family.pk).update(share_posts_with_staff=True)

    for user in [world.a.staff, world.a.liaison]:
        body = signed_in(api, user).get(f"{POSTS}?cohort={world.a.cohort.pk}").json()
        assert [p["body"] for p in body["results"]] == ["Staff may read this"]


def test_staff_read_feeds_one_cohort_at_a_time(world, api):
    signed_in(api, world.a.staff)

    missing = api.get(POSTS)
    other_partner = api.get(f"{POSTS}?cohort={world.b.cohort.pk}")

    assert missing.status_code == 400
    assert "cohort" in missing.json()["errors"]
    assert other_partner.status_code == 404


def test_a_liaison_does_not_read_the_feed_of_a_cohort_not_theirs(world, api):
    other = factories.CohortFactory(partner=world.a.partner)

    assert signed_in(api, world.a.liaison).get(f"{POSTS}?cohort={other.pk}").status_code == 404


def test_another_partners_families_never_see_the_post(world, api):
    a_post(world.a, body="Partner A news", visibility="cohort")
    a_post(world.b, body="Partner B news", visibility="cohort")

    for scope in ["group", "cohort"]:
        response = signed_in(api, world.b.seed_member).get(f"{POSTS}?scope={scope}")
        assert response.status_code == 200
        assert [p["body"] for p in response.json()["results"]] == ["Partner B news"]


def test_the_feed_queries_do_not_grow_with_the_posts(world, api, django_assert_max_num_queries):
    def add(count):
        for n in range(count):
            post = a_post(world.a, body=f"Post {n}")
            comment_create(seat=friend_seat(world.a), post=post, body="Well done")
            post_react(seat=friend_seat(world.a), post=post, kind="thanks")

    signed_in(api, world.a.friend_member)
    add(10)
    with CaptureQueriesContext(connection) as few:
        response = api.get(POSTS + "?page_size=100")
    assert response.status_code == 200
    assert response.json()["count"] == 10
    add(90)

    with django_assert_max_num_queries(len(few)):
        response = api.get(POSTS + "?page_size=100")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 100
    assert body["results"][0]["comment_count"] == 1
    assert body["results"][0]["reactions"] == {"cheer": 0, "thanks": 1, "support": 0}


def test_the_feed_pages(world, api):
    for n in range(3):
        a_post(world.a, body=f"Post {n}")

    first = signed_in(api, world.a.seed_member).get(POSTS + "?page_size=2")
    assert first.status_code == 200
    body = first.json()
    following = api.get(body["next"])
    assert following.status_code == 200
    second = following.json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["previous"] is None
    assert len(second["results"]) == 1
    assert second["next"] is None


# Comments ----------------------------------------------------------------------------------------


def test_a_family_comments_on_a_post_of_its_group(world, api):
    post = a_post(world.a)
    signed_in(api, world.a.friend_member)

    created = api.post(comments_url(post), {"body": "So proud of you"}, format="json")
    listed = api.get(comments_url(post))

    assert created.status_code == 201
    assert created.json()["family"] == {
        "id": world.a.friend_family.pk,
        "name": "Friend household A",
    }
    assert listed.status_code == 200
    assert set(listed.json()) == PAGE_KEYS
    assert [c["body"] for c in listed.json()["results"]] == ["So proud of you"]


def test_an_empty_comment_is_refused_naming_the_field(world, api):
    post = a_post(world.a)

    response = signed_in(api, world.a.friend_member).post(
        comments_url(post), {"body": ""}, format="json"
    )

    assert response.status_code == 400
    assert "body" in response.json()["errors"]
    assert not Comment.objects.exists()


def test_retrying_a_comment_with_the_same_idempotency_key_comments_once(world, api):
    post = a_post(world.a)
    signed_in(api, world.a.friend_member)

    for _ in range(2):
        response = api.post(
            comments_url(post), {"body": "Bravo"}, format="json", HTTP_IDEMPOTENCY_KEY="c-1"
        )
        assert response.status_code == 201

    assert Comment.objects.count() == 1


def test_a_family_of_another_group_gets_404_for_a_group_post(world, api):
    post = a_post(world.a)
    _family, other_user = other_group_member(world.a)
    signed_in(api, other_user)

    assert api.get(comments_url(post)).status_code == 404
    assert api.post(comments_url(post), {"body": "Hi"}, format="json").status_code == 404
    assert api.post(reactions_url(post), {"kind": "cheer"}, format="json").status_code == 404
    assert not Comment.objects.exists()


def test_staff_read_comments_only_when_the_family_shares_its_posts(world, api):
    post = a_post(world.a)
    comment_create(seat=friend_seat(world.a), post=post, body="Bravo")
    signed_in(api, world.a.staff)

    refused = api.get(comments_url(post))
    Family.objects.filter(pk=world.a.seed_family.pk).update(share_posts_with_staff=True)
    allowed = api.get(comments_url(post))

    assert refused.status_code == 403
    assert allowed.status_code == 200
    assert [c["body"] for c in allowed.json()["results"]] == ["Bravo"]


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_staff_neither_comment_nor_react(world, api, seat):
    post = a_post(world.a)
    Family.objects.filter(pk=world.a.seed_family.pk).update(share_posts_with_staff=True)
    signed_in(api, getattr(world.a, seat))

    comment = api.post(comments_url(post), {"body": "Nice"}, format="json")
    reaction = api.post(reactions_url(post), {"kind": "cheer"}, format="json")

    assert comment.status_code == reaction.status_code == 403
    assert not Comment.objects.exists()
    assert not Reaction.objects.exists()


@pytest.mark.parametrize("seat", OTHERS)
def test_another_partners_people_get_404_for_a_post(world, api, seat):
    post = a_post(world.a, visibility="cohort")
    Family.objects.filter(pk=world.a.seed_family.pk).update(share_posts_with_staff=True)
    signed_in(api, other_partner_seat(world, seat))

    assert api.get(comments_url(post)).status_code == 404
    assert api.post(comments_url(post), {"body": "Hi"}, format="json").status_code == 404
    assert api.post(reactions_url(post), {"kind": "cheer"}, format="json").status_code == 404
    assert not Comment.objects.exists()
    assert not Reaction.objects.exists()


# Reactions ---------------------------------------------------------------------------------------


def test_a_family_reacts_and_a_new_reaction_replaces_the_old(world, api):
    post = a_post(world.a)
    signed_in(api, world.a.friend_member)

    first = api.post(reactions_url(post), {"kind": "cheer"}, format="json")
    second = api.post(reactions_url(post), {"kind": "thanks"}, format="json")
    feed = api.get(POSTS).json()

    assert first.status_code == second.status_code == 201
    assert second.json()["kind"] == "thanks"
    assert Reaction.objects.count() == 1
    assert feed["results"][0]["reactions"] == {"cheer": 0, "thanks": 1, "support": 0}


def test_an_unknown_reaction_is_refused_naming_the_field(world, api):
    post = a_post(world.a)

    response = signed_in(api, world.a.friend_member).post(
        reactions_url(post), {"kind": "angry"}, format="json"
    )

    assert response.status_code == 400
    assert "kind" in response.json()["errors"]
    assert not Reaction.objects.exists()


# Help between families -----------------------------------------------------------------------


def test_a_family_records_help_it_gave_with_money_as_a_decimal_string(world, api):
    response = signed_in(api, world.a.seed_member).post(HELP, help_body(world.a), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["estimated_value"] == "20.00"
    assert body["currency"] == "USD"
    assert body["direction"] == "given"
    assert body["other_family"] == {"id": world.a.friend_family.pk, "name": "Friend household A"}
    assert body["recorded_by_us"] is True
    assert body["can_confirm"] is False
    exchange = HelpExchange.objects.get()
    assert (exchange.giver, exchange.receiver) == (world.a.seed_family, world.a.friend_family)
    assert str(exchange.estimated_value) == "20.00"


def test_money_is_shown_in_the_partners_own_currency(world, api):
    response = signed_in(api, world.b.seed_member).post(
        HELP, help_body(world.b, estimated_value="1250.5", direction="received"), format="json"
    )

    assert response.status_code == 201
    assert (response.json()["estimated_value"], response.json()["currency"]) == ("1250.50", "LRD")
    assert HelpExchange.objects.get().giver == world.b.friend_family


def test_both_families_see_the_help_from_their_own_side(world, api):
    recorded_help(world.a)

    ours = signed_in(api, world.a.seed_member).get(HELP).json()
    theirs = signed_in(api, world.a.friend_member).get(HELP).json()

    assert set(ours) == PAGE_KEYS
    assert ours["results"][0]["direction"] == "given"
    assert theirs["results"][0]["direction"] == "received"
    assert theirs["results"][0]["can_confirm"] is True
    assert theirs["results"][0]["other_family"]["id"] == world.a.seed_family.pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"estimated_value": "-5"}, "estimated_value"),
        ({"estimated_value": "twenty"}, "estimated_value"),
        ({"estimated_value": "5000000000"}, "estimated_value"),
        ({"estimated_value": "1.234"}, "estimated_value"),
        ({"direction": "both"}, "direction"),
        ({"kind": "hugs"}, "kind"),
        ({"happened_on": "yesterday"}, "happened_on"),
        ({"happened_on": "2999-01-01"}, "happened_on"),
        ({"other_family": None}, "other_family"),
        ({"note": "x" * 301}, "note"),
    ],
)
def test_bad_help_is_refused_naming_the_field(world, api, change, field):
    response = signed_in(api, world.a.seed_member).post(
        HELP, help_body(world.a, **change), format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not HelpExchange.objects.exists()


def test_help_with_a_family_one_may_not_know_is_refused(world, api):
    unlisted, _user = other_group_member(world.a)
    signed_in(api, world.a.seed_member)

    for other in [unlisted, world.b.seed_family, world.a.seed_family]:
        response = api.post(HELP, help_body(world.a, other_family=other.pk), format="json")
        assert response.status_code == 400
        assert "other_family" in response.json()["errors"]
    assert not HelpExchange.objects.exists()


def test_help_with_a_family_listed_in_the_directory_makes_a_bridging_tie(world, api):
    listed, _user = other_group_member(world.a, in_cohort_directory=True)

    response = signed_in(api, world.a.seed_member).post(
        HELP, help_body(world.a, other_family=listed.pk), format="json"
    )

    assert response.status_code == 201
    assert listed.pk in {
        t.family_high_id for t in world.a.cohort.ties.filter(kind="bridging", reason="helped")
    } | {t.family_low_id for t in world.a.cohort.ties.filter(kind="bridging", reason="helped")}


def test_retrying_help_with_the_same_idempotency_key_records_it_once(world, api):
    signed_in(api, world.a.seed_member)

    for _ in range(2):
        response = api.post(HELP, help_body(world.a), format="json", HTTP_IDEMPOTENCY_KEY="h-1")
        assert response.status_code == 201

    assert HelpExchange.objects.count() == 1


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison", "funder"])
def test_only_families_record_and_list_help(world, api, seat):
    signed_in(api, getattr(world.a, seat))

    assert api.get(HELP).status_code == 403
    assert api.post(HELP, help_body(world.a), format="json").status_code == 403
    assert not HelpExchange.objects.exists()


def test_the_other_family_confirms_the_help(world, api):
    exchange = recorded_help(world.a)

    response = signed_in(api, world.a.friend_member).post(confirm_url(exchange))
    again = api.post(confirm_url(exchange))

    assert response.status_code == 200
    assert response.json()["confirmed_at"] is not None
    assert response.json()["can_confirm"] is False
    assert again.status_code == 409
    assert HelpExchange.objects.get().confirmed_at is not None


def test_the_family_that_recorded_help_cannot_confirm_it(world, api):
    exchange = recorded_help(world.a)

    response = signed_in(api, world.a.seed_member).post(confirm_url(exchange))

    assert response.status_code == 403
    assert HelpExchange.objects.get().confirmed_at is None


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_staff_do_not_confirm_help_between_families(world, api, seat):
    exchange = recorded_help(world.a)

    response = signed_in(api, getattr(world.a, seat)).post(confirm_url(exchange))

    assert response.status_code == 403
    assert HelpExchange.objects.get().confirmed_at is None


@pytest.mark.parametrize("seat", OTHERS)
def test_another_partners_people_get_404_for_a_help_exchange(world, api, seat):
    exchange = recorded_help(world.a)

    response = signed_in(api, other_partner_seat(world, seat)).post(confirm_url(exchange))

    assert response.status_code == 404
    assert HelpExchange.objects.get().confirmed_at is None


def test_a_family_not_part_of_the_help_gets_404(world, api):
    exchange = recorded_help(world.a)
    _family, other_user = other_group_member(world.a, in_cohort_directory=True)

    response = signed_in(api, other_user).post(confirm_url(exchange))

    assert response.status_code == 404


def test_the_help_list_pages_and_its_queries_do_not_grow(world, api, django_assert_max_num_queries):
    def add(count):
        for n in range(count):
            recorded_help(
                world.a, happened_on=timezone.localdate() - datetime.timedelta(days=n % 300)
            )

    signed_in(api, world.a.friend_member)
    add(10)
    with CaptureQueriesContext(connection) as few:
        response = api.get(HELP + "?page_size=100")
    assert response.status_code == 200
    assert response.json()["count"] == 10
    add(90)

    with django_assert_max_num_queries(len(few)):
        response = api.get(HELP + "?page_size=100")

    assert response.status_code == 200
    assert response.json()["count"] == 100
    assert {r["currency"] for r in response.json()["results"]} == {"USD"}
