import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Partner


def default_seed_limit() -> int:
    return settings.COHORT_SEED_LIMIT


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
    seed_limit = models.PositiveSmallIntegerField(
        _("seed families at most"),
        default=default_seed_limit,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    liaisons = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="liaison_cohorts"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "name"], name="cohort_name_unique_in_partner"
            )
        ]

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
    """A participating household, with the consent it gives about what others may see."""

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
    # How far from a first seed: seeds enrolled by staff are 0, their friends 1, and so on.
    generation = models.PositiveSmallIntegerField(default=0)
    household_size = models.PositiveSmallIntegerField(
        _("household size"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    contact_email = models.EmailField(_("email"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=32, blank=True)  # E.164
    # A number kept from before phones were read in E.164 that could not be read: staff see it
    # on the "phones to fix" page until they write it again. Nothing is ever texted to it.
    contact_phone_as_typed = models.CharField(_("phone as typed"), max_length=32, blank=True)
    # Self-described and optional; only ever shown in aggregate.
    culture = models.CharField(_("culture"), max_length=100, blank=True)
    religion = models.CharField(_("religion"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=100, blank=True)

    # Consent: what peers and staff may see. Respected by every selector, page and endpoint.
    show_household_to_group = models.BooleanField(
        _("my group may see who lives in our household"), default=True
    )
    show_contact_to_group = models.BooleanField(
        _("my group may see our email and phone"), default=True
    )
    in_cohort_directory = models.BooleanField(
        _("list us in the cohort's peer directory"), default=False
    )
    show_contact_to_cohort = models.BooleanField(
        _("families of the cohort may see our email and phone"), default=False
    )
    show_household_to_staff = models.BooleanField(
        _("partner staff may see who lives in our household"), default=True
    )
    share_posts_with_staff = models.BooleanField(
        _("partner staff may read our posts"), default=False
    )
    offers = models.CharField(_("what we can offer others"), max_length=300, blank=True)
    looking_for = models.CharField(_("what we are looking for"), max_length=300, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "families"
        constraints = [
            models.CheckConstraint(condition=Q(household_size__gte=1), name="family_has_someone"),
            models.CheckConstraint(
                condition=~Q(contact_email="")
                | ~Q(contact_phone="")
                | ~Q(contact_phone_as_typed=""),
                name="family_has_a_contact",
            ),
        ]
        indexes = [models.Index(fields=["partner", "cohort", "group"])]

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
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
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


class FamilyInvitation(models.Model):
    """A family invites a friend household; the link is signed, expires and works once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    name = models.CharField(_("their name"), max_length=200)
    email = models.EmailField(_("their email"), blank=True)
    phone = models.CharField(_("their phone"), max_length=32, blank=True)  # E.164
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # The link carries a signed token; only a digest of its secret part is kept here.
    secret_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_family = models.OneToOneField(
        Family, on_delete=models.SET_NULL, null=True, blank=True, related_name="accepted_invitation"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="invitation_has_a_contact"
            )
        ]

    def __str__(self):
        return f"{self.family} -> {self.name}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired

    @staticmethod
    def digest(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()


class Tie(models.Model):
    """A relationship between two families. `family_low` has the smaller id, so a pair is
    stored once per reason."""

    class Kind(models.TextChoices):
        BONDING = "bonding", _("Bonding (same group)")
        BRIDGING = "bridging", _("Bridging (across groups)")

    class Reason(models.TextChoices):
        INVITED = "invited", _("Invited")
        HELPED = "helped", _("Helped")
        MET = "met", _("Met")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="ties")
    family_low = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    family_high = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["family_low", "family_high", "reason"], name="one_tie_per_pair_and_reason"
            ),
            models.CheckConstraint(
                condition=Q(family_low__lt=F("family_high")), name="tie_pair_is_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.family_low_id}-{self.family_high_id} {self.kind} ({self.reason})"


class GroupMeeting(models.Model):
    """Staff record that two groups met; the families present gain bridging ties."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="meetings")
    groups = models.ManyToManyField(Group, related_name="meetings")
    met_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-met_on"]

    def __str__(self):
        return f"meeting {self.met_on}"


class Post(models.Model):
    """An update or a win that a family shares with its group or its cohort; also what a peer
    consultant family or (in phase II only) the partner's staff share with a cohort."""

    class Source(models.TextChoices):
        FAMILY = "family", _("A family of the cohort")
        PEER = "peer", _("A peer consultant family")
        STAFF = "staff", _("The partner's staff")

    class Visibility(models.TextChoices):
        GROUP = "group", _("My group")
        COHORT = "cohort", _("My whole cohort")

    class Kind(models.TextChoices):
        UPDATE = "update", _("Update")
        WIN = "win", _("Win")
        PRACTICE = "practice", _("What other families did")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="posts")
    # Staff and peer posts go to the whole cohort: they have no group.
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="posts"
    )
    # The family that posted (a family of the cohort, or a peer consultant); none for staff.
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, null=True, blank=True, related_name="posts"
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.FAMILY)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.UPDATE)
    body = models.TextField(_("what would you like to share?"), max_length=4000)
    photo = models.ImageField(_("photo"), upload_to="posts/%Y/%m/", blank=True)
    visibility = models.CharField(
        _("who can see it"), max_length=16, choices=Visibility.choices, default=Visibility.GROUP
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partner", "group", "-created_at"]),
            models.Index(fields=["partner", "cohort", "visibility", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source="family") & Q(family__isnull=False) & Q(group__isnull=False))
                | (Q(source="peer") & Q(family__isnull=False) & Q(visibility="cohort"))
                | (Q(source="staff") & Q(family__isnull=True) & Q(visibility="cohort")),
                name="post_source_matches_its_author",
            )
        ]

    def __str__(self):
        return f"post {self.pk} by {self.shown_as}"

    @property
    def shown_as(self) -> str:
        """Who the post comes from, as families see it."""
        if self.source == self.Source.STAFF:
            return str(_("Your partner's staff"))
        if self.source == self.Source.PEER:
            return str(_("%(family)s, peer consultant") % {"family": self.family.name})
        return self.family.name


class Reaction(models.Model):
    class Kind(models.TextChoices):
        CHEER = "cheer", _("Cheer")
        THANKS = "thanks", _("Thanks")
        SUPPORT = "support", _("Support")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CHEER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="one_reaction_per_person")
        ]

    def __str__(self):
        return f"{self.kind} on {self.post_id}"


class Comment(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"comment {self.pk} on {self.post_id}"


class HelpExchange(models.Model):
    """Help one family gave another: mutuality is an outcome. The other family may confirm."""

    class Kind(models.TextChoices):
        MONEY = "money", _("Money")
        CHILDCARE = "childcare", _("Childcare")
        TRANSPORT = "transport", _("Transport")
        FOOD = "food", _("Food")
        INFORMATION = "information", _("Information")
        WORK = "work", _("Work")
        OTHER = "other", _("Other")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="help_exchanges")
    giver = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="help_given")
    receiver = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="help_received")
    recorded_by_family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind of help"), max_length=16, choices=Kind.choices)
    estimated_value = models.DecimalField(
        _("estimated value"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    happened_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=F("receiver")), name="help_is_between_two_families"
            ),
            models.CheckConstraint(
                condition=Q(estimated_value__gte=0), name="help_value_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.giver} -> {self.receiver}: {self.kind}"

    @property
    def other_family_id(self) -> int:
        """The family that did not record it: the one that may confirm."""
        return self.receiver_id if self.recorded_by_family_id == self.giver_id else self.giver_id


class FamilyAccountInvitation(models.Model):
    """A link for a member of an enrolled household to create the account they sign in with.

    Seed families are enrolled by staff; this is how they get in. Single use, expires."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="account_invitations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    secret_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"account invitation for {self.family}"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.revoked_at is None and timezone.now() < self.expires_at


class PeerConsultant(models.Model):
    """A family from an earlier demonstration that consults a new cohort: it may post in that
    cohort's feed and answer its families in any phase (phase rules bind staff, not peers)."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Consulting")
        DECLINED = "declined", _("Declined")
        ENDED = "ended", _("Ended")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="consulting")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="peer_consultants")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["family", "cohort"],
                condition=Q(status__in=["invited", "active"]),
                name="one_open_consultancy_per_family_and_cohort",
            )
        ]

    def __str__(self):
        return f"{self.family} consults {self.cohort}"


class StaffRequest(models.Model):
    """A family asks the partner for something; answered in a thread. Their number is a
    readiness signal: families that lead ask staff less over time."""

    class Kind(models.TextChoices):
        PAPERWORK = "paperwork", _("Paperwork")
        PAYMENT = "payment", _("A problem with a payment")
        PLATFORM = "platform", _("A question about the platform")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="staff_requests")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="staff_requests")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("what it is about"), max_length=16, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject


class StaffRequestMessage(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(StaffRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_staff = models.BooleanField(default=False)
    body = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"message {self.pk} on {self.request_id}"


class EnrollmentConfirmation(models.Model):
    """A confirmed enrollment file. The signed confirmation staff post carries a nonce; storing it
    on use is what makes the confirmation work once, however often it is posted again."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64, unique=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)
    households = models.PositiveSmallIntegerField()

    def __str__(self):
        return f"enrollment file confirmed in {self.cohort_id}"
