"""Staff write a family's email or phone again: a number kept from before phones were read in
E.164 that could not be read, or a new number the family asked them to put in."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import policy
from accounts.services import audit_record
from families.models import Family
from mutuality import phones
from mutuality.errors import Conflict, InvalidInput, NotAllowed

CONTACT_FIELDS = ("contact_email", "contact_phone", "contact_phone_as_typed")


def _taken_in_cohort(family: Family, email: str, phone: str) -> dict[str, list[str]]:
    """Another household of the cohort with this email or number (it would be paid twice)."""
    others = Family.objects.filter(cohort_id=family.cohort_id).exclude(pk=family.pk)
    found = {}
    if email:
        other = others.filter(contact_email__iexact=email).first()
        if other is not None:
            found["contact_email"] = [
                _("%(name)s of this cohort already has this email.") % {"name": other.name}
            ]
    if phone:
        other = others.filter(contact_phone=phone).first()
        if other is not None:
            found["contact_phone"] = [
                _("%(name)s of this cohort already has this phone number.") % {"name": other.name}
            ]
    return found


@transaction.atomic
def family_update_contact(
    *, seat: policy.Seat, family: Family, contact_email: str, contact_phone: str
) -> Family:
    """The family's email and phone as staff write them now; a phone that could not be read
    before is gone once a readable one (or an email alone) takes its place."""
    policy.require(seat, "family.contact.edit")
    if family.partner_id != seat.partner.pk or not policy.can_view_cohort(seat, family.cohort):
        raise NotAllowed(_("You cannot change this family's contact."))
    family = Family.objects.select_for_update().get(pk=family.pk)
    email = (contact_email or "").strip().lower()
    errors: dict[str, list[str]] = {}
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = [_("Enter a valid email address.")]
    try:
        phone = phones.to_e164(contact_phone, seat.partner.country)
    except phones.NotAPhoneNumber as refused:
        phone = ""
        errors["contact_phone"] = [refused.message]
    if not errors and not (email or phone):
        errors["contact_email"] = [_("Give an email or a phone number.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), errors=errors)
    taken = _taken_in_cohort(family, email, phone)
    if taken:
        raise Conflict(_("Another household of this cohort has this contact."), errors=taken)
    changed = [
        name
        for name, value in (
            ("contact_email", email),
            ("contact_phone", phone),
            ("contact_phone_as_typed", ""),
        )
        if getattr(family, name) != value
    ]
    if not changed:
        return family
    family.contact_email, family.contact_phone, family.contact_phone_as_typed = email, phone, ""
    family.save(update_fields=changed)
    # Which fields changed, not their values: the audit trail is read more widely than contacts.
    audit_record(
        actor=seat.user,
        verb="family.contact",
        obj=family,
        partner=seat.partner,
        after={"changed": changed},
    )
    return family
