"""Forms for staff's and liaisons' venture pages and the platform admins' rate table. They parse
and type the input; the services decide.

No form here has a field of a venture or an ask: staff check asks (approve, or decline with a
reason) and record money movements; only the family plans and asks."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutuality.forms import AmountField, page_locale
from mutuality.numbers import format_for_input
from ventures.models import FundingAsk, Pledge

# The list's ask states: drafts are the family's own business.
LISTED_STATES = [state for state in FundingAsk.State if state != FundingAsk.State.DRAFT]

# What staff record about a pledge's money, in the order it happens.
PLEDGE_OUTCOMES = (Pledge.Status.RECEIVED, Pledge.Status.FULFILLED, Pledge.Status.FELL_THROUGH)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VentureFilterForm(forms.Form):
    """`?cohort=&state=`: both optional."""

    cohort = forms.TypedChoiceField(label=gettext_lazy("Cohort"), required=False, coerce=int)
    state = forms.ChoiceField(label=gettext_lazy("Ask state"), required=False)

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [("", _("All your cohorts"))] + [
            (cohort.pk, cohort.name) for cohort in cohorts
        ]
        self.fields["state"].choices = [("", _("Any, or no ask yet"))] + [
            (state.value, state.label) for state in LISTED_STATES
        ]


class ConfirmForm(forms.Form):
    """What cannot be undone is asked first: the confirmation page sends `confirm` back."""

    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    @property
    def confirmed(self) -> bool:
        return bool(self.cleaned_data.get("confirm"))


class ApproveForm(ConfirmForm):
    action = forms.CharField(widget=forms.HiddenInput, initial="approve")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "approve_%s")  # several forms on one page: distinct ids
        super().__init__(*args, **kwargs)


class DeclineForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="decline")
    reason = forms.CharField(
        label=gettext_lazy("Why it cannot be published as it is"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "The family sees this reason, changes its ask if it wants to, and sends it again."
        ),
        error_messages={"required": gettext_lazy("Say why, so the family can change it.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "decline_%s")
        super().__init__(*args, **kwargs)


class ScheduleForm(ConfirmForm):
    action = forms.CharField(widget=forms.HiddenInput, initial="schedule")
    first_due_on = forms.DateField(
        label=gettext_lazy("First instalment due on"),
        widget=DateInput(),
        help_text=gettext_lazy("The following instalments fall due on the same day of each month."),
        error_messages={"required": gettext_lazy("Choose the date of the first instalment.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "schedule_%s")
        super().__init__(*args, **kwargs)


class PledgeMarkForm(ConfirmForm):
    status = forms.ChoiceField(
        label=gettext_lazy("What happened"),
        choices=(),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose what happened to this pledge.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Pledge.Status.choices)
        self.fields["status"].choices = [
            (status.value, labels[status]) for status in PLEDGE_OUTCOMES
        ]


class RepaymentForm(ConfirmForm):
    amount = AmountField(
        label=gettext_lazy("Amount paid"),
        max_digits=14,
        error_messages={"required": gettext_lazy("Enter the amount paid.")},
    )
    paid_on = forms.DateField(
        label=gettext_lazy("Paid on"),
        widget=DateInput(),
        error_messages={"required": gettext_lazy("Choose the day it was paid.")},
    )

    def __init__(self, *args, repayment=None, **kwargs):
        if repayment is not None:
            kwargs.setdefault("auto_id", f"repayment_{repayment.pk}_%s")
            kwargs.setdefault(
                "initial",
                {
                    "amount": repayment.amount_due - repayment.amount_paid,
                    "paid_on": timezone.localdate(),
                },
            )
        super().__init__(*args, **kwargs)


class ExchangeRateForm(forms.Form):
    currency = forms.CharField(
        label=gettext_lazy("Currency"),
        max_length=3,
        min_length=3,
        help_text=gettext_lazy("The three-letter ISO 4217 code, like MXN."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    # The service rounds the rate to eight decimals.
    usd_per_unit = AmountField(label=gettext_lazy("US dollars per unit"), decimal_places=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        example = format_for_input(Decimal("0.058"), page_locale(), decimal_places=None)
        self.fields["usd_per_unit"].help_text = _(
            "Approximate, e.g. %(example)s for one Mexican peso. Funders see estimates only."
        ) % {"example": example}
