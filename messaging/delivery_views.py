"""Delivery reports: the provider tells us a message arrived or failed. Each is idempotent
(the same report twice changes nothing), never moves a message back (a late "sent" after
"delivered" is ignored), refuses a large body, and answers 200 to any report it cannot place,
so the provider stops retrying it."""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from messaging.models import Message, PartnerMessaging
from messaging.services import apply_delivery_report

MAX_REPORT_BYTES = 4096

TWILIO_STATUSES = {
    "sent": Message.Status.SENT,
    "delivered": Message.Status.DELIVERED,
    "undelivered": Message.Status.UNDELIVERED,
    "failed": Message.Status.FAILED,
}

AFRICASTALKING_STATUSES = {
    "Sent": Message.Status.SENT,
    "Submitted": Message.Status.SENT,
    "Buffered": Message.Status.SENT,
    "Success": Message.Status.DELIVERED,
    "Rejected": Message.Status.UNDELIVERED,
    "Failed": Message.Status.FAILED,
}


def _too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REPORT_BYTES
    except ValueError:
        return True


def _twilio_auth_token() -> str:
    url = urlsplit(settings.SMS_URL)
    return unquote(url.password or "") if url.scheme == "twilio" else ""


def twilio_callback_url(request) -> str:
    """The address Twilio signed: ours as the outside sees it, with its query string."""
    return request.build_absolute_uri()


@csrf_exempt
@require_POST
def twilio_status(request):
    if _too_large(request):
        return HttpResponse(status=413)
    token = _twilio_auth_token()
    signature = request.headers.get("X-Twilio-Signature", "")
    form = {key: request.POST.get(key) for key in request.POST}
    if not token or not RequestValidator(token).validate(
        twilio_callback_url(request), form, signature
    ):
        return HttpResponseForbidden()
    status = TWILIO_STATUSES.get(form.get("MessageStatus", ""))
    if status:
        code = form.get("ErrorCode") or ""
        apply_delivery_report(
            provider="twilio",
            provider_id=form.get("MessageSid", ""),
            status=status,
            error=f"Twilio {code}" if code else "",
        )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def africastalking_delivery(request, hook_secret: str):
    if _too_large(request):
        return HttpResponse(status=413)
    settings_row = PartnerMessaging.objects.filter(hook_secret=hook_secret).first()
    if settings_row is None:
        raise Http404
    form = request.POST
    status = AFRICASTALKING_STATUSES.get(form.get("status", ""))
    if status:
        apply_delivery_report(
            provider="africastalking",
            provider_id=form.get("id", ""),
            status=status,
            error=form.get("failureReason", ""),
        )
    return HttpResponse(status=200)
