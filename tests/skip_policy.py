"""What may skip: tests marked `postgresql` skip where the database is SQLite, tests marked
`broker` where no Celery broker is configured, each saying how to run them; and in CI
(`CI=true`), which has both, nothing skips at all: a skipped test there is reported as a
failure, since it proved nothing."""

import os

import pytest


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    needs_postgresql = [item for item in items if item.get_closest_marker("postgresql")]
    needs_a_broker = [item for item in items if item.get_closest_marker("broker")]
    if needs_postgresql:
        from django.db import connection

        if connection.vendor != "postgresql":
            skip = pytest.mark.skip(
                reason="Needs PostgreSQL (its locks, or worker processes reading the test "
                "database): set DATABASE_URL=postgres://... to run it."
            )
            for item in needs_postgresql:
                item.add_marker(skip)
    if needs_a_broker:
        from django.conf import settings

        if settings.CELERY_BROKER_URL.startswith("memory://"):
            skip = pytest.mark.skip(
                reason="Needs a Celery broker: set CELERY_BROKER_URL=redis://... to run it."
            )
            for item in needs_a_broker:
                item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if _in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped in CI, where nothing may skip: {report.longrepr}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if _in_ci() and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"Skipped at collection in CI, where nothing may skip: {report.longrepr}"
