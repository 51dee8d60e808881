"""Liaisons' and staff's review pages: the queue (a liaison's home), a survey's review (verify,
or ask for a correction), a story's review and its photos. From every seat: the liaison of the
cohort and staff act, a liaison of another cohort and another partner's people get 404."""

import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts import policy
from accounts.models import AuditEvent, Membership, Role
from families.access import FamilySeat
from surveys import services
from surveys.models import Review, Stipend, Story, SurveyResponse
from tests import clock
from tests.factories import (
    CohortFactory,
    FamilyFactory,
    GroupFactory,
    HouseholdMemberFactory,
    UserFactory,
    enable_totp,
)

ANSWERS = {
    "income_wages": "1000.00",
    "income_business": "0",
    "income_benefits": "0",
    "income_other": "0",
    "savings_balance": "100",
    "debt_formal": "0",
    "debt_high_cost": "400",
    "adults_working": 1,
}


def usd(amount: str) -> str:
    """An amount as Babel writes it in English: the pages must agree."""
    return format_currency(Decimal(amount), "USD", locale="en")


def signed_in(client, user):
    client.force_login(user)
    return client


def url(name, tenant, **kwargs):
    return reverse(name, kwargs={"partner_slug": tenant.partner.slug, **kwargs})


def home(tenant):
    return url("partner_home", tenant)


def review_url(tenant, survey):
    return url("survey_review", tenant, survey_id=survey.pk)


def story_url(tenant, story):
    return url("story_review", tenant, story_id=story.pk)


def seat_of(user, tenant):
    return policy.access_partner(user, tenant.partner.slug)


def family_seat(family):
    member = family.members.filter(user__isnull=False).select_related("user").first()
    return FamilySeat(user=member.user, family=family)


def submitted(family, period=clock.period(-2), *, at=None, **changes):
    survey = services.survey_create(
        seat=family_seat(family), period=period, answers={**ANSWERS, **changes}, submit=True
    )
    if at is not None:
        SurveyResponse.objects.filter(pk=survey.pk).update(submitted_at=at)
        survey.refresh_from_db()
    return survey


def new_family(group, name=None):
    family = FamilyFactory(group=group, **({"name": name} if name else {}))
    HouseholdMemberFactory(family=family)
    return family


def other_cohort(tenant, name="Hillside cohort"):
    cohort = CohortFactory(partner=tenant.partner, name=name)
    group = GroupFactory(cohort=cohort, name=f"{name} group")
    return cohort, group


def another_liaison(tenant, cohort):
    user = UserFactory(email=f"liaison-{cohort.pk}@example.org")
    Membership.objects.create(partner=tenant.partner, user=user, role=Role.LIAISON)
    enable_totp(user)
    cohort.liaisons.add(user)
    return user


def days_ago(n):
    return timezone.now() - datetime.timedelta(days=n)


def png() -> ContentFile:
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 60)).save(picture, format="PNG")
    return ContentFile(picture.getvalue(), name="photo.png")


def text(response, status=200) -> str:
    """The page's text, once it is known to have rendered with `status`."""
    assert response.status_code == status
    return html.unescape(response.content.decode())


# The queue --------------------------------------------------------------------------------------


def test_a_liaisons_home_is_the_queue_of_their_cohorts_waiting_surveys_oldest_first(world, client):
    _cohort, group = other_cohort(world.a)
    elsewhere = submitted(new_family(group, "Household elsewhere"), at=days_ago(9))
    newer = submitted(world.a.seed_family, at=days_ago(1))
    older = submitted(world.a.friend_family, at=days_ago(3))
    draft = services.survey_create(
        seat=family_seat(world.a.seed_family),
        period=clock.period(-3),
        answers={"income_wages": "5"},
    )
    response = signed_in(client, world.a.liaison).get(home(world.a))
    assert response.status_code == 200
    body = text(response)
    assert body.index(world.a.friend_family.name) < body.index(world.a.seed_family.name)
    assert review_url(world.a, older) in body and review_url(world.a, newer) in body
    assert review_url(world.a, elsewhere) not in body
    assert "Household elsewhere" not in body
    assert review_url(world.a, draft) not in body
    assert "Cohort A" in body and clock.month_label(-2) in body  # the month, named
    assert "Waiting for you: 2 surveys, 0 stories." in body


def test_the_queue_shows_stories_waiting_in_the_liaisons_cohorts(world, client):
    _cohort, group = other_cohort(world.a)
    mine = services.story_create(
        seat=family_seat(world.a.seed_family), title="How we saved", body="Ten a week."
    )
    theirs = services.story_create(
        seat=family_seat(new_family(group)), title="Not for this liaison", body="..."
    )
    body = text(signed_in(client, world.a.liaison).get(home(world.a)))
    assert story_url(world.a, mine) in body and "How we saved" in body
    assert story_url(world.a, theirs) not in body


def test_the_queue_filters_by_cohort_month_and_state(world, client):
    cohort, group = other_cohort(world.a)
    cohort.liaisons.add(world.a.liaison)
    there = submitted(new_family(group, "Household on the hill"), period=clock.period(-3))
    september = submitted(world.a.seed_family, period=clock.period(-3))
    october = submitted(world.a.friend_family, period=clock.period(-2))
    sent_back = submitted(world.a.seed_family, period=clock.period(-4))
    services.survey_request_correction(
        seat=seat_of(world.a.liaison, world.a), response=sent_back, reason="missing_answer"
    )
    client = signed_in(client, world.a.liaison)

    body = text(client.get(home(world.a), {"cohort": cohort.pk}))
    assert review_url(world.a, there) in body
    assert review_url(world.a, september) not in body and review_url(world.a, october) not in body

    body = text(client.get(home(world.a), {"period": clock.period(-3)}))
    assert review_url(world.a, there) in body and review_url(world.a, september) in body
    assert review_url(world.a, october) not in body

    body = text(client.get(home(world.a), {"state": "needs_correction"}))
    assert review_url(world.a, sent_back) in body
    assert review_url(world.a, september) not in body

    body = text(client.get(home(world.a)))  # by default only what waits
    assert review_url(world.a, sent_back) not in body
    assert review_url(world.a, october) in body


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "October"}, "period"),
        ({"period": "2026-13"}, "period"),
        ({"state": "x"}, "state"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(world, client, query, field):
    response = signed_in(client, world.a.liaison).get(home(world.a), query)
    assert response.status_code == 400
    assert response.context["filter_form"].errors[field]


def test_a_liaison_cannot_filter_on_a_cohort_that_is_not_theirs(world, client):
    cohort, group = other_cohort(world.a)
    hidden = submitted(new_family(group))
    response = signed_in(client, world.a.liaison).get(home(world.a), {"cohort": cohort.pk})
    assert response.status_code == 400
    assert "cohort" in response.context["filter_form"].errors
    body = text(response, 400)
    assert review_url(world.a, hidden) not in body
    assert cohort.name not in body


def test_a_survey_with_unusual_changes_is_marked_in_the_queue(world, client):
    september = submitted(world.a.seed_family, period=clock.period(-3))
    services.survey_verify(seat=seat_of(world.a.liaison, world.a), response=september)
    jumped = submitted(world.a.seed_family, period=clock.period(-2), income_wages="2200.00")
    calm = submitted(world.a.friend_family, period=clock.period(-2))
    assert jumped.flags and not calm.flags
    body = text(signed_in(client, world.a.liaison).get(home(world.a)))
    rows = {row for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)}
    flagged = [row for row in rows if "Unusual change" in row]
    assert len(flagged) == 1
    assert review_url(world.a, jumped) in flagged[0]


def test_staff_see_the_queue_of_every_cohort_on_the_surveys_page(world, client):
    cohort, group = other_cohort(world.a)
    there = submitted(new_family(group, "Household on the hill"))
    here = submitted(world.a.seed_family)
    response = signed_in(client, world.a.staff).get(url("review_queue", world.a))
    assert response.status_code == 200
    body = text(response)
    assert review_url(world.a, there) in body and review_url(world.a, here) in body
    assert cohort.name in body  # a filter choice for staff


def test_the_staff_dashboard_links_to_the_queue_and_payments(world, client):
    body = text(signed_in(client, world.a.staff).get(home(world.a)))
    assert url("review_queue", world.a) in body
    assert url("payments", world.a) in body
    assert url("survey_template", world.a) not in body  # admins only
    body = text(signed_in(client, world.a.admin).get(home(world.a)))
    assert url("survey_template", world.a) in body


def _waiting_surveys(tenant, n):
    template = services.current_template(tenant.partner)
    families = [FamilyFactory(group=tenant.group) for _ in range(n)]
    flags = [{"metric": "income_total", "previous": "1", "current": "9", "percent": 800}]
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            partner=tenant.partner,
            cohort=tenant.cohort,
            family=family,
            template=template,
            period=clock.month(-2),
            answers=ANSWERS,
            state=SurveyResponse.State.SUBMITTED,
            submitted_at=days_ago(i % 20),
            flags=flags if i % 2 else [],
        )
        for i, family in enumerate(families)
    )
    Story.objects.bulk_create(
        Story(
            partner=tenant.partner,
            cohort=tenant.cohort,
            family=family,
            title=f"Story {i}",
            body="...",
        )
        for i, family in enumerate(families)
    )


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["partner_home", "review_queue"])
def test_the_queue_takes_as_many_queries_for_100_waiting_surveys_as_for_10(world, client, page):
    client = signed_in(client, world.a.liaison)
    path = url(page, world.a)
    _waiting_surveys(world.a, 10)
    few = _queries(client, path)
    _waiting_surveys(world.a, 90)
    assert _queries(client, path) == few
    assert _queries(client, path + "?page=4&stories_page=2") == few


def test_the_queue_pages_keep_the_filters(world, client):
    _waiting_surveys(world.a, 30)
    body = text(signed_in(client, world.a.liaison).get(home(world.a), {"period": clock.period(-2)}))
    assert f"?period={clock.period(-2)}&page=2" in body
    assert "Page 1 of 2" in body


# Reviewing a survey -----------------------------------------------------------------------------


def test_the_review_page_shows_every_answer_as_a_reader_understands_it(world, client):
    survey = submitted(
        world.a.seed_family,
        housing="rent",
        health_insured="yes",
        practices=["opened-savings-account"],
        notes="We sold tamales.",
    )
    response = signed_in(client, world.a.liaison).get(review_url(world.a, survey))
    assert response.status_code == 200
    body = text(response)
    assert world.a.seed_family.name in body and clock.month_label(-2) in body
    assert "Waiting for verification" in body
    assert "Earnings from jobs" in body and usd("1000") in body
    assert "We rent" in body
    assert "Opened a savings account" in body
    assert "We sold tamales." in body
    assert "The platform's" not in body  # no template talk here

    spanish = text(client.get(review_url(world.a, survey), HTTP_ACCEPT_LANGUAGE="es"))
    assert "Ingresos de trabajos" in spanish and "Alquilamos" in spanish


def test_unusual_changes_are_explained_and_never_block(world, client):
    september = submitted(world.a.seed_family, period=clock.period(-3))
    services.survey_verify(seat=seat_of(world.a.liaison, world.a), response=september)
    october = submitted(world.a.seed_family, period=clock.period(-2), income_wages="2200.00")
    client = signed_in(client, world.a.liaison)
    body = text(client.get(review_url(world.a, october)))
    assert (
        f"Income changed by +120% since {clock.month_label(-3)} "
        f"({usd('1000')} → {usd('2200')}): look twice" in body
    )
    response = client.post(review_url(world.a, october), {"action": "verify"})
    assert response.status_code == 302
    october.refresh_from_db()
    assert october.state == SurveyResponse.State.VERIFIED


def test_the_review_page_shows_what_changed_between_revisions_and_earlier_reviews(world, client):
    survey = submitted(world.a.seed_family)
    services.survey_request_correction(
        seat=seat_of(world.a.liaison, world.a),
        response=survey,
        reason="needs_evidence",
        note="Savings: the bank book please.",
    )
    services.survey_update(
        seat=family_seat(world.a.seed_family),
        response=survey,
        answers={"savings_balance": "150"},
        submit=True,
    )
    body = text(signed_in(client, world.a.liaison).get(review_url(world.a, survey)))
    assert "Revision 2" in body
    assert f"Total savings so far this month: {usd('100')} → {usd('150')}" in body
    assert "Asked for a correction" in body and "Needs evidence" in body
    assert "Savings: the bank book please." in body
    assert "Corrected, waiting for verification" in body


def test_a_liaison_verifies_a_survey_and_its_stipend_accrues_once(world, client):
    survey = submitted(world.b.seed_family)
    client = signed_in(client, world.b.liaison)
    response = client.post(
        review_url(world.b, survey), {"action": "verify", "evidence": "pay stub seen"}
    )
    assert response.status_code == 302 and response["Location"] == home(world.b)
    survey.refresh_from_db()
    assert survey.state == SurveyResponse.State.VERIFIED
    stipend = Stipend.objects.get(survey=survey)
    assert (stipend.amount, stipend.currency) == (world.b.partner.stipend_amount, "LRD")
    review = Review.objects.get(response=survey)
    assert (review.action, review.evidence, review.reviewer) == (
        "verify",
        "pay stub seen",
        world.b.liaison,
    )
    assert AuditEvent.objects.filter(verb="survey.verify", actor=world.b.liaison).count() == 1
    assert "is verified" in text(client.get(response["Location"]))

    again = client.post(review_url(world.b, survey), {"action": "verify"})
    assert again.status_code == 409
    assert "Nothing was changed" in text(again, 409)
    assert Stipend.objects.filter(survey=survey).count() == 1
    assert Review.objects.filter(response=survey).count() == 1


def test_staff_who_verify_go_back_to_the_staff_queue(world, client):
    survey = submitted(world.a.seed_family)
    response = signed_in(client, world.a.staff).post(
        review_url(world.a, survey), {"action": "verify"}
    )
    assert response["Location"] == url("review_queue", world.a)
    assert Stipend.objects.filter(survey=survey).count() == 1


def test_someone_who_verified_first_is_told_clearly(world, client):
    survey = submitted(world.a.seed_family)
    signed_in(client, world.a.liaison).get(review_url(world.a, survey))  # the page is open...
    services.survey_verify(seat=seat_of(world.a.staff, world.a), response=survey)  # ...staff won
    response = client.post(review_url(world.a, survey), {"action": "verify"})
    assert response.status_code == 409
    body = text(response, 409)
    assert "Nothing was changed" in body and "Verified" in body
    assert 'name="evidence"' not in body  # nothing left to act on
    assert Stipend.objects.filter(survey=survey).count() == 1


def test_asking_for_a_correction_without_a_reason_is_a_400_and_changes_nothing(world, client):
    survey = submitted(world.a.seed_family)
    audits = AuditEvent.objects.count()
    response = signed_in(client, world.a.liaison).post(
        review_url(world.a, survey), {"action": "correct", "note": "Something is off."}
    )
    assert response.status_code == 400
    assert response.context["correction_form"].errors["reason"]
    assert "Choose the reason for the correction." in text(response, 400)
    survey.refresh_from_db()
    assert survey.state == SurveyResponse.State.SUBMITTED
    assert not Review.objects.exists() and AuditEvent.objects.count() == audits


def test_the_reason_other_needs_a_note(world, client):
    survey = submitted(world.a.seed_family)
    response = signed_in(client, world.a.liaison).post(
        review_url(world.a, survey), {"action": "correct", "reason": "other", "note": " "}
    )
    assert response.status_code == 400
    assert response.context["correction_form"].errors["note"] == ["Say what needs correcting."]
    survey.refresh_from_db()
    assert survey.state == SurveyResponse.State.SUBMITTED


def test_an_unknown_action_is_a_400_and_changes_nothing(world, client):
    survey = submitted(world.a.seed_family)
    response = signed_in(client, world.a.liaison).post(review_url(world.a, survey), {})
    assert response.status_code == 400
    survey.refresh_from_db()
    assert survey.state == SurveyResponse.State.SUBMITTED and not Review.objects.exists()


def test_asking_for_a_correction_sends_the_survey_back_with_the_reason(world, client):
    survey = submitted(world.a.seed_family)
    response = signed_in(client, world.a.liaison).post(
        review_url(world.a, survey),
        {"action": "correct", "reason": "inconsistent", "note": "Debt doubled?"},
    )
    assert response.status_code == 302 and response["Location"] == home(world.a)
    survey.refresh_from_db()
    assert survey.state == SurveyResponse.State.NEEDS_CORRECTION
    review = Review.objects.get(response=survey)
    assert (review.reason, review.note) == ("inconsistent", "Debt doubled?")
    assert not Stipend.objects.exists()


def _fields(body) -> list[str]:
    return re.findall(r'<(?:input|textarea|select)[^>]*name="([^"]*)"', body)


def test_no_page_a_reviewer_uses_has_a_field_or_a_word_for_advice(world, client):
    survey = submitted(world.a.seed_family)
    story = services.story_create(
        seat=family_seat(world.a.seed_family), title="How we saved", body="Ten a week."
    )
    client = signed_in(client, world.a.liaison)
    pages = [
        home(world.a),
        url("review_queue", world.a),
        review_url(world.a, survey),
        story_url(world.a, story),
    ]
    for page in pages:
        body = text(client.get(page))
        assert "Seed household A" in body, page
        assert not [name for name in _fields(body) if "advi" in name.lower()], page
        assert not re.search(r"advi[cs]e", body, flags=re.I), page
    body = text(client.get(review_url(world.a, survey)))
    assert {"evidence", "reason", "note"} <= set(_fields(body))
    assert "What needs correcting" in body and "What did you check?" in body


# Who may see a survey ---------------------------------------------------------------------------


def test_another_partners_people_get_404_on_the_review_pages(world, client):
    survey = submitted(world.a.seed_family)
    story = services.story_create(
        seat=family_seat(world.a.seed_family), title="How we saved", body="...", photos=[png()]
    )
    pages = [
        review_url(world.a, survey),
        story_url(world.a, story),
        url("story_review_photo", world.a, story_id=story.pk) + "?n=0",
        url("review_queue", world.a),
    ]
    for user in [
        world.b.admin,
        world.b.staff,
        world.b.liaison,
        world.b.seed_member,
        world.outsider,
    ]:
        signed_in(client, user)
        for page in pages:
            assert client.get(page).status_code == 404, (user, page)
        assert client.post(review_url(world.a, survey), {"action": "verify"}).status_code == 404
        assert client.post(story_url(world.a, story)).status_code == 404
    # The same ids under partner B's own address are not B's either.
    signed_in(client, world.b.staff)
    assert client.get(review_url(world.b, survey)).status_code == 404
    assert client.get(story_url(world.b, story)).status_code == 404
    survey.refresh_from_db()
    story.refresh_from_db()
    assert survey.state == SurveyResponse.State.SUBMITTED and not Stipend.objects.exists()
    assert story.state == Story.State.SUBMITTED


def test_a_liaison_of_another_cohort_gets_404(world, client):
    cohort, _group = other_cohort(world.a)
    stranger = another_liaison(world.a, cohort)
    survey = submitted(world.a.seed_family)
    story = services.story_create(
        seat=family_seat(world.a.seed_family), title="How we saved", body="...", photos=[png()]
    )
    client = signed_in(client, stranger)
    assert client.get(review_url(world.a, survey)).status_code == 404
    assert client.post(review_url(world.a, survey), {"action": "verify"}).status_code == 404
    assert client.get(story_url(world.a, story)).status_code == 404
    assert client.post(story_url(world.a, story)).status_code == 404
    photo = url("story_review_photo", world.a, story_id=story.pk)
    assert client.get(photo).status_code == 404
    stranger_home = text(client.get(home(world.a)))
    assert "Hillside cohort" in stranger_home
    assert review_url(world.a, survey) not in stranger_home
    survey.refresh_from_db()
    assert survey.state == SurveyResponse.State.SUBMITTED and not Stipend.objects.exists()


def test_a_family_member_cannot_open_the_review_pages(world, client):
    survey = submitted(world.a.seed_family)
    client = signed_in(client, world.a.seed_member)
    assert client.get(review_url(world.a, survey)).status_code == 404
    assert client.post(review_url(world.a, survey), {"action": "verify"}).status_code == 404


# Stories ----------------------------------------------------------------------------------------


def test_a_liaison_verifies_a_story_from_its_page(world, client):
    story = services.story_create(
        seat=family_seat(world.a.seed_family),
        title="How we saved",
        body="Ten dollars a week.",
        visibility="cohort",
        photos=[png()],
    )
    client = signed_in(client, world.a.liaison)
    response = client.get(story_url(world.a, story))
    assert response.status_code == 200
    body = text(response)
    assert "How we saved" in body and "Ten dollars a week." in body
    assert "My cohort" in body
    assert url("story_review_photo", world.a, story_id=story.pk) + "?n=0" in body

    response = client.post(story_url(world.a, story))
    assert response.status_code == 302 and response["Location"] == home(world.a)
    story.refresh_from_db()
    assert story.state == Story.State.VERIFIED
    assert AuditEvent.objects.filter(verb="story.verify", actor=world.a.liaison).exists()

    again = client.post(story_url(world.a, story))
    assert again.status_code == 409
    assert "already verified" in text(again, 409)


def test_a_storys_photos_are_private_files_served_to_its_reviewers(world, client):
    story = services.story_create(
        seat=family_seat(world.a.seed_family), title="Our stall", body="...", photos=[png()]
    )
    photo = url("story_review_photo", world.a, story_id=story.pk)
    client = signed_in(client, world.a.liaison)
    response = client.get(photo, {"n": 0})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get(photo, {"n": 1}).status_code == 404
    assert client.get(photo, {"n": "first"}).status_code == 404
