"""Families tell their stories, with photos, and choose who may read them.

Pages: `/family/stories/`, `/family/stories/new/`, `/family/stories/<id>/` (with the form to
change who reads it, for the story's own family) and `/family/stories/<id>/photo/?n=0`.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from accounts.models import AuditEvent
from families.access import FamilySeat
from surveys import services
from surveys.models import Story, StoryPhoto
from tests import factories

LIST = reverse("story_list")
NEW = reverse("story_new")


def detail_url(story) -> str:
    return reverse("story_detail", kwargs={"story_id": story.pk})


def photo_url(story, n=0) -> str:
    return f"{reverse('story_photo', kwargs={'story_id': story.pk})}?n={n}"


def seat_of(tenant) -> FamilySeat:
    return FamilySeat(user=tenant.seed_member, family=tenant.seed_family)


def story(tenant, visibility="group", title="How we saved", **kwargs) -> Story:
    return services.story_create(
        seat=seat_of(tenant),
        title=title,
        body="Ten dollars a week,\nevery week.",
        visibility=visibility,
        public_consent=visibility == "public",
        **kwargs,
    )


def member_of_new_family(group, name):
    family = factories.FamilyFactory(group=group, name=name, is_seed=True)
    return factories.HouseholdMemberFactory(family=family, first_name="Oli").user


def other_group_member(tenant):
    """A family of another group in the same cohort."""
    group = factories.GroupFactory(cohort=tenant.cohort, name="Another group")
    return member_of_new_family(group, "Other group household")


def other_cohort_member(tenant):
    """A family of the same partner, in another cohort."""
    cohort = factories.CohortFactory(partner=tenant.partner, name="Another cohort")
    group = factories.GroupFactory(cohort=cohort, name="Far group")
    return member_of_new_family(group, "Other cohort household")


def image_file(name="photo.png", fmt="PNG", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def story_data(**overrides):
    data = {
        "title": "Our savings circle",
        "body": "Five of us save together.",
        "visibility": "group",
    }
    data.update(overrides)
    return data


def signed_in(client, user):
    client.force_login(user)
    return client


def body_of(response, status=200) -> str:
    """The page's text, once it is known to have rendered with `status`."""
    assert response.status_code == status
    return response.content.decode()


# Telling a story -------------------------------------------------------------------------------


def test_a_family_tells_a_story_with_photos(world, client):
    signed_in(client, world.a.seed_member)

    response = client.post(
        NEW,
        story_data(photo_1=image_file(), photo_3=image_file("p.jpg", "JPEG")),
    )

    created = Story.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(created)
    assert (created.family, created.author) == (world.a.seed_family, world.a.seed_member)
    assert created.visibility == "group"
    assert created.public_consent_at is None
    assert StoryPhoto.objects.filter(story=created).count() == 2
    assert AuditEvent.objects.filter(verb="story.create", actor=world.a.seed_member).exists()

    page = client.get(detail_url(created))
    body = body_of(page)
    assert "Our savings circle" in body
    assert photo_url(created, 0) in body and photo_url(created, 1) in body
    assert 'alt="Photo 1 of the story' in body

    photo = client.get(photo_url(created, 1))
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert photo["Cache-Control"].startswith("private")
    assert b"".join(photo.streaming_content)[:2] == b"\xff\xd8"


def test_the_story_form_asks_for_title_text_photos_and_who_may_read(world, client):
    response = signed_in(client, world.a.seed_member).get(NEW)
    body = body_of(response)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in body
    for name in ("title", "body", "photo_1", "photo_2", "photo_3", "photo_4", "public_consent"):
        assert f'name="{name}"' in body
    assert 'accept="image/jpeg,image/png,image/webp"' in body
    for value in ("group", "cohort", "partner", "public"):
        assert f'type="radio" name="visibility" value="{value}"' in body
    assert "anyone, on the internet too, may read this story" in body


def test_a_story_without_a_title_is_refused_naming_the_field(world, client):
    response = signed_in(client, world.a.seed_member).post(NEW, story_data(title=""))
    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    assert not Story.objects.exists()


def test_a_public_story_needs_the_consent_box(world, client):
    signed_in(client, world.a.seed_member)

    refused = client.post(NEW, story_data(visibility="public"))

    assert refused.status_code == 400
    assert "public_consent" in refused.context["form"].errors
    assert not Story.objects.exists()

    accepted = client.post(NEW, story_data(visibility="public", public_consent="on"))

    assert accepted.status_code == 302
    created = Story.objects.get()
    assert created.visibility == "public"
    assert created.public_consent_at is not None


def test_a_fake_photo_is_refused_and_nothing_is_written(world, client):
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 'hi'; ?>", content_type="image/jpeg")
    response = signed_in(client, world.a.seed_member).post(NEW, story_data(photo_1=fake))
    assert response.status_code == 400
    assert "not a photo we can read" in response.context["form"].errors["photo_1"][0]
    assert not Story.objects.exists()
    assert not StoryPhoto.objects.exists()


def test_a_photo_too_large_is_refused(world, client, settings):
    settings.UPLOAD_MAX_PHOTO_BYTES = 200
    response = signed_in(client, world.a.seed_member).post(
        NEW, story_data(photo_2=image_file(size=(300, 300)))
    )
    assert response.status_code == 400
    assert "too large" in response.context["form"].errors["photo_2"][0]
    assert not Story.objects.exists()


def test_photos_lose_their_metadata(world, client):
    picture = Image.new("RGB", (20, 20), (1, 2, 3))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # the camera's maker
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")
    created = signed_in(client, world.a.seed_member).post(NEW, story_data(photo_1=upload))
    assert created.status_code == 302
    stored = StoryPhoto.objects.get().image.read()
    assert Image.open(io.BytesIO(stored)).size == (20, 20)
    assert b"SpyCam" not in stored


# Who may read it -------------------------------------------------------------------------------


def test_a_group_story_is_read_by_the_group_not_by_another_group(world, client):
    told = story(world.a, visibility="group", photos=[image_file()])

    signed_in(client, world.a.friend_member)
    assert client.get(detail_url(told)).status_code == 200
    assert client.get(photo_url(told)).status_code == 200
    assert "How we saved" in body_of(client.get(LIST))

    signed_in(client, other_group_member(world.a))
    assert client.get(detail_url(told)).status_code == 404
    assert client.get(photo_url(told)).status_code == 404
    stories = body_of(client.get(LIST))
    assert "No stories yet. Be the first to tell one!" in stories
    assert "How we saved" not in stories


def test_a_cohort_story_is_read_by_another_group_of_the_cohort(world, client):
    told = story(world.a, visibility="cohort")
    signed_in(client, other_group_member(world.a))
    page = client.get(detail_url(told))
    assert page.status_code == 200
    assert "Ten dollars a week,<br>every week." in body_of(page)
    assert "How we saved" in body_of(client.get(LIST))

    signed_in(client, other_cohort_member(world.a))
    assert client.get(detail_url(told)).status_code == 404


def test_a_story_for_partner_staff_only_is_not_read_by_other_families(world, client):
    told = story(world.a, visibility="partner")
    for reader in (world.a.friend_member, other_group_member(world.a)):
        signed_in(client, reader)
        assert client.get(detail_url(told)).status_code == 404
        stories = body_of(client.get(LIST))
        assert "No stories yet. Be the first to tell one!" in stories
        assert "How we saved" not in stories
    signed_in(client, world.a.seed_member)
    assert client.get(detail_url(told)).status_code == 200
    assert "How we saved" in body_of(client.get(LIST))


def test_another_partners_family_gets_404_for_a_story_and_its_photos(world, client):
    told = story(world.a, visibility="public", photos=[image_file()])
    signed_in(client, world.b.seed_member)
    assert client.get(detail_url(told)).status_code == 404
    assert client.get(photo_url(told)).status_code == 404
    assert client.post(detail_url(told), {"visibility": "group"}).status_code == 404
    stories = body_of(client.get(LIST))
    assert "No stories yet. Be the first to tell one!" in stories
    assert "How we saved" not in stories


@pytest.mark.parametrize("who", ["admin", "staff", "liaison", "funder"])
def test_partner_people_get_404_on_the_familys_story_pages(world, client, who):
    told = story(world.a, visibility="partner", photos=[image_file()])
    signed_in(client, getattr(world.a, who))
    assert client.get(detail_url(told)).status_code == 404
    assert client.get(photo_url(told)).status_code == 404


def test_a_missing_photo_leads_back_to_the_story(world, client):
    told = story(world.a, photos=[image_file()])
    signed_in(client, world.a.friend_member)
    assert client.get(photo_url(told, 1)).status_code == 302
    assert client.get(photo_url(told, 1))["Location"] == detail_url(told)
    assert client.get(photo_url(told, "x")).status_code == 404
    assert client.get(photo_url(told, -1)).status_code == 404


# Changing who may read it ---------------------------------------------------------------------


def test_only_the_storys_family_sees_the_form_to_change_who_reads_it(world, client):
    told = story(world.a)
    own = body_of(signed_in(client, world.a.seed_member).get(detail_url(told)))
    assert "Save who may read it" in own
    other = body_of(signed_in(client, world.a.friend_member).get(detail_url(told)))
    assert "How we saved" in other
    assert "Save who may read it" not in other


def test_a_reader_cannot_change_who_reads_a_story(world, client):
    told = story(world.a)
    signed_in(client, world.a.friend_member)
    response = client.post(detail_url(told), {"visibility": "cohort"})
    assert response.status_code == 403
    assert client.post(detail_url(told), {}).status_code == 403
    told.refresh_from_db()
    assert told.visibility == "group"


def test_the_family_widens_its_story_to_the_cohort(world, client):
    told = story(world.a)
    reader = other_group_member(world.a)
    signed_in(client, world.a.seed_member)
    response = client.post(detail_url(told), {"visibility": "cohort"})
    assert response.status_code == 302
    told.refresh_from_db()
    assert told.visibility == "cohort"
    assert signed_in(client, reader).get(detail_url(told)).status_code == 200


def test_making_a_story_public_needs_the_consent_box(world, client):
    told = story(world.a)
    signed_in(client, world.a.seed_member)
    response = client.post(detail_url(told), {"visibility": "public"})
    assert response.status_code == 400
    assert "public_consent" in response.context["form"].errors
    told.refresh_from_db()
    assert told.visibility == "group"
    assert told.public_consent_at is None


def test_withdrawing_public_consent_takes_effect_at_once(world, client):
    told = story(world.a, visibility="public", photos=[image_file()])
    far = other_cohort_member(world.a)
    assert signed_in(client, far).get(detail_url(told)).status_code == 200

    signed_in(client, world.a.seed_member)
    page = body_of(client.get(detail_url(told)))
    assert "take it out of public at once" in page
    response = client.post(detail_url(told), {"visibility": "group"})

    assert response.status_code == 302
    told.refresh_from_db()
    assert told.visibility == "group"
    assert told.public_consent_at is None
    assert "no longer public" in body_of(client.get(detail_url(told)))
    signed_in(client, far)
    assert client.get(detail_url(told)).status_code == 404
    assert client.get(photo_url(told)).status_code == 404


# The list --------------------------------------------------------------------------------------


def test_the_list_shows_the_familys_own_stories_with_their_visibility(world, client):
    story(world.a, visibility="partner", title="Only for staff")
    body = body_of(signed_in(client, world.a.seed_member).get(LIST))
    assert "Only for staff" in body
    assert "The partner&#x27;s staff only" in body
    assert "(your family)" in body


def test_the_story_list_makes_as_many_queries_for_3_stories_as_for_30(
    world, client, django_assert_max_num_queries
):
    for n in range(3):
        story(world.a, title=f"Story {n}", photos=[image_file()])
    signed_in(client, world.a.friend_member)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3
    for n in range(27):
        story(world.a, title=f"More {n}", photos=[image_file()])
    with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25
    assert len(many) == len(few)
