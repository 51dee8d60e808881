from celery import shared_task
from django.utils import timezone

from messaging.backends import get_backend
from messaging.models import Message


@shared_task
def deliver_message(message_id: int, private_body: str | None = None) -> str:
    """Hand a recorded message to the SMS provider. Only a queued message is sent, so a second
    run of this task sends nothing. `private_body`, when given, is sent instead of the kept
    body (see `send_sms`)."""
    claimed = Message.objects.filter(pk=message_id, status=Message.Status.QUEUED).update(
        status=Message.Status.SENT, attempts=1, sent_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    message = Message.objects.get(pk=message_id)
    backend = get_backend()
    result = backend.send(to=message.to, body=private_body or message.body, sender=message.sender)
    Message.objects.filter(pk=message_id).update(
        provider=backend.name,
        provider_id=result.provider_id,
        status=result.status,
        cost=result.cost,
        cost_currency=result.cost_currency,
        error=result.error[:300],
        status_at=timezone.now(),
    )
    return result.status
