"""Reads of the messages the platform sent and received: a family's channel and its last
messages, a partner's texts and their cost month by month, and the demo site's console."""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import policy
from accounts.models import Membership, Partner
from messaging import notices
from messaging.models import Message, NoticePreference, SmsOptOut

# What each kind of message is called on staff pages ("" is a reply or an inbound text).
NOTICE_NAMES = {
    "survey_open": _("The month's survey is open"),
    "survey_reminder": _("Reminder of the month's survey"),
    "correction_asked": _("A correction was asked"),
    "survey_verified": _("Survey verified, stipend on its way"),
    "payment_failed": _("A payment failed"),
    "signin_code": _("Sign-in code"),
    "stop_confirmed": _("Confirmation of STOP"),
    "sms_survey": _("Survey by text message"),
}
# A sign-in code's text is the code itself: never shown outside the demo console (and kept
# only on demo sites, see `send_sms`).
SECRET_TEMPLATES = {"signin_code"}

FAMILY_MESSAGES_PER_PAGE = 25
CONSOLE_MESSAGES_PER_PAGE = 25
USAGE_MONTHS = 12


def notice_name(template: str, direction: str = Message.Direction.OUT) -> str:
    if template in NOTICE_NAMES:
        return str(NOTICE_NAMES[template])
    if direction == Message.Direction.IN:
        return str(_("Text from the family"))
    return str(_("Other message")) if template else str(_("Reply"))


def text_for_staff(message: Message) -> str:
    """What staff may read of a message: never a sign-in code, whatever the site."""
    if message.template in SECRET_TEMPLATES:
        return str(_("(sign-in code, not shown)"))
    return message.body


# A family's messages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeChannel:
    channel: str
    channel_label: str
    language: str
    language_label: str
    chosen: bool  # False: the default rule (a phone gets texts, else an email)
    phone: str
    opted_out: bool


def family_notice_channel(family) -> NoticeChannel:
    channel, language = notices.preference_of(family)
    chosen = NoticePreference.objects.filter(family=family).exists()
    phone = family.contact_phone or ""
    opted_out = bool(phone) and (
        SmsOptOut.objects.filter(partner_id=family.partner_id, phone=phone).exists()
    )
    return NoticeChannel(
        channel=channel,
        channel_label=str(NoticePreference.Channel(channel).label),
        language=language,
        language_label=str(dict(settings.LANGUAGES).get(language, language)),
        chosen=chosen,
        phone=phone,
        opted_out=opted_out,
    )


def family_messages(family) -> QuerySet[Message]:
    """The family's messages, newest first: those recorded for it, and texts from or to its
    number that no family was matched to (a STOP from its phone, say)."""
    mine = Q(family=family)
    if family.contact_phone:
        mine |= Q(family__isnull=True, to=family.contact_phone)
    return (
        Message.objects.filter(partner_id=family.partner_id)
        .filter(mine)
        .order_by("-created_at", "-pk")
        .only(
            "pk",
            "created_at",
            "direction",
            "channel",
            "template",
            "body",
            "status",
            "error",
            "cost",
            "cost_currency",
        )
    )


# A partner's usage -----------------------------------------------------------------------------


@dataclass
class UsageMonth:
    month: datetime.date
    sms_sent: int = 0
    sms_delivered: int = 0
    sms_failed: int = 0
    sms_not_sent: int = 0
    sms_received: int = 0
    emails_sent: int = 0
    costs: dict[str, Decimal] = field(default_factory=dict)


def _month_starts(zone: zoneinfo.ZoneInfo, months: int, now: datetime.datetime):
    local = now.astimezone(zone)
    index = local.year * 12 + local.month - 1
    return [
        datetime.date((index - k) // 12, (index - k) % 12 + 1, 1) for k in range(months - 1, -1, -1)
    ]


def partner_usage(
    partner: Partner, *, months: int = USAGE_MONTHS, now: datetime.datetime | None = None
) -> list[UsageMonth]:
    """The last `months` months in the partner's time zone, newest first, in one query."""
    zone = zoneinfo.ZoneInfo(partner.timezone or "UTC")
    starts = _month_starts(zone, months, now or timezone.now())
    since = datetime.datetime.combine(starts[0], datetime.time(), tzinfo=zone)
    rows = (
        Message.objects.filter(partner=partner, created_at__gte=since)
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("month", "channel", "direction", "status", "cost_currency")
        .annotate(count=Count("pk"), cost=Sum("cost"))
        .order_by()
    )
    by_month = {start: UsageMonth(month=start) for start in starts}
    costs: dict[datetime.date, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        month = row["month"]
        month = (month.astimezone(zone) if isinstance(month, datetime.datetime) else month).date()
        usage = by_month.get(month.replace(day=1))
        if usage is None:
            continue
        _count(usage, row)
        if row["cost"] is not None and row["cost_currency"]:
            costs[usage.month][row["cost_currency"]] += row["cost"]
    for month, amounts in costs.items():
        by_month[month].costs = dict(sorted(amounts.items()))
    return [by_month[start] for start in reversed(starts)]


def _count(usage: UsageMonth, row: dict) -> None:
    n, status = row["count"], row["status"]
    S = Message.Status
    if row["channel"] == Message.Channel.EMAIL:
        if row["direction"] == Message.Direction.OUT and status != S.SUPPRESSED:
            usage.emails_sent += n
        return
    if row["direction"] == Message.Direction.IN:
        usage.sms_received += n
        return
    if status == S.SUPPRESSED:
        usage.sms_not_sent += n
        return
    # Sent: handed to the provider or waiting for it; delivered and failed are among them.
    usage.sms_sent += n
    if status == S.DELIVERED:
        usage.sms_delivered += n
    elif status in (S.FAILED, S.UNDELIVERED):
        usage.sms_failed += n


# The demo console ------------------------------------------------------------------------------


def demo_console_messages(user) -> QuerySet[Message] | None:
    """What the demo site "sent", newest first: platform admins see all; partner staff and
    admins their partners' and those of no partner (sign-in codes); anyone else nothing
    (None)."""
    messages = Message.objects.select_related("partner").order_by("-created_at", "-pk")
    if policy.is_platform_admin(user):
        return messages
    if not user.is_authenticated:
        return None
    partner_ids = [
        partner_id
        for partner_id, role in Membership.objects.filter(user=user).values_list(
            "partner_id", "role"
        )
        if policy.has_capability(role, "messages.demo_console")
    ]
    if not partner_ids:
        return None
    return messages.filter(Q(partner_id__in=partner_ids) | Q(partner__isnull=True))
