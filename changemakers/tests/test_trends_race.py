"""Two recomputations of one partner at the same moment, each on its own database connection
(a nightly run and a redelivered copy of it, or the nightly run and a verification): the
partner's advisory lock makes one wait for the other, and the rows are exactly those of one
clean run. PostgreSQL only: SQLite has one writer at a time (see tests/skip_policy.py)."""

import threading
import time

import pytest
from django.db import connection, connections

from changemakers import nightly, trends
from changemakers.diffusion import add_months
from changemakers.models import FamilyMonth, TrendAggregate, TrendsRun
from changemakers.tests.trend_data import survey
from surveys.models import SurveyResponse
from tests import factories

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def months_ago(count: int):
    from django.utils import timezone

    return add_months(timezone.localdate().replace(day=1), -count)


@pytest.fixture
def partner_a(world):
    """Partner A: eight households in two groups, four months each, incomes moving."""
    a = world.a
    other_group = factories.GroupFactory(cohort=a.cohort, name="Group A2")
    families = [a.seed_family, a.friend_family]
    families += [factories.FamilyFactory(group=a.group) for _ in range(3)]
    families += [factories.FamilyFactory(group=other_group) for _ in range(3)]
    for number, family in enumerate(families):
        for month in range(4, 0, -1):
            survey(family, months_ago(month), income_wages=500 + 40 * number * (5 - month))
    survey(world.b.seed_family, months_ago(1), income_wages=9)
    return a


def derived_rows(partner) -> dict[str, list[tuple]]:
    rows = {}
    for model in (FamilyMonth, TrendAggregate):
        fields = [
            f.attname for f in model._meta.concrete_fields if f.name not in {"id", "computed_at"}
        ]
        rows[model.__name__] = sorted(model.objects.filter(partner=partner).values_list(*fields))
    return rows


def clean_run(partner) -> dict[str, list[tuple]]:
    """The rows of one recomputation alone, then a partner without trends again."""
    trends.recompute_partner(partner.pk)
    rows = derived_rows(partner)
    FamilyMonth.objects.filter(partner=partner).delete()
    TrendAggregate.objects.filter(partner=partner).delete()
    assert rows["FamilyMonth"] and rows["TrendAggregate"]
    return rows


def _waiting_at_the_advisory_lock() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'"
            " AND datname = current_database()"
        )
        return {row[0] for row in cursor.fetchall()}


def at_the_same_moment(partner, calls) -> list:
    """Start each call in its own thread and connection while this connection holds the
    partner's lock; once all of them are seen waiting at it, let go so they meet there.
    Returns what each call raised (None when it did not)."""
    errors: list = [None] * len(calls)
    pids: list[int] = []

    def run(index, call):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pids.append(cursor.fetchone()[0])
            call()
        except Exception as exc:  # reported to the test, never swallowed
            errors[index] = exc
        finally:
            connections.close_all()

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [trends.LOCK_NAMESPACE, partner.pk])
        threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        all_waiting = False
        while time.monotonic() < deadline and not all_waiting:
            all_waiting = len(pids) == len(calls) and set(pids) <= _waiting_at_the_advisory_lock()
            time.sleep(0.05)
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [trends.LOCK_NAMESPACE, partner.pk])
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a recomputation never finished"
    assert all_waiting, "both recomputations waited at the partner's lock"
    return errors


def test_two_recomputations_of_a_partner_at_once_give_the_rows_of_one_clean_run(partner_a):
    expected = clean_run(partner_a.partner)
    partner_id = partner_a.partner.pk

    errors = at_the_same_moment(
        partner_a.partner,
        [
            lambda: trends.recompute_partner(partner_id),
            lambda: trends.recompute_partner(partner_id),
        ],
    )

    assert errors == [None, None]
    assert derived_rows(partner_a.partner) == expected
    assert FamilyMonth.objects.filter(partner=partner_a.partner).count() == 8 * 4


def test_a_nightly_run_and_its_redelivered_copy_at_once_do_the_partner_once(partner_a):
    expected = clean_run(partner_a.partner)
    run = TrendsRun.objects.create(key="night and its copy")
    partner_id = partner_a.partner.pk

    errors = at_the_same_moment(
        partner_a.partner,
        [
            lambda: nightly.run_partner(run=run, partner_id=partner_id),
            lambda: nightly.run_partner(run=run, partner_id=partner_id),
        ],
    )

    assert errors == [None, None]
    assert run.partners_done.filter(partner=partner_a.partner).count() == 1
    assert derived_rows(partner_a.partner) == expected


def test_a_verification_during_the_nightly_run_leaves_the_rows_of_a_clean_run(partner_a):
    """The family's recomputation waits for the partner's, or the other way round: either
    order ends with the month just verified in every aggregate."""
    expected = clean_run(partner_a.partner)
    waiting = SurveyResponse.objects.filter(family=partner_a.friend_family, period=months_ago(1))
    waiting.update(state=SurveyResponse.State.SUBMITTED)
    trends.recompute_partner(partner_a.partner.pk)  # last night's rows, without that month
    assert derived_rows(partner_a.partner) != expected
    waiting.update(state=SurveyResponse.State.VERIFIED)
    partner_id, family_id = partner_a.partner.pk, partner_a.friend_family.pk

    errors = at_the_same_moment(
        partner_a.partner,
        [lambda: trends.recompute_partner(partner_id), lambda: trends.recompute_family(family_id)],
    )

    assert errors == [None, None]
    assert derived_rows(partner_a.partner) == expected
