"""The soft time limit is recognised whether it reaches the nightly job itself or as the cause
of a rollback that failed because it struck in the middle of a query."""

from celery.exceptions import SoftTimeLimitExceeded
from django.db import ProgrammingError

from changemakers.tasks import stopped_by_time_limit


def _raised(error_type, cause=None):
    try:
        try:
            if cause is not None:
                raise cause
        finally:
            raise error_type("rollback failed")
    except Exception as error:
        return error


def test_the_time_limit_is_seen_through_the_rollback_it_broke():
    broken_rollback = _raised(ProgrammingError, SoftTimeLimitExceeded())
    assert stopped_by_time_limit(broken_rollback)
    assert stopped_by_time_limit(SoftTimeLimitExceeded())


def test_any_other_failure_is_not_taken_for_the_time_limit():
    assert not stopped_by_time_limit(_raised(ProgrammingError, ValueError("bad row")))
    assert not stopped_by_time_limit(ProgrammingError("syntax error"))
