"""Inbound texts at scale: `python -m bench.sms_webhooks`.

Builds one partner with N households on the survey by text message (default 400) in a
throwaway PostgreSQL database, starts gunicorn with 2 workers on it and a Celery worker (on
the broker of `CELERY_BROKER_URL`, or `--broker`; the console SMS backend), then POSTs Africa's
Talking's inbound callbacks (`/hooks/sms/africastalking/<secret>/`) with wrk (the Debian
package), C connections at once (`bench/wrk_bodies.lua`):
each household's texts in turn, the first starting its survey, then one answer each until the
survey is sent, then texts to a survey already sent. The hook records a text and hands it to
the task that answers it (`messaging.sms_survey_tasks`); a Celery worker starts once the hook
is measured (in production it runs on other machines), and the bench reports how long it took
to answer them all.

It reports requests per second and the median and 95th percentile times beside a baseline in
the same run: the same POSTs to a trivial view behind the same middleware
(`bench.sms_webhooks_site`, `bench.sms_webhooks_urls`). The target: 200 requests a second
or more, p95 under 100 ms.
It then checks that no request failed and that every household's survey is waiting for
verification, sent by text.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutuality.settings")

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ["hello", "1350.50", "200", "80", "0", "2", "1", "2"]  # start, then 7 answers
TARGET_RPS, TARGET_P95_MS = 200, 100


def phone(n: int) -> str:
    return f"+1510{2_000_000 + n:07d}"


def build(families: int) -> str:
    from accounts.models import Partner
    from families.models import Cohort, Family, Group
    from messaging.models import NoticePreference
    from messaging.services import partner_messaging
    from surveys.services import default_template

    default_template()
    partner = Partner.objects.create(
        name="Bench texts", slug="bench-texts", country="US", currency="USD", languages=["en"]
    )
    cohort = Cohort.objects.create(
        partner=partner,
        name="Cohort",
        started_on=datetime.date.today().replace(day=1) - datetime.timedelta(days=90),
    )
    rows = []
    for n in range(families):
        if n % 10 == 0:
            group = Group.objects.create(partner=partner, cohort=cohort, name=f"Group {n // 10}")
        rows.append(
            Family(
                partner=partner,
                cohort=cohort,
                group=group,
                name=f"Household {n}",
                is_seed=n % 10 == 0,
                generation=0 if n % 10 == 0 else 1,
                household_size=1 + n % 7,
                contact_phone=phone(n),
            )
        )
    created = Family.objects.bulk_create(rows, batch_size=2000)
    NoticePreference.objects.bulk_create(
        NoticePreference(family=f, channel="sms", survey_by_sms=True) for f in created
    )
    return partner_messaging(partner).hook_secret


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(database_url: str, broker: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.sms_webhooks_site",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "SMS_URL": "console://",
        "CONN_MAX_AGE": "60",
        "DEBUG": "false",
    }


def _celery() -> str:
    return str(Path(sys.executable).with_name("celery"))


def purge_queue(database_url: str, broker: str) -> None:
    """Tasks left in the queue by an earlier run would answer for households of no database."""
    subprocess.run(
        [_celery(), "-A", "mutuality", "purge", "-f", "-Q", "celery"],
        cwd=ROOT,
        env=_env(database_url, broker),
        check=False,
        capture_output=True,
    )


def start_worker(database_url: str, broker: str) -> subprocess.Popen:
    celery = _celery()
    env = _env(database_url, broker)
    return subprocess.Popen(
        [
            *(celery, "-A", "mutuality", "worker", "-Q", "celery", "--concurrency", "2"),
            *("--loglevel", "warning", "--without-gossip", "--without-mingle"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def start_gunicorn(database_url: str, broker: str, workers: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = _env(database_url, broker)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "mutuality.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            # As in production (the Dockerfile): threads, so a worker waiting on the database
            # serves another request meanwhile, and idle keep-alive connections hold no worker.
            *("--threads", "4"),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # the hook logs each stranger's text of the warm-up
    )
    base = f"http://127.0.0.1:{port}"
    import requests

    for _ in range(200):
        try:
            requests.get(base + "/healthz", timeout=1)
            return server, base
        except requests.RequestException:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def drive(url: str, forms: list[dict], concurrency: int) -> tuple[float, float, float, int]:
    """POST every form once (in order per household) with wrk, `concurrency` connections at
    once: seconds, p50 and p95 in ms, and how many failed (not 200, or no answer)."""
    import tempfile
    from urllib.parse import urlencode

    with tempfile.NamedTemporaryFile("w", suffix=".txt") as bodies:
        bodies.write("".join(urlencode(form) + "\n" for form in forms))
        bodies.flush()
        wrk = subprocess.Popen(
            [
                *("wrk", "-t", str(concurrency), "-c", str(concurrency), "-d", "900s"),
                *("-s", str(ROOT / "bench" / "wrk_bodies.lua"), url, "--"),
                *(bodies.name, str(concurrency)),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        # wrk runs for its whole duration even when every thread has stopped: its summary
        # comes as soon as it is interrupted once all have sent their share.
        finished, lines = 0, []
        for line in wrk.stdout:
            lines.append(line)
            finished += line.strip() == "finished"
            if finished == concurrency:
                wrk.send_signal(signal.SIGINT)
                break
        lines.extend(wrk.stdout)
        wrk.wait()
    line = next(line for line in lines if line.startswith("requests "))
    words = line.split()
    fields = dict(zip(words[::2], words[1::2], strict=True))
    requests_done = int(fields["requests"])
    failed = int(fields["failed"]) + max(0, len(forms) - requests_done)
    return float(fields["seconds"]), float(fields["p50_ms"]), float(fields["p95_ms"]), failed


def inbound_forms(families: int, rounds: int) -> list[dict]:
    """Round after round, one text per household: its next answer (after the survey, "hi")."""
    ids = itertools.count(1)
    forms = []
    for step in range(rounds):
        for n in range(families):
            forms.append(
                {
                    "from": phone(n),
                    "to": "12345",
                    "text": ANSWERS[step] if step < len(ANSWERS) else "hi",
                    "id": f"ATXid_bench_{next(ids)}",
                    "date": "",
                    "linkId": "",
                }
            )
    return forms


def report(name: str, count: int, measure: tuple[float, float, float, int]) -> tuple[float, float]:
    seconds, p50, p95, failed = measure
    rps = count / seconds
    print(
        f"{name:<28} {count:>6} requests  {rps:8.1f} req/s  p50 {p50:6.1f} ms  "
        f"p95 {p95:6.1f} ms  failed {failed}"
    )
    return rps, p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--families", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=len(ANSWERS) + 1)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--broker", default=os.environ.get("CELERY_BROKER_URL", ""))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("Install wrk (the Debian package `wrk`): it sends the requests.")
        return 2
    if not args.broker.startswith("redis"):
        print("Give a Redis broker (CELERY_BROKER_URL or --broker): the texts are answered by")
        print("a Celery worker, as in production.")
        return 2

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        print("Set DATABASE_URL to a PostgreSQL database: gunicorn's workers share it.")
        return 2
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    test_name = settings.DATABASES["default"]["NAME"]
    url = urlsplit(os.environ["DATABASE_URL"])
    database_url = urlunsplit(url._replace(path="/" + test_name))
    server = worker = None
    try:
        start = time.perf_counter()
        secret = build(args.families)
        built = time.perf_counter() - start
        print(f"{args.families} households on the survey by text, built in {built:.1f} s")
        connection.close()
        purge_queue(database_url, args.broker)
        server, base = start_gunicorn(database_url, args.broker, args.workers)
        forms = inbound_forms(args.families, args.rounds)
        hook = f"{base}/hooks/sms/africastalking/{secret}/"
        # Warm both up (imports, connections) outside the measure; strangers' texts are
        # ignored, so the hook's warm-up changes nothing.
        drive(base + "/bench/trivial/", forms[:50], args.concurrency)
        strangers = [{**f, "from": phone(args.families + 1 + i)} for i, f in enumerate(forms[:50])]
        drive(hook, strangers, args.concurrency)
        baseline = drive(base + "/bench/trivial/", forms, args.concurrency)
        measured = drive(hook, forms, args.concurrency)
        print(f"gunicorn, {args.workers} workers, {args.concurrency} clients at once (wrk)")
        base_rps, base_p95 = report("baseline (trivial view)", len(forms), baseline)
        rps, p95 = report("inbound text (survey)", len(forms), measured)
        print(
            f"ratio to the baseline: {rps / base_rps:.2f} of its rate, "
            f"p95 {p95 / base_p95:.1f} times its p95"
        )
        ok = rps >= TARGET_RPS and p95 < TARGET_P95_MS
        print(
            f"target {TARGET_RPS} req/s and p95 < {TARGET_P95_MS} ms: "
            + ("met" if ok else "NOT met")
        )
        # The worker starts once the hook is measured: in production it runs elsewhere, and
        # here it would take the hook's CPUs.
        worker = start_worker(database_url, args.broker)
        drained = wait_until_answered(time.perf_counter())
        print(
            f"a Celery worker (2 processes) answered the {len(forms)} texts in {drained:.1f} s: "
            f"{len(forms) / drained:.1f} texts/s"
        )
        return 0 if check(args.families, failed=measured[3]) else 1
    finally:
        for process in (server, worker):
            if process is not None:
                process.terminate()
                process.wait(timeout=60)
        connection.creation.destroy_test_db(old_name, verbosity=0)


def wait_until_answered(since: float, timeout: float = 600) -> float:
    from messaging.models import Message

    while time.perf_counter() - since < timeout:
        if not Message.objects.filter(direction="in", handled_at__isnull=True).exists():
            break
        time.sleep(0.2)
    return time.perf_counter() - since


def check(families: int, *, failed: int) -> bool:
    from messaging.models import Message
    from surveys.models import SurveyResponse

    sent = SurveyResponse.objects.filter(state="submitted", channel="sms").count()
    replies = Message.objects.filter(direction="out", template="sms_survey").count()
    print(f"surveys sent by text: {sent} of {families}; replies recorded: {replies}")
    if failed or sent != families:
        print(f"FAILED: {failed} requests not answered 200, or surveys missing")
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
