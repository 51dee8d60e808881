"""Reads for families. Every query starts from the partner."""

from django.db.models import Count, Q, QuerySet, Sum

from accounts.models import Partner
from families.models import Cohort, Family


def family_for_user(user) -> Family | None:
    if not user.is_authenticated:
        return None
    return (
        Family.objects.select_related("partner", "cohort", "group")
        .filter(members__user=user)
        .first()
    )


def group_families(family: Family) -> QuerySet[Family]:
    if family.group_id is None:
        return Family.objects.filter(pk=family.pk)
    return Family.objects.filter(partner=family.partner_id, group=family.group_id).order_by(
        "-is_seed", "name"
    )


def cohorts_with_reach(partner: Partner) -> QuerySet[Cohort]:
    return Cohort.objects.filter(partner=partner).annotate(
        family_count=Count("families", distinct=True),
        seed_count=Count("families", filter=Q(families__is_seed=True), distinct=True),
        people_count=Sum("families__household_size"),
    )


def cohorts_for_liaison(partner: Partner, user) -> QuerySet[Cohort]:
    return cohorts_with_reach(partner).filter(liaisons=user)


def partner_reach(partner: Partner) -> dict:
    """Households and people reached across the partner's cohorts."""
    totals = Family.objects.filter(partner=partner).aggregate(
        households=Count("id"), people=Sum("household_size")
    )
    return {"households": totals["households"] or 0, "people": totals["people"] or 0}
