"""Pledges never push an ask past its amount, even when two funders pledge at the same moment,
each on their own database connection. The ask's row lock is what holds, so this runs on
PostgreSQL (SQLite serializes every write and cannot race)."""

import contextlib
import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts import policy
from families.access import FamilySeat
from mutuality.errors import ApplicationError, Conflict
from tests import factories
from ventures import services
from ventures.models import FundingAsk, Pledge, Venture
from ventures.services import PlanInput

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 5


def an_open_ask(tenant, amount: str) -> FundingAsk:
    seat = FamilySeat(user=tenant.seed_member, family=tenant.seed_family)
    venture = services.venture_create(
        seat=seat,
        name="Tamales on Saturdays",
        kind=Venture.Kind.NEW,
        sector=Venture.Sector.FOOD,
        description="Tamales sold from a basket at the market.",
        plan=PlanInput(budget_lines=[("Steamer", "80.00")]),
    )
    ask = services.ask_create(
        seat=seat,
        venture=venture,
        kind=FundingAsk.Kind.DONATION,
        amount=amount,
        purpose="A steamer and a cooler",
        deadline=timezone.localdate() + datetime.timedelta(days=60),
        friends_first_days=0,
    )
    ask = services.ask_submit(seat=seat, ask=ask)
    staff = policy.access_partner(tenant.staff, tenant.partner.slug)
    return services.ask_review(seat=staff, ask=ask, decision="approve")


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


def pledge_at_once(monkeypatch, ask, pledges) -> tuple[list, bool]:
    """Each (user, amount) pledges in its own thread, on its own connection. Inside the service,
    right after reading what is already pledged, each waits at a barrier for the others. Without
    the ask's row lock they would all meet there having read the same total. With it, the others
    are still waiting for the row, which this thread watches for in PostgreSQL: it then lets the
    one inside go on. Returns what each got (a pledge or the error) and whether another funder
    was seen held at the lock while one was inside."""
    barrier = threading.Barrier(len(pledges), timeout=20)
    original = services.pledged_total

    def pledged_total_then_meet(found_ask):
        total = original(found_ask)
        # Let go when broken: the others are held at the row lock (or done).
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return total

    monkeypatch.setattr(services, "pledged_total", pledged_total_then_meet)
    results: list = [None] * len(pledges)
    pids: list[int] = []
    failures: list[Exception] = []

    def run(i, user, amount):
        try:
            pids.append(_backend_pid())
            results[i] = services.pledge_create(user=user, ask=ask, amount=amount)
        except ApplicationError as exc:
            results[i] = exc
        except Exception as exc:  # reported below, never swallowed
            failures.append(exc)
            barrier.abort()
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, user, amount))
        for i, (user, amount) in enumerate(pledges)
    ]
    for thread in threads:
        thread.start()
    held_at_the_lock = False
    deadline = time.monotonic() + 30
    while any(thread.is_alive() for thread in threads) and time.monotonic() < deadline:
        if not barrier.broken and pids and _waiting_for_a_lock(list(pids)):
            held_at_the_lock = True
            barrier.abort()
        time.sleep(0.005)
    for thread in threads:
        thread.join(timeout=30)
    monkeypatch.setattr(services, "pledged_total", original)
    assert not failures, failures
    assert not any(thread.is_alive() for thread in threads)
    return results, held_at_the_lock


def test_this_really_runs_on_postgresql():
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["NAME"].startswith("test_")


def test_two_funders_at_once_for_more_than_is_left_one_pledges_the_other_is_told(
    world, monkeypatch
):
    for _ in range(ROUNDS):
        ask = an_open_ask(world.a, amount="100.00")

        results, held_at_the_lock = pledge_at_once(
            monkeypatch, ask, [(world.a.funder, "60.00"), (world.b.funder, "60.00")]
        )

        made = [r for r in results if isinstance(r, Pledge)]
        refused = [r for r in results if not isinstance(r, Pledge)]
        assert len(made) == 1, results
        assert len(refused) == 1 and isinstance(refused[0], Conflict), results
        assert "40.00" in refused[0].message
        assert held_at_the_lock
        assert services.pledged_total(ask) == Decimal("60.00")
        assert Pledge.objects.filter(ask=ask).count() == 1
        assert FundingAsk.objects.get(pk=ask.pk).state == FundingAsk.State.OPEN


def test_two_funders_at_once_for_the_last_part_fund_the_ask_once(world, monkeypatch):
    for _ in range(ROUNDS):
        ask = an_open_ask(world.a, amount="100.00")
        services.pledge_create(user=world.a.funder, ask=ask, amount="40.00")

        results, held_at_the_lock = pledge_at_once(
            monkeypatch, ask, [(world.a.funder, "60.00"), (world.b.funder, "60.00")]
        )

        made = [r for r in results if isinstance(r, Pledge)]
        refused = [r for r in results if not isinstance(r, Pledge)]
        assert len(made) == 1, results
        assert len(refused) == 1 and isinstance(refused[0], Conflict), results
        assert held_at_the_lock
        assert services.pledged_total(ask) == Decimal("100.00")
        assert Pledge.objects.filter(ask=ask).count() == 2
        assert FundingAsk.objects.get(pk=ask.pk).state == FundingAsk.State.FUNDED


def test_three_funders_at_once_never_over_pledge(world, monkeypatch):
    third = factories.FunderProfileFactory(
        user=factories.UserFactory(email="third-funder@example.org")
    ).user
    for _ in range(ROUNDS):
        ask = an_open_ask(world.a, amount="100.00")

        results, held_at_the_lock = pledge_at_once(
            monkeypatch,
            ask,
            [(world.a.funder, "45.00"), (world.b.funder, "45.00"), (third, "45.00")],
        )

        made = [r for r in results if isinstance(r, Pledge)]
        refused = [r for r in results if not isinstance(r, Pledge)]
        assert len(made) == 2, results
        assert len(refused) == 1 and isinstance(refused[0], Conflict), results
        assert "10.00" in refused[0].message
        assert held_at_the_lock
        assert services.pledged_total(ask) == Decimal("90.00")
