"""Every text message and notice the platform sends or receives, and who asked for none."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Partner


def new_hook_secret() -> str:
    return secrets.token_urlsafe(32)


class PartnerMessaging(models.Model):
    """A partner's messaging settings: the secret in its providers' webhook addresses, and the
    limits that keep messages few and at decent hours."""

    partner = models.OneToOneField(Partner, on_delete=models.CASCADE, related_name="messaging")
    # Part of the Africa's Talking callback addresses: long, random, and never shown to families.
    hook_secret = models.CharField(max_length=64, unique=True, default=new_hook_secret)
    # The partner's own number or short code at its provider (E.164 or digits): where its
    # families' texts arrive (Twilio's `To`), and the sender of what it sends.
    sms_number = models.CharField(_("SMS number or short code"), max_length=20, blank=True)
    sms_monthly_cap = models.PositiveSmallIntegerField(
        _("text messages per family per month"), default=8
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("days before a reminder of the month's survey"), default=5
    )
    quiet_hours_start = models.TimeField(_("quiet hours start"), default="20:00")
    quiet_hours_end = models.TimeField(_("quiet hours end"), default="07:00")

    def __str__(self):
        return f"messaging of {self.partner}"


class Message(models.Model):
    """One message out or in. A notice is recorded before it is sent; its `dedupe_key` makes
    sure it goes out at most once."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Email")

    class Direction(models.TextChoices):
        OUT = "out", _("Sent")
        IN = "in", _("Received")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        UNDELIVERED = "undelivered", _("Not delivered")
        SUPPRESSED = "suppressed", _("Not sent")
        RECEIVED = "received", _("Received")

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.SMS)
    direction = models.CharField(max_length=3, choices=Direction.choices, default=Direction.OUT)
    to = models.CharField(max_length=254)  # E.164 for SMS, an address for email
    sender = models.CharField(max_length=254, blank=True)
    # Which fixed notice this is ("survey_open", "signin_code", ...); blank for replies in a
    # conversation and inbound messages.
    template = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=8, blank=True)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    provider = models.CharField(max_length=20, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)
    cost = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    cost_currency = models.CharField(max_length=3, blank=True)
    error = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)
    # An inbound text the SMS survey has answered (`messaging.sms_survey_tasks`): each is
    # answered once, in the order it came.
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A provider's retry of the same inbound message (or status report) changes nothing.
            models.UniqueConstraint(
                fields=["provider", "provider_id", "direction"],
                condition=~Q(provider_id=""),
                name="one_message_per_provider_id",
            )
        ]
        indexes = [models.Index(fields=["partner", "channel", "created_at"])]

    def __str__(self):
        return f"{self.direction} {self.channel} {self.to} {self.template or ''}".strip()


class SmsOptOut(models.Model):
    """A number that answered STOP: nothing more goes to it from this partner."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(max_length=20)  # E.164
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "phone"], name="one_opt_out_per_number")
        ]

    def __str__(self):
        return f"{self.phone} opted out of {self.partner}"


class NoticePreference(models.Model):
    """How a household wants its notices: by text message, email, both or none, and in which
    language. Without a row, a household with a phone gets texts, one with only an email gets
    emails, in the language of its first member who chose one (else the partner's first)."""

    class Channel(models.TextChoices):
        SMS = "sms", _("By text message")
        EMAIL = "email", _("By email")
        BOTH = "both", _("By text message and email")
        NONE = "none", _("No notices")

    family = models.OneToOneField(
        "families.Family", on_delete=models.CASCADE, related_name="notice_preference"
    )
    channel = models.CharField(_("notices"), max_length=8, choices=Channel.choices)
    language = models.CharField(
        _("language of the notices"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    # The household answers the monthly survey by text message: the month's first question
    # comes when the month opens (`surveys.notices.month_open`).
    survey_by_sms = models.BooleanField(_("answer the survey by text message"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"notices of {self.family_id}: {self.channel}"


class SmsSurveySession(models.Model):
    """A household answering one month's short survey by text message or USSD: where it is,
    what it answered so far, and how many tries the current question took. One per family,
    month and channel; the answers also go into the month's draft survey as they come."""

    class Channel(models.TextChoices):
        SMS = "sms", _("Text message")
        USSD = "ussd", _("USSD")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Sent")
        EXPIRED = "expired", _("Expired")
        STOPPED = "stopped", _("Stopped")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="sms_survey_sessions"
    )
    period = models.DateField()  # the first day of the month the survey is about
    channel = models.CharField(max_length=4, choices=Channel.choices, default=Channel.SMS)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    # The keys asked, fixed when the session starts: a new survey version mid-month does not
    # move the family's place.
    question_keys = models.JSONField(default=list)
    position = models.PositiveSmallIntegerField(default=0)
    answers = models.JSONField(default=dict)  # machine form, as the survey keeps them
    retries = models.PositiveSmallIntegerField(default=0)  # invalid answers to this question
    # Every inbound answer handled; with the position it makes each reply's dedupe key.
    turn = models.PositiveIntegerField(default=0)
    ussd_session_id = models.CharField(max_length=100, blank=True)
    ussd_steps = models.PositiveSmallIntegerField(default=0)  # `*`-separated inputs handled
    started_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["family", "period", "channel"], name="one_sms_survey_per_month_channel"
            )
        ]
        indexes = [models.Index(fields=["partner", "state", "period"])]

    def __str__(self):
        return f"{self.channel} survey {self.family_id} {self.period:%Y-%m} {self.state}"


class NoticeWording(models.Model):
    """A partner's own wording of one notice in one of its languages. Only the words change:
    the notice, when it goes and the facts it carries (its placeholders) stay fixed."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    notice = models.CharField(max_length=40)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    text = models.CharField(max_length=320)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "notice", "language"], name="one_wording_per_notice_language"
            )
        ]

    def __str__(self):
        return f"{self.notice} ({self.language}) of {self.partner_id}"
