"""The monthly scoring: known points from hand-made verified data; unverified data never
counts; partners never mix; re-running is idempotent and leaves staff's decisions alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from changemakers import trends
from changemakers.models import Candidate, FamilyMonth
from changemakers.scoring import candidates_compute
from changemakers.tests import candidate_data as data
from changemakers.tests.candidate_data import AUGUST, JULY, OCTOBER, SEPTEMBER
from families.models import Tie
from surveys.models import SurveyResponse
from tests import factories
from ventures.models import Pledge, VentureUpdate

pytestmark = pytest.mark.django_db

UNVERIFIED = SurveyResponse.State.SUBMITTED


@pytest.fixture
def month(world):
    """Partner A's October: group 1 (seed, friend, two more) and group 2 (two families).

    seed: income +35% (20), net +12% (10), helped 2 families of group 2 (10), 2 tied families
          took up the savings circle it began (10), 2 verified stories (10), owns part of the
          group venture (10): 70.
    friend: income +60% (30), owns part of the group venture (10): 40.
    """
    a = world.a
    seed, friend = a.seed_family, a.friend_family
    third = factories.FamilyFactory(group=a.group, name="Third household A")
    fourth = factories.FamilyFactory(group=a.group, name="Fourth household A")
    other_group = factories.GroupFactory(cohort=a.cohort, name="Group A2")
    near = factories.FamilyFactory(group=other_group, name="Near household A")
    far = factories.FamilyFactory(group=other_group, name="Far household A")

    # Verified months of October.
    data.family_month(seed, SEPTEMBER, income_business=100)
    data.family_month(friend, SEPTEMBER, income_business=100)
    data.family_month(
        seed, OCTOBER, improved=True, income_change_pct=35, net_change_pct=12, income_business=150
    )
    data.family_month(friend, OCTOBER, improved=True, income_change_pct=60, income_business=100)
    # Income up, but bought with debt: not better off, no points.
    data.family_month(third, OCTOBER, improved=False, income_change_pct=80, net_change_pct=-30)
    data.family_month(near, OCTOBER, improved=True, income_change_pct=10)

    # Help across groups: confirmed counts; unconfirmed, same-group or too old does not.
    data.helped(seed, near, SEPTEMBER.replace(day=14))
    data.helped(seed, far, OCTOBER.replace(day=3))
    data.helped(seed, far, OCTOBER.replace(day=20))  # the same family again
    data.helped(seed, friend, OCTOBER.replace(day=5))  # same group
    data.helped(friend, near, OCTOBER.replace(day=5), confirmed=False)
    data.helped(friend, far, JULY.replace(day=5))  # before the three months

    # A practice the seed began in July, then families tied to it took up.
    circle = data.practice(a.partner)
    data.reported(seed, circle, JULY)
    data.reported(near, circle, SEPTEMBER)
    data.reported(friend, circle, OCTOBER)
    data.reported(fourth, circle, OCTOBER)  # no tie with the seed: not counted
    data.reported(far, circle, AUGUST, state=UNVERIFIED)  # tied, but never verified
    data.tie(seed, near)
    data.tie(seed, friend, kind=Tie.Kind.BONDING, reason=Tie.Reason.INVITED)
    data.tie(seed, far)

    # Stories: verified ones of the last three months.
    data.story(seed, OCTOBER.replace(day=2))
    data.story(seed, AUGUST.replace(day=30))
    data.story(seed, JULY.replace(day=30))  # too old
    data.story(friend, OCTOBER.replace(day=9), verified=False)
    data.story(near, OCTOBER.replace(day=9))

    # The group's venture, funded.
    kitchen = data.venture([seed, friend], group=a.group)
    the_ask = data.ask(kitchen)
    data.pledge(the_ask, a.funder, "500.00", made=OCTOBER.replace(day=4))
    data.pledge(
        the_ask,
        data.another_funder(),
        "200.00",
        status=Pledge.Status.RECEIVED,
        made=SEPTEMBER.replace(day=4),
        received=OCTOBER.replace(day=6),
    )
    data.pledge(
        the_ask,
        data.another_funder("gone@example.org"),
        "250.00",
        status=Pledge.Status.FELL_THROUGH,
        made=OCTOBER.replace(day=4),
    )
    # What the venture says of its own month is not verified: never read.
    VentureUpdate.objects.create(
        partner=a.partner, venture=kitchen, period=OCTOBER, revenue=99999, costs=0
    )
    return {
        "seed": seed,
        "friend": friend,
        "third": third,
        "fourth": fourth,
        "near": near,
        "far": far,
        "group": a.group,
        "other_group": other_group,
        "kitchen": kitchen,
        "circle": circle,
    }


def _candidates(tenant, kind):
    return list(Candidate.objects.filter(partner=tenant.partner, kind=kind, period=OCTOBER))


def test_the_seed_family_ranks_first_with_its_reasons(world, month):
    candidates_compute(world.a.partner.pk, OCTOBER)
    families = _candidates(world.a, "family")
    assert [(c.family, c.score) for c in families] == [(month["seed"], 70), (month["friend"], 40)]
    seed = families[0]
    assert seed.subject_key == f"family:{month['seed'].pk}"
    assert seed.cohort == world.a.cohort
    assert seed.state == Candidate.State.SURFACED
    assert seed.reasons == [
        {"code": "income_up", "points": 20, "values": {"percent": "35"}},
        {"code": "net_up", "points": 10, "values": {"percent": "12"}},
        {"code": "help_across_groups", "points": 10, "values": {"families": 2, "exchanges": 3}},
        {
            "code": "practice_followed",
            "points": 10,
            "values": {
                "families": 2,
                "practice": "savings-circle",
                "practice_names": {"en": "Savings circle", "es": "Círculo"},
            },
        },
        {"code": "stories", "points": 10, "values": {"stories": 2}},
        {"code": "group_venture", "points": 10, "values": {"ventures": 1}},
    ]
    assert families[1].reasons == [
        {"code": "income_up", "points": 30, "values": {"percent": "60"}},
        {"code": "group_venture", "points": 10, "values": {"ventures": 1}},
    ]


def test_groups_and_ventures_are_scored(world, month):
    surfaced = candidates_compute(world.a.partner.pk, OCTOBER)
    (group,) = _candidates(world.a, "group")
    assert group.group == month["group"]
    # 2 of 3 verified families better off (20), one venture (10), 2 families of group 2 helped
    # (6), 2 stories (6). Group 2 has one verified family and a story: below the threshold.
    assert group.reasons == [
        {
            "code": "group_improved",
            "points": 20,
            "values": {"improved": 2, "families": 3, "percent": "67"},
        },
        {"code": "group_ventures", "points": 10, "values": {"ventures": 1}},
        {"code": "group_help_across_groups", "points": 6, "values": {"families": 2}},
        {"code": "group_stories", "points": 6, "values": {"stories": 2}},
    ]
    assert group.score == 42
    (venture,) = _candidates(world.a, "venture")
    assert venture.venture == month["kitchen"]
    # Owners' business income 200 at the baseline, 250 now: +25% (20). Pledges of the last
    # three months still standing: 500 + 200 from 2 funders (10); 200 received (15).
    assert venture.reasons == [
        {"code": "collective", "points": 15, "values": {}},
        {"code": "owners_business_up", "points": 20, "values": {"percent": "25"}},
        {
            "code": "funding_pledged",
            "points": 10,
            "values": {"amount": "700.00", "currency": "USD", "funders": 2},
        },
        {
            "code": "funding_received",
            "points": 15,
            "values": {"amount": "200.00", "currency": "USD", "funders": 1},
        },
    ]
    assert venture.score == 60
    assert surfaced == 4


def test_unverified_surveys_and_unconfirmed_help_never_count(world, month):
    # The friend's survey is unverified in November: no month, no candidate, whatever else.
    november = OCTOBER.replace(month=11)
    friend = month["friend"]
    data.survey(friend, november, state=UNVERIFIED)
    data.helped(friend, month["near"], november.replace(day=2), confirmed=False)
    data.story(friend, november.replace(day=2), verified=False)
    assert candidates_compute(world.a.partner.pk, november) == 0
    assert not Candidate.objects.filter(partner=world.a.partner, period=november).exists()


def test_a_family_without_a_verified_month_is_not_scored(world, month):
    # The far family helped four families of group 1 (20) and told three verified stories
    # (15), but has no verified October: it is not scored.
    far = month["far"]
    for family in ("seed", "friend", "third", "fourth"):
        data.helped(far, month[family], OCTOBER.replace(day=8))
    for day in (1, 2, 3):
        data.story(far, OCTOBER.replace(day=day))
    data.survey(far, OCTOBER, state=UNVERIFIED)
    candidates_compute(world.a.partner.pk, OCTOBER)
    keys = set(
        Candidate.objects.filter(partner=world.a.partner).values_list("subject_key", flat=True)
    )
    assert f"family:{far.pk}" not in keys
    assert f"family:{month['third'].pk}" not in keys  # verified, but not better off
    assert f"family:{month['near'].pk}" not in keys  # 10 + 5 points: below the threshold


def test_a_tie_is_what_makes_a_follower(world, month):
    # Without the tie, the family that took up the practice in September no longer counts.
    Tie.objects.filter(partner=world.a.partner, kind=Tie.Kind.BRIDGING).delete()
    candidates_compute(world.a.partner.pk, OCTOBER)
    seed = Candidate.objects.get(partner=world.a.partner, family=month["seed"], period=OCTOBER)
    followed = [r for r in seed.reasons if r["code"] == "practice_followed"]
    assert followed == [
        {
            "code": "practice_followed",
            "points": 5,
            "values": {
                "families": 1,
                "practice": "savings-circle",
                "practice_names": {"en": "Savings circle", "es": "Círculo"},
            },
        }
    ]


def test_partner_b_never_appears_in_partner_a(world, month):
    b = world.b
    data.family_month(b.seed_family, OCTOBER, improved=True, income_change_pct=90)
    data.family_month(b.friend_family, OCTOBER, improved=True, income_change_pct=90)
    data.venture([b.seed_family, b.friend_family], group=b.group, name="B's bakery")
    candidates_compute(world.a.partner.pk, OCTOBER)
    a_rows = Candidate.objects.filter(partner=world.a.partner)
    assert a_rows.count() == 4
    assert not a_rows.filter(cohort=b.cohort).exists()
    assert not Candidate.objects.filter(partner=b.partner).exists()

    # Two families of 40 (income +90%, the group venture); the venture has only its 15.
    assert candidates_compute(b.partner.pk, OCTOBER) == 2
    b_rows = Candidate.objects.filter(partner=b.partner)
    assert {row.cohort_id for row in b_rows} == {b.cohort.pk}
    assert a_rows.count() == 4  # A's untouched by B's run


def test_at_most_five_per_cohort_and_kind_best_first(world):
    a = world.a
    families = [factories.FamilyFactory(group=a.group) for _ in range(7)]
    for number, family in enumerate(families):
        # Income +25% .. +85% (20 points below +50%, 30 from it) and net +60% (20).
        data.family_month(
            family, OCTOBER, improved=True, income_change_pct=25 + 10 * number, net_change_pct=60
        )
    candidates_compute(a.partner.pk, OCTOBER)
    ordered = list(Candidate.objects.filter(partner=a.partner, kind="family"))
    # The four of 50 points, then the first of the three of 40 (the smaller id on a tie).
    assert [(c.family, c.score) for c in ordered] == [
        (families[3], 50),
        (families[4], 50),
        (families[5], 50),
        (families[6], 50),
        (families[0], 40),
    ]


def test_running_twice_gives_the_same_rows(world, month):
    candidates_compute(world.a.partner.pk, OCTOBER)
    first = list(
        Candidate.objects.filter(partner=world.a.partner)
        .order_by("id")
        .values("id", "subject_key", "score", "reasons", "state")
    )
    assert candidates_compute(world.a.partner.pk, OCTOBER) == 4
    again = list(
        Candidate.objects.filter(partner=world.a.partner)
        .order_by("id")
        .values("id", "subject_key", "score", "reasons", "state")
    )
    assert again == first


def test_a_rerun_updates_surfaced_and_removes_those_that_no_longer_qualify(world, month):
    candidates_compute(world.a.partner.pk, OCTOBER)
    friend = Candidate.objects.get(partner=world.a.partner, family=month["friend"])
    # The month is verified again with other figures (a correction): the friend drops out,
    # the seed's income is now +55%.
    FamilyMonth.objects.filter(family=month["friend"], period=OCTOBER).update(income_change_pct=5)
    FamilyMonth.objects.filter(family=month["seed"], period=OCTOBER).update(income_change_pct=55)
    candidates_compute(world.a.partner.pk, OCTOBER)
    assert not Candidate.objects.filter(pk=friend.pk).exists()
    seed = Candidate.objects.get(partner=world.a.partner, family=month["seed"])
    assert seed.reasons[0] == {"code": "income_up", "points": 30, "values": {"percent": "55"}}
    assert seed.score == 80


def test_staff_decisions_survive_a_rerun(world, month):
    candidates_compute(world.a.partner.pk, OCTOBER)
    seed = Candidate.objects.get(partner=world.a.partner, family=month["seed"])
    group = Candidate.objects.get(partner=world.a.partner, kind="group")
    Candidate.objects.filter(pk=seed.pk).update(state=Candidate.State.DISMISSED, score=1)
    Candidate.objects.filter(pk=group.pk).update(state=Candidate.State.NOMINATED)
    # Even when the figures change or no longer qualify, decided rows stay as staff left them.
    FamilyMonth.objects.filter(period=OCTOBER, partner=world.a.partner).update(improved=False)

    surfaced = candidates_compute(world.a.partner.pk, OCTOBER)

    seed.refresh_from_db()
    group.refresh_from_db()
    assert (seed.state, seed.score) == (Candidate.State.DISMISSED, 1)
    assert group.state == Candidate.State.NOMINATED
    assert (
        Candidate.objects.filter(
            partner=world.a.partner, period=OCTOBER, subject_key=seed.subject_key
        ).count()
        == 1
    )
    assert (
        surfaced
        == Candidate.objects.filter(partner=world.a.partner, state=Candidate.State.SURFACED).count()
    )


def test_the_query_count_does_not_grow_with_families(world, month):
    with CaptureQueriesContext(connection) as few:
        candidates_compute(world.a.partner.pk, OCTOBER)
    Candidate.objects.all().delete()
    a = world.a
    for _ in range(30):
        family = factories.FamilyFactory(group=a.group)
        data.family_month(family, OCTOBER, improved=True, income_change_pct=70)
        data.story(family, OCTOBER.replace(day=3))
        data.helped(family, month["near"], OCTOBER.replace(day=3))
        data.reported(family, month["circle"], OCTOBER)
    with CaptureQueriesContext(connection) as many:
        candidates_compute(world.a.partner.pk, OCTOBER)
    assert len(many) == len(few)


def test_a_subject_nominated_in_an_earlier_month_is_not_surfaced_again(world, month):
    data.candidate(world.a, period=SEPTEMBER, state=Candidate.State.NOMINATED)
    dismissed = data.candidate(
        world.a, subject=month["friend"], period=SEPTEMBER, state=Candidate.State.DISMISSED
    )
    candidates_compute(world.a.partner.pk, OCTOBER)
    october = Candidate.objects.filter(partner=world.a.partner, period=OCTOBER, kind="family")
    # The seed was nominated in September; the friend, dismissed then, has a new month.
    assert [c.family for c in october] == [dismissed.family]


def test_a_dismissed_subject_leaves_its_place_to_the_next(world):
    a = world.a
    families = [factories.FamilyFactory(group=a.group) for _ in range(6)]
    for number, family in enumerate(families):
        data.family_month(
            family, OCTOBER, improved=True, income_change_pct=50, net_change_pct=10 + 20 * number
        )
    candidates_compute(a.partner.pk, OCTOBER)
    shown = {c.family_id for c in Candidate.objects.filter(partner=a.partner, kind="family")}
    assert families[0].pk not in shown and len(shown) == 5
    best = Candidate.objects.filter(partner=a.partner, kind="family").first()
    Candidate.objects.filter(pk=best.pk).update(state=Candidate.State.DISMISSED)

    candidates_compute(a.partner.pk, OCTOBER)
    surfaced = Candidate.objects.filter(
        partner=a.partner, kind="family", state=Candidate.State.SURFACED
    )
    assert surfaced.count() == 5
    assert families[0].pk in {c.family_id for c in surfaced}
    assert best.family_id not in {c.family_id for c in surfaced}


def test_months_from_the_trends_job_of_verified_surveys(world):
    """End to end with the trends job: only verified surveys make months, and so points."""
    seed, friend = world.a.seed_family, world.a.friend_family
    answers = {
        "income_wages": "1000",
        "savings_balance": "100",
        "debt_formal": "0",
        "debt_high_cost": "0",
    }
    for family in (seed, friend):
        SurveyResponse.objects.create(
            partner=world.a.partner,
            cohort=world.a.cohort,
            family=family,
            template=data.current_template(world.a.partner),
            period=SEPTEMBER,
            answers=answers,
            state=SurveyResponse.State.VERIFIED,
        )
    better = {
        "income_wages": "1400",
        "savings_balance": "200",
        "debt_formal": "0",
        "debt_high_cost": "0",
    }
    for family, state in ((seed, SurveyResponse.State.VERIFIED), (friend, UNVERIFIED)):
        SurveyResponse.objects.create(
            partner=world.a.partner,
            cohort=world.a.cohort,
            family=family,
            template=data.current_template(world.a.partner),
            period=OCTOBER,
            answers=better,
            state=state,
        )
    trends.recompute_partner(world.a.partner.pk)

    assert candidates_compute(world.a.partner.pk, OCTOBER) == 1
    (only,) = Candidate.objects.filter(partner=world.a.partner)
    assert only.family == seed
    assert only.reasons == [
        {"code": "income_up", "points": 20, "values": {"percent": "40"}},
        {"code": "net_up", "points": 20, "values": {"percent": "100"}},
    ]
