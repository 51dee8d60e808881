"""Sending the month's notices at scale: `python -m bench.notices` (or `make bench-notices`).

Builds one partner with N households (default 10,000), each with its own phone, in a throwaway
database; starts the local server that answers as Twilio does
(`messaging.tests.provider_servers`) and points `SMS_URL` at it; then runs the month-opening
job (`surveys.notices.month_open`) for that partner with Celery eager, so that every notice
really goes through `send_sms`, the `deliver_message` task and Twilio's official client.

It reports notices per second beside two baselines in the same run, as ratios:

- the same number of texts POSTed to the same server through the same Twilio backend in a
  plain loop (what the provider's round trips cost by themselves);
- the same number of Message rows written with one `bulk_create` (what the rows cost).

Then it checks that each household got exactly one notice, that the server received one
request per household, and that a second run of the job sends nothing. Use DATABASE_URL to
point at PostgreSQL: the numbers that matter are PostgreSQL's.
"""

import argparse
import datetime
import logging
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutuality.settings")

SID = "AC" + "b" * 32
GROUP_SIZE = 10
COHORT_SIZE = 100


def phone(n: int) -> str:
    """A distinct, valid US number per household: +1 510 200 0000 and up."""
    return f"+1510{2_000_000 + n:07d}"


def build(families: int, today: datetime.date):
    from accounts.models import Partner
    from families.models import Cohort, Family, Group
    from messaging.services import partner_messaging

    partner = Partner.objects.create(
        name="Bench notices", slug="bench-notices", country="US", currency="USD", languages=["en"]
    )
    settings_row = partner_messaging(partner)
    # No quiet hours: every notice is due now, whatever the hour the bench runs at.
    settings_row.quiet_hours_start = settings_row.quiet_hours_end = datetime.time(0)
    settings_row.save()
    rows = []
    for c in range(max(1, -(-families // COHORT_SIZE))):
        cohort = Cohort.objects.create(partner=partner, name=f"Cohort {c}", started_on=today)
        groups = Group.objects.bulk_create(
            Group(partner=partner, cohort=cohort, name=f"Group {c}-{g}")
            for g in range(COHORT_SIZE // GROUP_SIZE)
        )
        for i in range(COHORT_SIZE):
            n = c * COHORT_SIZE + i
            if n >= families:
                break
            rows.append(
                Family(
                    partner=partner,
                    cohort=cohort,
                    group=groups[i // GROUP_SIZE],
                    name=f"Household {n}",
                    is_seed=i % GROUP_SIZE == 0,
                    generation=0 if i % GROUP_SIZE == 0 else 1,
                    household_size=1 + n % 7,
                    contact_phone=phone(n),
                )
            )
    Family.objects.bulk_create(rows, batch_size=2000)
    return partner


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def run(families: int) -> int:
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count

    from messaging.backends import get_backend
    from messaging.models import Message
    from messaging.tests.provider_servers import ProviderServer, twilio_answer
    from mutuality.celery import app
    from surveys import notices

    # The month's first day: the notice is "the survey is open", not the reminder.
    today = datetime.date.today().replace(day=1)
    start = time.perf_counter()
    partner = build(families, today)
    built = time.perf_counter() - start
    print(f"{families} households with phones, one partner, built in {built:.1f} s")

    # Twilio's client and Celery's eager tasks log every request and task at INFO: a bench
    # measures sending, not the log.
    for name in ("twilio", "celery"):
        logging.getLogger(name).setLevel(logging.WARNING)
    server = ProviderServer(twilio_answer)
    server.answers = [(201, {"price": "-0.00750"})]
    settings.SMS_URL = f"twilio://{SID}:bench-token@?from=%2B15005550006&base_url={server.url}"
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    try:
        # One text first, so that neither side pays for importing and warming up the client.
        get_backend().send(to=phone(families), body="Bench: warming up.", sender="")
        warm_up = len(server.requests)
        queries = QueryCounter()
        start = time.perf_counter()
        with connection.execute_wrapper(queries):
            sent = notices.month_open(partner, today)
        job_seconds = time.perf_counter() - start
        job_requests = len(server.requests) - warm_up

        # Baseline 1: the provider's round trips alone, through the same backend and server.
        backend = get_backend()
        start = time.perf_counter()
        for n in range(families):
            backend.send(to=phone(n), body="Bench: the survey is open.", sender="")
        client_seconds = time.perf_counter() - start

        # Baseline 2: the rows alone, in one bulk insert (then removed again).
        start = time.perf_counter()
        Message.objects.bulk_create(
            (
                Message(partner=partner, to=phone(n), template="bench", body="Bench.")
                for n in range(families)
            ),
            batch_size=2000,
        )
        rows_seconds = time.perf_counter() - start
        Message.objects.filter(partner=partner, template="bench").delete()

        again = notices.month_open(partner, today)
    finally:
        server.close()

    notices_sent = Message.objects.filter(partner=partner, template="survey_open")
    per_family = notices_sent.values("family").annotate(n=Count("pk"))
    wrong = per_family.exclude(n=1).count()
    households_reached = per_family.count()
    statuses = dict(notices_sent.values_list("status").annotate(n=Count("pk")))

    def rate(seconds):
        return families / seconds if seconds else float("inf")

    # ratio: the job's rate over the case's (1 for the job itself; under 1, the job is slower).
    print(f"{'case':52} {'seconds':>8} {'per second':>11} {'ratio':>6}")
    cases = [
        ("month_open job: send_sms + task + Twilio client", job_seconds),
        ("baseline: Twilio client POSTs in a loop", client_seconds),
        ("baseline: bulk_create of the Message rows", rows_seconds),
    ]
    for label, seconds in cases:
        print(f"{label:52} {seconds:8.2f} {rate(seconds):11.0f} {seconds / job_seconds:6.3f}")
    job_rate = rate(job_seconds)
    print(
        f"notices per second: {job_rate:.0f}, {job_rate / rate(client_seconds):.2f} of the plain"
        f" client loop's rate, {job_rate / rate(rows_seconds):.3f} of bulk_create's"
    )
    print(f"notices sent: {sent}; statuses: {statuses}; requests to the server: {job_requests}")
    print(
        f"SQL statements in the job: {queries.count} ({queries.count / max(sent, 1):.1f} a notice)"
    )
    checks = {
        "each household got exactly one notice": households_reached == families and wrong == 0,
        "the job counted one notice per household": sent == families,
        "the server received one request per household": job_requests == families,
        "every notice was accepted (sent)": statuses == {Message.Status.SENT: families},
        "a second run sends nothing": again == 0,
    }
    for label, ok in checks.items():
        print(f"{'ok ' if ok else 'FAILED'} {label}")
    return 0 if all(checks.values()) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--families", type=int, default=10_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    # A database of its own, so that a test run on the same server is not disturbed.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        None if connection.vendor == "sqlite" else f"bench_notices_{os.getpid()}"
    )
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        print(f"database: {connection.vendor}")
        return run(args.families)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
