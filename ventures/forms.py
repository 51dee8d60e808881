"""Forms for the families' venture pages and the funders' pages.

They only shape input (types, choices, the rows of a plan); whether an amount, a date or a
co-owner is acceptable is decided by `ventures.services`, whose errors come back next to the
field they name (budget lines and milestones on top of their rows).
"""

from __future__ import annotations

import datetime

from babel.numbers import format_decimal
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.forms.family import PhotoField
from families.models import Family
from mutuality.forms import AmountField, WholeNumberField, page_locale
from ventures.models import BudgetLine, FundingAsk, Venture

MAX_PLAN_ROWS = 50


def _money(label, **kwargs):
    # Typed the family's way; no range here: the service answers "above zero" or "zero or
    # more" in the user's words.
    return AmountField(label=label, max_digits=14, **kwargs)


def _date(label, **kwargs):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


def _with_currency(label, currency: str) -> str:
    return _("%(label)s (%(currency)s)") % {"label": label, "currency": currency}


# A venture and its plan -------------------------------------------------------------------------


class CoOwnerField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj.name)


class VentureForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the venture"),
        max_length=200,
        help_text=_("Like “Tamales on Saturdays” or “The corner shop”."),
    )
    kind = forms.ChoiceField(
        label=_("Is it new?"),
        choices=Venture.Kind.choices,
        initial=Venture.Kind.NEW,
        widget=forms.RadioSelect,
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Venture.Sector.choices)
    description = forms.CharField(
        label=_("What it is"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you make or sell, to whom, and how."),
    )
    location = forms.CharField(label=_("Where (optional)"), max_length=200, required=False)
    started_on = _date(_("Start date (optional)"), required=False)
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Venture.Visibility.choices,
        initial=Venture.Visibility.GROUP,
        widget=forms.RadioSelect,
    )
    co_owners = CoOwnerField(
        label=_("Families of your group who own it with you (optional)"),
        queryset=Family.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose them for a collective venture; leave empty if it is your family's."),
    )

    def __init__(self, *args, co_owner_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if co_owner_choices is None or not co_owner_choices.exists():
            del self.fields["co_owners"]
        else:
            self.fields["co_owners"].queryset = co_owner_choices


class PlanForm(forms.Form):
    expected_monthly_revenue = _money(
        _("Expected revenue per month"),
        required=False,
        help_text=_("What you expect to sell in a usual month, once it runs. Zero is fine."),
    )

    def __init__(self, *args, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if currency:
            field = self.fields["expected_monthly_revenue"]
            field.label = _with_currency(field.label, currency)


class _RowForm(forms.Form):
    """A row of a plan: empty rows are skipped, half-filled rows are refused."""

    row_fields: tuple[str, str] = ("", "")

    def clean(self):
        data = super().clean()
        first, second = self.row_fields
        has_first = data.get(first) not in (None, "")
        has_second = data.get(second) not in (None, "")
        if has_first and not has_second and second not in self.errors:
            self.add_error(second, _("Fill this in too, or empty the row."))
        if has_second and not has_first and first not in self.errors:
            self.add_error(first, _("Fill this in too, or empty the row."))
        return data

    def row(self):
        data = getattr(self, "cleaned_data", {}) or {}
        first, second = self.row_fields
        if data.get(first) in (None, "") and data.get(second) in (None, ""):
            return None
        return (data.get(first), data.get(second))


class BudgetLineForm(_RowForm):
    item = forms.CharField(label=_("Item"), max_length=200, required=False)
    amount = _money(_("Amount"), required=False)
    row_fields = ("item", "amount")


class MilestoneForm(_RowForm):
    what = forms.CharField(label=_("What"), max_length=300, required=False)
    due_on = _date(_("By when"), required=False)
    row_fields = ("what", "due_on")


BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm, extra=3, max_num=MAX_PLAN_ROWS, validate_max=True
)
MilestoneFormSet = forms.formset_factory(
    MilestoneForm, extra=2, max_num=MAX_PLAN_ROWS, validate_max=True
)


def formset_rows(formset) -> list[tuple]:
    return [row for row in (form.row() for form in formset) if row is not None]


# Monthly updates --------------------------------------------------------------------------------


class VentureUpdateForm(forms.Form):
    period = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"}),
        help_text=_("Year and month, like 2026-10."),
    )
    revenue = _money(_("Revenue"), help_text=_("What the venture sold this month."))
    costs = _money(_("Costs"), help_text=_("What you spent on it this month."))
    household_jobs = WholeNumberField(
        label=_("Household members working in it"), initial=0, widget=forms.NumberInput
    )
    other_jobs = WholeNumberField(
        label=_("Other people employed"), initial=0, widget=forms.NumberInput
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = PhotoField(label=_("Photo"))

    def __init__(self, *args, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if currency:
            for name in ("revenue", "costs"):
                self.fields[name].label = _with_currency(self.fields[name].label, currency)


# Funding asks -----------------------------------------------------------------------------------


class BudgetLineChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, currency: str = "", **kwargs):
        self.currency = currency
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        amount = format_decimal(obj.amount, format="#,##0.00", locale=page_locale())
        return f"{obj.item}: {amount} {self.currency}".strip()


class AskForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you asking for?"),
        choices=FundingAsk.Kind.choices,
        initial=FundingAsk.Kind.DONATION,
        widget=forms.RadioSelect,
    )
    amount = _money(_("Amount"))
    purpose = forms.CharField(
        label=_("What it is for"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In your words: what the money buys and what changes with it."),
    )
    budget_lines = BudgetLineChoiceField(
        label=_("Budget lines it pays for (optional)"),
        queryset=BudgetLine.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = _date(_("Deadline"), help_text=_("After this day the ask closes by itself."))
    friends_first_days = WholeNumberField(
        label=_("Days for friends first"),
        required=False,
        widget=forms.NumberInput(attrs={"min": "0", "max": "60"}),
        help_text=_(
            "For these days only your group and your cohort see the ask; then funders see it "
            "too. 0 shows it to funders at once."
        ),
    )
    repayment_months = WholeNumberField(
        label=_("For a loan: over how many months you would repay"),
        required=False,
        widget=forms.NumberInput(attrs={"min": "1", "max": "60"}),
        help_text=_("Zero-interest loans are repaid in equal monthly instalments."),
    )

    def __init__(self, *args, budget_lines=None, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if currency:
            self.fields["amount"].label = _with_currency(self.fields["amount"].label, currency)
        field = self.fields["budget_lines"]
        field.currency = currency
        if budget_lines is None:
            del self.fields["budget_lines"]
        else:
            field.queryset = budget_lines
        self.fields["deadline"].initial = lambda: timezone.localdate() + datetime.timedelta(days=30)


class ConfirmForm(forms.Form):
    """A button that asks first: the page explains, the POST does it."""


class MilestoneDoneForm(forms.Form):
    done = forms.BooleanField(label=_("Done"), required=False)


# Funders ----------------------------------------------------------------------------------------


class PledgeForm(forms.Form):
    amount = _money(_("Amount"))

    def __init__(self, *args, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if currency:
            self.fields["amount"].label = _with_currency(_("Your pledge"), currency)


class AskFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Any")), *Venture.Sector.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *FundingAsk.Kind.choices]
    )
    min_amount = AmountField(
        label=_("Amount from"), required=False, min_value=0, max_digits=14, hint=False
    )
    max_amount = AmountField(
        label=_("Amount up to"), required=False, min_value=0, max_digits=14, hint=False
    )

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any")), *((c, c) for c in countries)]

    def clean(self):
        data = super().clean()
        low, high = data.get("min_amount"), data.get("max_amount")
        if low is not None and high is not None and low > high:
            self.add_error("max_amount", _("Enter an amount above the lower one."))
        return data

    def filters(self) -> dict:
        """The valid filters only: a bad one is reported and left out."""
        data = getattr(self, "cleaned_data", {}) or {}
        return {
            "country": data.get("country") or "",
            "sector": data.get("sector") or "",
            "kind": data.get("kind") or "",
            "min_amount": data.get("min_amount") if "min_amount" not in self.errors else None,
            "max_amount": data.get("max_amount") if "max_amount" not in self.errors else None,
        }
