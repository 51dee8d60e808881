"""A real round trip through the configured broker: the test starts a worker and waits for the
task to do its work. Without a broker it is skipped with a message, except in CI, where it fails
(see tests/skip_policy.py)."""

import os
import time

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import StaffInvitation
from accounts.services import _staff_invitation_issue

pytestmark = [pytest.mark.broker]


@pytest.fixture
def worker(transactional_db):
    from celery.contrib.testing.worker import start_worker

    from mutuality.celery import app

    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield app
    app.conf.task_always_eager = True


def test_an_invitation_email_is_delivered_by_a_worker_through_the_broker(world, worker):
    from django.db import transaction

    assert os.environ.get("CELERY_BROKER_URL") or not settings.CELERY_TASK_ALWAYS_EAGER
    with transaction.atomic():
        invitation, _token = _staff_invitation_issue(
            actor=world.a.admin, partner=world.a.partner, email="new@example.org", role="staff"
        )
    # The task was sent on commit; the worker thread picks it up from the broker.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        invitation.refresh_from_db()
        if invitation.sent_at is not None:
            break
        time.sleep(0.2)
    assert invitation.sent_at is not None, "the worker did not deliver the invitation"
    assert StaffInvitation.objects.get(pk=invitation.pk).status == "pending"
    assert [m.to for m in mail.outbox] == [["new@example.org"]]


def test_a_worker_computes_a_partners_trends_through_the_broker(world, worker):
    from decimal import Decimal

    from django.utils import timezone

    from changemakers.diffusion import add_months
    from changemakers.models import FamilyMonth, TrendAggregate
    from changemakers.tasks import trends_recompute_partner
    from changemakers.tests.trend_data import survey

    last = add_months(timezone.localdate().replace(day=1), -1)
    before = add_months(last, -1)
    a = world.a
    survey(a.seed_family, before, income_wages=800)
    survey(a.seed_family, last, income_wages=1000)
    survey(a.friend_family, before, income_wages=500)
    survey(a.friend_family, last, income_wages=450)
    survey(world.b.seed_family, last, income_wages=5)

    result = trends_recompute_partner.delay(a.partner.pk)
    assert result.id  # sent to the broker, not run here
    deadline = time.monotonic() + 30
    key = f"cohort:{a.cohort.pk}"
    while time.monotonic() < deadline:
        if TrendAggregate.objects.filter(scope_key=key, period=last).exists():
            break
        time.sleep(0.2)
    last_month = TrendAggregate.objects.get(scope_key=key, period=last)
    assert last_month.families == 2
    assert last_month.median_income_change == Decimal("75.00")  # of +200 and -50
    assert last_month.share_improved == Decimal("0.5000")
    assert FamilyMonth.objects.filter(partner=a.partner).count() == 4
    assert not FamilyMonth.objects.filter(partner=world.b.partner).exists()
