"""The phase page: a cohort's phase, months since it started against the partner's minimum, its
readiness for phase II and the history of changes. Staff and admins move it (with a confirmation);
liaisons read it; another partner's people and liaisons of other cohorts get 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from changemakers.models import PhaseChange
from families.access import FamilySeat
from families.models import Cohort, StaffRequest
from families.services import staff_request_create
from tests.factories import CohortFactory


def phase_url(tenant, cohort=None):
    return reverse(
        "cohort_phase",
        kwargs={"partner_slug": tenant.partner.slug, "cohort_id": (cohort or tenant.cohort).pk},
    )


def started_months_ago(cohort, months: int):
    cohort.started_on = timezone.localdate() - datetime.timedelta(days=31 * months + 2)
    cohort.save()


def body_of(response, status=200) -> str:
    """The page's text, once it is known to have rendered with `status`."""
    assert response.status_code == status
    return response.content.decode()


@pytest.fixture
def ready(world):
    """Cohort A started long enough ago for phase II without an early-move reason."""
    started_months_ago(world.a.cohort, 12)
    return world.a.cohort


@pytest.fixture
def young(world):
    """Cohort A started a month ago: phase II now would be an early move."""
    started_months_ago(world.a.cohort, 1)
    return world.a.cohort


# Reading the page ------------------------------------------------------------------------------


def test_staff_see_the_phase_the_months_and_the_readiness_table(world, client, ready):
    client.force_login(world.a.staff)
    response = client.get(phase_url(world.a))
    body = body_of(response)
    assert response.status_code == 200
    assert "Phase I" in body
    assert "Started 12 months ago; the minimum before phase II is 4 months." in body
    for signal in (
        "Families reporting practices",
        "Help between families",
        "Help across groups",
        "Posts by families",
        "Requests to staff",
    ):
        assert signal in body
    assert "Fewer is the good direction" in body
    assert len(response.context["readiness"]["months"]) == 3
    assert "Move to phase II" in body
    assert 'name="confirm"' in body
    assert 'name="override_reason"' not in body  # not early: no reason needed


def test_fewer_requests_to_staff_read_as_the_good_direction(world, client):
    seat = FamilySeat(user=world.a.seed_member, family=world.a.seed_family)
    first_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=40)).replace(day=1)
    for i in range(3):
        request = staff_request_create(seat=seat, kind="paperwork", subject=f"Form {i}", body="?")
        StaffRequest.objects.filter(pk=request.pk).update(
            created_at=timezone.make_aware(
                datetime.datetime.combine(first_month, datetime.time(12))
            )
        )
    client.force_login(world.a.staff)
    rows = client.get(phase_url(world.a)).context["readiness"]["rows"]
    requests = next(row for row in rows if str(row["label"]) == "Requests to staff")
    assert requests["values"][0] == "3"
    assert requests["trend"] == "going down"  # shown as "Going down"
    assert requests["good"] is True


def test_a_liaison_reads_the_phase_page_of_their_cohort_without_the_form(world, client, ready):
    client.force_login(world.a.liaison)
    response = client.get(phase_url(world.a))
    body = body_of(response)
    assert response.status_code == 200
    assert "Requests to staff" in body
    assert 'name="confirm"' not in body
    assert "Partner staff decide when a cohort changes phase." in body


def test_a_liaison_may_not_change_the_phase(world, client, ready):
    client.force_login(world.a.liaison)
    response = client.post(phase_url(world.a), {"phase": "2", "confirm": "on"})
    assert response.status_code == 403
    world.a.cohort.refresh_from_db()
    assert world.a.cohort.phase == 1
    assert not PhaseChange.objects.exists()


def test_a_liaison_of_another_cohort_gets_404(world, client):
    other = CohortFactory(partner=world.a.partner, name="Hillside")
    client.force_login(world.a.liaison)
    assert client.get(phase_url(world.a, other)).status_code == 404
    assert client.post(phase_url(world.a, other), {"phase": "2"}).status_code == 404


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_another_partners_people_get_404(world, client, seat):
    client.force_login(getattr(world.b, seat))
    assert client.get(phase_url(world.a)).status_code == 404
    response = client.post(phase_url(world.a), {"phase": "2", "confirm": "on", "reason": "x"})
    assert response.status_code == 404
    world.a.cohort.refresh_from_db()
    assert world.a.cohort.phase == 1


# Moving to phase II -----------------------------------------------------------------------------


def test_staff_move_a_ready_cohort_to_phase_two(world, client, ready):
    client.force_login(world.a.staff)
    response = client.post(phase_url(world.a), {"phase": "2", "confirm": "on"}, follow=True)
    body = body_of(response)
    assert response.redirect_chain[-1][0] == phase_url(world.a)
    assert "Cohort A is now in Phase II." in body
    world.a.cohort.refresh_from_db()
    assert world.a.cohort.phase == Cohort.Phase.TWO
    change = PhaseChange.objects.get()
    assert (change.from_phase, change.to_phase, change.is_override) == (1, 2, False)
    assert change.changed_by == world.a.staff
    assert "Early move" not in body
    assert "Back to phase I" in body  # the form now goes the other way


def test_the_move_asks_for_a_confirmation_first(world, client, ready):
    client.force_login(world.a.admin)
    response = client.post(phase_url(world.a), {"phase": "2"})
    assert response.status_code == 400
    assert "Tick the box to confirm the change." in body_of(response, 400)
    world.a.cohort.refresh_from_db()
    assert world.a.cohort.phase == 1
    assert not PhaseChange.objects.exists()


def test_an_early_move_shows_the_reason_field(world, client, young):
    client.force_login(world.a.staff)
    body = body_of(client.get(phase_url(world.a)))
    assert 'name="override_reason"' in body
    assert "Why the cohort is ready early" in body
    assert "recorded as an early move" in body


def test_an_early_move_without_a_reason_is_refused_and_changes_nothing(world, client, young):
    client.force_login(world.a.staff)
    audits = AuditEvent.objects.count()
    response = client.post(phase_url(world.a), {"phase": "2", "confirm": "on"})
    body = body_of(response, 409)
    assert response.status_code == 409
    assert "This cohort started less than 4 months ago." in body
    assert "Say why the cohort is ready early." in body  # next to the field
    assert response.context["form"].errors["override_reason"]
    world.a.cohort.refresh_from_db()
    assert world.a.cohort.phase == 1
    assert not PhaseChange.objects.exists()
    assert AuditEvent.objects.count() == audits


def test_an_early_move_with_a_reason_is_recorded_as_an_override_with_readiness(
    world, client, young
):
    client.force_login(world.a.admin)
    response = client.post(
        phase_url(world.a),
        {
            "phase": "2",
            "confirm": "on",
            "override_reason": "Three groups started savings circles on their own.",
        },
        follow=True,
    )
    body = body_of(response)
    world.a.cohort.refresh_from_db()
    assert world.a.cohort.phase == 2
    change = PhaseChange.objects.get()
    assert change.is_override is True
    assert change.reason == "Three groups started savings circles on their own."
    assert len(change.readiness["months"]) == 3
    assert "requests_to_staff" in change.readiness["trend"]
    # The history says who, when, why, marks the override and keeps the readiness of that moment.
    history = body[body.index('id="history-heading"') :]
    assert "Early move" in history
    assert "Three groups started savings circles on their own." in history
    assert world.a.admin.name in history
    assert "<details>" in history and "Readiness at that moment" in history
    assert "Requests to staff" in history


def test_a_stale_form_for_a_cohort_already_in_phase_two_changes_nothing(world, client, ready):
    world.a.cohort.phase = 2
    world.a.cohort.save()
    client.force_login(world.a.staff)
    # The form shown earlier still said "to phase II"; the page now offers phase I with a reason.
    response = client.post(phase_url(world.a), {"phase": "2", "confirm": "on", "reason": "x"})
    assert response.status_code == 409
    assert "The cohort is already in this phase." in body_of(response, 409)
    assert not PhaseChange.objects.exists()


# Back to phase I --------------------------------------------------------------------------------


def test_back_to_phase_one_without_a_reason_is_a_400_naming_the_field(world, client, ready):
    world.a.cohort.phase = 2
    world.a.cohort.save()
    client.force_login(world.a.staff)
    response = client.post(phase_url(world.a), {"phase": "1", "confirm": "on", "reason": " "})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["Say why the cohort goes back to phase I."]
    world.a.cohort.refresh_from_db()
    assert world.a.cohort.phase == 2
    assert not PhaseChange.objects.exists()


def test_back_to_phase_one_with_a_reason(world, client, ready):
    world.a.cohort.phase = 2
    world.a.cohort.save()
    client.force_login(world.a.staff)
    response = client.post(
        phase_url(world.a),
        {"phase": "1", "confirm": "on", "reason": "Families asked for a pause in sharing."},
    )
    assert response.status_code == 302
    world.a.cohort.refresh_from_db()
    assert world.a.cohort.phase == 1
    change = PhaseChange.objects.get()
    assert (change.from_phase, change.to_phase, change.is_override) == (2, 1, False)
    body = body_of(client.get(phase_url(world.a)))
    assert "Families asked for a pause in sharing." in body
