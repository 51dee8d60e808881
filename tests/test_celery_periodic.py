"""Every periodic job in settings.PERIODIC_TASKS names a registered Celery task, and, registered
by `setup_periodic_tasks` and sent the way beat sends it (its task name and kwargs), does its
work on data made for it."""

import datetime
import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from changemakers import trends
from changemakers.diffusion import add_months
from changemakers.models import Candidate, TrendAggregate, TrendsRun
from changemakers.tests import candidate_data
from changemakers.tests.trend_data import survey
from mutuality.celery import app
from mutuality.models import IdempotencyRecord
from ventures.models import FundingAsk

PREFIX = "mutuality: "


def months_ago(count: int) -> datetime.date:
    return add_months(timezone.localdate().replace(day=1), -count)


def idempotency_record(key: str, expires_in: datetime.timedelta) -> IdempotencyRecord:
    return IdempotencyRecord.objects.create(
        scope="anonymous",
        key=key,
        fingerprint="0" * 64,
        status_code=201,
        response_body={},
        expires_at=timezone.now() + expires_in,
    )


def expired_keys(world):
    idempotency_record("old", -datetime.timedelta(minutes=1))
    idempotency_record("fresh", datetime.timedelta(hours=1))

    def check(result):
        assert result == 1
        assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]

    return check


def asks_past_their_deadline(world):
    venture = candidate_data.venture([world.a.seed_family])
    past, future = candidate_data.ask(venture), candidate_data.ask(venture, amount="50.00")
    today = timezone.localdate()
    FundingAsk.objects.filter(pk=past.pk).update(deadline=today - datetime.timedelta(days=1))
    FundingAsk.objects.filter(pk=future.pk).update(deadline=today + datetime.timedelta(days=1))

    def check(result):
        assert result == 1
        past.refresh_from_db(), future.refresh_from_db()
        assert past.state == FundingAsk.State.EXPIRED
        assert future.state == FundingAsk.State.OPEN

    return check


def verified_months(world):
    survey(world.a.seed_family, months_ago(2), income_wages=1000)
    survey(world.a.seed_family, months_ago(1), income_wages=1400)
    survey(world.b.seed_family, months_ago(1), income_wages=700)

    def check(result):
        assert result == 2
        assert TrendsRun.objects.get().finished_at is not None
        cohort = TrendAggregate.objects.get(
            scope_key=f"cohort:{world.a.cohort.pk}", period=months_ago(1)
        )
        assert cohort.median_income_change == Decimal("400.00")
        assert TrendAggregate.objects.filter(scope="country", country="LR").count() == 1

    return check


def a_month_just_ended(world):
    """Partner A's seed family did better last month; the trends job has run."""
    survey(world.a.seed_family, months_ago(2), income_wages=1000, savings_balance=100)
    survey(world.a.seed_family, months_ago(1), income_wages=1400, savings_balance=200)
    trends.recompute_partner(world.a.partner.pk)

    def check(result):
        assert result == 1
        (found,) = Candidate.objects.all()
        assert found.family == world.a.seed_family
        assert found.period == months_ago(1)
        assert found.reasons[0]["code"] == "income_up"

    return check


def a_month_that_opened(world):
    """Partner B's seed household has a phone and has not sent this month's survey."""
    from messaging.models import Message
    from messaging.services import partner_messaging

    family = world.b.seed_family
    family.contact_phone = "+231777123456"
    family.save(update_fields=["contact_phone"])
    row = partner_messaging(world.b.partner)
    row.quiet_hours_start = row.quiet_hours_end = datetime.time(0)
    row.save()

    def check(result):
        # Every household of both partners that has not sent the month hears once, by its way.
        assert result == Message.objects.count() >= 4
        texted = Message.objects.get(family=family, channel="sms")
        assert texted.to == "+231777123456"
        assert texted.template in ("survey_open", "survey_reminder")

    return check


# What each periodic job finds to do: a new job without a case here fails the test below.
CASES = {
    "mutuality.tasks.purge_expired_idempotency_keys": expired_keys,
    "ventures.tasks.expire_funding_asks": asks_past_their_deadline,
    "changemakers.tasks.trends_recompute_all": verified_months,
    "changemakers.tasks.changemakers_find_candidates": a_month_just_ended,
    "surveys.tasks.notify_survey_month_open": a_month_that_opened,
}


@pytest.fixture(autouse=True)
def tasks():
    """The tasks a worker registers when it starts: every app's tasks module."""
    app.loader.import_default_modules()
    return app.tasks


def test_every_periodic_job_names_a_registered_task_and_has_a_case_here(tasks):
    names = [spec["task"] for spec in settings.PERIODIC_TASKS.values()]
    assert [name for name in names if name not in tasks] == []
    assert sorted(names) == sorted(CASES)


@pytest.mark.parametrize("job", list(settings.PERIODIC_TASKS))
def test_a_periodic_job_sent_as_beat_sends_it_does_its_work(world, tasks, job):
    with time_machine.travel(timezone.now(), tick=False):
        call_command("setup_periodic_tasks", stdout=io.StringIO())
        registered = PeriodicTask.objects.get(name=PREFIX + job)
        assert registered.enabled
        check = CASES[registered.task](world)

        result = tasks[registered.task].apply(kwargs=json.loads(registered.kwargs))

    check(result.get())
