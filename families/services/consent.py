"""What a family lets its group, its cohort and the partner's staff see."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services import audit_record, snapshot
from families.access import FamilySeat
from families.models import (
    Family,
)
from mutuality.errors import InvalidInput, validated

CONSENT_FIELDS = (
    "show_household_to_group",
    "show_contact_to_group",
    "in_cohort_directory",
    "show_contact_to_cohort",
    "show_household_to_staff",
    "share_posts_with_staff",
    "offers",
    "looking_for",
)


# Consent ------------------------------------------------------------------------------------


@transaction.atomic
def family_update_consent(*, seat: FamilySeat, **changes) -> Family:
    unknown = set(changes) - set(CONSENT_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    family = Family.objects.select_for_update().get(pk=seat.family.pk)
    before = snapshot(family, CONSENT_FIELDS)
    for name, value in changes.items():
        setattr(family, name, value.strip() if isinstance(value, str) else bool(value))
    validated(family)
    family.save(update_fields=list(changes))
    audit_record(
        actor=seat.user,
        verb="family.consent",
        obj=family,
        partner=family.partner,
        before=before,
        after=snapshot(family, CONSENT_FIELDS),
    )
    return family
