"""A worker killed in the middle of the nightly trends job (SIGKILL, as the kernel's OOM killer
or a lost machine would): the broker hands the job to the next worker, which goes on from the
partners not yet done, and the trends come out exactly as from a run that was never
interrupted.

The workers are real processes (`celery worker` on the `long` queue, with a pool child, as in
docker-compose) reading the test database; tests/worker_settings.py only shortens how long the
broker waits before it hands a dead worker's job to another one."""

import contextlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from accounts.models import Partner
from changemakers import nightly
from changemakers.models import (
    DiffusionFit,
    FamilyMonth,
    PracticeAdoption,
    TrendAggregate,
    TrendsRun,
    TrendsRunPartner,
)
from tests import worker_settings

pytestmark = [
    pytest.mark.broker,
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parent.parent
DERIVED = [FamilyMonth, TrendAggregate, PracticeAdoption, DiffusionFit]
PARTNERS = 6


def derived_rows() -> dict[str, list[tuple]]:
    """Every trend and practice row, without its id and the time it was computed."""
    rows = {}
    for model in DERIVED:
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in {"id"}]
        fields = [f for f in fields if f != "computed_at"]
        rows[model.__name__] = sorted(model.objects.values_list(*fields))
    return rows


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:  # the parent's pid
                found.append(int(stat.parent.name))
    return found


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in {"Z", "X"}  # dead, waiting for its new parent to reap it


class Workers:
    """Starts `celery worker` processes, each in a session of its own so that a signal to its
    process group reaches its pool children; whatever is left is stopped at the end."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.processes: list[subprocess.Popen] = []
        self.files: list = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        }

    def start(self, **env) -> subprocess.Popen:
        number = len(self.processes) + 1
        log = (self.logs / f"worker{number}.log").open("wb")
        self.files.append(log)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mutuality",
                "worker",
                "--queues=long",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                f"--hostname=long{number}@%h",
            ],
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def output(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.logs.glob("worker*.log"))
        )

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)
        for log in self.files:
            log.close()


def _test_database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _empty_long_queue(app) -> None:
    """Nothing of an earlier interrupted test run may reach these workers."""
    import json

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("long")
        client = conn.default_channel.client
        for tag, raw in client.hgetall("unacked").items():
            if json.loads(raw)[2] == "long":  # [message, exchange, routing key]
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)


def wait_for(condition, *, seconds: float, workers: Workers, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} within {seconds} s\n{workers.output()}")


@pytest.fixture
def workers(tmp_path):
    started = Workers(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


@pytest.fixture
def sending():
    """`.delay()` sends to the broker (the tests run tasks in-process otherwise)."""
    from mutuality.celery import app

    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = True


def load_partners(app, partners: int = PARTNERS) -> None:
    # About 0.5 s of work per partner on PostgreSQL: the job runs for a few seconds.
    call_command("generate_load", partners=partners, families=800, months=12, stdout=io.StringIO())
    assert Partner.objects.count() == partners
    _empty_long_queue(app)


def job_under_way(workers: Workers, app):
    """The nightly job over a load of partners, sent to the broker and taken by a first worker
    that has done at least one partner. Returns the job and the worker."""
    from changemakers.tasks import trends_recompute_all

    load_partners(app)
    job = trends_recompute_all.delay()
    worker = workers.start()
    wait_for(
        lambda: TrendsRunPartner.objects.filter(run__key=job.id).exists(),
        seconds=90,
        workers=workers,
        what="the first worker did no partner",
    )
    return job, worker


def partners_done(job) -> set[tuple]:
    return set(
        TrendsRunPartner.objects.filter(run__key=job.id).values_list("partner", "finished_at")
    )


def assert_finished_like_a_clean_run(job, before_kill: set[tuple], partners=PARTNERS) -> None:
    # The partners done before the kill were not done again; the others were, once each.
    assert before_kill <= partners_done(job)
    assert len(partners_done(job)) == partners
    assert TrendsRun.objects.filter(key=job.id).count() == 1
    after_kill = derived_rows()
    assert len(after_kill["FamilyMonth"]) == partners * 800 * 12
    assert len(after_kill["TrendAggregate"]) > partners * 12

    for model in DERIVED:
        model.objects.all().delete()
    nightly.nightly_recompute(key="a clean run")
    assert derived_rows() == after_kill


def finished(job) -> bool:
    return TrendsRun.objects.filter(key=job.id, finished_at__isnull=False).exists()


def test_a_killed_worker_s_nightly_job_finishes_on_the_next_worker_with_a_clean_run_s_rows(
    workers, sending
):
    job, first = job_under_way(workers, sending)
    children = _children(first.pid)
    os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool child at once
    first.wait(timeout=10)

    assert children, "the worker ran its job in a pool child"
    wait_for(
        lambda: all(_gone(pid) for pid in children),
        seconds=10,
        workers=workers,
        what="the pool child did not die with its worker",
    )
    assert not finished(job)
    before_kill = partners_done(job)
    assert 1 <= len(before_kill) < PARTNERS, "killed in the middle of the job"

    second = workers.start()
    wait_for(
        lambda: finished(job),
        seconds=worker_settings.VISIBILITY_TIMEOUT + 90,
        workers=workers,
        what="the next worker did not finish the job",
    )
    assert second.poll() is None
    assert_finished_like_a_clean_run(job, before_kill)


def test_a_killed_pool_child_s_nightly_job_is_taken_up_again_by_its_worker(workers, sending):
    job, worker = job_under_way(workers, sending)
    [child] = _children(worker.pid)
    os.kill(child, signal.SIGKILL)  # the worker itself lives on and starts a new child
    before_kill = partners_done(job)
    assert 1 <= len(before_kill) < PARTNERS, "killed in the middle of the job"

    # Handed back to the queue at once (not acknowledged as failed), then done by a new child.
    wait_for(
        lambda: finished(job),
        seconds=90,
        workers=workers,
        what="the worker did not take the job up again",
    )
    assert worker.poll() is None
    assert child not in _children(worker.pid)
    assert_finished_like_a_clean_run(job, before_kill)


def test_a_worker_stopped_with_sigquit_hands_its_job_back_at_once(workers, sending):
    """What docker-compose sends the long worker on `docker compose stop`: the job is cancelled,
    back in the queue without waiting for the visibility timeout, and the next worker goes on."""
    job, first = job_under_way(workers, sending)
    os.kill(first.pid, signal.SIGQUIT)
    first.wait(timeout=60)
    before_stop = partners_done(job)
    assert 1 <= len(before_stop) < PARTNERS, "stopped in the middle of the job"

    with sending.connection_for_write() as conn:
        assert conn.default_channel.client.llen("long") == 1

    workers.start()
    wait_for(lambda: finished(job), seconds=90, workers=workers, what="the job did not finish")
    assert_finished_like_a_clean_run(job, before_stop)


def test_a_job_stopped_by_its_soft_time_limit_sends_the_rest_of_its_run_to_a_fresh_job(
    workers, sending
):
    """A job longer than its limit rolls back the partner it was on and goes on in a new job
    of the same run. Here the limit is 2 s soft, 3 s hard, for a job of about 5 s over ten
    partners of about half a second each: far enough from both ends that a fast or a slow
    machine still stops it part-way, and still finishes a partner within each limit."""
    from changemakers.tasks import trends_recompute_all

    partners = 10
    load_partners(sending, partners)
    limits = {"soft_time_limit": 2, "time_limit": 3}  # what beat sends from the same settings
    job = trends_recompute_all.apply_async(**limits)
    workers.start(LONG_JOB_TIME_LIMIT=str(limits["time_limit"]))

    wait_for(lambda: finished(job), seconds=180, workers=workers, what="the run did not finish")
    assert "reached its time limit" in workers.output()
    assert_finished_like_a_clean_run(job, set(), partners)
