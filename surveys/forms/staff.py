"""Forms for liaisons' and staff's survey pages: the queue's filters, verifying or asking for a
correction, marking payments and adding a question to the survey. They parse and type the
input; the services decide.

No form here has a field for advice: a liaison checks, and says what needs correcting."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from mutuality.errors import InvalidInput
from mutuality.forms import AmountField
from surveys import services
from surveys.models import Question, Review, Stipend, SurveyResponse
from surveys.services.payments import OUTCOMES

# The queue lists surveys in these states (drafts are the family's own business).
QUEUE_STATES = (
    SurveyResponse.State.SUBMITTED,
    SurveyResponse.State.RESUBMITTED,
    SurveyResponse.State.NEEDS_CORRECTION,
    SurveyResponse.State.VERIFIED,
)


class MonthInput(forms.TextInput):
    """A month picker where the browser has one (it sends YYYY-MM); a text box elsewhere."""

    input_type = "month"


class QueueFilterForm(forms.Form):
    """`?cohort=&period=YYYY-MM&state=`: every field optional; blank state means waiting."""

    cohort = forms.TypedChoiceField(label=gettext_lazy("Cohort"), required=False, coerce=int)
    period = forms.CharField(
        label=gettext_lazy("Month"),
        required=False,
        max_length=7,
        help_text=gettext_lazy("As YYYY-MM, like 2026-10."),
        widget=MonthInput(attrs={"placeholder": "2026-10"}),
    )
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [("", _("All your cohorts"))] + [
            (cohort.pk, cohort.name) for cohort in cohorts
        ]
        labels = dict(SurveyResponse.State.choices)
        self.fields["state"].choices = [("", _("Waiting: sent or corrected"))] + [
            (state.value, labels[state.value]) for state in QUEUE_STATES
        ]

    def clean_period(self):
        value = self.cleaned_data["period"].strip()
        if not value:
            return None
        try:
            return services.parse_period(value)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from None

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "cohort_id": data.get("cohort") or None,
            "period": data.get("period"),
            "state": data.get("state") or None,
        }


class VerifyForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="verify")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "verify_%s")  # two forms on one page: distinct ids
        super().__init__(*args, **kwargs)

    evidence = forms.CharField(
        label=gettext_lazy("What did you check?"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Optional. For example: pay stub seen, bank book seen."),
    )


class CorrectionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="correct")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "correction_%s")
        super().__init__(*args, **kwargs)

    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=Review.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the reason for the correction.")},
    )
    note = forms.CharField(
        label=gettext_lazy("What needs correcting"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy(
            "Name the answer and what is missing or unclear. Needed for “Other”."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StipendMarkForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=())
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Optional, e.g. the transfer reference or why it failed."),
    )
    # Canceling cannot be undone: the page asks first, and the answer comes back here.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Stipend.Status.choices)
        self.fields["status"].choices = [(status.value, labels[status]) for status in OUTCOMES]

    @property
    def needs_confirmation(self) -> bool:
        return self.cleaned_data.get(
            "status"
        ) == Stipend.Status.CANCELED and not self.cleaned_data.get("confirm")


class PaymentFilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *Stipend.Status.choices]


class BatchForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the batch"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Optional, e.g. November payments. Today's date if left empty."),
    )


CHOICE_TYPES = {Question.Type.CHOICE, Question.Type.MULTI_CHOICE}
NUMBER_TYPES = {Question.Type.NUMBER, Question.Type.MONEY}
CHOICE_VALUE = re.compile(r"^[a-z0-9][a-z0-9_/-]*$")


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


class QuestionForm(forms.Form):
    """One more question: a label (and optional help text) in each of the partner's languages."""

    key = forms.CharField(
        label=gettext_lazy("Key"),
        max_length=60,
        help_text=gettext_lazy(
            "The stable name of the answer in exports and the API: lowercase letters, digits "
            "and underscores, like water_access."
        ),
    )
    type = forms.ChoiceField(label=gettext_lazy("Type of answer"), choices=Question.Type.choices)
    required = forms.BooleanField(label=gettext_lazy("Families must answer it"), required=False)
    choices = forms.CharField(
        label=gettext_lazy("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "For choice questions only: one per line as value|label, like piped|Piped water. "
            "Add a label per language after more bars, in the order of the labels above."
        ),
    )
    min_value = AmountField(
        label=gettext_lazy("Smallest answer"),
        required=False,
        max_digits=14,
        hint=False,
        help_text=gettext_lazy("For numbers only."),
    )
    max_value = AmountField(
        label=gettext_lazy("Largest answer"),
        required=False,
        max_digits=14,
        hint=False,
        help_text=gettext_lazy("For numbers only."),
    )

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = list(languages)
        fields = {}
        for code in self.languages:
            name = _language_name(code)
            fields[f"label_{code}"] = forms.CharField(
                label=_("The question in %(language)s") % {"language": name},
                max_length=300,
                error_messages={
                    "required": _("Write the question in %(language)s.") % {"language": name}
                },
            )
        for code in self.languages:
            name = _language_name(code)
            fields[f"help_{code}"] = forms.CharField(
                label=_("Help text in %(language)s") % {"language": name},
                max_length=500,
                required=False,
            )
        # Labels and help texts come right after the type and before the choices.
        ordered = {}
        for name, field in self.fields.items():
            ordered[name] = field
            if name == "required":
                ordered.update(fields)
        self.fields = ordered

    def clean_key(self):
        return self.cleaned_data["key"].strip().lower()

    def _parse_choices(self, text: str) -> list[dict]:
        choices, seen = [], set()
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            parts = [part.strip() for part in line.split("|")]
            value, labels = parts[0].lower(), [p for p in parts[1:] if p]
            if not CHOICE_VALUE.match(value) or not labels:
                raise forms.ValidationError(
                    _("Line %(n)d: write value|label, like piped|Piped water.") % {"n": number}
                )
            if value in seen:
                raise forms.ValidationError(
                    _("Line %(n)d: the value %(value)s is there twice.")
                    % {"n": number, "value": value}
                )
            seen.add(value)
            choices.append(
                {"value": value, "labels": dict(zip(self.languages, labels, strict=False))}
            )
        return choices

    def clean(self):
        data = super().clean()
        kind = data.get("type")
        if kind in CHOICE_TYPES:
            try:
                data["choices"] = self._parse_choices(data.get("choices") or "")
            except forms.ValidationError as exc:
                self.add_error("choices", exc)
            else:
                if not data["choices"]:
                    self.add_error("choices", _("Give the choices, one per line."))
        else:
            data["choices"] = []
        if kind not in NUMBER_TYPES:
            data["min_value"] = data["max_value"] = None
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("The largest answer must be at least the smallest."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "key": data["key"],
            "type": data["type"],
            "required": data["required"],
            "labels": {code: data[f"label_{code}"] for code in self.languages},
            "help_texts": {
                code: data[f"help_{code}"].strip()
                for code in self.languages
                if data.get(f"help_{code}", "").strip()
            },
            "choices": data["choices"],
            "min_value": data["min_value"],
            "max_value": data["max_value"],
        }


class SmsQuestionsForm(forms.Form):
    """Which questions make the short survey asked by text message and USSD. Every question is
    offered; the service refuses those a keypad cannot answer, with the reason."""

    sms_questions = forms.MultipleChoiceField(
        label=gettext_lazy("Asked by text message and USSD"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "At most 10 questions answered with an amount, a number, yes or no, or one choice. "
            "Families without a smartphone answer these, one text message each."
        ),
    )

    def __init__(self, *args, template, **kwargs):
        super().__init__(*args, **kwargs)
        questions = list(template.questions.all())
        self.fields["sms_questions"].choices = [
            (q.key, f"{q.label} ({q.get_type_display()})") for q in questions
        ]
        if not self.is_bound:
            self.initial["sms_questions"] = [q.key for q in questions if q.in_sms_survey]
