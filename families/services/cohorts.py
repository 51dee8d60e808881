"""Cohorts, enrollment of seed families (one by one or from a file), new seeds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import User
from accounts.services import audit_record, snapshot
from families.models import (
    Cohort,
    EnrollmentConfirmation,
    Family,
    Group,
    HouseholdMember,
)
from families.services.accounts import issue_account_invitation
from mutuality import phones
from mutuality.errors import Conflict, InvalidInput, NotAllowed, validated

COHORT_FIELDS = ("name", "region", "started_on", "seed_limit")


@dataclass
class MemberInput:
    first_name: str
    birth_year: int | None = None
    relationship: str = HouseholdMember.Relationship.OTHER


@dataclass
class HouseholdInput:
    """What staff (or a CSV row) know about a seed household."""

    name: str
    household_size: int
    contact_email: str = ""
    contact_phone: str = ""
    members: list[MemberInput] = field(default_factory=list)
    culture: str = ""
    religion: str = ""
    language: str = ""


# Cohorts ----------------------------------------------------------------------------------------


def _liaisons_of(seat: policy.Seat, liaison_ids) -> list[User]:
    ids = {int(i) for i in liaison_ids or []}
    liaisons = list(
        User.objects.filter(
            pk__in=ids, memberships__partner=seat.partner, memberships__role=policy.LIAISON
        )
    )
    if len(liaisons) != len(ids):
        raise InvalidInput.for_field(
            "liaisons", _("Choose liaisons who work for %(partner)s.") % {"partner": seat.partner}
        )
    return liaisons


@transaction.atomic
def cohort_create(
    *,
    seat: policy.Seat,
    name: str,
    region: str = "",
    started_on: datetime.date,
    liaison_ids=(),
    seed_limit: int | None = None,
) -> Cohort:
    policy.require(seat, "cohort.manage")
    cohort = Cohort(
        partner=seat.partner,
        name=(name or "").strip(),
        region=(region or "").strip(),
        started_on=started_on,
        seed_limit=seed_limit or settings.COHORT_SEED_LIMIT,
    )
    validated(cohort, constraints=False)
    liaisons = _liaisons_of(seat, liaison_ids)
    if Cohort.objects.filter(partner=seat.partner, name__iexact=cohort.name).exists():
        raise Conflict(
            _("A cohort with this name already exists."),
            errors={"name": [_("A cohort with this name already exists.")]},
        )
    cohort.save()
    cohort.liaisons.set(liaisons)
    audit_record(
        actor=seat.user,
        verb="cohort.create",
        obj=cohort,
        partner=seat.partner,
        after={**snapshot(cohort, COHORT_FIELDS), "liaisons": sorted(u.pk for u in liaisons)},
    )
    return cohort


@transaction.atomic
def cohort_update(*, seat: policy.Seat, cohort: Cohort, liaison_ids=None, **changes) -> Cohort:
    policy.require(seat, "cohort.manage")
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk, partner=seat.partner)
    unknown = set(changes) - set(COHORT_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    before = {
        **snapshot(cohort, COHORT_FIELDS),
        "liaisons": sorted(cohort.liaisons.values_list("pk", flat=True)),
    }
    for name, value in changes.items():
        setattr(cohort, name, value.strip() if isinstance(value, str) else value)
    validated(cohort, constraints=False)
    seeds = Family.objects.filter(cohort=cohort, is_seed=True).count()
    if cohort.seed_limit < seeds:
        raise InvalidInput.for_field(
            "seed_limit",
            _("This cohort already has %(n)d seed families.") % {"n": seeds},
        )
    if (
        Cohort.objects.filter(partner=seat.partner, name__iexact=cohort.name)
        .exclude(pk=cohort.pk)
        .exists()
    ):
        raise Conflict(
            _("A cohort with this name already exists."),
            errors={"name": [_("A cohort with this name already exists.")]},
        )
    cohort.save()
    if liaison_ids is not None:
        cohort.liaisons.set(_liaisons_of(seat, liaison_ids))
    after = {
        **snapshot(cohort, COHORT_FIELDS),
        "liaisons": sorted(cohort.liaisons.values_list("pk", flat=True)),
    }
    audit_record(
        actor=seat.user,
        verb="cohort.update",
        obj=cohort,
        partner=seat.partner,
        before=before,
        after=after,
    )
    return cohort


def before_the_cohort(cohort: Cohort, day: datetime.date) -> str | None:
    """Why `day` cannot be the date of something that happened in the cohort, or None. Nothing
    of the families' time on the platform happened before their cohort began."""
    if day < cohort.started_on.replace(day=1):
        return _("This is before %(cohort)s began (%(start)s).") % {
            "cohort": cohort.name,
            "start": cohort.started_on.isoformat(),
        }
    return None


# Enrollment -------------------------------------------------------------------------------------


def clean_household(data: HouseholdInput, *, region: str | None) -> dict[str, list[str]]:
    """Field errors for one household, in the form's and the API's field names. A readable
    phone number is rewritten in E.164, read as a number of `region` (the partner's country)
    when typed without its country code."""
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("Give the household a name.")]
    if not (data.contact_email.strip() or data.contact_phone.strip()):
        errors["contact"] = [_("Give an email or a phone number.")]
    try:
        data.contact_phone = phones.to_e164(data.contact_phone, region)
    except phones.NotAPhoneNumber as refused:
        errors["contact_phone"] = [refused.message]
    if not isinstance(data.household_size, int) or not 1 <= data.household_size <= 50:
        errors["household_size"] = [_("A household has between 1 and 50 people.")]
    elif len(data.members) > data.household_size:
        errors["members"] = [_("More members are listed than people in the household.")]
    this_year = timezone.now().year
    for member in data.members:
        if not member.first_name.strip():
            errors.setdefault("members", []).append(_("Every member needs a first name."))
        if member.birth_year is not None and not 1900 <= member.birth_year <= this_year:
            errors.setdefault("members", []).append(
                _("%(year)s is not a possible birth year.") % {"year": member.birth_year}
            )
        if member.relationship not in HouseholdMember.Relationship.values:
            errors.setdefault("members", []).append(_("Choose a relationship from the list."))
    return errors


def create_household(
    *,
    partner,
    cohort: Cohort,
    group: Group | None,
    data: HouseholdInput,
    is_seed: bool,
    invited_by: Family | None,
    generation: int,
) -> Family:
    family = Family(
        partner=partner,
        cohort=cohort,
        group=group,
        name=data.name.strip(),
        is_seed=is_seed,
        invited_by=invited_by,
        generation=generation,
        household_size=data.household_size,
        contact_email=data.contact_email.strip().lower(),
        contact_phone=data.contact_phone.strip(),
        culture=data.culture.strip(),
        religion=data.religion.strip(),
        language=data.language.strip(),
    )
    validated(family)
    family.save()
    HouseholdMember.objects.bulk_create(
        HouseholdMember(
            partner=partner,
            family=family,
            first_name=m.first_name.strip(),
            birth_year=m.birth_year,
            relationship=m.relationship,
        )
        for m in data.members
    )
    return family


def household_contacts_taken(cohort: Cohort, households: list[HouseholdInput]) -> dict[int, dict]:
    """Field errors, by position in `households`, for each whose email or phone belongs to a
    household of the cohort already or to an earlier one of the list. Enrolling a household
    twice would pay it twice and count it twice."""
    emails: dict[str, str] = {}
    numbers: dict[str, str] = {}  # E.164, as clean_household wrote them
    for name, email, phone in Family.objects.filter(cohort=cohort).values_list(
        "name", "contact_email", "contact_phone"
    ):
        if email:
            emails.setdefault(email.lower(), name)
        if phone:
            numbers.setdefault(phone, name)
    taken: dict[int, dict] = {}
    for position, data in enumerate(households):
        email = data.contact_email.strip().lower()
        phone = data.contact_phone
        found = {}
        if email and email in emails:
            found["contact_email"] = [
                _("%(name)s of this cohort already has this email.") % {"name": emails[email]}
            ]
        if phone and phone in numbers:
            found["contact_phone"] = [
                _("%(name)s of this cohort already has this phone number.")
                % {"name": numbers[phone]}
            ]
        if found:
            taken[position] = found
        if email:
            emails.setdefault(email, data.name.strip())
        if phone:
            numbers.setdefault(phone, data.name.strip())
    return taken


def _lock_cohort(cohort: Cohort) -> Cohort:
    # Serializes enrollments into one cohort, so two staff at once cannot pass the seed limit.
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


def _seed_limit_error(cohort: Cohort) -> Conflict:
    return Conflict(
        _(
            "%(cohort)s already has its %(limit)d seed families. Friends join through their "
            "invitations; to grow further, make a friend family the seed of a new group."
        )
        % {"cohort": cohort.name, "limit": cohort.seed_limit}
    )


def group_name_for(household_name: str) -> str:
    """ "Rivera household" leads the "Rivera group"."""
    name = household_name.strip()
    for suffix in (" household", " family"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return _("%(name)s group") % {"name": name}


def _enroll_seed(seat: policy.Seat, cohort: Cohort, data: HouseholdInput) -> Family:
    group = Group.objects.create(
        partner=seat.partner, cohort=cohort, name=group_name_for(data.name)
    )
    family = create_household(
        partner=seat.partner,
        cohort=cohort,
        group=group,
        data=data,
        is_seed=True,
        invited_by=None,
        generation=0,
    )
    audit_record(
        actor=seat.user,
        verb="family.enroll",
        obj=family,
        partner=seat.partner,
        after={"cohort": cohort.pk, "name": family.name, "household_size": family.household_size},
    )
    if family.contact_email or family.contact_phone:
        # The household gets its sign-up link by email, or by SMS when it has only a phone
        # (staff can also make a link to share from the family's page).
        issue_account_invitation(family=family, actor=seat.user)
    return family


@transaction.atomic
def family_enroll_seed(*, seat: policy.Seat, cohort: Cohort, data: HouseholdInput) -> Family:
    policy.require(seat, "family.enroll")
    if not policy.can_view_cohort(seat, cohort):
        raise NotAllowed(_("You cannot enroll families in this cohort."))
    errors = clean_household(data, region=seat.partner.country)
    if errors:
        raise InvalidInput(_("Please correct the errors below."), errors=errors)
    cohort = _lock_cohort(cohort)
    if Family.objects.filter(cohort=cohort, is_seed=True).count() >= cohort.seed_limit:
        raise _seed_limit_error(cohort)
    taken = household_contacts_taken(cohort, [data])
    if taken:
        raise Conflict(_("This household may already be enrolled."), errors=taken[0])
    return _enroll_seed(seat, cohort, data)


@transaction.atomic
def families_enroll_seeds(
    *, seat: policy.Seat, cohort: Cohort, rows: list[HouseholdInput], confirmation: str
) -> list[Family]:
    """All rows or none (a bulk enrollment from a file). `confirmation` is the nonce of the
    preview staff confirmed: a confirmation enrolls its file once."""
    policy.require(seat, "family.enroll")
    if not policy.can_view_cohort(seat, cohort):
        raise NotAllowed(_("You cannot enroll families in this cohort."))
    if not rows:
        raise InvalidInput.for_field("file", _("The file has no households."))
    errors = {}
    for number, row in enumerate(rows, start=1):
        for name, messages in clean_household(row, region=seat.partner.country).items():
            errors[f"row {number}: {name}"] = messages
    if errors:
        raise InvalidInput(_("Some rows have errors; nothing was saved."), errors=errors)
    cohort = _lock_cohort(cohort)
    try:
        with transaction.atomic():
            EnrollmentConfirmation.objects.create(
                partner=seat.partner,
                cohort=cohort,
                nonce=confirmation,
                confirmed_by=seat.user,
                households=len(rows),
            )
    except IntegrityError:
        raise Conflict(_("This file was already enrolled. Nothing more was saved.")) from None
    for number, found in household_contacts_taken(cohort, rows).items():
        for name, messages in found.items():
            errors[f"row {number + 1}: {name}"] = messages
    if errors:
        raise Conflict(_("Some rows have errors; nothing was saved."), errors=errors)
    seeds = Family.objects.filter(cohort=cohort, is_seed=True).count()
    if seeds + len(rows) > cohort.seed_limit:
        raise Conflict(
            _(
                "%(cohort)s has room for %(room)d more seed families, and the file has %(n)d. "
                "Nothing was saved."
            )
            % {"cohort": cohort.name, "room": max(cohort.seed_limit - seeds, 0), "n": len(rows)}
        )
    return [_enroll_seed(seat, cohort, row) for row in rows]


@transaction.atomic
def family_promote_to_seed(
    *, seat: policy.Seat, family: Family, cohort: Cohort, group_name: str = ""
) -> Family:
    """A friend family becomes the seed of a new group, in its cohort or another one."""
    policy.require(seat, "family.promote")
    if cohort.partner_id != seat.partner.pk or not policy.can_view_cohort(seat, cohort):
        raise NotAllowed(_("You cannot move families into this cohort."))
    family = Family.objects.select_for_update().get(pk=family.pk, partner=seat.partner)
    if family.is_seed:
        raise Conflict(_("%(name)s is already a seed family.") % {"name": family.name})
    cohort = _lock_cohort(cohort)
    if Family.objects.filter(cohort=cohort, is_seed=True).count() >= cohort.seed_limit:
        raise _seed_limit_error(cohort)
    before = {"cohort": family.cohort_id, "group": family.group_id, "is_seed": False}
    group = Group.objects.create(
        partner=seat.partner,
        cohort=cohort,
        name=(group_name or "").strip() or group_name_for(family.name),
    )
    family.cohort = cohort
    family.group = group
    family.is_seed = True
    family.save(update_fields=["cohort", "group", "is_seed"])
    audit_record(
        actor=seat.user,
        verb="family.promote",
        obj=family,
        partner=seat.partner,
        before=before,
        after={"cohort": cohort.pk, "group": group.pk, "is_seed": True},
    )
    return family
