"""What the SMS and USSD survey tests share: a household with a phone, the partner's webhook
addresses, and the texts it was sent."""

import datetime
import itertools

from django.utils import timezone

from messaging.models import Message, NoticePreference
from messaging.services import partner_messaging

PHONE = "+15105550142"
STRANGER = "+15105550199"
PARTNER_NUMBER = "+15005550006"
_ids = itertools.count(1)


def household_on_sms(world):
    """Partner A's seed household, with a phone and no email, on the survey by text message;
    the partner in English, Spanish and French, with its own number at the provider."""
    partner = world.a.partner
    partner.languages = ["en", "es", "fr"]
    partner.save()
    family = world.a.seed_family
    family.contact_phone, family.contact_email = PHONE, ""
    family.save()
    row = partner_messaging(partner)
    row.sms_number = PARTNER_NUMBER
    row.quiet_hours_start = row.quiet_hours_end = datetime.time(0)
    row.save()
    NoticePreference.objects.create(family=family, channel="sms", survey_by_sms=True)
    return family


def speak(family, language: str) -> None:
    NoticePreference.objects.filter(family=family).update(language=language)


def at_url(partner, kind: str = "sms") -> str:
    return f"/hooks/{kind}/africastalking/{partner_messaging(partner).hook_secret}/"


def at_text(client, partner, text: str, *, sender: str = PHONE, message_id: str | None = None):
    """Africa's Talking's callback for one inbound text."""
    form = {
        "from": sender,
        "to": "12345",
        "text": text,
        "id": message_id or f"ATXid_in_{next(_ids)}",
        "date": timezone.now().strftime("%Y-%m-%d %H:%M:%S"),
        "linkId": "link-1",
    }
    return client.post(at_url(partner), form)


def replies(family) -> list[str]:
    """The conversation's texts to the household, oldest first."""
    return list(
        Message.objects.filter(family=family, direction="out", template="sms_survey")
        .order_by("created_at", "pk")
        .values_list("body", flat=True)
    )


def last_reply(family) -> str:
    return replies(family)[-1]
