"""Phone numbers in E.164, read in the partner's country. A family's number that cannot be read
moves to `contact_phone_as_typed`, where staff find it to fix; it is never dropped. An
invitation's number that cannot be read stays as it was (invitations expire within days)."""

import phonenumbers
from django.db import migrations, models


def _e164(typed: str, region: str) -> str | None:
    text = typed.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phones_to_e164(apps, schema_editor):
    Family = apps.get_model("families", "Family")
    FamilyInvitation = apps.get_model("families", "FamilyInvitation")
    families = Family.objects.exclude(contact_phone="").select_related("partner")
    for family in families.iterator(chunk_size=500):
        number = _e164(family.contact_phone, family.partner.country)
        if number is None:
            family.contact_phone_as_typed, family.contact_phone = family.contact_phone, ""
        else:
            family.contact_phone = number
        family.save(update_fields=["contact_phone", "contact_phone_as_typed"])
    invitations = FamilyInvitation.objects.exclude(phone="").select_related("partner")
    for invitation in invitations.iterator(chunk_size=500):
        number = _e164(invitation.phone, invitation.partner.country)
        if number is not None and number != invitation.phone:
            invitation.phone = number
            invitation.save(update_fields=["phone"])


def phones_back_as_typed(apps, schema_editor):
    # E.164 is a way of writing the number too: only the unreadable ones move back.
    Family = apps.get_model("families", "Family")
    for family in Family.objects.exclude(contact_phone_as_typed=""):
        family.contact_phone, family.contact_phone_as_typed = family.contact_phone_as_typed, ""
        family.save(update_fields=["contact_phone", "contact_phone_as_typed"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("families", "0002_enrollment_confirmation"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="family", name="family_has_a_contact"),
        migrations.AddField(
            model_name="family",
            name="contact_phone_as_typed",
            field=models.CharField(blank=True, max_length=32, verbose_name="phone as typed"),
        ),
        migrations.RunPython(phones_to_e164, phones_back_as_typed),
        migrations.AddConstraint(
            model_name="family",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("contact_email", ""), _negated=True),
                    models.Q(("contact_phone", ""), _negated=True),
                    models.Q(("contact_phone_as_typed", ""), _negated=True),
                    _connector="OR",
                ),
                name="family_has_a_contact",
            ),
        ),
    ]
