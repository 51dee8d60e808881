"""Exactly once, under real concurrency: two requests at the same moment, each on its own
database connection, make one stipend and one survey. The database's locks and constraints
are what hold, so this runs on PostgreSQL (SQLite serializes every write and cannot race)."""

import threading

import pytest
from django.db import connections
from rest_framework.test import APIClient

from accounts import policy
from families.access import FamilySeat
from mutuality.errors import Conflict
from surveys import services
from surveys.models import PaymentBatch, Stipend, SurveyResponse
from surveys.services import payments
from surveys.services import responses as response_services
from tests import clock
from tests.races import Race

pytestmark = pytest.mark.postgresql

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


def at_once(monkeypatch, module, name: str, requests) -> list:
    """Run each request in its own thread (its own database connection). Both threads wait for
    each other inside the service, right after `module.name` runs, so that both have passed
    its checks before either writes. Returns the responses in the order given."""
    barrier = threading.Barrier(len(requests), timeout=20)
    original = getattr(module, name)

    def meet_then_go(*args, **kwargs):
        result = original(*args, **kwargs)
        barrier.wait()
        return result

    monkeypatch.setattr(module, name, meet_then_go)
    responses = [None] * len(requests)
    failures = []

    def run(i, request):
        try:
            responses[i] = request()
        except Exception as exc:  # reported below, never swallowed
            failures.append(exc)
            barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    return responses


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_two_liaisons_verifying_the_same_survey_at_once_make_one_stipend(world, monkeypatch):
    survey = services.survey_create(
        seat=FamilySeat(user=world.a.seed_member, family=world.a.seed_family),
        period=clock.period(-2),
        answers=ANSWERS,
        submit=True,
    )
    url = f"/api/v1/surveys/{survey.pk}/verify/"

    responses = at_once(
        monkeypatch,
        response_services,
        "_check_reviewer",  # both have passed the checks; neither holds the row yet
        [
            lambda: client_for(world.a.liaison).post(url, {}, format="json"),
            lambda: client_for(world.a.staff).post(url, {}, format="json"),
        ],
    )

    assert sorted(r.status_code for r in responses) == [200, 409]
    assert Stipend.objects.filter(survey=survey).count() == 1
    assert SurveyResponse.objects.get(pk=survey.pk).state == "verified"
    winner = next(r for r in responses if r.status_code == 200)
    assert winner.json()["stipend"]["id"] == Stipend.objects.get().pk


@pytest.mark.django_db(transaction=True)
def test_two_taps_creating_the_same_months_survey_at_once_make_one_survey(world, monkeypatch):
    services.current_template(world.a.partner)  # the survey's first version exists already
    body = {"period": clock.period(-2), "answers": ANSWERS, "submit": True}

    responses = at_once(
        monkeypatch,
        response_services,
        "current_template",  # both have found no survey for the month yet
        [
            lambda: client_for(world.a.seed_member).post("/api/v1/surveys/", body, format="json"),
            lambda: client_for(world.a.seed_member).post("/api/v1/surveys/", body, format="json"),
        ],
    )

    assert sorted(r.status_code for r in responses) == [201, 409]
    assert SurveyResponse.objects.filter(family=world.a.seed_family).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_staff_building_payment_batches_at_once_put_each_stipend_in_one(world, monkeypatch):
    for family, period in [(world.a.seed_family, -2), (world.a.friend_family, -2)]:
        member = world.a.seed_member if family == world.a.seed_family else world.a.friend_member
        survey = services.survey_create(
            seat=FamilySeat(user=member, family=family),
            period=clock.period(period),
            answers=ANSWERS,
            submit=True,
        )
        services.survey_verify(
            seat=policy.access_partner(world.a.liaison, world.a.partner.slug), response=survey
        )
    staff = policy.access_partner(world.a.staff, world.a.partner.slug)
    admin = policy.access_partner(world.a.admin, world.a.partner.slug)
    race = Race(monkeypatch, payments, "audit_record")

    first, second = race.run(
        lambda: payments.payment_batch_create(seat=staff, name="Staff's batch"),
        lambda: payments.payment_batch_create(seat=admin, name="Admin's batch"),
    )

    assert race.saw_a_waiter  # the second waited for the stipends' row locks
    assert isinstance(first, PaymentBatch) and first.name == "Staff's batch"
    assert isinstance(second, Conflict)
    assert second.message == "There are no stipends waiting for payment."
    assert list(PaymentBatch.objects.values_list("name", flat=True)) == ["Staff's batch"]
    assert set(Stipend.objects.values_list("batch__name", "status")) == {
        ("Staff's batch", Stipend.Status.SCHEDULED)
    }
    assert Stipend.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_offline_send_twice_at_once_makes_one_survey(world, monkeypatch):
    services.current_template(world.a.partner)
    body = {
        "period": clock.period(-2),
        "answers": ANSWERS,
        "submit": True,
        "client_uuid": "6b3a55d6-2f8e-4c55-9f3e-3c1d1f6a9a10",
    }

    responses = at_once(
        monkeypatch,
        response_services,
        "current_template",  # both have found no survey of that UUID, nor of the month
        [
            lambda: client_for(world.a.seed_member).post("/api/v1/surveys/", body, format="json"),
            lambda: client_for(world.a.seed_member).post("/api/v1/surveys/", body, format="json"),
        ],
    )

    assert sorted(r.status_code for r in responses) == [200, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert SurveyResponse.objects.filter(family=world.a.seed_family).count() == 1
