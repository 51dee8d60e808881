"""How each task is delivered: what a second run of it would do decides whether the broker
keeps it until done (and hands it to another worker if its own dies), and every task has a
time limit that the broker's visibility timeout outlasts."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from mutuality.celery import app

ROOT = Path(__file__).resolve().parent.parent
IDEMPOTENT = {
    "changemakers.tasks.trends_recompute_family",
    "changemakers.tasks.trends_recompute_partner",
    "changemakers.tasks.trends_recompute_all",
    "changemakers.tasks.changemakers_find_candidates",
    "mutuality.tasks.purge_expired_idempotency_keys",
    "ventures.tasks.expire_funding_asks",
    # Each notice has its dedupe key: a second run sends nothing more.
    "surveys.tasks.notify_survey_month_open",
    # Each inbound text is marked answered in the transaction that answers it.
    "messaging.sms_survey_tasks.answer_inbound_texts",
}
# Emails and text messages: a second run would send a second message.
EMAILS = {
    "messaging.tasks.deliver_message",
    "messaging.tasks.deliver_email_notice",
    "accounts.tasks.deliver_staff_invitation",
    "families.tasks.deliver_family_invitation",
    "families.tasks.deliver_account_invitation",
}
LONG = {
    "changemakers.tasks.trends_recompute_all",
    "changemakers.tasks.changemakers_find_candidates",
}


def our_tasks() -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_every_task_says_how_it_is_delivered():
    assert our_tasks() == IDEMPOTENT | EMAILS
    assert set(settings.CELERY_TASK_ANNOTATIONS) == our_tasks()


def test_idempotent_tasks_are_kept_until_done_and_handed_back_when_their_worker_dies():
    for name in IDEMPOTENT:
        task = app.tasks[name]
        assert task.acks_late and task.reject_on_worker_lost, name


def test_emails_are_acknowledged_as_they_start_so_never_sent_twice():
    for name in EMAILS:
        task = app.tasks[name]
        assert not task.acks_late and not task.reject_on_worker_lost, name


def test_every_task_has_a_soft_limit_before_its_hard_one_and_the_broker_outwaits_them_all():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    for name in our_tasks():
        task = app.tasks[name]
        assert 0 < task.soft_time_limit < task.time_limit < visibility, name
    assert (
        app.tasks["changemakers.tasks.trends_recompute_all"].time_limit
        == settings.LONG_JOB_TIME_LIMIT
    )
    assert app.tasks["changemakers.tasks.trends_recompute_family"].time_limit == 180


def test_long_jobs_have_a_queue_of_their_own():
    router = app.amqp.router
    for name in our_tasks():
        queue = router.route({}, name, (), {})["queue"].name
        assert queue == ("long" if name in LONG else "celery"), name


def test_the_long_jobs_limit_and_the_visibility_timeout_follow_the_environment():
    script = (
        "from django.conf import settings; from mutuality.celery import app; "
        "app.loader.import_default_modules(); "
        "t = app.tasks['changemakers.tasks.trends_recompute_all']; "
        "print(t.soft_time_limit, t.time_limit, "
        "settings.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env={**_environment(), "LONG_JOB_TIME_LIMIT": "7200"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["6480", "7200", "9000"]

    refused = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**_environment(), "LONG_JOB_TIME_LIMIT": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode != 0
    assert "LONG_JOB_TIME_LIMIT must be at least 2 seconds" in refused.stderr


def _environment() -> dict:
    return {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}


def test_docker_compose_runs_a_worker_for_every_queue_and_stops_the_long_one_with_sigquit():
    import yaml

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    queues = {}
    for name, service in services.items():
        command = service.get("command", "")
        if " worker " in f" {command} ":
            [option] = [part for part in command.split() if part.startswith("--queues=")]
            queues[option.removeprefix("--queues=")] = service
    router = app.amqp.router
    routed = {router.route({}, name, (), {})["queue"].name for name in our_tasks()}
    assert routed == set(queues) == {"celery", "long"}
    # Cancelled and handed back to the queue at once, rather than killed after a grace period.
    assert queues["long"]["stop_signal"] == "SIGQUIT"
    assert "--concurrency=1" in queues["long"]["command"]
