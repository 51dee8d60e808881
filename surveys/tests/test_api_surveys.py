"""The surveys API: a family fills in its month, a liaison verifies it or sends it back, and
verifying accrues the partner's stipend exactly once."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts import policy
from accounts.models import AuditEvent, Role
from surveys import services
from surveys.models import Review, Stipend, SurveyResponse, SurveyRevision
from tests import clock, factories
from tests.seats import friend_seat, seed_seat, signed_in

SURVEYS = "/api/v1/surveys/"
STIPENDS = "/api/v1/stipends/"
PAGE_KEYS = {"count", "next", "previous", "results"}
OTHERS = ["admin", "staff", "liaison", "family", "funder", "no role"]

ANSWERS = {
    "income_wages": "1200.00",
    "income_business": "0",
    "income_benefits": "150.5",
    "income_other": "0",
    "savings_balance": "80",
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


def survey_url(survey) -> str:
    return f"/api/v1/surveys/{survey.pk}/"


def verify_url(survey) -> str:
    return f"/api/v1/surveys/{survey.pk}/verify/"


def correction_url(survey) -> str:
    return f"/api/v1/surveys/{survey.pk}/request-correction/"


def submitted(tenant, period=clock.period(-2), seat=None, **changes) -> SurveyResponse:
    return services.survey_create(
        seat=seat or seed_seat(tenant),
        period=period,
        answers={**ANSWERS, **changes},
        submit=True,
    )


def draft(tenant, period=clock.period(-2)) -> SurveyResponse:
    return services.survey_create(
        seat=seed_seat(tenant), period=period, answers={"income_wages": "900"}
    )


def verified(tenant, period=clock.period(-2), seat=None) -> SurveyResponse:
    survey = submitted(tenant, period, seat=seat)
    staff = policy.access_partner(tenant.staff, tenant.partner.slug)
    return services.survey_verify(seat=staff, response=survey)


def sent_back(tenant, period=clock.period(-2)) -> SurveyResponse:
    survey = submitted(tenant, period)
    staff = policy.access_partner(tenant.staff, tenant.partner.slug)
    return services.survey_request_correction(
        seat=staff, response=survey, reason="missing_answer", note="Savings are missing."
    )


def unassigned_liaison(tenant):
    """A liaison of the same partner who is not assigned to the tenant's cohort."""
    user = factories.UserFactory(email=f"other-liaison-{tenant.partner.slug}@example.org")
    factories.MembershipFactory(partner=tenant.partner, user=user, role=Role.LIAISON)
    factories.enable_totp(user)
    other = factories.CohortFactory(partner=tenant.partner, name="Other cohort")
    other.liaisons.add(user)
    return user


def next_month() -> str:
    first = timezone.localdate().replace(day=1)
    return (first + datetime.timedelta(days=32)).strftime("%Y-%m")


def rows() -> dict:
    """Everything a survey request might write."""
    return {
        "surveys": SurveyResponse.objects.count(),
        "revisions": SurveyRevision.objects.count(),
        "reviews": Review.objects.count(),
        "stipends": Stipend.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def new_survey_body(**changes):
    body = {"period": clock.period(-2), "answers": dict(ANSWERS), "submit": True}
    body.update(changes)
    return body


# Filling in a month --------------------------------------------------------------------------


def test_a_family_fills_in_a_month_and_sends_it_for_verification(world, api):
    response = signed_in(api, world.a.seed_member).post(SURVEYS, new_survey_body(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["period"] == clock.period(-2)
    assert body["state"] == "submitted"
    assert body["family"] == {"id": world.a.seed_family.pk, "name": "Seed household A"}
    assert body["currency"] == "USD"
    assert body["answers"]["income_wages"] == "1200.00"
    assert body["answers"]["income_benefits"] == "150.50"
    assert body["answers"]["adults_working"] == 1
    assert body["flags"] == []
    assert body["editable"] is False
    assert body["correction"] is None
    assert "revisions" not in body and "reviews" not in body
    survey = SurveyResponse.objects.get()
    assert (survey.pk, survey.family, survey.created_by) == (
        body["id"],
        world.a.seed_family,
        world.a.seed_member,
    )


def test_a_family_keeps_a_draft_with_only_some_answers(world, api):
    response = signed_in(api, world.a.seed_member).post(
        SURVEYS, {"period": clock.period(-1), "answers": {"income_wages": "950.5"}}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["state"] == "draft"
    assert response.json()["answers"] == {"income_wages": "950.50"}
    assert response.json()["editable"] is True


def test_money_answered_as_a_json_number_is_stored_as_a_decimal_string(world, api):
    response = signed_in(api, world.a.seed_member).post(
        SURVEYS, new_survey_body(answers={**ANSWERS, "savings_balance": 80.25}), format="json"
    )

    assert response.status_code == 201
    assert response.json()["answers"]["savings_balance"] == "80.25"


def test_a_second_survey_for_the_same_month_is_a_conflict(world, api):
    submitted(world.a, clock.period(-2))

    response = signed_in(api, world.a.seed_member).post(SURVEYS, new_survey_body(), format="json")

    assert response.status_code == 409
    assert "period" in response.json()["errors"]
    # The month named as the family reads it, not as a machine writes it.
    assert response.json()["message"] == f"There is already a survey for {clock.month_label(-2)}."
    assert SurveyResponse.objects.count() == 1


def test_another_family_of_the_group_fills_in_its_own_month(world, api):
    submitted(world.a, clock.period(-2))

    response = signed_in(api, world.a.friend_member).post(SURVEYS, new_survey_body(), format="json")

    assert response.status_code == 201
    assert response.json()["family"]["id"] == world.a.friend_family.pk


@pytest.mark.parametrize("role", ["admin", "staff", "liaison"])
def test_staff_and_liaisons_do_not_fill_in_families_surveys(world, api, role):
    before = rows()

    response = signed_in(api, getattr(world.a, role)).post(
        SURVEYS, new_survey_body(), format="json"
    )

    assert response.status_code == 403
    assert response.json()["message"] == "Staff and liaisons do not fill in families' surveys."
    assert rows() == before


@pytest.mark.parametrize("who", ["funder", "outsider"])
def test_people_without_a_family_cannot_fill_in_a_survey(world, api, who):
    user = world.a.funder if who == "funder" else world.outsider

    response = signed_in(api, user).post(SURVEYS, new_survey_body(), format="json")

    assert response.status_code == 403
    assert SurveyResponse.objects.count() == 0


def test_signing_in_is_required(world, api):
    assert api.get(SURVEYS).status_code in (401, 403)
    assert api.post(SURVEYS, new_survey_body(), format="json").status_code in (401, 403)
    assert SurveyResponse.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"answers": {**ANSWERS, "income_wages": "-5"}}, "answers.income_wages"),
        ({"answers": {**ANSWERS, "savings_balance": "lots"}}, "answers.savings_balance"),
        ({"answers": {**ANSWERS, "debt_formal": "NaN"}}, "answers.debt_formal"),
        ({"answers": {**ANSWERS, "debt_formal": "1e9"}}, "answers.debt_formal"),
        ({"answers": {**ANSWERS, "income_other": "1000000"}}, "answers.income_other"),
        ({"answers": {**ANSWERS, "income_other": "12.345"}}, "answers.income_other"),
        ({"answers": {**ANSWERS, "lottery_winnings": "5"}}, "answers.lottery_winnings"),
        ({"answers": {**ANSWERS, "adults_working": "two"}}, "answers.adults_working"),
        ({"answers": {**ANSWERS, "housing": "castle"}}, "answers.housing"),
        ({"answers": {**ANSWERS, "practices": ["not-a-practice"]}}, "answers.practices"),
        ({"answers": ["income_wages", "12"]}, "answers"),
        ({"answers": {k: v for k, v in ANSWERS.items() if k != "income_wages"}}, None),
        ({"period": "2026-13"}, "period"),
        ({"period": "October"}, "period"),
        ({"period": ""}, "period"),
        ({"period": clock.period(-7)}, "period"),  # before the cohort started
        ({"submit": "perhaps"}, "submit"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(world, api, changes, field):
    before = rows()

    response = signed_in(api, world.a.seed_member).post(
        SURVEYS, new_survey_body(**changes), format="json"
    )

    assert response.status_code == 400
    # A missing required money answer on submit is named after its key.
    assert (field or "answers.income_wages") in response.json()["errors"]
    assert response.json()["message"]
    assert rows() == before


def test_a_month_that_has_not_come_yet_is_refused(world, api):
    before = rows()

    response = signed_in(api, world.a.seed_member).post(
        SURVEYS, new_survey_body(period=next_month()), format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"]["period"] == ["This month has not come yet."]
    assert rows() == before


def test_a_missing_period_is_named(world, api):
    body = new_survey_body()
    del body["period"]

    response = signed_in(api, world.a.seed_member).post(SURVEYS, body, format="json")

    assert response.status_code == 400
    assert "period" in response.json()["errors"]
    assert SurveyResponse.objects.count() == 0


def test_money_at_or_above_the_partners_ceiling_is_refused(world, api):
    world.a.partner.survey_money_ceiling = Decimal("5000.00")
    world.a.partner.save()
    before = rows()

    too_much = signed_in(api, world.a.seed_member).post(
        SURVEYS, new_survey_body(answers={**ANSWERS, "income_wages": "5000"}), format="json"
    )

    assert too_much.status_code == 400
    assert "answers.income_wages" in too_much.json()["errors"]
    assert rows() == before
    just_below = api.post(
        SURVEYS, new_survey_body(answers={**ANSWERS, "income_wages": "4999.99"}), format="json"
    )
    assert just_below.status_code == 201


def test_several_bad_answers_are_all_named_at_once(world, api):
    response = signed_in(api, world.a.seed_member).post(
        SURVEYS,
        new_survey_body(answers={**ANSWERS, "income_wages": "-1", "savings_balance": "x"}),
        format="json",
    )

    assert response.status_code == 400
    assert {"answers.income_wages", "answers.savings_balance"} <= set(response.json()["errors"])


def test_a_retried_post_with_the_same_idempotency_key_creates_one_survey(world, api):
    client = signed_in(api, world.a.seed_member)

    first = client.post(
        SURVEYS, new_survey_body(), format="json", HTTP_IDEMPOTENCY_KEY="month-2026-10"
    )
    again = client.post(
        SURVEYS, new_survey_body(), format="json", HTTP_IDEMPOTENCY_KEY="month-2026-10"
    )

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert SurveyResponse.objects.count() == 1
    assert SurveyRevision.objects.count() == 1


def test_a_refused_post_can_be_fixed_and_retried_with_its_key(world, api):
    client = signed_in(api, world.a.seed_member)
    bad = new_survey_body(answers={**ANSWERS, "income_wages": "-1"})

    assert client.post(SURVEYS, bad, format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code == 400
    fixed = client.post(SURVEYS, new_survey_body(), format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert fixed.status_code == 201
    assert SurveyResponse.objects.count() == 1


# Lists ------------------------------------------------------------------------------------------


def test_a_family_lists_only_its_own_surveys_newest_month_first(world, api):
    submitted(world.a, clock.period(-3))
    submitted(world.a, clock.period(-2))
    submitted(world.a, clock.period(-2), seat=friend_seat(world.a))
    submitted(world.b, clock.period(-2))

    body = signed_in(api, world.a.seed_member).get(SURVEYS).json()

    assert set(body) == PAGE_KEYS
    assert [s["period"] for s in body["results"]] == [clock.period(-2), clock.period(-3)]
    assert {s["family"]["id"] for s in body["results"]} == {world.a.seed_family.pk}
    assert all(s["currency"] == "USD" for s in body["results"])


def test_a_family_filters_its_surveys_by_month_and_state(world, api):
    submitted(world.a, clock.period(-3))
    draft(world.a, clock.period(-2))
    client = signed_in(api, world.a.seed_member)

    by_month = client.get(SURVEYS, {"period": clock.period(-3)}).json()["results"]
    drafts = client.get(SURVEYS, {"state": "draft"}).json()["results"]

    assert [s["period"] for s in by_month] == [clock.period(-3)]
    assert [s["period"] for s in drafts] == [clock.period(-2)]


def test_a_liaison_lists_the_surveys_of_the_cohorts_assigned_to_them(world, api):
    mine = submitted(world.a, clock.period(-2))
    submitted(world.b, clock.period(-2))
    liaison = unassigned_liaison(world.a)

    assigned = signed_in(api, world.a.liaison).get(SURVEYS)
    unassigned = signed_in(api, liaison).get(SURVEYS)

    assert assigned.status_code == unassigned.status_code == 200
    assert [s["id"] for s in assigned.json()["results"]] == [mine.pk]
    assert set(unassigned.json()) == PAGE_KEYS
    assert unassigned.json()["count"] == 0


def test_staff_list_every_survey_of_their_partner_with_its_currency(world, api):
    submitted(world.a, clock.period(-2))
    submitted(world.a, clock.period(-2), seat=friend_seat(world.a))
    submitted(world.b, clock.period(-2))

    body = signed_in(api, world.b.staff).get(SURVEYS).json()

    assert body["count"] == 1
    assert body["results"][0]["currency"] == "LRD"
    assert body["results"][0]["family"]["id"] == world.b.seed_family.pk


def test_staff_filter_by_cohort_month_and_state(world, api):
    waiting = submitted(world.a, clock.period(-2))
    done = verified(world.a, clock.period(-3))
    other_cohort = factories.CohortFactory(partner=world.a.partner, name="Second cohort")
    client = signed_in(api, world.a.staff)

    def ids(params):
        response = client.get(SURVEYS, params)
        assert response.status_code == 200
        return [s["id"] for s in response.json()["results"]]

    assert ids({"cohort": world.a.cohort.pk}) == [waiting.pk, done.pk]
    assert ids({"cohort": other_cohort.pk}) == []
    assert ids({"period": clock.period(-3)}) == [done.pk]
    assert ids({"state": "submitted"}) == [waiting.pk]
    assert ids({"state": "verified", "cohort": world.a.cohort.pk}) == [done.pk]


def test_a_liaison_asking_for_a_cohort_not_assigned_to_them_gets_404(world, api):
    submitted(world.a, clock.period(-2))

    response = signed_in(api, unassigned_liaison(world.a)).get(
        SURVEYS, {"cohort": world.a.cohort.pk}
    )

    assert response.status_code == 404


def test_staff_asking_for_another_partners_cohort_get_404(world, api):
    response = signed_in(api, world.b.staff).get(SURVEYS, {"cohort": world.a.cohort.pk})

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "oops"}, "period"),
        ({"period": "2026-00"}, "period"),
        ({"state": "lost"}, "state"),
        ({"cohort": "abc"}, "cohort"),
    ],
)
def test_bad_list_filters_are_a_400_naming_the_parameter(world, api, params, field):
    response = signed_in(api, world.a.staff).get(SURVEYS, params)

    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize("who", ["funder", "outsider"])
def test_people_without_a_family_or_a_role_cannot_list_surveys(world, api, who):
    submitted(world.a, clock.period(-2))
    user = world.a.funder if who == "funder" else world.outsider

    assert signed_in(api, user).get(SURVEYS).status_code == 403


def _many_surveys(tenant, n: int) -> None:
    template = services.current_template(tenant.partner)
    families = [
        factories.FamilyFactory(group=tenant.group, name=f"Household {i:03d}") for i in range(n)
    ]
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            partner=tenant.partner,
            cohort=tenant.cohort,
            family=family,
            template=template,
            period=clock.month(-2),
            answers=ANSWERS,
            state=SurveyResponse.State.SUBMITTED,
        )
        for family in families
    )


@pytest.mark.parametrize("n", [10, 100])
def test_the_staff_list_takes_the_same_queries_for_10_or_100_surveys(
    world, api, django_assert_max_num_queries, n
):
    _many_surveys(world.a, n)
    client = signed_in(api, world.a.liaison)

    with django_assert_max_num_queries(8):
        response = client.get(SURVEYS, {"page_size": 100})

    assert response.status_code == 200
    assert response.json()["count"] == n


# One survey -------------------------------------------------------------------------------------


def test_a_family_reads_its_own_survey_with_the_correction_asked_for(world, api):
    survey = sent_back(world.a)

    body = signed_in(api, world.a.seed_member).get(survey_url(survey)).json()

    assert body["state"] == "needs_correction"
    assert body["editable"] is True
    assert body["correction"]["reason"] == "missing_answer"
    assert body["correction"]["reason_label"] == "An answer is missing"
    assert body["correction"]["note"] == "Savings are missing."
    assert "reviews" not in body and "revisions" not in body


@pytest.mark.parametrize("role", ["admin", "staff", "liaison"])
def test_liaisons_and_staff_read_a_survey_with_its_revisions_and_reviews(world, api, role):
    survey = sent_back(world.a)
    services.survey_update(
        seat=seed_seat(world.a),
        response=survey,
        answers={"savings_balance": "95"},
        submit=True,
    )

    body = signed_in(api, getattr(world.a, role)).get(survey_url(survey)).json()

    assert body["state"] == "resubmitted"
    assert [r["number"] for r in body["revisions"]] == [1, 2]
    assert body["revisions"][1]["changes"] == [
        {"key": "savings_balance", "before": "80.00", "after": "95.00"}
    ]
    assert body["revisions"][1]["created_by"]["id"] == world.a.seed_member.pk
    [review] = body["reviews"]
    assert (review["action"], review["reason"], review["reviewer"]["id"]) == (
        "request_correction",
        "missing_answer",
        world.a.staff.pk,
    )


@pytest.mark.parametrize("seat", OTHERS)
def test_another_partners_people_get_404_for_a_survey(world, api, seat):
    survey = submitted(world.a)
    client = signed_in(api, other_partner(world, seat))

    assert client.get(survey_url(survey)).status_code == 404
    assert client.patch(survey_url(survey), {"answers": {}}, format="json").status_code == 404
    assert client.post(verify_url(survey), {}, format="json").status_code == 404
    assert (
        client.post(correction_url(survey), {"reason": "other", "note": "x"}, format="json")
    ).status_code == 404
    assert SurveyResponse.objects.get().state == "submitted"
    assert Stipend.objects.count() == 0


def test_another_family_of_the_same_group_gets_404_for_a_survey(world, api):
    survey = draft(world.a)
    client = signed_in(api, world.a.friend_member)

    assert client.get(survey_url(survey)).status_code == 404
    before = rows()
    response = client.patch(
        survey_url(survey), {"answers": {"income_wages": "1"}, "submit": True}, format="json"
    )
    assert response.status_code == 404
    assert rows() == before
    assert SurveyResponse.objects.get().answers == {"income_wages": "900.00"}


def test_a_liaison_outside_the_cohort_gets_404_for_a_survey(world, api):
    survey = submitted(world.a)
    client = signed_in(api, unassigned_liaison(world.a))

    assert client.get(survey_url(survey)).status_code == 404
    assert client.post(verify_url(survey), {}, format="json").status_code == 404
    assert (
        client.post(correction_url(survey), {"reason": "inconsistent"}, format="json")
    ).status_code == 404
    assert SurveyResponse.objects.get().state == "submitted"


def test_the_partners_funder_gets_404_for_a_survey(world, api):
    survey = submitted(world.a)

    assert signed_in(api, world.a.funder).get(survey_url(survey)).status_code == 404


def test_a_missing_survey_is_404(world, api):
    assert signed_in(api, world.a.staff).get("/api/v1/surveys/999999/").status_code == 404


# Changing a survey ------------------------------------------------------------------------------


def test_a_family_finishes_its_draft_and_sends_it(world, api):
    survey = draft(world.a)

    response = signed_in(api, world.a.seed_member).patch(
        survey_url(survey), {"answers": ANSWERS, "submit": True}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["state"] == "submitted"
    assert response.json()["answers"]["income_wages"] == "1200.00"
    assert SurveyRevision.objects.filter(response=survey).count() == 2


def test_saving_a_draft_keeps_the_answers_not_sent(world, api):
    survey = draft(world.a)

    response = signed_in(api, world.a.seed_member).patch(
        survey_url(survey), {"answers": {"savings_balance": "12"}}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["state"] == "draft"
    assert response.json()["answers"] == {"income_wages": "900.00", "savings_balance": "12.00"}


def test_a_survey_sent_back_is_resubmitted_when_corrected(world, api):
    survey = sent_back(world.a)

    response = signed_in(api, world.a.seed_member).patch(
        survey_url(survey), {"answers": {"savings_balance": "95"}, "submit": True}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["state"] == "resubmitted"


@pytest.mark.parametrize("make", [submitted, verified])
def test_a_survey_that_was_sent_or_verified_cannot_be_changed(world, api, make):
    survey = make(world.a)
    before = rows()

    response = signed_in(api, world.a.seed_member).patch(
        survey_url(survey), {"answers": {"income_wages": "1"}}, format="json"
    )

    assert response.status_code == 409
    assert rows() == before
    survey.refresh_from_db()
    assert survey.answers["income_wages"] == "1200.00"


@pytest.mark.parametrize("role", ["admin", "staff", "liaison"])
def test_staff_and_liaisons_cannot_change_a_familys_survey(world, api, role):
    survey = sent_back(world.a)
    before = rows()

    response = signed_in(api, getattr(world.a, role)).patch(
        survey_url(survey), {"answers": {"income_wages": "1"}}, format="json"
    )

    assert response.status_code == 403
    assert rows() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"answers": {"income_wages": "-5"}}, "answers.income_wages"),
        ({"answers": {"income_wages": "abc"}}, "answers.income_wages"),
        ({"answers": {"income_wages": "1000000"}}, "answers.income_wages"),
        ({"answers": {"favourite_colour": "blue"}}, "answers.favourite_colour"),
        ({"answers": "income_wages=5"}, "answers"),
        ({"answers": {"income_wages": "5"}, "submit": True}, "answers.savings_balance"),
    ],
)
def test_bad_changes_are_a_400_naming_the_field_and_write_nothing(world, api, changes, field):
    survey = draft(world.a)
    before = rows()

    response = signed_in(api, world.a.seed_member).patch(survey_url(survey), changes, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert rows() == before
    survey.refresh_from_db()
    assert (survey.state, survey.answers) == ("draft", {"income_wages": "900.00"})


# Verifying --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "liaison"])
def test_the_cohorts_liaison_or_staff_verify_and_the_stipend_accrues(world, api, role):
    world.a.partner.stipend_amount = Decimal("37.50")
    world.a.partner.save()
    survey = submitted(world.a)

    response = signed_in(api, getattr(world.a, role)).post(
        verify_url(survey), {"evidence": "pay stub seen"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["survey"]["state"] == "verified"
    assert body["survey"]["verified_at"]
    assert body["survey"]["reviews"][0]["evidence"] == "pay stub seen"
    assert body["stipend"]["amount"] == "37.50"
    assert body["stipend"]["currency"] == "USD"
    assert body["stipend"]["status"] == "accrued"
    assert body["stipend"]["survey"] == {"id": survey.pk, "period": clock.period(-2)}
    stipend = Stipend.objects.get()
    assert (stipend.survey, stipend.amount) == (survey, Decimal("37.50"))


def test_verifying_twice_is_a_conflict_and_still_one_stipend(world, api):
    survey = submitted(world.a)
    client = signed_in(api, world.a.liaison)

    assert client.post(verify_url(survey), {}, format="json").status_code == 200
    again = client.post(verify_url(survey), {}, format="json")

    assert again.status_code == 409
    assert Stipend.objects.count() == 1
    assert Review.objects.filter(action="verify").count() == 1


def test_a_verify_retried_with_its_idempotency_key_answers_the_same(world, api):
    survey = submitted(world.a)
    client = signed_in(api, world.a.liaison)

    first = client.post(verify_url(survey), {}, format="json", HTTP_IDEMPOTENCY_KEY="v-1")
    again = client.post(verify_url(survey), {}, format="json", HTTP_IDEMPOTENCY_KEY="v-1")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert Stipend.objects.count() == 1


@pytest.mark.parametrize(
    ("make", "status"), [(draft, 404), (lambda tenant: sent_back(tenant), 409)]
)
def test_only_a_survey_waiting_for_verification_can_be_verified(world, api, make, status):
    # A draft is still the family's: staff do not even see it.
    survey = make(world.a)
    before = rows()

    response = signed_in(api, world.a.staff).post(verify_url(survey), {}, format="json")

    assert response.status_code == status
    assert rows() == before


def test_staff_do_not_see_a_familys_drafts(world, api):
    survey = draft(world.a)
    sent = submitted(world.a, seat=friend_seat(world.a))
    client = signed_in(api, world.a.staff)
    assert client.get(survey_url(survey)).status_code == 404
    response = client.get("/api/v1/surveys/")
    assert response.status_code == 200
    assert [s["id"] for s in response.json()["results"]] == [sent.pk]


def test_a_family_cannot_verify_its_own_survey(world, api):
    survey = submitted(world.a)

    response = signed_in(api, world.a.seed_member).post(verify_url(survey), {}, format="json")

    assert response.status_code == 403
    assert Stipend.objects.count() == 0
    assert SurveyResponse.objects.get().state == "submitted"


def test_another_family_of_the_cohort_gets_404_verifying(world, api):
    survey = submitted(world.a)

    response = signed_in(api, world.a.friend_member).post(verify_url(survey), {}, format="json")

    assert response.status_code == 404
    assert Stipend.objects.count() == 0


def test_evidence_too_long_is_a_400_and_nothing_is_verified(world, api):
    survey = submitted(world.a)
    before = rows()

    response = signed_in(api, world.a.liaison).post(
        verify_url(survey), {"evidence": "x" * 301}, format="json"
    )

    assert response.status_code == 400
    assert "evidence" in response.json()["errors"]
    assert rows() == before


# Asking for a correction ------------------------------------------------------------------------


def test_a_liaison_sends_a_survey_back_with_a_reason(world, api):
    survey = submitted(world.a)

    response = signed_in(api, world.a.liaison).post(
        correction_url(survey),
        {"reason": "inconsistent", "note": "Savings fell by half."},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["state"] == "needs_correction"
    assert response.json()["correction"]["note"] == "Savings fell by half."
    review = Review.objects.get()
    assert (review.reviewer, review.reason) == (world.a.liaison, "inconsistent")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"note": "Something is off."}, "reason"),
        ({"reason": "", "note": "Something is off."}, "reason"),
        ({"reason": "dislike", "note": "Something is off."}, "reason"),
        ({"reason": "other"}, "note"),
        ({"reason": "other", "note": "   "}, "note"),
        ({"reason": "inconsistent", "note": "x" * 2001}, "note"),
    ],
)
def test_a_correction_needs_a_reason_and_a_bad_one_writes_nothing(world, api, body, field):
    survey = submitted(world.a)
    before = rows()

    response = signed_in(api, world.a.liaison).post(correction_url(survey), body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert rows() == before
    assert SurveyResponse.objects.get().state == "submitted"


def test_a_verified_survey_cannot_be_sent_back(world, api):
    survey = verified(world.a)

    response = signed_in(api, world.a.liaison).post(
        correction_url(survey), {"reason": "needs_evidence"}, format="json"
    )

    assert response.status_code == 409
    assert SurveyResponse.objects.get().state == "verified"


def test_a_family_cannot_send_its_own_survey_back(world, api):
    survey = submitted(world.a)

    response = signed_in(api, world.a.seed_member).post(
        correction_url(survey), {"reason": "other", "note": "oops"}, format="json"
    )

    assert response.status_code == 403
    assert Review.objects.count() == 0


# The whole month --------------------------------------------------------------------------------


def test_a_month_from_submission_to_the_stipend(world, api):
    world.a.partner.stipend_amount = Decimal("42.00")
    world.a.partner.save()
    family = signed_in(api, world.a.seed_member)
    answers = {k: v for k, v in ANSWERS.items()}
    created = family.post(
        SURVEYS, {"period": clock.period(-2), "answers": answers, "submit": True}, format="json"
    ).json()
    url = f"{SURVEYS}{created['id']}/"

    liaison = signed_in(api, world.a.liaison)
    sent = liaison.post(
        f"{url}request-correction/", {"reason": "needs_evidence", "note": "Wages?"}, format="json"
    )
    assert sent.json()["state"] == "needs_correction"

    family = signed_in(api, world.a.seed_member)
    assert family.get(url).json()["correction"]["note"] == "Wages?"
    fixed = family.patch(
        url, {"answers": {"income_wages": "1150"}, "submit": True}, format="json"
    ).json()
    assert fixed["state"] == "resubmitted"

    liaison = signed_in(api, world.a.liaison)
    done = liaison.post(f"{url}verify/", {"evidence": "pay stub seen"}, format="json")
    assert done.status_code == 200
    assert done.json()["survey"]["answers"]["income_wages"] == "1150.00"
    assert liaison.post(f"{url}verify/", {}, format="json").status_code == 409

    family = signed_in(api, world.a.seed_member)
    stipends = family.get(STIPENDS).json()["results"]
    assert [(s["amount"], s["currency"], s["status"]) for s in stipends] == [
        ("42.00", "USD", "accrued")
    ]
    assert stipends[0]["survey"] == {"id": created["id"], "period": clock.period(-2)}
    assert family.patch(url, {"answers": {"income_wages": "1"}}, format="json").status_code == 409
    assert Stipend.objects.count() == 1
    staff_view = signed_in(api, world.a.staff).get(url).json()
    assert [r["action"] for r in staff_view["reviews"]] == ["request_correction", "verify"]
    assert [r["state"] for r in staff_view["revisions"]] == ["submitted", "resubmitted"]
