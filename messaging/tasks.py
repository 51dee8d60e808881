from celery import shared_task
from django.utils import timezone

from messaging.backends import SendError, get_backend
from messaging.models import Message

# Tries in all when the provider is down, rate limited or failing (5xx); back-off doubles.
MAX_SEND_ATTEMPTS = 5
RETRY_BACKOFF_SECONDS = 30


def _failed_try(task, message_id: int, error: Exception, **fields) -> str:
    """The message goes back in the queue to be tried again with back-off, or, after the
    last try, is failed for good."""
    last_try = task.request.retries >= task.max_retries
    Message.objects.filter(pk=message_id).update(
        status=Message.Status.FAILED if last_try else Message.Status.QUEUED,
        error=str(error)[:300],
        status_at=timezone.now(),
        **fields,
    )
    if last_try:
        return Message.Status.FAILED
    raise task.retry(
        exc=error, countdown=RETRY_BACKOFF_SECONDS * 2**task.request.retries
    ) from error


@shared_task(bind=True, max_retries=MAX_SEND_ATTEMPTS - 1)
def deliver_message(self, message_id: int, private_body: str | None = None) -> str:
    """Hand a recorded message to the SMS provider. Only a queued message is sent, so a second
    run of this task sends nothing. `private_body`, when given, is sent instead of the kept
    body (see `send_sms`). A transient failure puts the message back in the queue and tries
    again later; the provider had not accepted it, so nothing goes twice."""
    attempt = self.request.retries + 1
    claimed = Message.objects.filter(pk=message_id, status=Message.Status.QUEUED).update(
        status=Message.Status.SENT, attempts=attempt, sent_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    message = Message.objects.get(pk=message_id)
    backend = get_backend()
    try:
        result = backend.send(
            to=message.to, body=private_body or message.body, sender=message.sender
        )
    except SendError as error:
        return _failed_try(self, message_id, error, provider=backend.name)
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


@shared_task(bind=True, max_retries=MAX_SEND_ATTEMPTS - 1)
def deliver_email_notice(self, message_id: int) -> str:
    """Email a recorded notice once: claimed from the queue first, like a text message."""
    from django.conf import settings
    from django.core.mail import send_mail

    claimed = Message.objects.filter(
        pk=message_id, status=Message.Status.QUEUED, channel=Message.Channel.EMAIL
    ).update(status=Message.Status.SENT, attempts=self.request.retries + 1, sent_at=timezone.now())
    if not claimed:
        return "skipped"
    message = Message.objects.get(pk=message_id)
    subject, _, body = message.body.partition("\n\n")
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [message.to])
    except OSError as error:  # the mail server is down or refused: try again later
        return _failed_try(self, message_id, error)
    Message.objects.filter(pk=message_id).update(status_at=timezone.now())
    return Message.Status.SENT
