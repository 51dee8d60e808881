"""Notices to a household: this month's survey is open (and one reminder), a correction was
asked, the survey was verified and the stipend accrued, a payment failed.

Each is a fixed, translated text: staff and liaisons cannot write a free message to a family
through them (phase I allows them no advice). A notice goes by the household's chosen channel
(`NoticePreference`), in its language, at most once (its `dedupe_key`); texts wait out the
partner's quiet hours and stop at its monthly cap (`send_sms`). Texts carry no link, since a
link needs data; emails add the page's address.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from messaging.models import Message, NoticePreference
from messaging.services import send_sms
from messaging.wording import wording_for
from mutuality import formatting, phones

# What a text says, short enough for one or two SMS in every language.
TEXTS = {
    "survey_open": gettext_lazy(
        "%(partner)s: the survey for %(month)s is open. Fill it in when you can; it is paid."
    ),
    "survey_reminder": gettext_lazy(
        "%(partner)s: a reminder that the survey for %(month)s is still waiting for you."
    ),
    "correction_asked": gettext_lazy(
        "%(partner)s: your liaison asked for a correction to the survey for %(month)s (%(reason)s)."
    ),
    "survey_verified": gettext_lazy(
        "%(partner)s: your survey for %(month)s is verified. Your stipend of %(amount)s is "
        "on its way."
    ),
    "payment_failed": gettext_lazy(
        "%(partner)s: the payment of your stipend of %(amount)s did not go through. Tell your "
        "liaison how you can be paid, and it will be sent again."
    ),
}
SUBJECTS = {
    "survey_open": gettext_lazy("The survey for %(month)s is open"),
    "survey_reminder": gettext_lazy("The survey for %(month)s is waiting for you"),
    "correction_asked": gettext_lazy("A correction to your survey for %(month)s"),
    "survey_verified": gettext_lazy("Your survey for %(month)s is verified"),
    "payment_failed": gettext_lazy("Your stipend payment did not go through"),
}
# The page an email points to.
PAGES = {
    "survey_open": "survey_list",
    "survey_reminder": "survey_list",
    "correction_asked": "survey_list",
    "survey_verified": "family_stipends",
    "payment_failed": "family_stipends",
}
# What is kept of a liaison's note in a text: the reason, not a letter.
NOTE_IN_TEXT = 80


def preference_of(family) -> tuple[str, str]:
    """(channel, language) for `family`: its own choice, else what its contacts allow."""
    chosen = NoticePreference.objects.filter(family=family).first()
    if chosen is not None:
        channel = chosen.channel
    elif family.contact_phone:
        channel = NoticePreference.Channel.SMS
    elif family.contact_email:
        channel = NoticePreference.Channel.EMAIL
    else:
        channel = NoticePreference.Channel.NONE
    language = (chosen.language if chosen else "") or _members_language(family)
    return channel, language


def _members_language(family) -> str:
    chosen = (
        family.members.exclude(user=None)
        .exclude(user__language="")
        .values_list("user__language", flat=True)
        .first()
    )
    return chosen or (family.partner.languages or [settings.LANGUAGE_CODE])[0]


def _values(family, facts: dict) -> dict:
    values = {"partner": family.partner.name}
    if "month" in facts:
        values["month"] = formatting.month_name(facts["month"])
    if "amount" in facts:
        values["amount"] = formatting.money(facts["amount"], family.partner.currency)
    if "reason" in facts:
        values["reason"] = str(facts["reason"])[:NOTE_IN_TEXT]
    return values


def notify_family(*, family, notice: str, key: str, **facts) -> list[Message]:
    """Send `notice` to `family` by its channel, once per `key`, when the transaction commits.

    `facts`: `month` (a date), `amount` (a Decimal in the partner's currency), `reason`."""
    channel, language = preference_of(family)
    sent: list[Message] = []
    with translation.override(language):
        values = _values(family, facts)
        # The partner's own wording when it has one (the same facts: `messaging.wording`).
        text = (wording_for(family.partner, notice, language) or str(TEXTS[notice])) % values
        wants_sms = channel in (NoticePreference.Channel.SMS, NoticePreference.Channel.BOTH)
        wants_email = channel in (NoticePreference.Channel.EMAIL, NoticePreference.Channel.BOTH)
        if wants_sms and phones.is_e164(family.contact_phone):
            message = send_sms(
                to=family.contact_phone,
                body=text,
                template=notice,
                language=language,
                partner=family.partner,
                family=family,
                dedupe_key=f"{notice}:{key}:sms",
            )
            if message is not None:
                sent.append(message)
        if wants_email and family.contact_email:
            link = settings.SITE_URL.rstrip("/") + reverse(PAGES[notice])
            subject = str(SUBJECTS[notice]) % values
            body = f"{subject}\n\n{text}\n\n{link}\n"
            message = _email(family, notice, language, body, f"{notice}:{key}:email")
            if message is not None:
                sent.append(message)
    return sent


def _email(family, notice: str, language: str, body: str, dedupe_key: str) -> Message | None:
    from messaging.tasks import deliver_email_notice

    message, created = Message.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "partner": family.partner,
            "family": family,
            "channel": Message.Channel.EMAIL,
            "to": family.contact_email,
            "sender": settings.DEFAULT_FROM_EMAIL,
            "template": notice,
            "language": language,
            "body": body,
        },
    )
    if not created:
        return None
    transaction.on_commit(lambda: deliver_email_notice.delay(message.pk))
    return message


def reason_text(review) -> str:
    """The liaison's reason as the family reads it: the reason's name, then their note."""
    note = (review.note or "").strip()
    label = str(review.get_reason_display())
    return f"{label}: {note}" if note else label


def month_key(family, period: datetime.date) -> str:
    return f"{family.pk}:{period:%Y-%m}"
