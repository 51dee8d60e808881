"""The surveys API, part two: stories (who may read them is the family's choice) and stipends
(a family sees its own; staff who manage payments see their partner's)."""

import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from accounts import policy
from accounts.models import AuditEvent, Role
from families.access import FamilySeat
from surveys import selectors, services
from surveys.models import Stipend, Story, StoryPhoto, SurveyResponse
from tests import clock, factories
from tests.seats import friend_seat, seed_seat, signed_in

STORIES = "/api/v1/stories/"
STIPENDS = "/api/v1/stipends/"
PAGE_KEYS = {"count", "next", "previous", "results"}
OTHERS = ["admin", "staff", "liaison", "family", "funder", "no role"]

ANSWERS = {
    "income_wages": "1200.00",
    "income_business": "0",
    "income_benefits": "150.00",
    "income_other": "0",
    "savings_balance": "80.00",
    "debt_formal": "0",
    "debt_high_cost": "300.00",
    "adults_working": 1,
}


def other_partner(world, seat):
    return {
        "admin": world.b.admin,
        "staff": world.b.staff,
        "liaison": world.b.liaison,
        "family": world.b.seed_member,
        "funder": world.b.funder,
        "no role": world.outsider,
    }[seat]


def story_url(story) -> str:
    return f"/api/v1/stories/{story.pk}/"


def story_verify_url(story) -> str:
    return f"/api/v1/stories/{story.pk}/verify/"


def a_story(tenant, visibility="group", seat=None, title="How we saved") -> Story:
    return services.story_create(
        seat=seat or seed_seat(tenant),
        title=title,
        body="Ten dollars a week, every week.",
        visibility=visibility,
        public_consent=visibility == "public",
    )


def other_group_family(tenant):
    """A family of another group of the same cohort, with a signed-in member."""
    family = factories.FamilyFactory(
        group=factories.GroupFactory(cohort=tenant.cohort, name="Other group"),
        name="Other group household",
    )
    user = factories.UserFactory()
    factories.HouseholdMemberFactory(family=family, user=user)
    return family, user


def other_cohort_family(tenant):
    cohort = factories.CohortFactory(partner=tenant.partner, name="Other cohort")
    family = factories.FamilyFactory(
        group=factories.GroupFactory(cohort=cohort), name="Other cohort household"
    )
    user = factories.UserFactory()
    factories.HouseholdMemberFactory(family=family, user=user)
    return family, user


def unassigned_liaison(tenant):
    user = factories.UserFactory(email=f"other-liaison-{tenant.partner.slug}@example.org")
    factories.MembershipFactory(partner=tenant.partner, user=user, role=Role.LIAISON)
    factories.enable_totp(user)
    return user


def titles(body) -> list[str]:
    return [story["title"] for story in body["results"]]


def story_rows() -> tuple[int, int, int]:
    return Story.objects.count(), StoryPhoto.objects.count(), AuditEvent.objects.count()


# Telling a story --------------------------------------------------------------------------------


def test_a_family_tells_a_story_to_its_group(world, api):
    response = signed_in(api, world.a.seed_member).post(
        STORIES,
        {"title": "Our first savings", "body": "We put aside ten dollars a week."},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["visibility"], body["state"]) == (
        "Our first savings",
        "group",
        "submitted",
    )
    assert body["family"] == {"id": world.a.seed_family.pk, "name": "Seed household A"}
    assert body["public_consent"] is False
    assert body["photos"] == []
    assert Story.objects.get().author == world.a.seed_member


def test_a_public_story_records_the_familys_consent(world, api):
    response = signed_in(api, world.a.seed_member).post(
        STORIES,
        {"title": "T", "body": "B", "visibility": "public", "public_consent": True},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["public_consent"] is True
    assert Story.objects.get().public_consent_at is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "T", "body": "B", "visibility": "public"}, "public_consent"),
        ({"title": "T", "body": "B", "visibility": "everyone"}, "visibility"),
        ({"body": "B"}, "title"),
        ({"title": "   ", "body": "B"}, "title"),
        ({"title": "T"}, "body"),
        ({"title": "T" * 201, "body": "B"}, "title"),
        ({"title": "T", "body": "B" * 10001}, "body"),
    ],
)
def test_a_bad_story_is_a_400_naming_the_field_and_writes_nothing(world, api, body, field):
    before = story_rows()

    response = signed_in(api, world.a.seed_member).post(STORIES, body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert story_rows() == before


@pytest.mark.parametrize("role", ["admin", "staff", "liaison"])
def test_staff_and_liaisons_do_not_tell_families_stories(world, api, role):
    response = signed_in(api, getattr(world.a, role)).post(
        STORIES, {"title": "T", "body": "B"}, format="json"
    )

    assert response.status_code == 403
    assert Story.objects.count() == 0


def test_a_funder_cannot_tell_a_story(world, api):
    response = signed_in(api, world.a.funder).post(
        STORIES, {"title": "T", "body": "B"}, format="json"
    )

    assert response.status_code == 403
    assert Story.objects.count() == 0


def test_a_story_retried_with_its_idempotency_key_is_told_once(world, api):
    client = signed_in(api, world.a.seed_member)
    body = {"title": "Our first savings", "body": "Ten dollars a week."}

    first = client.post(STORIES, body, format="json", HTTP_IDEMPOTENCY_KEY="story-1")
    again = client.post(STORIES, body, format="json", HTTP_IDEMPOTENCY_KEY="story-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Story.objects.count() == 1


# Reading stories -------------------------------------------------------------------------------


def test_families_read_what_each_story_was_shared_with(world, api):
    a_story(world.a, "group", title="Group story")
    a_story(world.a, "cohort", title="Cohort story")
    a_story(world.a, "partner", title="Staff-only story")
    a_story(world.a, "public", title="Public story")
    _family, other_group_user = other_group_family(world.a)
    _family, other_cohort_user = other_cohort_family(world.a)

    def readable(user):
        return set(titles(signed_in(api, user).get(STORIES).json()))

    everything = {"Group story", "Cohort story", "Staff-only story", "Public story"}
    assert readable(world.a.seed_member) == everything
    assert readable(world.a.friend_member) == {"Group story", "Cohort story", "Public story"}
    assert readable(other_group_user) == {"Cohort story", "Public story"}
    assert readable(other_cohort_user) == set()
    assert readable(world.b.seed_member) == set()


def test_a_familys_list_follows_the_policy_for_every_story(world):
    _other, _user = other_group_family(world.a)
    for visibility in ["group", "cohort", "partner", "public"]:
        a_story(world.a, visibility)
        a_story(world.a, visibility, seat=friend_seat(world.a))
        a_story(world.b, visibility)
    stories = list(Story.objects.select_related("family"))
    for family in world.a.cohort.families.all():
        seat = FamilySeat(user=None, family=family)
        listed = set(selectors.stories_for_family(seat).values_list("pk", flat=True))
        allowed = {
            s.pk
            for s in stories
            if s.partner_id == family.partner_id and policy.family_can_read_story(family, s)
        }
        assert listed == allowed, family.name


@pytest.mark.parametrize("role", ["admin", "staff", "liaison"])
def test_staff_and_the_cohorts_liaison_read_every_story_of_their_cohorts(world, api, role):
    for visibility in ["group", "cohort", "partner", "public"]:
        a_story(world.a, visibility, title=visibility)
    a_story(world.b, "cohort", title="Partner B")

    body = signed_in(api, getattr(world.a, role)).get(STORIES).json()

    assert set(body) == PAGE_KEYS
    assert set(titles(body)) == {"group", "cohort", "partner", "public"}


def test_a_liaison_outside_the_cohort_reads_none_of_its_stories(world, api):
    a_story(world.a, "cohort")
    client = signed_in(api, unassigned_liaison(world.a))

    response = client.get(STORIES)
    assert response.status_code == 200
    assert set(response.json()) == PAGE_KEYS
    assert response.json()["count"] == 0
    assert client.get(STORIES, {"cohort": world.a.cohort.pk}).status_code == 404


def test_staff_filter_stories_by_cohort_and_state(world, api):
    waiting = a_story(world.a, "group", title="Waiting")
    done = a_story(world.a, "group", title="Verified")
    services.story_verify(
        seat=policy.access_partner(world.a.staff, world.a.partner.slug), story=done
    )
    client = signed_in(api, world.a.staff)

    assert titles(client.get(STORIES, {"state": "submitted"}).json()) == [waiting.title]
    assert titles(client.get(STORIES, {"state": "verified"}).json()) == [done.title]
    assert client.get(STORIES, {"cohort": world.a.cohort.pk}).json()["count"] == 2
    assert client.get(STORIES, {"state": "lost"}).status_code == 400
    assert "state" in client.get(STORIES, {"state": "lost"}).json()["errors"]
    assert client.get(STORIES, {"cohort": world.b.cohort.pk}).status_code == 404


@pytest.mark.parametrize("who", ["funder", "outsider"])
def test_people_without_a_family_or_a_role_cannot_list_stories(world, api, who):
    user = world.a.funder if who == "funder" else world.outsider

    assert signed_in(api, user).get(STORIES).status_code == 403


@pytest.mark.parametrize("n", [10, 100])
def test_the_story_list_takes_the_same_queries_for_10_or_100_stories(
    world, api, django_assert_max_num_queries, n
):
    Story.objects.bulk_create(
        Story(
            partner=world.a.partner,
            cohort=world.a.cohort,
            family=world.a.friend_family,
            title=f"Story {i}",
            body="B",
            visibility="cohort",
        )
        for i in range(n)
    )

    for user in [world.a.seed_member, world.a.liaison]:
        client = signed_in(api, user)
        with django_assert_max_num_queries(8):
            response = client.get(STORIES, {"page_size": 100})
        assert response.status_code == 200
        assert response.json()["count"] == n


# One story --------------------------------------------------------------------------------------


def test_a_story_is_read_by_whom_it_was_shared_with(world, api):
    story = a_story(world.a, "group")
    _family, other_group_user = other_group_family(world.a)

    assert signed_in(api, world.a.friend_member).get(story_url(story)).status_code == 200
    assert signed_in(api, world.a.liaison).get(story_url(story)).status_code == 200
    assert signed_in(api, other_group_user).get(story_url(story)).status_code == 404
    assert signed_in(api, unassigned_liaison(world.a)).get(story_url(story)).status_code == 404
    assert signed_in(api, world.a.funder).get(story_url(story)).status_code == 404


@pytest.mark.parametrize("seat", OTHERS)
def test_another_partners_people_get_404_for_a_story(world, api, seat):
    story = a_story(world.a, "cohort")
    client = signed_in(api, other_partner(world, seat))

    assert client.get(story_url(story)).status_code == 404
    assert client.patch(story_url(story), {"visibility": "group"}, format="json").status_code == 404
    assert client.post(story_verify_url(story), {}, format="json").status_code == 404
    story.refresh_from_db()
    assert (story.visibility, story.state) == ("cohort", "submitted")


def test_a_family_withdraws_its_public_consent(world, api):
    story = a_story(world.a, "public")

    response = signed_in(api, world.a.seed_member).patch(
        story_url(story), {"visibility": "group"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["visibility"], response.json()["public_consent"]) == ("group", False)
    story.refresh_from_db()
    assert story.public_consent_at is None


def test_making_a_story_public_needs_consent_and_a_refusal_changes_nothing(world, api):
    story = a_story(world.a, "group")
    client = signed_in(api, world.a.seed_member)
    before = story_rows()

    refused = client.patch(story_url(story), {"visibility": "public"}, format="json")

    assert refused.status_code == 400
    assert "public_consent" in refused.json()["errors"]
    assert story_rows() == before
    story.refresh_from_db()
    assert story.visibility == "group"
    agreed = client.patch(
        story_url(story), {"visibility": "public", "public_consent": True}, format="json"
    )
    assert agreed.json()["public_consent"] is True


def test_a_bad_visibility_is_named(world, api):
    story = a_story(world.a, "group")

    response = signed_in(api, world.a.seed_member).patch(
        story_url(story), {"visibility": "world"}, format="json"
    )

    assert response.status_code == 400
    assert "visibility" in response.json()["errors"]


def test_only_the_storys_family_chooses_who_reads_it(world, api):
    story = a_story(world.a, "cohort")
    _family, other_group_user = other_group_family(world.a)

    for user in [world.a.friend_member, other_group_user, world.a.staff, world.a.liaison]:
        response = signed_in(api, user).patch(
            story_url(story), {"visibility": "group"}, format="json"
        )
        assert response.status_code == 403, user
    story.refresh_from_db()
    assert story.visibility == "cohort"


def test_the_cohorts_liaison_verifies_a_story_once(world, api):
    story = a_story(world.a, "group")
    client = signed_in(api, world.a.liaison)

    response = client.post(story_verify_url(story))

    assert response.status_code == 200
    assert response.json()["state"] == "verified"
    assert client.post(story_verify_url(story)).status_code == 409


def test_families_do_not_verify_stories_and_outsiders_do_not_see_them(world, api):
    story = a_story(world.a, "group")
    _family, other_group_user = other_group_family(world.a)

    assert signed_in(api, world.a.seed_member).post(story_verify_url(story)).status_code == 403
    assert signed_in(api, other_group_user).post(story_verify_url(story)).status_code == 404
    liaison = unassigned_liaison(world.a)
    assert signed_in(api, liaison).post(story_verify_url(story)).status_code == 404
    assert Story.objects.get().state == "submitted"


def a_story_with_a_photo(tenant, visibility="group") -> Story:
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 60)).save(picture, format="PNG")
    return services.story_create(
        seat=seed_seat(tenant),
        title="Our stall",
        body="We built it together.",
        visibility=visibility,
        photos=[ContentFile(picture.getvalue(), name="stall.png")],
    )


def test_a_storys_photos_are_served_only_to_its_readers(world, api):
    story = a_story_with_a_photo(world.a)
    _family, other_group_user = other_group_family(world.a)
    photo_url = f"/api/v1/stories/{story.pk}/photo/?n=0"

    listed = signed_in(api, world.a.friend_member).get(STORIES).json()["results"][0]
    assert listed["photos"] == [photo_url]
    for reader in [world.a.seed_member, world.a.friend_member, world.a.liaison, world.a.staff]:
        response = signed_in(api, reader).get(photo_url)
        assert response.status_code == 200, reader
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    for stranger in [other_group_user, world.b.seed_member, world.b.staff, world.a.funder]:
        assert signed_in(api, stranger).get(photo_url).status_code == 404, stranger


@pytest.mark.parametrize("n", ["1", "-1", "first"])
def test_a_photo_the_story_does_not_have_is_404(world, api, n):
    story = a_story_with_a_photo(world.a)

    response = signed_in(api, world.a.seed_member).get(f"/api/v1/stories/{story.pk}/photo/?n={n}")

    assert response.status_code == 404
    assert response.json()["message"]


# Stipends ---------------------------------------------------------------------------------------


def verified_survey(tenant, seat=None, period=clock.period(-2)):
    survey = services.survey_create(
        seat=seat or seed_seat(tenant), period=period, answers=ANSWERS, submit=True
    )
    staff = policy.access_partner(tenant.staff, tenant.partner.slug)
    return services.survey_verify(seat=staff, response=survey)


def test_a_family_sees_its_own_stipends_in_the_partners_currency(world, api):
    world.a.partner.stipend_amount = Decimal("30.00")
    world.a.partner.save()
    survey = verified_survey(world.a)
    verified_survey(world.a, seat=friend_seat(world.a))
    verified_survey(world.b)

    response = signed_in(api, world.a.seed_member).get(STIPENDS)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == PAGE_KEYS
    [stipend] = body["results"]
    assert (stipend["amount"], stipend["currency"]) == ("30.00", "USD")
    assert stipend["status"] == "accrued"
    assert stipend["survey"] == {"id": survey.pk, "period": clock.period(-2)}
    assert stipend["family"]["id"] == world.a.seed_family.pk
    assert stipend["batch"] is None


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_staff_see_every_stipend_of_their_partner_and_no_other(world, api, role):
    verified_survey(world.a)
    verified_survey(world.a, seat=friend_seat(world.a))
    verified_survey(world.b)

    body = signed_in(api, getattr(world.b, role)).get(STIPENDS).json()

    assert body["count"] == 1
    assert body["results"][0]["currency"] == "LRD"
    assert body["results"][0]["family"]["id"] == world.b.seed_family.pk


def test_staff_filter_stipends_by_status(world, api):
    verified_survey(world.a, period=clock.period(-3))
    staff_seat = policy.access_partner(world.a.staff, world.a.partner.slug)
    services.payment_batch_create(seat=staff_seat, name="September")
    verified_survey(world.a, period=clock.period(-2))
    client = signed_in(api, world.a.staff)

    scheduled = client.get(STIPENDS, {"status": "scheduled"}).json()["results"]
    accrued = client.get(STIPENDS, {"status": "accrued"}).json()["results"]

    assert [s["survey"]["period"] for s in scheduled] == [clock.period(-3)]
    assert scheduled[0]["batch"] is not None
    assert [s["survey"]["period"] for s in accrued] == [clock.period(-2)]


def test_a_bad_status_filter_is_named(world, api):
    response = signed_in(api, world.a.staff).get(STIPENDS, {"status": "paid-ish"})

    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_liaisons_do_not_handle_payments(world, api):
    verified_survey(world.a)

    response = signed_in(api, world.a.liaison).get(STIPENDS)

    assert response.status_code == 403


@pytest.mark.parametrize("who", ["funder", "outsider"])
def test_people_without_a_family_or_a_role_see_no_stipends(world, api, who):
    verified_survey(world.a)
    user = world.a.funder if who == "funder" else world.outsider

    assert signed_in(api, user).get(STIPENDS).status_code == 403


@pytest.mark.parametrize("n", [10, 100])
def test_the_stipend_list_takes_the_same_queries_for_10_or_100_stipends(
    world, api, django_assert_max_num_queries, n
):
    template = services.current_template(world.a.partner)
    families = [
        factories.FamilyFactory(group=world.a.group, name=f"Household {i:03d}") for i in range(n)
    ]
    surveys = SurveyResponse.objects.bulk_create(
        SurveyResponse(
            partner=world.a.partner,
            cohort=world.a.cohort,
            family=family,
            template=template,
            period=clock.on(-2, 1).isoformat(),
            answers=ANSWERS,
            state="verified",
        )
        for family in families
    )
    Stipend.objects.bulk_create(
        Stipend(
            partner=world.a.partner,
            family=survey.family,
            survey=survey,
            amount=Decimal("25.00"),
            currency="USD",
        )
        for survey in surveys
    )
    client = signed_in(api, world.a.staff)

    with django_assert_max_num_queries(8):
        response = client.get(STIPENDS, {"page_size": 100})

    assert response.status_code == 200
    assert response.json()["count"] == n
