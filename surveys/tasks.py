import logging

from celery import shared_task

from accounts.models import Partner

log = logging.getLogger(__name__)


@shared_task
def notify_survey_month_open() -> int:
    """Daily: this month's survey is open (then one reminder) for households not yet done."""
    from surveys import notices

    sent = sum(notices.month_open(partner) for partner in Partner.objects.order_by("pk"))
    log.info("Sent %d survey notices", sent)
    return sent
