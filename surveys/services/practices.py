"""Practices families report: the catalogue, and action reports kept in step with surveys."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts import policy
from accounts.services import audit_record
from families.access import FamilySeat
from mutuality.errors import Conflict, InvalidInput
from surveys.models import ActionReport, Practice, SurveyResponse
from surveys.services.templates import ensure_default_practices


def sync_action_reports(response: SurveyResponse) -> None:
    """One action report per practice the survey lists (kept when the family unticks and
    re-ticks, so its own words are not lost; removed when no longer listed)."""
    slugs = set(response.answers.get("practices") or [])
    practices = {
        p.slug: p
        for p in Practice.objects.filter(slug__in=slugs).filter(partner__isnull=True)
        | Practice.objects.filter(slug__in=slugs, partner=response.partner_id)
    }
    ActionReport.objects.filter(family=response.family_id, period=response.period).exclude(
        practice__slug__in=slugs
    ).delete()
    existing = set(
        ActionReport.objects.filter(family=response.family_id, period=response.period).values_list(
            "practice__slug", flat=True
        )
    )
    ActionReport.objects.bulk_create(
        ActionReport(
            partner_id=response.partner_id,
            cohort_id=response.cohort_id,
            family_id=response.family_id,
            practice=practices[slug],
            period=response.period,
            survey=response,
        )
        for slug in sorted(slugs - existing)
        if slug in practices
    )


@transaction.atomic
def action_report_describe(
    *, seat: FamilySeat, report: ActionReport, description: str, share_across_partners: bool
) -> ActionReport:
    """The family says, in its own words, what it did."""
    report = ActionReport.objects.select_for_update().get(pk=report.pk, family=seat.family)
    report.description = (description or "").strip()[:2000]
    report.share_across_partners = bool(share_across_partners) and bool(report.description)
    report.save(update_fields=["description", "share_across_partners"])
    audit_record(
        actor=seat.user,
        verb="action_report.describe",
        obj=report,
        partner=seat.family.partner,
        after={"shared": report.share_across_partners},
    )
    return report


@transaction.atomic
def practice_create(
    *, seat: policy.Seat, names: dict[str, str], descriptions: dict[str, str] | None = None
) -> Practice:
    """A partner's own practice, named in each of its languages."""
    policy.require(seat, "practice.manage")
    ensure_default_practices()  # a partner's slug never shadows a platform practice
    missing = [code for code in seat.partner.languages if not (names or {}).get(code, "").strip()]
    if missing:
        raise InvalidInput.for_field(
            "names",
            _("Name the practice in every language of the partner: %(codes)s")
            % {"codes": ", ".join(missing)},
        )
    base = names.get("en") or next(iter(names.values()))
    slug = slugify(base)[:50] or "practice"
    if Practice.objects.filter(partner__isnull=True, slug=slug).exists():
        raise Conflict(_("The catalogue already has this practice."), errors={"names": [slug]})
    try:
        with transaction.atomic():
            practice = Practice.objects.create(
                partner=seat.partner,
                slug=slug,
                names={k: v.strip() for k, v in names.items() if v.strip()},
                descriptions=descriptions or {},
            )
    except IntegrityError as exc:
        raise Conflict(_("Your catalogue already has this practice.")) from exc
    audit_record(
        actor=seat.user,
        verb="practice.create",
        obj=practice,
        partner=seat.partner,
        after={"slug": slug},
    )
    return practice
