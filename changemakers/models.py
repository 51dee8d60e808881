from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Partner
from families.models import Cohort, Post
from surveys.models import Practice


class PhaseChange(models.Model):
    """A cohort moved between phase I and II: who, when, why, and the readiness figures that
    staff saw at that moment."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.PositiveSmallIntegerField()
    to_phase = models.PositiveSmallIntegerField()
    reason = models.TextField(_("why"), blank=True, max_length=2000)
    # Moved to phase II before the partner's minimum months.
    is_override = models.BooleanField(default=False)
    readiness = models.JSONField(default=dict)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.cohort}: phase {self.from_phase} -> {self.to_phase}"


class BestPracticeShare(models.Model):
    """In phase II, staff or a liaison tell a cohort what other families did (never advice).
    It appears in the cohort's feed, marked as coming from staff."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="practice_shares")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="shares")
    body = models.TextField(_("what families did"), max_length=4000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="practice_share")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.practice.slug} shared with {self.cohort}"


# Trends ----------------------------------------------------------------------------------------
# Written only by the trends job (changemakers/trends.py), set-based in SQL, from verified
# surveys. Never edited by hand: recomputing gives the same rows.

MONEY = {"max_digits": 16, "decimal_places": 2, "null": True, "blank": True}
PERCENT = {"max_digits": 12, "decimal_places": 2, "null": True, "blank": True}


class FamilyMonth(models.Model):
    """One family's month from its verified survey, with the change against its baseline (the
    first verified month, or the mean of the first N: the partner's setting). A percent change
    is kept only where the baseline is not zero."""

    # A derived table of millions of rows, rebuilt by the job: checking four foreign keys on
    # every row it writes would cost more than the write itself. Deleting a family still
    # deletes its months (Django cascades), and the indexes below cover the lookups.
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    group = models.ForeignKey(
        "families.Group",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    family = models.ForeignKey(
        "families.Family",
        on_delete=models.CASCADE,
        related_name="months",
        db_constraint=False,
        db_index=False,
    )
    period = models.DateField()
    income_wages = models.DecimalField(**MONEY)
    income_business = models.DecimalField(**MONEY)
    income_benefits = models.DecimalField(**MONEY)
    income_other = models.DecimalField(**MONEY)
    income_total = models.DecimalField(**MONEY)
    savings = models.DecimalField(**MONEY)
    debt_formal = models.DecimalField(**MONEY)
    debt_high_cost = models.DecimalField(**MONEY)
    debt_total = models.DecimalField(**MONEY)
    net_position = models.DecimalField(**MONEY)  # savings minus all debt
    help_given_value = models.DecimalField(**MONEY)
    help_received_value = models.DecimalField(**MONEY)
    help_given_count = models.IntegerField(null=True, blank=True)
    help_received_count = models.IntegerField(null=True, blank=True)
    baseline_income = models.DecimalField(**MONEY)
    baseline_savings = models.DecimalField(**MONEY)
    baseline_debt = models.DecimalField(**MONEY)
    baseline_net = models.DecimalField(**MONEY)
    income_change = models.DecimalField(**MONEY)
    income_change_pct = models.DecimalField(**PERCENT)
    savings_change = models.DecimalField(**MONEY)
    savings_change_pct = models.DecimalField(**PERCENT)
    debt_change = models.DecimalField(**MONEY)
    debt_change_pct = models.DecimalField(**PERCENT)
    net_change = models.DecimalField(**MONEY)
    net_change_pct = models.DecimalField(**PERCENT)
    # Better off than at the baseline: income or net position up, and neither down.
    improved = models.BooleanField(default=False)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["family_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["family", "period"], name="one_trend_row_per_month")
        ]
        # Every index slows the job's writes: families' months are read by family (the
        # constraint's index) or by partner and month (scoring); the aggregates by scope.
        indexes = [models.Index(fields=["partner", "period"])]

    def __str__(self):
        return f"{self.family_id} {self.period:%Y-%m}"


class TrendAggregate(models.Model):
    """The month of a group, cohort, partner or country. Group, cohort and partner rows are in
    the partner's currency; country rows span partners and sum money in US dollars with the
    platform admins' rate table (they have no partner and are shown to platform admins only)."""

    class Scope(models.TextChoices):
        GROUP = "group", _("Group")
        COHORT = "cohort", _("Cohort")
        PARTNER = "partner", _("Partner")
        COUNTRY = "country", _("Country")

    scope = models.CharField(max_length=10, choices=Scope.choices)
    # "group:12", "cohort:3", "partner:1", "country:US": one key for the upsert's conflict target.
    scope_key = models.CharField(max_length=40)
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey(
        "families.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    country = models.CharField(max_length=2, blank=True)
    period = models.DateField()
    currency = models.CharField(max_length=3)
    families = models.IntegerField()  # families with a verified survey that month
    median_income_change = models.DecimalField(**MONEY)
    median_income_change_pct = models.DecimalField(**PERCENT)
    median_net_change = models.DecimalField(**MONEY)
    median_net_change_pct = models.DecimalField(**PERCENT)
    share_improved = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    income_total = models.DecimalField(**MONEY)
    benefits_total = models.DecimalField(**MONEY)
    benefits_share = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    help_value = models.DecimalField(**MONEY)  # help given between families, as reported
    jobs = models.IntegerField(default=0)  # people employed by the scope's ventures that month
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["scope_key", "period"]
        constraints = [
            models.UniqueConstraint(fields=["scope_key", "period"], name="one_aggregate_per_month")
        ]
        indexes = [models.Index(fields=["partner", "scope", "period"])]

    def __str__(self):
        return f"{self.scope_key} {self.period:%Y-%m}"


class TrendsRun(models.Model):
    """One run of the nightly job, keyed by its Celery task id: when a worker dies and the
    broker hands the job to another, the run goes on from the partners not yet done."""

    key = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.key} ({'done' if self.finished_at else 'running'})"


class TrendsRunPartner(models.Model):
    """A partner the run has done, written in the same transaction as the partner's trends and
    practices: it exists exactly when they are committed."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(TrendsRun, on_delete=models.CASCADE, related_name="partners_done")
    finished_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["run_id", "finished_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "partner"], name="one_partner_per_trends_run")
        ]

    def __str__(self):
        return f"{self.run_id}: partner {self.partner_id}"


# Diffusion of practices ------------------------------------------------------------------------


class PracticeAdoption(models.Model):
    """How many families of a cohort first reported a practice in a month (in a verified
    survey), and how many had by then."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    period = models.DateField()
    new_adopters = models.IntegerField()
    adopters = models.IntegerField()  # cumulative
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["cohort_id", "practice_id", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "practice", "period"], name="one_adoption_row_per_month"
            )
        ]
        indexes = [models.Index(fields=["partner", "cohort"])]

    def __str__(self):
        return f"{self.practice_id} in {self.cohort_id} {self.period:%Y-%m}: {self.adopters}"


class DiffusionFit(models.Model):
    """A practice's spread in a cohort: adopters so far, and when there are enough months a
    Bass model fit (p: innovation, q: imitation) with the month its adoption peaks."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    families = models.IntegerField()  # the cohort's families: everyone who could adopt
    adopters = models.IntegerField()
    first_period = models.DateField()
    last_period = models.DateField()
    months = models.IntegerField()
    recent_adopters = models.IntegerField(default=0)  # in the last three months of data
    p = models.FloatField(null=True, blank=True)
    q = models.FloatField(null=True, blank=True)
    peak_period = models.DateField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["cohort_id", "-adopters"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "practice"], name="one_fit_per_practice")
        ]

    def __str__(self):
        return f"{self.practice_id} in {self.cohort_id}: {self.adopters} of {self.families}"


# Everyday Changemakers -------------------------------------------------------------------------


class Candidate(models.Model):
    """A family, group or venture the monthly job found remarkable, with the reasons. Staff
    dismiss it or nominate it; only verified data counts."""

    class Kind(models.TextChoices):
        FAMILY = "family", _("Family")
        GROUP = "group", _("Group")
        VENTURE = "venture", _("Venture")

    class State(models.TextChoices):
        SURFACED = "surfaced", _("New")
        DISMISSED = "dismissed", _("Dismissed")
        NOMINATED = "nominated", _("Nominated")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    period = models.DateField()  # the month scored
    kind = models.CharField(max_length=10, choices=Kind.choices)
    subject_key = models.CharField(max_length=40)  # "family:12", "group:3", "venture:7"
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey(
        "families.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    venture = models.ForeignKey(
        "ventures.Venture", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    score = models.IntegerField()
    # [{"code": "income_up", "points": 30, "values": {"percent": "35"}}, ...]
    reasons = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SURFACED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-period", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "period", "subject_key"], name="one_candidate_per_month"
            )
        ]
        indexes = [models.Index(fields=["partner", "state", "period"])]

    def __str__(self):
        return f"{self.subject_key} {self.period:%Y-%m} ({self.score})"


class Feature(models.Model):
    """An Everyday Changemaker: what staff propose to publish about a nominated candidate. The
    family (or every family of a group) sees exactly this and accepts, edits or declines; it is
    public only while every one of them consents."""

    class State(models.TextChoices):
        ASKING = "asking", _("Waiting for the family's consent")
        DECLINED = "declined", _("Declined")
        CONSENTED = "consented", _("Consented, not yet published")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="feature")
    headline = models.CharField(_("headline"), max_length=140)
    story = models.TextField(_("story"), max_length=4000)
    photo = models.ImageField(_("photo"), upload_to="changemakers/%Y/%m/", blank=True)
    region = models.CharField(_("region"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2)
    practice = models.ForeignKey(
        Practice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("practice"),
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.ASKING)
    # Platform admins also picked it for the international gallery.
    is_international = models.BooleanField(default=False)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["state", "country", "published_at"])]

    def __str__(self):
        return self.headline


class FeatureConsent(models.Model):
    """One family's answer to a feature: every family of a nominated group is asked."""

    class State(models.TextChoices):
        PENDING = "pending", _("Not answered yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="consents")
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="feature_consents"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["feature_id", "family_id"]
        constraints = [
            models.UniqueConstraint(fields=["feature", "family"], name="one_consent_per_family")
        ]

    def __str__(self):
        return f"{self.family_id} on {self.feature_id}: {self.state}"
