"""The SMS survey's background work: the inbound hooks record a household's text and answer
the provider at once; this task answers the text (`messaging.survey_by_sms.answer_sms`).

Listed in `CELERY_IMPORTS` (it is not an app's `tasks.py`)."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from families.models import Family
from messaging import survey_by_sms
from messaging.models import Message


def pending_texts(family_id: int):
    return Message.objects.filter(
        family_id=family_id,
        direction=Message.Direction.IN,
        channel=Message.Channel.SMS,
        handled_at__isnull=True,
    ).order_by("created_at", "pk")


@shared_task
def answer_inbound_texts(family_id: int) -> int:
    """Answer the household's texts not answered yet, oldest first; the number answered.

    The texts are locked while they are answered and marked in the same transaction, so two
    runs at once (or a second run later) answer each text once, in the order it came: a run
    that waited for the lock finds them answered (PostgreSQL checks the condition again)."""
    answered = 0
    with transaction.atomic():
        texts = list(pending_texts(family_id).select_for_update())
        if not texts:
            return 0
        family = Family.objects.select_related("partner", "cohort").get(pk=family_id)
        for text in texts:
            survey_by_sms.answer_sms(family, text.body)
            Message.objects.filter(pk=text.pk).update(handled_at=timezone.now())
            answered += 1
    return answered
