"""Inbound text messages and USSD screens from the providers.

Each view is idempotent (a provider's retry of a message id changes nothing:
`record_inbound`), refuses a large body (413), and never answers 500: whatever goes wrong is
logged and the provider gets an empty answer, so it stops retrying. A number of no household
of the partner is ignored (no reply, nothing kept of what it said), except STOP, which stops
any number. Twilio's requests are checked by signature (403 when forged or missing); Africa's
Talking's by the partner's secret in the address (404 when unknown)."""

from __future__ import annotations

import logging
import time
from functools import wraps

from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from families.models import Family
from messaging import survey_by_sms, ussd
from messaging.delivery_views import _twilio_auth_token, twilio_callback_url
from messaging.models import Message, PartnerMessaging, SmsSurveySession
from messaging.notices import preference_of
from messaging.services import is_stop_word, opt_out_and_confirm, record_inbound
from messaging.sms_survey_tasks import answer_inbound_texts
from mutuality import phones

log = logging.getLogger(__name__)

MAX_INBOUND_BYTES = 16 * 1024
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


def _too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_INBOUND_BYTES
    except ValueError:
        return True


def _twiml() -> HttpResponse:
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


def inbound_hook(empty_answer):
    """CSRF-exempt, POST only, size-limited, and never a 500: `empty_answer()` instead."""

    def decorate(view):
        @csrf_exempt
        @require_POST
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if _too_large(request):
                return HttpResponse(status=413)
            try:
                return view(request, *args, **kwargs)
            except Http404:
                raise
            except Exception:
                log.exception("inbound hook failed", extra={"path": request.path})
                return empty_answer()

        return wrapped

    return decorate


# The partner of a hook's secret, per process for a minute: a provider's burst of texts costs
# no lookup each. Only found partners are kept (an unknown secret is looked up every time), and
# a partner's change of languages or country reaches the hooks within the minute.
PARTNER_CACHE_SECONDS = 60
_partners_by_secret: dict[str, tuple[float, object]] = {}


def _partner_by_secret(hook_secret: str):
    now = time.monotonic()
    cached = _partners_by_secret.get(hook_secret)
    if cached is not None and now - cached[0] < PARTNER_CACHE_SECONDS:
        return cached[1]
    row = PartnerMessaging.objects.filter(hook_secret=hook_secret).select_related("partner")
    row = row.first()
    if row is None:
        raise Http404
    if len(_partners_by_secret) > 1000:
        _partners_by_secret.clear()
    _partners_by_secret[hook_secret] = (now, row.partner)
    return row.partner


def _phone(partner, typed: str) -> str:
    try:
        return phones.to_e164(typed, partner.country)
    except phones.NotAPhoneNumber:
        return ""


def receive_sms(*, partner, sender: str, body: str, provider: str, provider_id: str) -> None:
    """One inbound text: STOP from anyone; an answer from one of the partner's households."""
    phone = _phone(partner, sender)
    if not phone:
        log.info("inbound sms from an unreadable number ignored", extra={"partner": partner.pk})
        return
    family_id = survey_by_sms.family_id_for_phone(partner, phone)
    stop = is_stop_word(partner, body)
    if family_id is None and not stop:
        # Nothing of what a stranger wrote is kept.
        log.info(
            "inbound sms from a number of no household ignored",
            extra={"partner": partner.pk, "provider": provider, "provider_id": provider_id},
        )
        return
    message, created = record_inbound(
        partner=partner,
        sender=phone,
        body=body[:1600],
        provider=provider,
        provider_id=provider_id[:100],
        family_id=family_id,
    )
    if stop and created:
        family = Family.objects.filter(pk=family_id).first() if family_id else None
        language = preference_of(family)[1] if family is not None else ""
        opt_out_and_confirm(partner=partner, phone=phone, language=language)
        if family is not None:
            family.sms_survey_sessions.filter(state=SmsSurveySession.State.OPEN).update(
                state=SmsSurveySession.State.STOPPED
            )
        Message.objects.filter(pk=message.pk).update(handled_at=timezone.now())
    elif family_id is not None and message.handled_at is None:
        # Answered by a task, so the provider has its answer at once. A provider's retry of a
        # text answered already changes nothing; of one not answered yet, asks again (the task
        # answers each text once).
        answer_inbound_texts.delay(family_id)


@inbound_hook(_twiml)
def twilio_inbound(request):
    token = _twilio_auth_token()
    signature = request.headers.get("X-Twilio-Signature", "")
    form = {key: request.POST.get(key) for key in request.POST}
    if not token or not RequestValidator(token).validate(
        twilio_callback_url(request), form, signature
    ):
        return HttpResponseForbidden()
    to = form.get("To", "")
    partner_row = (
        PartnerMessaging.objects.filter(Q(sms_number=to) | Q(sms_number=to.lstrip("+")))
        .exclude(sms_number="")
        .select_related("partner")
        .first()
    )
    if partner_row is None:
        log.info("inbound sms to a number of no partner ignored")
        return _twiml()
    receive_sms(
        partner=partner_row.partner,
        sender=form.get("From", ""),
        body=form.get("Body", ""),
        provider="twilio",
        provider_id=form.get("MessageSid", ""),
    )
    return _twiml()


def _ok() -> HttpResponse:
    return HttpResponse(status=200)


@inbound_hook(_ok)
def africastalking_inbound(request, hook_secret: str):
    partner = _partner_by_secret(hook_secret)
    form = request.POST
    receive_sms(
        partner=partner,
        sender=form.get("from", ""),
        body=form.get("text", ""),
        provider="africastalking",
        provider_id=form.get("id", ""),
    )
    return _ok()


def _ussd_error() -> HttpResponse:
    return HttpResponse("END ", content_type="text/plain")


@inbound_hook(_ussd_error)
def africastalking_ussd(request, hook_secret: str):
    partner = _partner_by_secret(hook_secret)
    form = request.POST
    phone = _phone(partner, form.get("phoneNumber", ""))
    family = survey_by_sms.family_for_phone(partner, phone)
    if family is None:
        log.info("ussd from a number of no household", extra={"partner": partner.pk})
        screen = ussd.unknown_number_screen(partner)
    else:
        screen = ussd.answer_ussd(
            partner=partner,
            family=family,
            provider_session=form.get("sessionId", ""),
            text=form.get("text", ""),
        )
    return HttpResponse(screen, content_type="text/plain; charset=utf-8")
