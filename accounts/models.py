import hashlib
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

iso_country = RegexValidator(r"^[A-Z]{2}$", _("Use a two-letter ISO 3166 country code."))
iso_currency = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 currency code."))


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email and not extra.get("phone"):
            raise ValueError("Users need an email address or a phone number.")
        user = self.model(email=self.normalize_email(email).lower() if email else None, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_superuser"] = True
        extra["is_staff"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in. `is_superuser` marks a platform admin (an operator of the platform)."""

    # A family may have only a phone: then `email` is NULL (unique among those who have one)
    # and the family signs in with codes sent to `phone`.
    email = models.EmailField(_("email"), unique=True, null=True, blank=True)
    # E.164 (`mutuality.phones`); verified once a code sent to it came back.
    phone = models.CharField(_("phone number"), max_length=20, unique=True, null=True, blank=True)
    phone_verified = models.BooleanField(default=False)
    name = models.CharField(_("name"), max_length=150, blank=True)
    # Blank until the user picks one: until then the browser's language is used.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)  # Django's own flag; no admin site is mounted
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        # Blank is stored as NULL so that many accounts can have none, yet each one is unique.
        self.email = (self.email or "").strip().lower() or None
        self.phone = (self.phone or "").strip() or None
        super().save(*args, **kwargs)

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and self.is_superuser

    @property
    def display_name(self) -> str:
        from mutuality.phones import for_display

        return self.name or self.email or for_display(self.phone)


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone."))


def validate_languages(value) -> None:
    known = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Pick at least one language."))
    unknown = [code for code in value if code not in known]
    if unknown:
        raise ValidationError(_("Unsupported language: %(codes)s") % {"codes": ", ".join(unknown)})


def default_languages():
    return [settings.LANGUAGE_CODE]


class Partner(models.Model):
    """A community organization running demonstrations: the tenant."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    country = models.CharField(_("country"), max_length=2, validators=[iso_country])
    currency = models.CharField(_("currency"), max_length=3, validators=[iso_currency])
    languages = models.JSONField(
        _("languages"), default=default_languages, validators=[validate_languages]
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    stipend_amount = models.DecimalField(
        _("stipend per verified survey"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    months_before_phase_two = models.PositiveSmallIntegerField(
        _("months before phase II"), default=4
    )
    funding_asks_need_review = models.BooleanField(_("funding asks need review"), default=True)
    friends_first_days = models.PositiveSmallIntegerField(
        _("days a funding ask is shown to friends first"),
        default=7,
        validators=[MaxValueValidator(60)],
    )
    baseline_months = models.PositiveSmallIntegerField(
        _("months in the baseline"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1: the first verified survey; more: the mean of the first verified months."),
    )
    unusual_change_percent = models.PositiveSmallIntegerField(
        _("flag changes above this percent"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Income or savings that change more than this since last month are flagged."),
    )
    survey_money_ceiling = models.DecimalField(
        _("largest amount a survey accepts"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("1000000.00"),
        validators=[MinValueValidator(Decimal("1.00"))],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stipend_amount__gte=0), name="partner_stipend_not_negative"
            )
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Partner admin")
    STAFF = "staff", _("Partner staff")
    LIAISON = "liaison", _("Liaison")


class Membership(models.Model):
    """A user's role in one partner. A user may work for several partners."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "user"], name="one_membership_per_partner")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} @ {self.partner}"


class FunderProfile(models.Model):
    """A foundation, donor or investor. Partners grant funders read access to their aggregates."""

    class Kind(models.TextChoices):
        FOUNDATION = "foundation", _("Foundation")
        DONOR = "donor", _("Donor")
        INVESTOR = "investor", _("Investor")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funder_profile"
    )
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DONOR)
    country = models.CharField(_("country"), max_length=2, blank=True, validators=[iso_country])
    partners = models.ManyToManyField(Partner, through="FunderAccess", related_name="funders")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.organization or str(self.user)


class FunderAccess(models.Model):
    """A partner's grant to a funder: read access to the partner's aggregate outcomes."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="funder_grants")
    funder = models.ForeignKey(FunderProfile, on_delete=models.CASCADE, related_name="grants")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "funder"], name="one_grant_per_funder")
        ]

    def __str__(self):
        return f"{self.funder} -> {self.partner}"


class StaffInvitation(models.Model):
    """Partner staff invite a colleague (staff or liaison) by email."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="staff_invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Only a digest of the token is stored; the token itself travels in the emailed link.
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "email"],
                condition=models.Q(status="pending"),
                name="one_pending_staff_invitation_per_email",
            )
        ]

    def __str__(self):
        return f"{self.email} ({self.role}) @ {self.partner}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"token of {self.user} (created {self.created_at:%Y-%m-%d})"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are append-only.")

    def delete(self):
        raise TypeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Who did what to which object, with the state before and after. Append-only."""

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_email = models.EmailField(blank=True)  # kept even if the account is removed
    verb = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["partner", "-created_at"])]

    def __str__(self):
        return f"{self.actor_email or 'system'} {self.verb} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only.")
