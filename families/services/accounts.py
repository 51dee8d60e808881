"""Members of an enrolled household create the account they sign in with.

Staff enroll seed families; each enrollment issues a single-use, expiring, signed link that is
emailed to the household (or shown to staff to share by phone). Issuing a new link revokes the
old ones.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import User
from accounts.services import audit_record, user_create
from families.models import Family, FamilyAccountInvitation, HouseholdMember
from mutuality import phones
from mutuality.errors import Conflict, InvalidInput, NotAllowed

ACCOUNT_SALT = "families.account-invitation"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_account_invitation(*, family: Family, actor: User | None) -> str:
    """A new sign-up link for the household; earlier open links stop working."""
    now = timezone.now()
    FamilyAccountInvitation.objects.filter(
        family=family, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    secret = secrets.token_urlsafe(24)
    invitation = FamilyAccountInvitation.objects.create(
        partner_id=family.partner_id,
        family=family,
        created_by=actor,
        secret_digest=_digest(secret),
        expires_at=now + timedelta(days=settings.FAMILY_INVITATION_TTL_DAYS),
    )
    token = signing.dumps({"i": invitation.pk, "s": secret}, salt=ACCOUNT_SALT)
    if family.contact_email:
        from families.tasks import deliver_account_invitation

        transaction.on_commit(lambda: deliver_account_invitation.delay(invitation.pk, token))
    elif family.contact_phone:
        from families.services.texts import text_account_invitation

        text_account_invitation(invitation, token)
    return token


@transaction.atomic
def family_account_invitation_create(*, seat: policy.Seat, family: Family) -> str:
    policy.require(seat, "family.enroll")
    if family.partner_id != seat.partner.pk or not policy.can_view_cohort(seat, family.cohort):
        raise NotAllowed(_("You cannot invite this household."))
    token = issue_account_invitation(family=family, actor=seat.user)
    audit_record(
        actor=seat.user,
        verb="family.account_invitation",
        obj=family,
        partner=seat.partner,
        after={
            "channel": "email"
            if family.contact_email
            else ("sms" if family.contact_phone else "link")
        },
    )
    return token


def account_invitation_by_token(token: str) -> FamilyAccountInvitation | None:
    try:
        payload = signing.loads(token or "", salt=ACCOUNT_SALT)
        invitation_id, secret = int(payload["i"]), str(payload["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    invitation = (
        FamilyAccountInvitation.objects.select_related("family", "family__partner")
        .filter(pk=invitation_id, secret_digest=_digest(secret))
        .first()
    )
    if invitation is None or not invitation.is_open:
        return None
    return invitation


@transaction.atomic
def family_account_invitation_accept(
    *,
    token: str,
    name: str,
    email: str = "",
    password: str = "",
    birth_year: int | None = None,
    phone: str = "",
) -> User:
    """The household's member creates the sign-in: with an email and a password, or with a
    phone number alone (codes by SMS, a password optional)."""
    invitation = account_invitation_by_token(token)
    if invitation is None:
        raise Conflict(_("This link has expired, was replaced or was already used."))
    invitation = FamilyAccountInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise Conflict(_("This link has expired, was replaced or was already used."))
    family = invitation.family
    if birth_year is not None and not 1900 <= birth_year <= timezone.now().year:
        raise InvalidInput.for_field("birth_year", _("This is not a possible birth year."))
    try:
        phone = phones.to_e164(phone, family.partner.country)
    except phones.NotAPhoneNumber as refused:
        raise InvalidInput.for_field("phone", refused.message) from refused
    verified = bool(family.contact_email) and family.contact_email == (email or "").strip().lower()
    user = user_create(email=email, phone=phone, name=name, password=password, verified=verified)
    first_name = (name or "").strip().split(" ")[0]
    # Link the account to the member staff already listed, when the first name matches.
    member = (
        HouseholdMember.objects.filter(
            family=family, user__isnull=True, first_name__iexact=first_name
        )
        .order_by("pk")
        .first()
    )
    if member is None:
        member = HouseholdMember(
            partner_id=family.partner_id,
            family=family,
            first_name=first_name,
            relationship=HouseholdMember.Relationship.HEAD,
        )
    member.user = user
    if birth_year is not None:
        member.birth_year = birth_year
    member.save()
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    audit_record(
        actor=user,
        verb="family.account_create",
        obj=family,
        partner=family.partner,
        after={"member": member.pk},
    )
    return user
