"""The nightly job's soft time limit can strike while PostgreSQL runs one of its statements (a
signal, as Celery's worker sends it), leaving the connection in the middle of a query, where it
cannot even roll back. The partner it was on is rolled back, nothing of it is marked done, and
the job goes on with a working connection."""

import signal

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection, transaction

from changemakers import nightly, trends
from changemakers.models import TrendsRun, TrendsRunPartner
from families.models import Cohort

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_a_soft_limit_in_the_middle_of_a_statement_leaves_a_usable_connection(world, monkeypatch):
    def a_long_statement(partner_id, **kwargs):
        Cohort.objects.filter(partner_id=partner_id).update(name="Renamed mid-run")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(5)")

    def time_is_up(signum, frame):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(trends, "recompute_partner", a_long_statement)
    run = TrendsRun.objects.create(key="soft-limit")
    previous = signal.signal(signal.SIGALRM, time_is_up)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        with pytest.raises(SoftTimeLimitExceeded):
            nightly.run_partner(run=run, partner_id=world.a.partner.pk)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

    # A fresh connection, and the partner's half-done work rolled back.
    assert not TrendsRunPartner.objects.filter(run=run).exists()
    assert Cohort.objects.get(pk=world.a.cohort.pk).name == "Cohort A"
    monkeypatch.undo()
    assert nightly.run_partner(run=run, partner_id=world.a.partner.pk) is True
    assert TrendsRunPartner.objects.filter(run=run, partner=world.a.partner).exists()
