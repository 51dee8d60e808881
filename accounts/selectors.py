"""Reads for accounts. Every query starts from the partner or the user it is about."""

from django.db.models import Count, QuerySet

from accounts.models import AuditEvent, FunderProfile, Membership, Partner, StaffInvitation


def memberships_for_user(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("partner").order_by("partner__name")


def partner_members(partner: Partner) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(partner=partner)
        .select_related("user")
        .order_by("role", "user__name", "user__email")
    )


def pending_staff_invitations(partner: Partner) -> QuerySet[StaffInvitation]:
    return StaffInvitation.objects.filter(
        partner=partner, status=StaffInvitation.Status.PENDING
    ).select_related("invited_by")


def partner_audit_events(partner: Partner) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(partner=partner).select_related("actor")


def partners_for_platform() -> QuerySet[Partner]:
    return Partner.objects.annotate(member_count=Count("memberships")).order_by("name")


def funder_profile_for(user) -> FunderProfile | None:
    return FunderProfile.objects.filter(user=user).first()


def partners_funded_by(funder: FunderProfile) -> QuerySet[Partner]:
    return Partner.objects.filter(funder_grants__funder=funder).order_by("name")
