"""Two requests with the same `Idempotency-Key` at the same moment, each on its own database
connection, create one object, and both get the same answer. The key's unique constraint is what
holds, so this runs on PostgreSQL (SQLite serializes every write and cannot race)."""

import threading
import time

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from families.models import Cohort
from tests import clock
from tests.races import waiting_for_a_lock

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

BODY = {
    "name": "Eastside 2027",
    "region": "Eastside",
    "started_on": clock.month(-3).isoformat(),
    "liaisons": [],
}


def test_two_requests_with_one_key_at_once_create_one_cohort(world):
    answers = [None, None]

    def post(i):
        try:
            client = APIClient()
            client.force_authenticate(world.a.staff)
            answers[i] = client.post(
                "/api/v1/cohorts/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="same-key"
            )
        finally:
            connections.close_all()

    # One request first, so that the threads do not spend the race importing the views.
    warm = APIClient()
    warm.force_authenticate(world.a.staff)
    assert warm.get("/api/v1/cohorts/").status_code == 200
    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    # Hold both requests inside their transactions: whichever inserts the key first then
    # waits to write the cohort; the other waits on the key's unique index.
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute(f"LOCK TABLE {Cohort._meta.db_table} IN EXCLUSIVE MODE")
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while waiting_for_a_lock() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        both_held = waiting_for_a_lock() >= 2
        cursor.execute("COMMIT")
    for thread in threads:
        thread.join(timeout=30)

    assert both_held, "the two requests never met at the locks"
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].content == answers[1].content
    assert sorted(a.get("Idempotent-Replayed", "no") for a in answers) == ["no", "true"]
    assert Cohort.objects.filter(name="Eastside 2027").count() == 1
