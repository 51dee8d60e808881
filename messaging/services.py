"""Sending and receiving text messages. Every message is recorded first, then sent by a task,
so a notice goes out at most once (its `dedupe_key`) and a failed one can be retried."""

import unicodedata

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner
from accounts.services import audit_record
from messaging.models import Message, NoticePreference, PartnerMessaging, SmsOptOut
from mutuality.errors import Conflict, InvalidInput


def partner_messaging(partner: Partner) -> PartnerMessaging:
    settings_row, _created = PartnerMessaging.objects.get_or_create(partner=partner)
    return settings_row


def is_opted_out(partner: Partner | None, phone: str) -> bool:
    if partner is None:
        return False
    return SmsOptOut.objects.filter(partner=partner, phone=phone).exists()


def opt_out(partner: Partner, phone: str) -> bool:
    """Stop every message to `phone` from `partner`. True when it was not stopped before."""
    _row, created = SmsOptOut.objects.get_or_create(partner=partner, phone=phone)
    return created


# The words that end text messages to a number, per language; English's work everywhere.
STOP_WORDS = {
    "en": {"stop", "unsubscribe", "end", "quit"},
    "es": {"alto", "parar", "baja"},
    "fr": {"arret", "arreter", "desabonner"},
}


def _plain(text: str) -> str:
    """Lower case, without accents or surrounding space and punctuation: "Arrêt." is "arret"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return letters.strip(" .!¡?¿")


def is_stop_word(partner: Partner, text: str) -> bool:
    words = set(STOP_WORDS["en"])
    for language in partner.languages or []:
        words |= STOP_WORDS.get(language, set())
    return _plain(text) in words


def opt_out_and_confirm(*, partner: Partner, phone: str, language: str = "") -> None:
    """STOP: confirm once, then send nothing more to this number."""
    from django.utils import translation

    if is_opted_out(partner, phone):
        return
    with translation.override(language or (partner.languages or ["en"])[0]):
        body = _("You will get no more messages from %(partner)s.") % {"partner": partner.name}
    send_sms(to=phone, body=body, template="stop_confirmed", language=language, partner=partner)
    opt_out(partner, phone)


# The notices (survey open, reminder, correction, verified, payment failed): only these wait out
# quiet hours and count toward a family's monthly cap; sign-in codes, STOP confirmations and the
# SMS survey's conversation ("sms_survey") never do.
NOTICE_TEMPLATES = {
    "survey_open",
    "survey_reminder",
    "correction_asked",
    "survey_verified",
    "payment_failed",
}


def _over_monthly_cap(partner: Partner, family) -> bool:
    import zoneinfo

    settings_row = partner_messaging(partner)
    local_now = timezone.now().astimezone(zoneinfo.ZoneInfo(partner.timezone or "UTC"))
    month_start = local_now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    sent = (
        Message.objects.filter(
            family=family,
            channel=Message.Channel.SMS,
            direction=Message.Direction.OUT,
            template__in=NOTICE_TEMPLATES,
            created_at__gte=month_start,
        )
        .exclude(status=Message.Status.SUPPRESSED)
        .count()
    )
    return sent >= settings_row.sms_monthly_cap


def send_sms(
    *,
    to: str,
    body: str,
    template: str = "",
    language: str = "",
    partner: Partner | None = None,
    family=None,
    user=None,
    dedupe_key: str | None = None,
    private_body: str | None = None,
) -> Message | None:
    """Record a text message to `to` (E.164) and send it once the transaction commits.

    Returns None when a message with the same `dedupe_key` exists already (it went, or is on
    its way). A number that opted out gets nothing: the message is recorded as not sent.

    `private_body` (a sign-in code, say) is what is sent, and `body` what is kept: the secret
    reaches the task as an argument and is never written down, except on a demo site, whose
    message page shows the codes it would have sent."""
    from messaging.tasks import deliver_message

    status = Message.Status.QUEUED
    error = ""
    is_notice = template in NOTICE_TEMPLATES and partner is not None
    # A sign-in code is asked for by the number's owner, just now: STOP ended notices, not that.
    if template != "signin_code" and is_opted_out(partner, to):
        status, error = Message.Status.SUPPRESSED, "opted out"
    elif is_notice and family is not None and _over_monthly_cap(partner, family):
        status, error = Message.Status.SUPPRESSED, "monthly cap reached"
    try:
        with transaction.atomic():
            message = Message.objects.create(
                partner=partner,
                family=family,
                user=user,
                channel=Message.Channel.SMS,
                direction=Message.Direction.OUT,
                to=to,
                sender=settings.SMS_SENDER,
                template=template,
                language=language,
                body=private_body if private_body and settings.DEMO_MODE else body,
                status=status,
                error=error,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        if dedupe_key and Message.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    if status == Message.Status.QUEUED:
        send_at = None
        if is_notice:
            from messaging.quiet_hours import quiet_hours_end

            send_at = quiet_hours_end(partner_messaging(partner), partner.timezone, timezone.now())
        transaction.on_commit(
            lambda: deliver_message.apply_async((message.pk, private_body), eta=send_at)
        )
    return message


def record_inbound(
    *, partner: Partner, sender: str, body: str, provider: str, provider_id: str, family_id=None
) -> tuple[Message, bool]:
    """Keep an inbound message once: a provider's retry with the same id returns the first."""
    message = Message(
        partner=partner,
        family_id=family_id,
        channel=Message.Channel.SMS,
        direction=Message.Direction.IN,
        to=sender,
        body=body,
        status=Message.Status.RECEIVED,
        provider=provider,
        provider_id=provider_id,
        status_at=timezone.now(),
    )
    try:
        if connection.in_atomic_block:
            with transaction.atomic():  # a savepoint: a retry leaves the caller's work whole
                message.save(force_insert=True)
        else:
            # Outside a transaction the INSERT is one on its own (a retry's fails alone), which
            # spares the hook two round trips to the database under a provider's bursts.
            message.save(force_insert=True)
    except IntegrityError:
        existing = Message.objects.get(
            provider=provider, provider_id=provider_id, direction=Message.Direction.IN
        )
        return existing, False
    return message, True


# How far along each status is: a report only moves a message forward.
STATUS_RANK = {
    Message.Status.QUEUED: 0,
    Message.Status.SENT: 1,
    Message.Status.DELIVERED: 2,
    Message.Status.UNDELIVERED: 2,
    Message.Status.FAILED: 2,
}


def apply_delivery_report(*, provider: str, provider_id: str, status: str, error: str) -> bool:
    """Move the message forward to `status`. True when something changed."""
    message = Message.objects.filter(
        provider=provider, provider_id=provider_id, direction=Message.Direction.OUT
    ).first()
    if message is None or not provider_id:
        return False
    if STATUS_RANK.get(status, 0) <= STATUS_RANK.get(message.status, 0):
        return False
    Message.objects.filter(pk=message.pk, status=message.status).update(
        status=status, error=error[:300], status_at=timezone.now()
    )
    return True


@transaction.atomic
def notice_preference_set(*, seat, channel: str, language: str = ""):
    """A household chooses how it gets notices. A channel needs its contact: texts a phone
    number, emails an email address (409 naming `channel` otherwise: the request is right,
    the household's contacts are not there yet)."""
    family = seat.family
    errors: dict[str, list[str]] = {}
    if channel not in NoticePreference.Channel.values:
        errors["channel"] = [_("Choose text messages, email, both or none.")]
    if language and language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose one of the languages offered.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), errors=errors)
    missing = None
    if channel in ("sms", "both") and not family.contact_phone:
        missing = _("Your household has no phone number for text messages.")
    elif channel in ("email", "both") and not family.contact_email:
        missing = _("Your household has no email address for emails.")
    if missing:
        raise Conflict(missing, errors={"channel": [missing]})
    preference, created = NoticePreference.objects.select_for_update().get_or_create(
        family=family, defaults={"channel": channel, "language": language}
    )
    before = {"channel": preference.channel, "language": preference.language}
    preference.channel, preference.language = channel, language
    preference.save()
    audit_record(
        actor=seat.user,
        verb="notices.preference",
        obj=family,
        partner=family.partner,
        before=None if created else before,
        after={"channel": channel, "language": language},
    )
    return preference
