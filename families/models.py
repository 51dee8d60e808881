from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Partner


class Cohort(models.Model):
    """A demonstration in one area, led by its families."""

    class Phase(models.IntegerChoices):
        ONE = 1, _("Phase I")
        TWO = 2, _("Phase II")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=200)
    region = models.CharField(_("region"), max_length=200, blank=True)
    started_on = models.DateField(_("start date"))
    phase = models.PositiveSmallIntegerField(choices=Phase.choices, default=Phase.ONE)
    liaisons = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="liaison_cohorts"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "name"]

    def __str__(self):
        return self.name


class Group(models.Model):
    """A seed family and the friends it invited: close, bonding ties."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="family_groups")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Family(models.Model):
    """A participating household."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="families")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="families")
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="families"
    )
    name = models.CharField(_("household name"), max_length=200)
    is_seed = models.BooleanField(default=False)
    invited_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="invited"
    )
    # How far from a seed: seeds are 0, their friends 1, and so on.
    generation = models.PositiveSmallIntegerField(default=0)
    household_size = models.PositiveSmallIntegerField(
        _("household size"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    contact_email = models.EmailField(_("email"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=32, blank=True)
    # Self-described and optional; only ever shown in aggregate.
    culture = models.CharField(_("culture"), max_length=100, blank=True)
    religion = models.CharField(_("religion"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "families"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(household_size__gte=1), name="family_has_someone"
            )
        ]

    def __str__(self):
        return self.name


class HouseholdMember(models.Model):
    """A person in a household; adults may have an account to sign in with."""

    class Relationship(models.TextChoices):
        HEAD = "head", _("Head of household")
        PARTNER = "partner", _("Partner or spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        RELATIVE = "relative", _("Other relative")
        OTHER = "other", _("Other")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    first_name = models.CharField(_("first name"), max_length=100)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    relationship = models.CharField(
        _("relationship"), max_length=16, choices=Relationship.choices, default=Relationship.OTHER
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="household_member",
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.first_name
