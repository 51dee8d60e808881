"""What may skip: race tests skip where there is no PostgreSQL, and in CI (`CI=true`) nothing
skips at all: a skipped test there is reported as a failure, since it proved nothing."""

import os

import pytest


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    races = [item for item in items if item.get_closest_marker("races")]
    if not races:
        return
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(
        reason="Races need PostgreSQL's locks; set DATABASE_URL=postgres://... to run them."
    )
    for item in races:
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
