from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import FunderProfile, Partner
from families.models import Cohort, Family, Group

POSITIVE = [MinValueValidator(Decimal("0.01"))]
NOT_NEGATIVE = [MinValueValidator(Decimal("0.00"))]


class ExchangeRate(models.Model):
    """Approximate US dollars per unit of a currency, kept by platform admins, so that funders
    abroad see what an ask is worth. Never used to move money."""

    currency = models.CharField(max_length=3, unique=True)
    usd_per_unit = models.DecimalField(max_digits=18, decimal_places=8, validators=POSITIVE)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["currency"]

    def __str__(self):
        return f"1 {self.currency} = {self.usd_per_unit} USD"


class Venture(models.Model):
    """A family's enterprise, or a group's collective one, planned and run by its owners."""

    class Kind(models.TextChoices):
        NEW = "new", _("A new venture")
        EXPANSION = "expansion", _("Growing an existing one")

    class Sector(models.TextChoices):
        FOOD = "food", _("Food")
        RETAIL = "retail", _("Shop or selling")
        SERVICES = "services", _("Services")
        CRAFTS = "crafts", _("Crafts and making")
        AGRICULTURE = "agriculture", _("Farming")
        CARE = "care", _("Care")
        TRANSPORT = "transport", _("Transport")
        OTHER = "other", _("Other")

    class Visibility(models.TextChoices):
        GROUP = "group", _("Our group")
        COHORT = "cohort", _("Our cohort")
        PARTNER = "partner", _("The partner's staff")
        PUBLIC = "public", _("Everyone, including funders")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="ventures")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="ventures")
    # A collective venture belongs to a group; its owner families are listed in `owners`.
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="ventures"
    )
    owners = models.ManyToManyField(Family, related_name="ventures")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    description = models.TextField(_("what it is"), max_length=4000)
    location = models.CharField(_("where"), max_length=200, blank=True)
    started_on = models.DateField(_("start date"), null=True, blank=True)
    visibility = models.CharField(
        _("who may see it"), max_length=16, choices=Visibility.choices, default=Visibility.GROUP
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_collective(self) -> bool:
        return self.group_id is not None


class PlanVersion(models.Model):
    """The venture's plan at one moment: budget lines, milestones and expected revenue. A change
    is a new version, so that owners and funders can see what changed."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="plans")
    number = models.PositiveIntegerField()
    expected_monthly_revenue = models.DecimalField(
        _("expected revenue per month"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=NOT_NEGATIVE,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["venture", "number"], name="plan_version_once")
        ]

    def __str__(self):
        return f"{self.venture} plan v{self.number}"


class BudgetLine(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="budget_lines")
    position = models.PositiveSmallIntegerField(default=0)
    item = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, validators=POSITIVE)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_positive")
        ]

    def __str__(self):
        return f"{self.item}: {self.amount}"


class Milestone(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(default=0)
    what = models.CharField(_("what"), max_length=300)
    due_on = models.DateField(_("by when"))
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["due_on", "position", "pk"]

    def __str__(self):
        return self.what


class VentureUpdate(models.Model):
    """How a month went: revenue, costs, people employed, a note and a photo."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="updates")
    period = models.DateField()  # the first day of the month
    revenue = models.DecimalField(
        _("revenue"), max_digits=14, decimal_places=2, validators=NOT_NEGATIVE
    )
    costs = models.DecimalField(
        _("costs"), max_digits=14, decimal_places=2, validators=NOT_NEGATIVE
    )
    household_jobs = models.PositiveSmallIntegerField(
        _("household members working in it"), default=0
    )
    other_jobs = models.PositiveSmallIntegerField(_("other people employed"), default=0)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    photo = models.ImageField(_("photo"), upload_to="ventures/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["venture", "period"], name="one_update_per_month"),
            models.CheckConstraint(
                condition=Q(revenue__gte=0) & Q(costs__gte=0), name="update_amounts_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.venture} {self.period:%Y-%m}"

    @property
    def jobs(self) -> int:
        return self.household_jobs + self.other_jobs


class FundingAsk(models.Model):
    """Owners ask for a donation, a zero-interest loan or an investment, on their own terms."""

    class Kind(models.TextChoices):
        DONATION = "donation", _("Donation")
        LOAN = "loan", _("Zero-interest loan")
        INVESTMENT = "investment", _("Investment")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Waiting for the partner's check")
        DECLINED = "declined", _("Not approved")
        OPEN = "open", _("Open")
        FUNDED = "funded", _("Funded")
        CLOSED = "closed", _("Closed")
        EXPIRED = "expired", _("Expired")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="asks")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, validators=POSITIVE)
    currency = models.CharField(max_length=3)
    usd_estimate = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    purpose = models.TextField(_("what it is for"), max_length=2000)
    budget_lines = models.ManyToManyField(BudgetLine, blank=True, related_name="asks")
    deadline = models.DateField(_("deadline"))
    friends_first_days = models.PositiveSmallIntegerField(_("days for friends first"), default=7)
    # For loans: how many monthly instalments the family proposes.
    repayment_months = models.PositiveSmallIntegerField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    public_from = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ask_amount_positive"),
            models.CheckConstraint(
                condition=~Q(kind="loan") | Q(repayment_months__gte=1),
                name="a_loan_has_repayment_months",
            ),
        ]
        indexes = [models.Index(fields=["state", "public_from"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} {self.currency} for {self.venture}"

    @property
    def is_public(self) -> bool:
        return (
            self.state == self.State.OPEN
            and self.public_from is not None
            and self.public_from <= timezone.now()
        )


class AskReview(models.Model):
    """The partner's compliance check of an ask: approve or decline with a reason; never edit."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approved")
        DECLINE = "decline", _("Declined")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    ask = models.ForeignKey(FundingAsk, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decision = models.CharField(max_length=16, choices=Decision.choices)
    reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.decision} {self.ask_id}"


class Pledge(models.Model):
    """A funder's promise toward an ask. Pledges never add up past the ask's amount."""

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("Pledged")
        RECEIVED = "received", _("Money received by the partner")
        FULFILLED = "fulfilled", _("Passed to the family")
        FELL_THROUGH = "fell_through", _("Fell through")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    ask = models.ForeignKey(FundingAsk, on_delete=models.PROTECT, related_name="pledges")
    funder = models.ForeignKey(FunderProfile, on_delete=models.PROTECT, related_name="pledges")
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=POSITIVE)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLEDGED)
    created_at = models.DateTimeField(default=timezone.now)
    received_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="pledge_positive")]

    def __str__(self):
        return f"{self.amount} {self.currency} to ask {self.ask_id}"


class Repayment(models.Model):
    """One instalment of a zero-interest loan, and what the family paid of it."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    ask = models.ForeignKey(FundingAsk, on_delete=models.CASCADE, related_name="repayments")
    due_on = models.DateField()
    amount_due = models.DecimalField(max_digits=14, decimal_places=2, validators=POSITIVE)
    amount_paid = models.DecimalField(
        max_digits=14, decimal_places=2, default=Decimal("0.00"), validators=NOT_NEGATIVE
    )
    paid_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ask", "due_on"], name="one_instalment_per_date")
        ]

    def __str__(self):
        return f"{self.amount_due} due {self.due_on}"
