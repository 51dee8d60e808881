"""Settings of the worker processes that the tests start and kill: the real settings, except
that the broker hands a dead worker's job to another worker after a few seconds instead of
the hour and more a deployment waits (longer than its longest job), and looks for such jobs
every few seconds instead of every minute and a half."""

from mutuality.settings import *  # noqa: F403

VISIBILITY_TIMEOUT = 8

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "visibility_timeout": VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 2,
    "unacked_restore_throttle": 1,
}
