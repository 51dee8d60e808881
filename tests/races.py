"""Two requests at the same moment, each on its own PostgreSQL connection, to prove that a lock
holds. The first caller is held inside the service, just after its check, until the second is
seen waiting for a lock in PostgreSQL; only then does the first go on and commit. Without the
lock nobody waits: the first is let go after `patience` seconds and both pass the check, which
is what the tests then catch."""

from __future__ import annotations

import threading
import time

from django.db import connection, connections


def waiting_for_a_lock() -> int:
    """How many other connections to the test database wait for a lock right now."""
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing its first look at the activity.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


class Race:
    def __init__(self, monkeypatch, module, name: str, *, patience: float = 3.0):
        self.inside = threading.Event()
        self.saw_a_waiter = False
        original = getattr(module, name)
        held = []

        def hold_the_first(*args, **kwargs):
            result = original(*args, **kwargs)
            if not held:
                held.append(True)
                self.inside.set()
                deadline = time.monotonic() + patience
                while time.monotonic() < deadline:
                    if waiting_for_a_lock():
                        self.saw_a_waiter = True
                        break
                    time.sleep(0.01)
            return result

        monkeypatch.setattr(module, name, hold_the_first)

    def run(self, first, second) -> list:
        """Each callable's result or the exception it raised, in that order."""
        results: list = [None, None]

        def call(i, work):
            try:
                results[i] = work()
            except Exception as exc:
                results[i] = exc
            finally:
                connections.close_all()

        threads = [threading.Thread(target=call, args=(0, first))]
        threads[0].start()
        if not self.inside.wait(timeout=20):
            threads[0].join(timeout=20)
            raise AssertionError(f"The first request never reached the check: {results[0]!r}")
        threads.append(threading.Thread(target=call, args=(1, second)))
        threads[1].start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(t.is_alive() for t in threads), "a request is still running"
        return results
