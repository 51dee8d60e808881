"""Families invite friend households with signed, expiring, single-use links."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.services import audit_record, user_create
from families.access import FamilySeat
from families.models import (
    Family,
    FamilyInvitation,
    HouseholdMember,
    Tie,
)
from families.selectors import friends_counted
from families.services.cohorts import HouseholdInput, clean_household, create_household
from families.services.ties import tie_record
from mutuality import phones
from mutuality.errors import Conflict, InvalidInput, NotAllowed, validated

INVITATION_SALT = "families.invitation"


# Invitations between families --------------------------------------------------------------------


def _token_for(invitation: FamilyInvitation, secret: str) -> str:
    return signing.dumps({"i": invitation.pk, "s": secret}, salt=INVITATION_SALT)


def _send_family_invitation_on_commit(invitation: FamilyInvitation, token: str) -> None:
    if not invitation.email:
        # By phone: a text with the link (the family may also share the link themselves).
        from families.services.texts import text_family_invitation

        text_family_invitation(invitation, token)
        return
    from families.tasks import deliver_family_invitation

    transaction.on_commit(lambda: deliver_family_invitation.delay(invitation.pk, token))


@transaction.atomic
def family_invitation_create(
    *, seat: FamilySeat, name: str, email: str = "", phone: str = ""
) -> tuple[FamilyInvitation, str]:
    family = Family.objects.select_for_update().get(pk=seat.family.pk)
    if not policy.family_may_invite(family):
        raise NotAllowed(
            _("Seed families invite friends. Ask your partner if your family can start a group.")
        )
    invitation = FamilyInvitation(
        partner_id=family.partner_id,
        family=family,
        invited_by=seat.user,
        name=(name or "").strip(),
        email=(email or "").strip().lower(),
        phone=(phone or "").strip(),
        secret_digest="pending",
        expires_at=timezone.now() + timedelta(days=settings.FAMILY_INVITATION_TTL_DAYS),
    )
    errors = {}
    if not invitation.name:
        errors["name"] = [_("Tell us who you are inviting.")]
    try:
        invitation.phone = phones.to_e164(invitation.phone, family.partner.country)
    except phones.NotAPhoneNumber as refused:
        errors["phone"] = [refused.message]
    if not (invitation.email or invitation.phone) and "phone" not in errors:
        errors["email"] = [_("Give their email or their phone number.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), errors=errors)
    validated(invitation, constraints=False)
    limit = settings.FRIENDS_PER_SEED
    if friends_counted(family) >= limit:
        raise Conflict(
            _(
                "Your family has used its %(limit)d invitations (waiting ones count). "
                "Revoke one that is still waiting to invite someone else."
            )
            % {"limit": limit}
        )
    secret = secrets.token_urlsafe(24)
    invitation.secret_digest = FamilyInvitation.digest(secret)
    invitation.save()
    audit_record(
        actor=seat.user,
        verb="family_invitation.create",
        obj=invitation,
        partner=family.partner,
        after={"family": family.pk, "channel": "email" if invitation.email else "phone"},
    )
    token = _token_for(invitation, secret)
    _send_family_invitation_on_commit(invitation, token)
    return invitation, token


@transaction.atomic
def family_invitation_revoke(*, seat: FamilySeat, invitation: FamilyInvitation) -> FamilyInvitation:
    invitation = FamilyInvitation.objects.select_for_update().get(
        pk=invitation.pk, family=seat.family
    )
    if invitation.status != FamilyInvitation.Status.PENDING:
        raise Conflict(_("Only a waiting invitation can be revoked."))
    invitation.status = FamilyInvitation.Status.REVOKED
    invitation.save(update_fields=["status"])
    audit_record(
        actor=seat.user,
        verb="family_invitation.revoke",
        obj=invitation,
        partner=seat.family.partner,
        before={"status": "pending"},
        after={"status": "revoked"},
    )
    return invitation


@transaction.atomic
def family_invitation_resend(
    *, seat: FamilySeat, invitation: FamilyInvitation
) -> tuple[FamilyInvitation, str]:
    """A new link (the old one stops working) with a new expiry."""
    invitation = FamilyInvitation.objects.select_for_update().get(
        pk=invitation.pk, family=seat.family
    )
    if invitation.status != FamilyInvitation.Status.PENDING:
        raise Conflict(_("Only a waiting invitation can be sent again."))
    if invitation.is_expired and friends_counted(seat.family) >= settings.FRIENDS_PER_SEED:
        raise Conflict(_("Your family has used all its invitations."))
    secret = secrets.token_urlsafe(24)
    invitation.secret_digest = FamilyInvitation.digest(secret)
    invitation.expires_at = timezone.now() + timedelta(days=settings.FAMILY_INVITATION_TTL_DAYS)
    invitation.save(update_fields=["secret_digest", "expires_at"])
    audit_record(
        actor=seat.user,
        verb="family_invitation.resend",
        obj=invitation,
        partner=seat.family.partner,
    )
    token = _token_for(invitation, secret)
    _send_family_invitation_on_commit(invitation, token)
    return invitation, token


def family_invitation_by_token(token: str) -> FamilyInvitation | None:
    """The open invitation a link opens; None for a forged, expired, used or revoked link."""
    try:
        payload = signing.loads(
            token or "",
            salt=INVITATION_SALT,
            max_age=timedelta(days=settings.FAMILY_INVITATION_TTL_DAYS * 4),
        )
        invitation_id, secret = int(payload["i"]), str(payload["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    invitation = (
        FamilyInvitation.objects.select_related("family", "family__group", "family__cohort")
        .filter(pk=invitation_id, secret_digest=FamilyInvitation.digest(secret))
        .first()
    )
    if invitation is None or not invitation.is_open:
        return None
    return invitation


@transaction.atomic
def family_invitation_accept(
    *,
    token: str,
    name: str,
    email: str = "",
    password: str = "",
    household: HouseholdInput,
    phone: str = "",
) -> Family:
    """The friend creates their account and household and joins the inviter's group.

    The account signs in with `email` and a password, or with `phone` alone (codes by SMS;
    a password is then optional)."""
    invitation = family_invitation_by_token(token)
    if invitation is None:
        raise Conflict(_("This invitation has expired, was revoked or was already used."))
    invitation = FamilyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != FamilyInvitation.Status.PENDING:
        raise Conflict(_("This invitation has expired, was revoked or was already used."))
    inviter = invitation.family
    errors = {}
    try:
        phone = phones.to_e164(phone, inviter.partner.country)
    except phones.NotAPhoneNumber as refused:
        errors["phone"] = [refused.message]
    if not household.contact_email and not household.contact_phone:
        household.contact_email = email
        household.contact_phone = phone
    errors.update(clean_household(household, region=inviter.partner.country))
    if "phone" not in errors:
        try:
            with transaction.atomic():
                # The address is proven when the invitation was emailed to it; a phone only
                # when a code sent to it comes back (the first sign-in).
                verified = (
                    bool(invitation.email) and invitation.email == (email or "").strip().lower()
                )
                user = user_create(
                    email=email, phone=phone, name=name, password=password, verified=verified
                )
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(_("Please correct the errors below."), errors=errors)
    family = create_household(
        partner=inviter.partner,
        cohort=inviter.cohort,
        group=inviter.group,
        data=household,
        is_seed=False,
        invited_by=inviter,
        generation=inviter.generation + 1,
    )
    HouseholdMember.objects.create(
        partner=inviter.partner,
        family=family,
        first_name=name.strip().split(" ")[0],
        relationship=HouseholdMember.Relationship.HEAD,
        user=user,
    )
    invitation.status = FamilyInvitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_family = family
    invitation.save(update_fields=["status", "accepted_at", "accepted_family"])
    tie_record(first=inviter, second=family, reason=Tie.Reason.INVITED)
    audit_record(
        actor=user,
        verb="family.join",
        obj=family,
        partner=inviter.partner,
        after={"invitation": invitation.pk, "group": family.group_id, "invited_by": inviter.pk},
    )
    return family
