"""What some tests need beyond the default SQLite database: PostgreSQL (several connections at
once, or worker processes reading the test database) and a real Celery broker.

A developer without them is told how to get them and the test is skipped; in CI (CI=true),
which always has both, a missing one fails the test instead.
"""

import os

import pytest
from django.conf import settings
from django.db import connection


def _missing(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI always provides it)")
    pytest.skip(message)


def postgresql() -> None:
    if connection.vendor != "postgresql":
        _missing("needs PostgreSQL: set DATABASE_URL=postgres://...")


def broker() -> None:
    if settings.CELERY_BROKER_URL.startswith("memory://"):
        _missing("needs a Celery broker: set CELERY_BROKER_URL=redis://...")
