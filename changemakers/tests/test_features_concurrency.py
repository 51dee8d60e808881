"""Two people acting on one feature at the same moment, each on their own database connection:
the families of a group accepting together, or a family withdrawing while staff publish. The
feature's row lock is what holds, so this runs on PostgreSQL (SQLite serializes every write)."""

import contextlib
import threading
import time

import pytest
from django.db import connection, connections

from changemakers.models import Feature, FeatureConsent
from changemakers.services import features as services
from changemakers.tests import feature_data as data
from mutuality.errors import ApplicationError, Conflict

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True),
]


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _waiting_for_a_lock(pids: list[int]) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE pid = ANY(%s) AND wait_event_type = 'Lock'",
            [pids],
        )
        return cursor.fetchone()[0] > 0


def at_once(monkeypatch, calls) -> tuple[list, bool]:
    """Run each call in its own thread and connection. Inside a service, each waits for the
    others once it has read the feature (at `_snapshot`). Without the row lock they would all
    meet there having read the same state; with it, the others are held at the lock, which
    this thread sees in PostgreSQL and then lets the one inside go on. Returns what each call
    gave (or raised) and whether one was seen held at the lock."""
    barrier = threading.Barrier(len(calls), timeout=20)
    original = services._snapshot

    def snapshot_then_meet(feature):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return original(feature)

    monkeypatch.setattr(services, "_snapshot", snapshot_then_meet)
    results: list = [None] * len(calls)
    pids: list[int] = []
    failures: list[Exception] = []

    def run(i, call):
        try:
            pids.append(_backend_pid())
            results[i] = call()
        except ApplicationError as exc:
            results[i] = exc
        except Exception as exc:  # reported below, never swallowed
            failures.append(exc)
            barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    held = False
    deadline = time.monotonic() + 30
    while any(thread.is_alive() for thread in threads) and time.monotonic() < deadline:
        if not barrier.broken and pids and _waiting_for_a_lock(list(pids)):
            held = True
            barrier.abort()
        time.sleep(0.005)
    for thread in threads:
        thread.join(timeout=30)
    monkeypatch.setattr(services, "_snapshot", original)
    assert not failures, failures
    return results, held


def test_two_families_of_a_group_accepting_together_give_consent(world, monkeypatch):
    feature = data.nominate(world.a, "group")
    results, held = at_once(
        monkeypatch,
        [
            lambda: services.feature_consent_accept(seat=data.seed_seat(world.a), feature=feature),
            lambda: services.feature_consent_accept(
                seat=data.friend_seat(world.a), feature=feature
            ),
        ],
    )
    assert all(isinstance(result, FeatureConsent) for result in results), results
    assert held
    feature.refresh_from_db()
    assert feature.state == Feature.State.CONSENTED


def test_a_withdrawal_while_staff_publish_never_leaves_it_public(world, monkeypatch):
    feature = data.accept_all(world.a, data.nominate(world.a, "group"))
    results, held = at_once(
        monkeypatch,
        [
            lambda: services.feature_publish(seat=data.staff_seat(world.a), feature=feature),
            lambda: services.feature_consent_withdraw(
                seat=data.seed_seat(world.a), feature=feature
            ),
        ],
    )
    assert held
    assert isinstance(results[1], FeatureConsent), results  # the withdrawal always wins out
    assert isinstance(results[0], (Feature, Conflict)), results
    feature.refresh_from_db()
    assert feature.state == Feature.State.WITHDRAWN
