"""Forms for the partner staff's pages: cohorts, enrollment (one by one or from a file), new
seeds and group meetings. They parse and type the input; the services decide."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import policy
from accounts.models import User
from families.models import Family, HouseholdMember
from families.services import HouseholdInput, MemberInput
from families.services.cohorts import clean_household
from mutuality.forms import WholeNumberField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# Cohorts ----------------------------------------------------------------------------------------


class CohortForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    region = forms.CharField(
        label=gettext_lazy("Region"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("The area where the demonstration happens."),
    )
    started_on = forms.DateField(label=gettext_lazy("Start date"), widget=DateInput())
    liaisons = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Liaisons"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    seed_limit = WholeNumberField(
        label=gettext_lazy("Seed families at most"),
        min_value=1,
        max_value=100,
        help_text=gettext_lazy(
            "Friends join through the seeds' invitations and do not count here."
        ),
    )

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["liaisons"].queryset = (
            User.objects.filter(memberships__partner=partner, memberships__role=policy.LIAISON)
            .distinct()
            .order_by("name", "email")
        )
        self.fields["liaisons"].label_from_instance = lambda user: user.name or user.email
        self.fields["seed_limit"].initial = settings.COHORT_SEED_LIMIT

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "region": data["region"],
            "started_on": data["started_on"],
            "seed_limit": data["seed_limit"],
            "liaison_ids": [user.pk for user in data["liaisons"]],
        }


# Enrolling one seed household -------------------------------------------------------------------

AGGREGATE_ONLY = gettext_lazy(
    "Self-described by the family; only ever shown in aggregate, as counts."
)


def contact_email_field() -> forms.EmailField:
    return forms.EmailField(
        label=gettext_lazy("Email"),
        max_length=254,
        required=False,
        help_text=gettext_lazy("An email or a phone number: at least one of the two."),
    )


def contact_phone_field() -> forms.CharField:
    # Read by the service (`mutuality.phones`), which knows the partner's country.
    return forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=gettext_lazy(
            "Without the country code, the number is read as one of the partner's country."
        ),
    )


class FamilyContactForm(forms.Form):
    """What staff write as a family's contact."""

    contact_email = contact_email_field()
    contact_phone = contact_phone_field()


class HouseholdForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Household name"), max_length=200)
    contact_email = contact_email_field()
    contact_phone = contact_phone_field()
    household_size = WholeNumberField(
        label=gettext_lazy("People in the household"), min_value=1, max_value=50
    )
    culture = forms.CharField(
        label=gettext_lazy("Culture (optional)"),
        max_length=100,
        required=False,
        help_text=AGGREGATE_ONLY,
    )
    religion = forms.CharField(
        label=gettext_lazy("Religion (optional)"),
        max_length=100,
        required=False,
        help_text=AGGREGATE_ONLY,
    )
    language = forms.CharField(
        label=gettext_lazy("Language (optional)"),
        max_length=100,
        required=False,
        help_text=AGGREGATE_ONLY,
    )

    # Service error keys -> this form's fields.
    error_fields = {"contact": "contact_email"}


class MemberForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=100, required=False)
    birth_year = WholeNumberField(
        label=gettext_lazy("Birth year"), min_value=1900, max_value=2100, required=False
    )
    relationship = forms.ChoiceField(
        label=gettext_lazy("Relationship"),
        choices=HouseholdMember.Relationship.choices,
        initial=HouseholdMember.Relationship.OTHER,
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("first_name") or "").strip() and data.get("birth_year") is None


class BaseMemberFormSet(forms.BaseFormSet):
    def members(self) -> list[MemberInput]:
        return [
            MemberInput(
                first_name=form.cleaned_data.get("first_name", ""),
                birth_year=form.cleaned_data.get("birth_year"),
                relationship=form.cleaned_data.get(
                    "relationship", HouseholdMember.Relationship.OTHER
                ),
            )
            for form in self.forms
            if form.has_changed() and not form.is_blank()
        ]

    def add_error(self, message: str) -> None:
        """A service's error about the members as a whole."""
        self.non_form_errors().append(message)


MemberFormSet = forms.formset_factory(
    MemberForm, formset=BaseMemberFormSet, extra=4, max_num=50, validate_max=True
)


def household_input(form: HouseholdForm, formset: BaseMemberFormSet) -> HouseholdInput:
    data = form.cleaned_data
    return HouseholdInput(
        name=data["name"],
        household_size=data["household_size"],
        contact_email=data["contact_email"],
        contact_phone=data["contact_phone"],
        members=formset.members(),
        culture=data["culture"],
        religion=data["religion"],
        language=data["language"],
    )


# Enrolling seeds from a file --------------------------------------------------------------------

CSV_COLUMNS = (
    "household_name",
    "contact_email",
    "contact_phone",
    "household_size",
    "members",
    "culture",
    "religion",
    "language",
)
CSV_REQUIRED_COLUMNS = ("household_name", "household_size")
CSV_MAX_BYTES = 1024 * 1024
CSV_MAX_ROWS = 500

# The service's field names -> the file's columns, to say where a row's problem is.
_SERVICE_TO_COLUMN = {
    "name": "household_name",
    "contact": "contact_email",
    "household_size": "household_size",
    "members": "members",
}


@dataclass
class CsvRow:
    number: int  # the line in the file, counting the header as line 1
    cells: dict[str, str]
    data: HouseholdInput
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def error_messages(self) -> list[str]:
        return [f"{column}: {message}" for column, ms in self.errors.items() for message in ms]


class CsvFileError(Exception):
    """The file as a whole cannot be read; nothing in it is looked at further."""


def _max_length(model_field: str) -> int:
    return Family._meta.get_field(model_field).max_length


def _parse_members(text: str, errors: dict[str, list[str]]) -> list[MemberInput]:
    members = []
    relationships = HouseholdMember.Relationship.values
    for chunk in (part.strip() for part in text.split(";")):
        if not chunk:
            continue
        parts = [p.strip() for p in chunk.split("|")]
        if len(parts) > 3:
            errors.setdefault("members", []).append(
                _("“%(member)s” has more than a name, a birth year and a relationship.")
                % {"member": chunk}
            )
            continue
        first_name = parts[0]
        year_text = parts[1] if len(parts) > 1 else ""
        relationship = (parts[2] if len(parts) > 2 else "").lower()
        birth_year = None
        if year_text:
            try:
                birth_year = int(year_text)
            except ValueError:
                errors.setdefault("members", []).append(
                    _("“%(year)s” is not a birth year.") % {"year": year_text}
                )
                continue
        if len(first_name) > HouseholdMember._meta.get_field("first_name").max_length:
            errors.setdefault("members", []).append(_("A first name is too long."))
            continue
        if relationship and relationship not in relationships:
            errors.setdefault("members", []).append(
                _("“%(value)s” is not a relationship; use one of: %(choices)s.")
                % {"value": relationship, "choices": ", ".join(relationships)}
            )
            continue
        members.append(
            MemberInput(
                first_name=first_name,
                birth_year=birth_year,
                relationship=relationship or HouseholdMember.Relationship.OTHER,
            )
        )
    return members


def _parse_row(number: int, cells: dict[str, str], region: str | None) -> CsvRow:
    errors: dict[str, list[str]] = {}
    for column, model_field in (
        ("household_name", "name"),
        ("contact_phone", "contact_phone"),
        ("culture", "culture"),
        ("religion", "religion"),
        ("language", "language"),
    ):
        limit = _max_length(model_field)
        if len(cells[column]) > limit:
            errors[column] = [_("At most %(n)d characters.") % {"n": limit}]
    if cells["contact_email"]:
        try:
            validate_email(cells["contact_email"])
        except ValidationError:
            errors["contact_email"] = [_("Enter a valid email address.")]
    size = None
    try:
        size = int(cells["household_size"])
    except ValueError:
        errors["household_size"] = [_("Give the number of people in the household.")]
    member_errors: dict[str, list[str]] = {}
    members = _parse_members(cells["members"], member_errors)
    data = HouseholdInput(
        name=cells["household_name"],
        household_size=size if size is not None else 0,
        contact_email=cells["contact_email"],
        contact_phone=cells["contact_phone"],
        members=members,
        culture=cells["culture"],
        religion=cells["religion"],
        language=cells["language"],
    )
    for service_field, messages in clean_household(data, region=region).items():
        column = _SERVICE_TO_COLUMN.get(service_field, service_field)
        if column in errors:
            continue  # the parser already said what is wrong there
        errors.setdefault(column, []).extend(messages)
    for column, messages in member_errors.items():
        errors.setdefault(column, []).extend(messages)
    return CsvRow(number=number, cells=cells, data=data, errors=errors)


def parse_enrollment_csv(raw: bytes, *, region: str | None) -> list[CsvRow]:
    """Every row of an enrollment file with its problems; raises CsvFileError when the file
    itself cannot be read. Phone numbers without a country code are of `region`."""
    if len(raw) > CSV_MAX_BYTES:
        raise CsvFileError(_("The file is larger than 1 MB."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvFileError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
        ) from None
    if "\x00" in text:
        raise CsvFileError(_("The file is not a CSV file."))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        lines = list(reader)
    except csv.Error:
        raise CsvFileError(_("The file is not a CSV file.")) from None
    lines = [line for line in lines if any(cell.strip() for cell in line)]
    if not lines:
        raise CsvFileError(_("The file is empty."))
    header = [cell.strip().lower() for cell in lines[0]]
    unknown = [column for column in header if column not in CSV_COLUMNS]
    if unknown:
        raise CsvFileError(
            _("Unknown columns: %(unknown)s. The columns are: %(columns)s.")
            % {"unknown": ", ".join(unknown), "columns": ", ".join(CSV_COLUMNS)}
        )
    missing = [column for column in CSV_REQUIRED_COLUMNS if column not in header]
    if "contact_email" not in header and "contact_phone" not in header:
        missing.append("contact_email / contact_phone")
    if missing:
        raise CsvFileError(_("Missing columns: %(missing)s.") % {"missing": ", ".join(missing)})
    if len(set(header)) != len(header):
        raise CsvFileError(_("A column appears twice in the header."))
    body = lines[1:]
    if not body:
        raise CsvFileError(_("The file has no households."))
    if len(body) > CSV_MAX_ROWS:
        raise CsvFileError(
            _("The file has %(n)d households; at most %(max)d at a time.")
            % {"n": len(body), "max": CSV_MAX_ROWS}
        )
    rows = []
    for number, line in enumerate(body, start=2):
        cells = {column: "" for column in CSV_COLUMNS}
        for column, value in zip(header, line, strict=False):
            cells[column] = value.strip()
        row = _parse_row(number, cells, region)
        if len(line) > len(header):
            row.errors.setdefault("file", []).append(
                _("This row has more cells than the header has columns.")
            )
        rows.append(row)
    return rows


def rows_to_payload(rows: list[CsvRow]) -> list[dict]:
    return [asdict(row.data) for row in rows]


def rows_from_payload(items: list[dict]) -> list[HouseholdInput]:
    return [
        HouseholdInput(
            **{
                **item,
                "members": [MemberInput(**member) for member in item.get("members", [])],
            }
        )
        for item in items
    ]


class EnrollmentFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("UTF-8 CSV, at most 1 MB and 500 households."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise ValidationError(_("The file is larger than 1 MB."))
        return upload


# New seeds and meetings -------------------------------------------------------------------------


class PromoteForm(forms.Form):
    cohort = forms.ModelChoiceField(label=gettext_lazy("Cohort"), queryset=None, empty_label=None)
    group_name = forms.CharField(
        label=gettext_lazy("Name of the new group"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Leave it empty to name the group after the household."),
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts


class GroupMeetingForm(forms.Form):
    groups = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Groups that met"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Choose at least two groups."),
    )
    met_on = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups
        self.fields["met_on"].initial = timezone.localdate()
