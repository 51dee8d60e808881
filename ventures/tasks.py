from celery import shared_task

from ventures.services import asks_expire


@shared_task
def expire_funding_asks() -> int:
    """Nightly: open asks past their deadline expire."""
    return asks_expire()
