"""The role-by-phase table, every cell: what admins, staff and liaisons may do in a cohort in
phase I and in phase II, asked of the policy, of the services and of the API.

The expected table is written out by hand here, not derived from `accounts.policy.PHASE_RULES`:
a change to the policy has to be made twice, on purpose."""

import itertools

import pytest
from django.utils import timezone

from accounts import policy
from accounts.models import Role
from changemakers.models import BestPracticeShare
from changemakers.services import best_practice_share
from families.access import FamilySeat
from families.models import Cohort, Post, StaffRequestMessage
from families.services import post_create, staff_request_answer, staff_request_create
from mutuality.errors import NotAllowed
from surveys.models import Practice, SurveyResponse
from surveys.services import ensure_default_practices, survey_create, survey_request_correction
from tests.seats import signed_in

ADMIN, STAFF, LIAISON = Role.ADMIN, Role.STAFF, Role.LIAISON
ROLES = [ADMIN, STAFF, LIAISON]
PHASES = [1, 2]
NOBODY: frozenset = frozenset()
EVERYONE = frozenset({ADMIN, STAFF, LIAISON})
STAFF_ONLY = frozenset({ADMIN, STAFF})

# action -> {phase: the roles allowed}
EXPECTED = {
    # verifying surveys is the liaison's job in both phases
    "survey.verify": {1: EVERYONE, 2: EVERYONE},
    # families' requests about paperwork and payments: anyone, any phase
    "request.answer_paperwork": {1: EVERYONE, 2: EVERYONE},
    # the rest of families' requests: staff, never liaisons
    "request.answer_other": {1: STAFF_ONLY, 2: STAFF_ONLY},
    # telling a cohort what other families did: phase II only
    "practice.share": {1: NOBODY, 2: EVERYONE},
    # never, in any phase
    "feed.post": {1: NOBODY, 2: NOBODY},
    "family.message": {1: NOBODY, 2: NOBODY},
    "survey.edit_answers": {1: NOBODY, 2: NOBODY},
    "venture.edit": {1: NOBODY, 2: NOBODY},
    "post.edit": {1: NOBODY, 2: NOBODY},
    "advice.send": {1: NOBODY, 2: NOBODY},
}
CELLS = list(itertools.product(sorted(EXPECTED), PHASES, ROLES))


def seat_of(tenant, role) -> policy.Seat:
    return policy.Seat(user=getattr(tenant, role), partner=tenant.partner, role=role)


def set_phase(cohort, phase) -> Cohort:
    Cohort.objects.filter(pk=cohort.pk).update(phase=phase)
    cohort.refresh_from_db()
    return cohort


# The policy ------------------------------------------------------------------------------------


def test_the_table_covers_every_action_of_the_policy():
    assert set(policy.PHASE_RULES) == set(EXPECTED)


@pytest.mark.parametrize(("action", "phase", "role"), CELLS)
def test_every_cell_of_the_table(world, action, phase, role):
    cohort = set_phase(world.a.cohort, phase)

    allowed = policy.phase_allows(seat_of(world.a, role), cohort, action)

    assert allowed is (role in EXPECTED[action][phase])


@pytest.mark.parametrize(("action", "phase", "role"), CELLS)
def test_no_cell_reaches_another_partners_cohort(world, action, phase, role):
    cohort = set_phase(world.b.cohort, phase)

    assert policy.phase_allows(seat_of(world.a, role), cohort, action) is False


@pytest.mark.parametrize(("action", "phase", "role"), CELLS)
def test_every_refusal_says_why_in_words(world, action, phase, role):
    cohort = set_phase(world.a.cohort, phase)
    seat = seat_of(world.a, role)
    if role in EXPECTED[action][phase]:
        policy.require_phase(seat, cohort, action)  # no refusal
        return

    with pytest.raises(NotAllowed) as refused:
        policy.require_phase(seat, cohort, action)

    words = refused.value.message
    assert words.strip()
    assert words == policy.phase_refusal(seat, cohort, action)
    assert words != "Your role does not allow this in this cohort."


@pytest.mark.parametrize("role", ROLES)
def test_sharing_in_phase_one_is_refused_in_words_that_name_the_phase(world, role):
    cohort = set_phase(world.a.cohort, 1)

    words = policy.phase_refusal(seat_of(world.a, role), cohort, "practice.share")

    assert "phase I" in words
    assert "phase II" in words


# The services ----------------------------------------------------------------------------------


def savings_circle() -> Practice:
    ensure_default_practices()
    return Practice.objects.get(partner=None, slug="savings-circle")


@pytest.mark.parametrize(("phase", "role"), list(itertools.product(PHASES, ROLES)))
def test_best_practice_share_follows_the_table(world, phase, role):
    cohort = set_phase(world.a.cohort, phase)
    seat = seat_of(world.a, role)

    def share():
        return best_practice_share(
            seat=seat, cohort=cohort, practice=savings_circle(), body="Families saved together."
        )

    if phase == 2:
        assert share().author == getattr(world.a, role)
        assert Post.objects.filter(source=Post.Source.STAFF, cohort=cohort).count() == 1
    else:
        with pytest.raises(NotAllowed, match="phase I"):
            share()
        assert not BestPracticeShare.objects.exists()
        assert not Post.objects.filter(source=Post.Source.STAFF).exists()


def a_request(tenant, kind):
    return staff_request_create(
        seat=FamilySeat(user=tenant.seed_member, family=tenant.seed_family),
        kind=kind,
        subject="A question",
        body="Can you help?",
    )


@pytest.mark.parametrize(("phase", "role"), list(itertools.product(PHASES, ROLES)))
@pytest.mark.parametrize("kind", ["paperwork", "payment"])
def test_paperwork_and_payment_requests_are_answered_by_everyone(world, phase, role, kind):
    set_phase(world.a.cohort, phase)
    request = a_request(world.a, kind)

    answered = staff_request_answer(seat=seat_of(world.a, role), request=request, body="Form B.")

    assert answered.status == "answered"


@pytest.mark.parametrize(("phase", "role"), list(itertools.product(PHASES, ROLES)))
@pytest.mark.parametrize("kind", ["platform", "other"])
def test_other_requests_are_answered_by_staff_only(world, phase, role, kind):
    set_phase(world.a.cohort, phase)
    request = a_request(world.a, kind)
    seat = seat_of(world.a, role)

    if role in STAFF_ONLY:
        assert staff_request_answer(seat=seat, request=request, body="Here.").status == "answered"
    else:
        with pytest.raises(NotAllowed, match="paperwork and payments"):
            staff_request_answer(seat=seat, request=request, body="Here.")
        assert not StaffRequestMessage.objects.filter(from_staff=True).exists()


# The API ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("phase", "role"), list(itertools.product(PHASES, ROLES)))
def test_sharing_through_the_api_follows_the_table(world, api, phase, role):
    cohort = set_phase(world.a.cohort, phase)

    response = signed_in(api, getattr(world.a, role)).post(
        "/api/v1/best-practices/",
        {"cohort": cohort.pk, "practice": "savings-circle", "body": "Families saved together."},
        format="json",
    )

    if phase == 2:
        assert response.status_code == 201
        assert BestPracticeShare.objects.count() == 1
    else:
        assert response.status_code == 403
        assert "phase I" in response.json()["message"]
        assert not BestPracticeShare.objects.exists()


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


def survey_sent_back(tenant) -> SurveyResponse:
    """A survey its family may still change: staff asked for a correction."""
    survey = survey_create(
        seat=FamilySeat(user=tenant.friend_member, family=tenant.friend_family),
        period=timezone.localdate(),
        answers=ANSWERS,
        submit=True,
    )
    return survey_request_correction(
        seat=seat_of(tenant, STAFF), response=survey, reason="missing_answer", note="Savings?"
    )


@pytest.mark.parametrize(("phase", "role"), list(itertools.product(PHASES, ROLES)))
def test_no_endpoint_lets_staff_change_a_familys_survey_answers(world, api, phase, role):
    set_phase(world.a.cohort, phase)
    survey = survey_sent_back(world.a)

    response = signed_in(api, getattr(world.a, role)).patch(
        f"/api/v1/surveys/{survey.pk}/",
        {"answers": {"savings_balance": "5000.00"}, "submit": True},
        format="json",
    )

    assert response.status_code == 403
    survey.refresh_from_db()
    assert (survey.answers["savings_balance"], survey.state) == ("80.00", "needs_correction")


@pytest.mark.parametrize(("phase", "role"), list(itertools.product(PHASES, ROLES)))
def test_no_endpoint_lets_staff_post_in_a_familys_feed(world, api, phase, role):
    set_phase(world.a.cohort, phase)
    client = signed_in(api, getattr(world.a, role))

    response = client.post(
        "/api/v1/posts/", {"body": "Try the savings circle!", "visibility": "cohort"}, format="json"
    )

    assert response.status_code == 403
    assert not Post.objects.exists()


@pytest.mark.parametrize(("phase", "role"), list(itertools.product(PHASES, ROLES)))
def test_no_endpoint_lets_staff_comment_or_react_on_a_familys_post(world, api, phase, role):
    set_phase(world.a.cohort, phase)
    world.a.seed_family.share_posts_with_staff = True
    world.a.seed_family.save(update_fields=["share_posts_with_staff"])
    post = post_create(
        seat=FamilySeat(user=world.a.seed_member, family=world.a.seed_family),
        body="We opened a savings account!",
    )
    client = signed_in(api, getattr(world.a, role))

    comment = client.post(f"/api/v1/posts/{post.pk}/comments/", {"body": "Well done"})
    reaction = client.post(f"/api/v1/posts/{post.pk}/reactions/", {"kind": "cheer"})

    assert (comment.status_code, reaction.status_code) == (403, 403)
    assert (post.comments.count(), post.reactions.count()) == (0, 0)
