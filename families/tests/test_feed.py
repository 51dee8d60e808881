"""Families share updates and wins with their group or their cohort; others react and comment.

Pages: `/family/feed/` (the group), `/family/feed/cohort/`, `/family/posts/<id>/` with its
comments and reactions.
"""

import io
import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import AuditEvent
from families import services
from families.access import FamilySeat
from families.models import Comment, Post, Reaction
from tests import factories

GROUP_FEED = reverse("family_feed_group")
COHORT_FEED = reverse("family_feed_cohort")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def seat_of(tenant, who="seed") -> FamilySeat:
    if who == "seed":
        return FamilySeat(user=tenant.seed_member, family=tenant.seed_family)
    return FamilySeat(user=tenant.friend_member, family=tenant.friend_family)


def post(tenant, body="We opened a savings account!", who="seed", **kwargs) -> Post:
    return services.post_create(seat=seat_of(tenant, who), body=body, **kwargs)


def detail_url(p):
    return reverse("family_post_detail", args=[p.pk])


def comment_url(p):
    return reverse("family_post_comment", args=[p.pk])


def react_url(p):
    return reverse("family_post_react", args=[p.pk])


def signed_in(client, user):
    client.force_login(user)
    return client


def other_group_member(tenant):
    """A family (and its signed-in member) of another group in the same cohort."""
    group = factories.GroupFactory(cohort=tenant.cohort, name="Another group")
    family = factories.FamilyFactory(group=group, name="Other group household", is_seed=True)
    member = factories.HouseholdMemberFactory(family=family, first_name="Oli")
    return member.user


def image_bytes(fmt="PNG", size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format=fmt)
    return buffer.getvalue()


def post_data(**overrides):
    data = {"body": "Our stall sold out today!", "kind": "win", "visibility": "group"}
    data.update(overrides)
    return data


# Posting ---------------------------------------------------------------------------------------


def test_a_family_shares_a_win_with_its_group(world, client):
    signed_in(client, world.a.seed_member)

    response = client.post(GROUP_FEED, post_data())

    assert response.status_code == 302
    assert response["Location"] == GROUP_FEED
    created = Post.objects.get()
    assert created.family == world.a.seed_family
    assert created.author == world.a.seed_member
    assert created.group == world.a.group
    assert (created.kind, created.visibility) == ("win", "group")
    assert AuditEvent.objects.filter(verb="post.create", actor=world.a.seed_member).exists()

    page = signed_in(client, world.a.friend_member).get(GROUP_FEED)
    body = page.content.decode()
    assert "Our stall sold out today!" in body
    assert "Seed household A" in body
    assert "Win" in body
    assert "0 comments" in body


def test_the_text_is_escaped_and_keeps_its_line_breaks(world, client):
    post(world.a, body="First line\nSecond <script>alert(1)</script> line")
    response = signed_in(client, world.a.friend_member).get(GROUP_FEED)
    assert response.status_code == 200
    body = response.content.decode()
    assert "First line<br>Second &lt;script&gt;alert(1)&lt;/script&gt; line" in body
    assert "<script>alert(1)" not in body


def test_an_empty_post_is_refused_naming_the_field(world, client):
    signed_in(client, world.a.seed_member)
    response = client.post(GROUP_FEED, post_data(body="   "))
    assert response.status_code == 400
    assert "body" in response.context["form"].errors
    response = client.post(GROUP_FEED, post_data(visibility="public"))
    assert response.status_code == 400
    assert "visibility" in response.context["form"].errors
    assert not Post.objects.exists()


def test_the_cohort_feed_offers_the_cohort_first(world, client):
    signed_in(client, world.a.seed_member)
    page = client.get(COHORT_FEED)
    assert page.status_code == 200
    assert page.context["form"]["visibility"].value() == "cohort"
    response = client.post(COHORT_FEED, post_data(visibility="cohort"))
    assert response["Location"] == COHORT_FEED
    assert Post.objects.get().visibility == "cohort"


def test_feeds_are_newest_first_and_paginated(world, client):
    start = timezone.now() - timedelta(days=1)
    for n in range(30):
        p = post(world.a, body=f"Post number {n}")
        Post.objects.filter(pk=p.pk).update(created_at=start + timedelta(minutes=n))
    signed_in(client, world.a.friend_member)

    first = client.get(GROUP_FEED)
    posts = list(first.context["page"])
    assert len(posts) == 25
    assert posts[0].body == "Post number 29"
    assert 'rel="next"' in first.content.decode()
    second = client.get(GROUP_FEED, {"page": 2})
    assert [p.body for p in second.context["page"]][-1] == "Post number 0"


# Who sees what ---------------------------------------------------------------------------------


def test_group_posts_stay_in_the_group_and_cohort_posts_reach_the_cohort(world, client):
    group_post = post(world.a, body="Only for our group")
    cohort_post = post(world.a, body="For everyone in the cohort", visibility="cohort")
    outsider_in_cohort = other_group_member(world.a)
    signed_in(client, outsider_in_cohort)

    response = client.get(COHORT_FEED)
    assert response.status_code == 200
    body = response.content.decode()
    assert "For everyone in the cohort" in body
    assert "Only for our group" not in body
    response = client.get(GROUP_FEED)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing shared yet. Be the first!" in body
    assert "Only for our group" not in body
    assert client.get(detail_url(group_post)).status_code == 404
    assert client.get(detail_url(cohort_post)).status_code == 200

    # The group's own families see both in the cohort feed.
    body = signed_in(client, world.a.friend_member).get(COHORT_FEED).content.decode()
    assert "For everyone in the cohort" in body
    assert "Only for our group" in body


def test_another_partners_family_never_sees_the_posts(world, client):
    post(world.a, body="Partner A news", visibility="cohort")
    post(world.b, body="Partner B news", visibility="cohort")
    signed_in(client, world.b.seed_member)
    for feed in [GROUP_FEED, COHORT_FEED]:
        response = client.get(feed)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Partner B news" in body
        assert "Partner A news" not in body


def test_another_partners_family_gets_404_on_a_post(world, client):
    p = post(world.a, visibility="cohort")
    signed_in(client, world.b.seed_member)
    assert client.get(detail_url(p)).status_code == 404
    assert client.post(comment_url(p), {"body": "Hi"}).status_code == 404
    assert client.post(detail_url(p), {"body": "Hi"}).status_code == 404
    assert client.post(react_url(p), {"kind": "cheer"}).status_code == 404
    assert not Comment.objects.exists()
    assert not Reaction.objects.exists()


@pytest.mark.parametrize("role", ["staff", "liaison", "admin", "funder"])
def test_staff_liaisons_and_funders_cannot_read_post_comment_or_react(world, client, role):
    p = post(world.a, visibility="cohort")
    world.a.seed_family.share_posts_with_staff = True
    world.a.seed_family.save()
    signed_in(client, getattr(world.a, role))

    assert client.get(GROUP_FEED).status_code == 404
    assert client.get(COHORT_FEED).status_code == 404
    assert client.post(GROUP_FEED, post_data()).status_code == 404
    assert client.post(COHORT_FEED, post_data(visibility="cohort")).status_code == 404
    assert client.get(detail_url(p)).status_code == 404
    assert client.post(comment_url(p), {"body": "Staff comment"}).status_code == 404
    assert client.post(react_url(p), {"kind": "cheer"}).status_code == 404
    assert Post.objects.count() == 1
    assert not Comment.objects.exists()
    assert not Reaction.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    p = post(world.a)
    for url in (GROUP_FEED, COHORT_FEED, detail_url(p)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# Comments and reactions --------------------------------------------------------------------------


def test_a_family_comments_on_a_post(world, client):
    p = post(world.a)
    signed_in(client, world.a.friend_member)

    response = client.post(comment_url(p), {"body": "Well done!\nSee you Sunday"})

    assert response.status_code == 302
    assert response["Location"] == detail_url(p)
    comment = Comment.objects.get()
    assert (comment.post, comment.family, comment.author) == (
        p,
        world.a.friend_family,
        world.a.friend_member,
    )
    page = client.get(detail_url(p))
    body = page.content.decode()
    assert "Well done!<br>See you Sunday" in body
    assert "1 comment" in body
    assert "Friend household A" in body
    assert "1 comment" in client.get(GROUP_FEED).content.decode()


def test_a_comment_can_be_posted_to_the_post_page_itself(world, client):
    p = post(world.a)
    response = signed_in(client, world.a.friend_member).post(detail_url(p), {"body": "Bravo"})
    assert response.status_code == 302
    assert Comment.objects.get().body == "Bravo"


def test_an_empty_comment_is_refused_naming_the_field(world, client):
    p = post(world.a)
    response = signed_in(client, world.a.friend_member).post(comment_url(p), {"body": " "})
    assert response.status_code == 400
    assert "body" in response.context["form"].errors
    assert not Comment.objects.exists()


def test_a_second_reaction_by_the_same_person_changes_it(world, client):
    p = post(world.a)
    signed_in(client, world.a.friend_member)

    response = client.post(react_url(p), {"kind": "cheer", "next": GROUP_FEED})
    assert response.status_code == 302
    assert response["Location"] == GROUP_FEED
    assert "Cheer (1)" in client.get(GROUP_FEED).content.decode()

    response = client.post(react_url(p), {"kind": "thanks"})
    assert response["Location"] == detail_url(p)
    reaction = Reaction.objects.get()
    assert (reaction.kind, reaction.user) == ("thanks", world.a.friend_member)
    body = client.get(detail_url(p)).content.decode()
    assert "Cheer (0)" in body
    assert "Thanks (1)" in body
    assert 'value="thanks" aria-pressed="true"' in body


def test_reactions_of_several_people_add_up(world, client):
    p = post(world.a)
    signed_in(client, world.a.friend_member).post(react_url(p), {"kind": "support"})
    signed_in(client, world.a.seed_member).post(react_url(p), {"kind": "support"})
    assert "Support (2)" in client.get(detail_url(p)).content.decode()


def test_an_unknown_reaction_is_refused(world, client):
    p = post(world.a)
    signed_in(client, world.a.friend_member)
    response = client.post(react_url(p), {"kind": "dislike"}, HTTP_REFERER=detail_url(p))
    assert response.status_code == 302
    assert not Reaction.objects.exists()
    assert "Choose a reaction from the list." in client.get(detail_url(p)).content.decode()


def test_a_reaction_never_redirects_off_site(world, client):
    p = post(world.a)
    response = signed_in(client, world.a.friend_member).post(
        react_url(p), {"kind": "cheer", "next": "https://evil.example.com/"}
    )
    assert response["Location"] == detail_url(p)


def test_react_and_comment_are_post_only(world, client):
    p = post(world.a)
    signed_in(client, world.a.friend_member)
    assert client.get(react_url(p)).status_code == 405
    assert client.get(comment_url(p)).status_code == 405


# Photos ------------------------------------------------------------------------------------------


def test_a_post_with_a_photo_stores_it(world, client, settings):
    signed_in(client, world.a.seed_member)
    photo = SimpleUploadedFile("garden.jpeg", image_bytes("PNG"), content_type="image/jpeg")

    response = client.post(GROUP_FEED, post_data(photo=photo))

    assert response.status_code == 302
    created = Post.objects.get()
    # Named after what the file really is, not what it was called.
    assert created.photo.name.startswith("posts/")
    assert created.photo.name.endswith(".png")
    assert os.path.exists(os.path.join(settings.MEDIA_ROOT, created.photo.name))
    body = client.get(GROUP_FEED).content.decode()
    assert f'src="{reverse("family_post_photo", args=[created.pk])}"' in body
    assert 'alt="Photo shared by Seed household A"' in body


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
def test_jpeg_and_webp_photos_are_accepted(world, client, fmt):
    photo = SimpleUploadedFile("p", image_bytes(fmt), content_type="application/octet-stream")
    response = signed_in(client, world.a.seed_member).post(GROUP_FEED, post_data(photo=photo))
    assert response.status_code == 302
    assert Post.objects.get().photo


def test_a_text_file_renamed_jpg_is_refused(world, client):
    fake = SimpleUploadedFile("holiday.jpg", b"just some text, not a picture", "image/jpeg")
    response = signed_in(client, world.a.seed_member).post(GROUP_FEED, post_data(photo=fake))
    assert response.status_code == 400
    assert response.context["form"].errors["photo"] == [
        "This file is not a photo we can read. Send a JPEG, PNG or WebP picture."
    ]
    assert not Post.objects.exists()


def test_a_gif_is_refused(world, client):
    gif = SimpleUploadedFile("anim.gif", image_bytes("GIF"), "image/gif")
    response = signed_in(client, world.a.seed_member).post(GROUP_FEED, post_data(photo=gif))
    assert response.status_code == 400
    assert response.context["form"].errors["photo"] == ["Send a JPEG, PNG or WebP picture."]
    assert not Post.objects.exists()


def test_a_photo_above_the_limit_is_refused(world, client, settings):
    assert settings.UPLOAD_MAX_PHOTO_BYTES == 5 * 1024 * 1024
    # Noise does not compress: a real PNG just above 5 MB.
    noise = Image.frombytes("RGB", (1340, 1340), os.urandom(1340 * 1340 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG", compress_level=0)
    assert buffer.tell() > settings.UPLOAD_MAX_PHOTO_BYTES
    big = SimpleUploadedFile("big.png", buffer.getvalue(), "image/png")

    response = signed_in(client, world.a.seed_member).post(GROUP_FEED, post_data(photo=big))

    assert response.status_code == 400
    [error] = response.context["form"].errors["photo"]
    assert error.startswith("This photo is too large")
    assert "5.0\xa0MB at most" in error
    assert not Post.objects.exists()


# Queries -----------------------------------------------------------------------------------------


def _fill_feed(tenant, families: int, posts_each: int = 1):
    for n in range(families):
        family = factories.FamilyFactory(group=tenant.group, name=f"Neighbour {n}")
        author = factories.HouseholdMemberFactory(family=family).user
        seat = FamilySeat(user=author, family=family)
        for m in range(posts_each):
            p = services.post_create(seat=seat, body=f"Post {n}.{m}", visibility="cohort")
            services.comment_create(seat=seat_of(tenant), post=p, body="Nice")
            services.post_react(seat=seat_of(tenant), post=p, kind="cheer")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", [GROUP_FEED, COHORT_FEED])
def test_the_feeds_queries_do_not_grow_with_posts(
    world, client, url, django_assert_max_num_queries
):
    signed_in(client, world.a.friend_member)
    _fill_feed(world.a, 10)
    with django_assert_max_num_queries(8):
        small = _queries(client, url)
    _fill_feed(world.a, 90)
    with django_assert_max_num_queries(8):
        large = _queries(client, url)
    assert small == large


def test_the_post_page_queries_do_not_grow_with_comments(
    world, client, django_assert_max_num_queries
):
    p = post(world.a)
    signed_in(client, world.a.friend_member)
    services.comment_create(seat=seat_of(world.a), post=p, body="First")
    small = _queries(client, detail_url(p))
    for n in range(40):
        services.comment_create(seat=seat_of(world.a, "friend"), post=p, body=f"Comment {n}")
    with django_assert_max_num_queries(11):
        large = _queries(client, detail_url(p))
    assert small == large


def _png_with_location() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (40, 30), (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x010E] = "Taken at home, 37.80N 122.27W"  # description, as phones write places
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_a_posted_photo_loses_its_location_and_is_only_shown_to_those_who_see_the_post(
    world, client
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from families.models import Post

    original = _png_with_location()
    assert b"PhoneMaker" in original
    client.force_login(world.a.seed_member)
    created = client.post(
        reverse("family_feed_group"),
        {
            "body": "Our new stall",
            "kind": "win",
            "visibility": "group",
            "photo": SimpleUploadedFile("stall.jpg", original, content_type="image/jpeg"),
        },
    )
    assert created.status_code == 302
    post = Post.objects.get(body="Our new stall")
    stored = post.photo.read()
    assert Image.open(io.BytesIO(stored)).size == (40, 30)
    assert b"PhoneMaker" not in stored
    assert b"37.80N" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()

    url = reverse("family_post_photo", args=[post.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == stored
    client.force_login(world.a.friend_member)  # same group
    assert client.get(url).status_code == 200
    client.force_login(world.b.seed_member)
    assert client.get(url).status_code == 404
    client.force_login(world.a.staff)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
