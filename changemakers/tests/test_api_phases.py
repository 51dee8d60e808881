"""The phases API: staff move a cohort to phase II (early only with a written reason) or back to
phase I (always with a reason), and read whether the cohort looks ready."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import policy
from accounts.models import AuditEvent
from changemakers.models import PhaseChange
from changemakers.services import cohort_change_phase
from families.access import FamilySeat
from families.models import Cohort
from families.services import staff_request_create
from tests import clock, factories
from tests.seats import signed_in


def phase_url(cohort) -> str:
    return f"/api/v1/cohorts/{cohort.pk}/phase/"


def readiness_url(cohort) -> str:
    return f"/api/v1/cohorts/{cohort.pk}/readiness/"


def staff_seat(tenant):
    return policy.access_partner(tenant.staff, tenant.partner.slug)


def started_today(cohort) -> Cohort:
    cohort.started_on = timezone.localdate()
    cohort.save(update_fields=["started_on"])
    return cohort


def in_phase_two(cohort) -> Cohort:
    Cohort.objects.filter(pk=cohort.pk).update(phase=2)
    cohort.refresh_from_db()
    return cohort


def nothing_written(cohort, phase=1):
    cohort.refresh_from_db()
    assert cohort.phase == phase
    assert not PhaseChange.objects.exists()
    assert not AuditEvent.objects.filter(verb="cohort.change_phase").exists()


def other_partner_people(world):
    return {
        "admin": world.b.admin,
        "staff": world.b.staff,
        "liaison": world.b.liaison,
        "family": world.b.seed_member,
        "funder": world.b.funder,
        "no role": world.outsider,
    }


# Moving a cohort -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_staff_and_admins_move_a_cohort_to_phase_two_after_the_minimum_months(world, api, role):
    user = getattr(world.a, role)

    response = signed_in(api, user).post(phase_url(world.a.cohort), {"phase": 2}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["cohort"], body["phase"]) == (world.a.cohort.pk, 2)
    change = body["change"]
    assert (change["from_phase"], change["to_phase"], change["override"]) == (1, 2, False)
    assert change["changed_by"] == {"id": user.pk, "name": user.name}
    assert change["changed_at"]
    assert len(body["readiness"]["months"]) == 3
    assert set(body["readiness"]["trend"]) == {
        "practice_share",
        "help_exchanges",
        "help_across_groups",
        "posts",
        "requests_to_staff",
    }
    world.a.cohort.refresh_from_db()
    assert world.a.cohort.phase == 2
    recorded = PhaseChange.objects.get()
    assert (recorded.cohort, recorded.changed_by, recorded.is_override) == (
        world.a.cohort,
        user,
        False,
    )
    audit = AuditEvent.objects.get(verb="cohort.change_phase")
    assert (audit.actor, audit.partner, audit.after["phase"]) == (user, world.a.partner, 2)


def test_before_the_minimum_months_the_move_is_409_and_nothing_is_written(world, api):
    cohort = started_today(world.a.cohort)

    response = signed_in(api, world.a.staff).post(phase_url(cohort), {"phase": 2}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert "4 months" in body["message"]
    assert "override_reason" in body["errors"]
    nothing_written(cohort)


def test_an_early_move_with_a_reason_is_recorded_as_an_override(world, api):
    cohort = started_today(world.a.cohort)

    response = signed_in(api, world.a.staff).post(
        phase_url(cohort),
        {"phase": 2, "override_reason": "Families started a savings circle on their own."},
        format="json",
    )

    assert response.status_code == 200
    change = response.json()["change"]
    assert change["override"] is True
    assert change["reason"] == "Families started a savings circle on their own."
    cohort.refresh_from_db()
    assert cohort.phase == 2
    assert PhaseChange.objects.get().is_override
    assert AuditEvent.objects.get(verb="cohort.change_phase").after["override"] is True


def test_a_blank_override_reason_is_no_reason(world, api):
    cohort = started_today(world.a.cohort)

    response = signed_in(api, world.a.staff).post(
        phase_url(cohort), {"phase": 2, "override_reason": "   "}, format="json"
    )

    assert response.status_code == 409
    nothing_written(cohort)


def test_back_to_phase_one_needs_a_reason(world, api):
    cohort = in_phase_two(world.a.cohort)

    response = signed_in(api, world.a.staff).post(phase_url(cohort), {"phase": 1}, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    nothing_written(cohort, phase=2)


def test_back_to_phase_one_with_a_reason(world, api):
    cohort = in_phase_two(world.a.cohort)

    response = signed_in(api, world.a.admin).post(
        phase_url(cohort),
        {"phase": 1, "reason": "Shares crowded out families' own ideas."},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["phase"] == 1
    assert (body["change"]["from_phase"], body["change"]["to_phase"]) == (2, 1)
    assert body["change"]["reason"] == "Shares crowded out families' own ideas."
    cohort.refresh_from_db()
    assert cohort.phase == 1


def test_a_move_to_the_phase_the_cohort_is_in_is_409(world, api):
    response = signed_in(api, world.a.staff).post(
        phase_url(world.a.cohort), {"phase": 1, "reason": "Again"}, format="json"
    )

    assert response.status_code == 409
    nothing_written(world.a.cohort)


@pytest.mark.parametrize("payload", [{}, {"phase": 3}, {"phase": "two"}, {"phase": None}])
def test_a_missing_or_bad_phase_is_400_naming_it_and_nothing_is_written(world, api, payload):
    response = signed_in(api, world.a.staff).post(phase_url(world.a.cohort), payload, format="json")

    assert response.status_code == 400
    assert "phase" in response.json()["errors"]
    nothing_written(world.a.cohort)


def test_a_reason_too_long_is_400_naming_it(world, api):
    cohort = in_phase_two(world.a.cohort)

    response = signed_in(api, world.a.staff).post(
        phase_url(cohort), {"phase": 1, "reason": "x" * 2001}, format="json"
    )

    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    nothing_written(cohort, phase=2)


def test_liaisons_may_not_change_the_phase(world, api):
    response = signed_in(api, world.a.liaison).post(
        phase_url(world.a.cohort), {"phase": 2}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["message"]
    nothing_written(world.a.cohort)


def test_the_cohorts_own_family_gets_403(world, api):
    response = signed_in(api, world.a.seed_member).post(
        phase_url(world.a.cohort), {"phase": 2}, format="json"
    )

    assert response.status_code == 403
    nothing_written(world.a.cohort)


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison", "family", "funder", "no role"])
def test_another_partners_people_get_404(world, api, seat):
    user = other_partner_people(world)[seat]

    response = signed_in(api, user).post(phase_url(world.a.cohort), {"phase": 2}, format="json")

    assert response.status_code == 404
    nothing_written(world.a.cohort)


def test_a_missing_cohort_is_404(world, api):
    response = signed_in(api, world.a.staff).post(
        "/api/v1/cohorts/999999/phase/", {"phase": 2}, format="json"
    )

    assert response.status_code == 404


def test_signed_out_callers_are_refused(world, api):
    response = api.post(phase_url(world.a.cohort), {"phase": 2}, format="json")

    assert response.status_code in (401, 403)
    nothing_written(world.a.cohort)


def test_a_retried_phase_change_with_its_key_changes_the_phase_once(world, api):
    client = signed_in(api, world.a.staff)
    headers = {"HTTP_IDEMPOTENCY_KEY": "phase-two-once"}

    first = client.post(phase_url(world.a.cohort), {"phase": 2}, format="json", **headers)
    again = client.post(phase_url(world.a.cohort), {"phase": 2}, format="json", **headers)

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert PhaseChange.objects.count() == 1
    assert AuditEvent.objects.filter(verb="cohort.change_phase").count() == 1


def test_a_refused_early_move_may_be_retried_with_its_key_and_a_reason(world, api):
    cohort = started_today(world.a.cohort)
    client = signed_in(api, world.a.staff)
    headers = {"HTTP_IDEMPOTENCY_KEY": "early-move"}

    refused = client.post(phase_url(cohort), {"phase": 2}, format="json", **headers)
    fixed = client.post(
        phase_url(cohort),
        {"phase": 2, "override_reason": "They run their own meetings."},
        format="json",
        **headers,
    )

    assert (refused.status_code, fixed.status_code) == (409, 200)
    assert fixed.json()["change"]["override"] is True
    assert PhaseChange.objects.count() == 1


# Readiness -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "staff", "liaison"])
def test_staff_and_the_cohorts_liaison_read_its_readiness(world, api, role):
    response = signed_in(api, getattr(world.a, role)).get(readiness_url(world.a.cohort))

    assert response.status_code == 200
    body = response.json()
    assert (body["cohort"], body["phase"]) == (world.a.cohort.pk, 1)
    assert body["minimum_months"] == world.a.partner.months_before_phase_two
    today = timezone.localdate()
    months = 6  # the world's cohort began six months ago
    assert body["months_since_start"] == months
    assert body["early"] is (months < body["minimum_months"])
    this_month = today.strftime("%Y-%m")
    assert [row["month"] for row in body["readiness"]["months"]][-1] == this_month
    assert body["readiness"]["months"][-1]["families"] == 2
    assert body["history"] == []


def test_readiness_counts_this_months_requests_to_staff(world, api):
    staff_request_create(
        seat=FamilySeat(user=world.a.seed_member, family=world.a.seed_family),
        kind="paperwork",
        subject="Benefits form",
        body="Which form do we need?",
    )

    body = signed_in(api, world.a.staff).get(readiness_url(world.a.cohort)).json()

    assert body["readiness"]["months"][-1]["requests_to_staff"] == 1
    assert body["readiness"]["trend"]["requests_to_staff"] == "up"


def test_an_early_cohort_says_so(world, api):
    cohort = started_today(world.a.cohort)

    body = signed_in(api, world.a.staff).get(readiness_url(cohort)).json()

    assert (body["months_since_start"], body["early"]) == (0, True)


def test_the_history_lists_phase_changes_newest_first_with_their_figures(world, api):
    seat = staff_seat(world.a)
    cohort_change_phase(seat=seat, cohort=world.a.cohort, phase=2)
    world.a.cohort.refresh_from_db()
    cohort_change_phase(seat=seat, cohort=world.a.cohort, phase=1, reason="Too soon after all")

    body = signed_in(api, world.a.liaison).get(readiness_url(world.a.cohort)).json()

    assert [(c["from_phase"], c["to_phase"]) for c in body["history"]] == [(2, 1), (1, 2)]
    assert body["history"][0]["reason"] == "Too soon after all"
    assert body["history"][0]["changed_by"]["id"] == world.a.staff.pk
    assert len(body["history"][1]["readiness"]["months"]) == 3


def test_readiness_takes_as_many_queries_for_many_changes_as_for_few(world, api):
    seat = staff_seat(world.a)

    def flip(times):
        for _ in range(times):
            world.a.cohort.refresh_from_db()
            target = 1 if world.a.cohort.phase == 2 else 2
            cohort_change_phase(seat=seat, cohort=world.a.cohort, phase=target, reason="Flip")

    client = signed_in(api, world.a.staff)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(readiness_url(world.a.cohort)).status_code == 200
        return len(captured)

    flip(2)
    few = queries()
    flip(8)
    assert queries() == few


def test_the_cohorts_families_may_not_read_readiness(world, api):
    response = signed_in(api, world.a.friend_member).get(readiness_url(world.a.cohort))

    assert response.status_code == 403


def test_a_liaison_of_another_cohort_gets_404(world, api):
    other = factories.CohortFactory(
        partner=world.a.partner, name="Hillside", started_on=clock.month(-11)
    )

    response = signed_in(api, world.a.liaison).get(readiness_url(other))

    assert response.status_code == 404


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison", "family", "funder", "no role"])
def test_another_partners_people_may_not_read_readiness(world, api, seat):
    response = signed_in(api, other_partner_people(world)[seat]).get(readiness_url(world.a.cohort))

    assert response.status_code == 404
