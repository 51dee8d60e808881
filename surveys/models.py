from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Partner
from families.models import Cohort, Family


def in_language(texts: dict, language: str | None = None) -> str:
    """The text in the given (or active) language, else English, else any."""
    if not texts:
        return ""
    language = (language or translation.get_language() or "en").split("-")[0]
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


class Practice(models.Model):
    """Something families do that others may take up: the practice catalogue.

    Platform-wide practices have no partner; a partner may add its own."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, null=True, blank=True, related_name="practices"
    )
    slug = models.SlugField(max_length=60)
    names = models.JSONField(default=dict)  # {"en": "...", "es": "...", "fr": "..."}
    descriptions = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(partner=None), name="platform_practice_slug_unique"
            ),
            models.UniqueConstraint(
                fields=["partner", "slug"], name="partner_practice_slug_unique"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.names) or self.slug

    @property
    def description(self) -> str:
        return in_language(self.descriptions)


class SurveyTemplate(models.Model):
    """A version of the monthly survey. The platform default has no partner; a partner's own
    versions extend it. A version that has answers is never edited: a change is a new version."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, null=True, blank=True, related_name="survey_templates"
    )
    version = models.PositiveIntegerField()
    is_current = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["version"], condition=Q(partner=None), name="default_template_version"
            ),
            models.UniqueConstraint(fields=["partner", "version"], name="partner_template_version"),
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(is_current=True),
                name="one_current_template_per_partner",
            ),
        ]

    def __str__(self):
        owner = self.partner.name if self.partner_id else "default"
        return f"survey {owner} v{self.version}"


class Question(models.Model):
    class Type(models.TextChoices):
        MONEY = "money", _("Money")
        NUMBER = "number", _("Number")
        CHOICE = "choice", _("Choice")
        MULTI_CHOICE = "multi_choice", _("Several choices")
        YES_NO = "yes_no", _("Yes or no")
        TEXT = "text", _("Text")

    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=60)  # the stable metric key, e.g. income_wages
    type = models.CharField(max_length=16, choices=Type.choices)
    position = models.PositiveSmallIntegerField(default=0)
    section = models.CharField(max_length=30, default="other")
    required = models.BooleanField(default=False)
    labels = models.JSONField(default=dict)  # {"en": "...", "es": "...", "fr": "..."}
    help_texts = models.JSONField(default=dict, blank=True)
    # For choice and multi-choice: [{"value": "own", "labels": {"en": "Own", ...}}, ...];
    # for `practices`, empty: the choices are the practice catalogue.
    choices = models.JSONField(default=list, blank=True)
    min_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # Asked in the short survey by text message and USSD (partner admins choose, at most 10).
    in_sms_survey = models.BooleanField(_("in the SMS survey"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "key"], name="question_key_once_per_version"
            )
        ]

    def __str__(self):
        return self.key

    @property
    def label(self) -> str:
        return in_language(self.labels) or self.key

    @property
    def help_text(self) -> str:
        return in_language(self.help_texts)

    def choice_label(self, value: str) -> str:
        for choice in self.choices:
            if choice.get("value") == value:
                return in_language(choice.get("labels", {})) or value
        return value


class SurveyResponse(models.Model):
    """One family's survey for one month: at most one, enforced by the database."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for verification")
        NEEDS_CORRECTION = "needs_correction", _("Needs a correction")
        RESUBMITTED = "resubmitted", _("Corrected, waiting for verification")
        VERIFIED = "verified", _("Verified")

    class Channel(models.TextChoices):
        WEB = "web", _("Web page")
        API = "api", _("App")
        SMS = "sms", _("Text message")
        USSD = "ussd", _("USSD")
        ODK = "odk", _("ODK form")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="surveys")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="surveys")
    template = models.ForeignKey(SurveyTemplate, on_delete=models.PROTECT, related_name="responses")
    period = models.DateField()  # the first day of the month the survey is about
    answers = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    # How the survey was sent (or, while a draft, how it was started).
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    # Made by the client that sent it (a phone's offline queue, ODK Collect's instanceID): a
    # repeat of the same send finds this survey instead of making another.
    client_uuid = models.UUIDField(null=True, blank=True, editable=False)
    # Unusual changes since the last verified month, for the liaison to look at twice.
    flags = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "period"], name="one_survey_per_family_month"
            ),
            models.UniqueConstraint(
                fields=["family", "client_uuid"],
                condition=models.Q(client_uuid__isnull=False),
                name="one_survey_per_client_uuid",
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "state", "submitted_at"]),
            models.Index(fields=["partner", "cohort", "period"]),
        ]

    def __str__(self):
        return f"{self.family} {self.period:%Y-%m}"

    @property
    def month(self) -> str:
        return self.period.strftime("%Y-%m")

    @property
    def is_editable_by_family(self) -> bool:
        return self.state in {self.State.DRAFT, self.State.NEEDS_CORRECTION}

    @property
    def is_waiting(self) -> bool:
        return self.state in {self.State.SUBMITTED, self.State.RESUBMITTED}


class SurveyRevision(models.Model):
    """Every saved version of a survey's answers: staff can see what changed between them."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    answers = models.JSONField(encoder=DjangoJSONEncoder)
    state = models.CharField(max_length=20, choices=SurveyResponse.State.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["response", "number"], name="revision_number_once")
        ]

    def __str__(self):
        return f"{self.response} r{self.number}"


class Review(models.Model):
    """A verification event: a liaison (or staff) verified or asked for a correction."""

    class Action(models.TextChoices):
        VERIFY = "verify", _("Verified")
        REQUEST_CORRECTION = "request_correction", _("Asked for a correction")

    class Reason(models.TextChoices):
        MISSING_ANSWER = "missing_answer", _("An answer is missing")
        INCONSISTENT = "inconsistent", _("Inconsistent with last month")
        NEEDS_EVIDENCE = "needs_evidence", _("Needs evidence")
        OTHER = "other", _("Other")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    # What was checked, e.g. "pay stub seen": never advice.
    evidence = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="request_correction") | ~Q(reason=""),
                name="a_correction_has_a_reason",
            )
        ]

    def __str__(self):
        return f"{self.action} {self.response}"


class Story(models.Model):
    """A family's story, seen by whom the family chooses. Public needs explicit consent."""

    class Visibility(models.TextChoices):
        GROUP = "group", _("My group")
        COHORT = "cohort", _("My cohort")
        PARTNER = "partner", _("The partner's staff only")
        PUBLIC = "public", _("Everyone (public)")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="stories")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="stories")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("your story"), max_length=10000)
    visibility = models.CharField(
        _("who may read it"), max_length=16, choices=Visibility.choices, default=Visibility.GROUP
    )
    public_consent_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.SUBMITTED)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "stories"
        constraints = [
            models.CheckConstraint(
                condition=~Q(visibility="public") | Q(public_consent_at__isnull=False),
                name="public_story_needs_consent",
            )
        ]

    def __str__(self):
        return self.title


class StoryPhoto(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="stories/%Y/%m/")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"photo {self.pk} of {self.story_id}"


class PaymentBatch(models.Model):
    """Stipends grouped for one payout run, exported as a file for the partner's payment tool."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CLOSED = "closed", _("Closed")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="payment_batches")
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "payment batches"

    def __str__(self):
        return self.name


class Stipend(models.Model):
    """What a family earns for a verified survey: accrued exactly once per survey."""

    class Status(models.TextChoices):
        ACCRUED = "accrued", _("Earned, not yet scheduled")
        SCHEDULED = "scheduled", _("Scheduled for payment")
        FULFILLED = "fulfilled", _("Paid")
        CANCELED = "canceled", _("Canceled")
        FAILED = "failed", _("Payment failed")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="stipends")
    survey = models.OneToOneField(SurveyResponse, on_delete=models.PROTECT, related_name="stipend")
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACCRUED)
    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="stipends"
    )
    status_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="stipend_not_negative"),
            models.CheckConstraint(
                condition=Q(status="accrued", batch__isnull=True)
                | (~Q(status="accrued") & Q(batch__isnull=False))
                | Q(status="canceled"),
                name="stipend_in_a_batch_unless_accrued",
            ),
        ]

    def __str__(self):
        return f"{self.amount} {self.currency} for {self.survey}"


class ActionReport(models.Model):
    """A practice a family reported for a month (from the survey's `practices`), with the
    family's own words about it when they add them."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="action_reports")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="action_reports")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="reports")
    period = models.DateField()
    survey = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    description = models.TextField(_("in your own words"), blank=True, max_length=2000)
    # The family lets other partners' staff quote this report (anonymized: no names).
    share_across_partners = models.BooleanField(
        _("other organizations may learn from this, without our name"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period", "practice__slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "period", "practice"], name="one_report_per_practice_and_month"
            )
        ]
        indexes = [models.Index(fields=["partner", "cohort", "period"])]

    def __str__(self):
        return f"{self.family} {self.practice.slug} {self.period:%Y-%m}"
