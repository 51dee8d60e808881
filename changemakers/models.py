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
