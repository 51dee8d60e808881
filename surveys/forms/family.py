"""Forms for the families' survey and story pages.

The survey form is built from the version's questions; it only shapes input, reading amounts and
numbers the way the family writes them (`mutuality.forms.AmountField`). Whether an answer
is acceptable (amounts, numbers, required questions) is decided by the survey services, whose
errors, keyed `answers.<key>`, come back next to each question (`SurveyForm.error_aliases`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from families.forms.family import PhotoField
from mutuality.forms import AmountField, WholeNumberField
from mutuality.numbers import NotANumber, to_decimal
from surveys.models import Question, Story, SurveyTemplate
from surveys.services.stories import MAX_PHOTOS

# Headings of the default survey's sections; a partner's own questions come under "partner".
SECTION_TITLES = {
    "income": _("Income this month"),
    "savings": _("Savings and debt"),
    "work": _("Work and school"),
    "health": _("Health and housing"),
    "help": _("Help given and received"),
    "future": _("Looking ahead"),
    "practices": _("What your household did"),
    "notes": _("Anything else"),
    "partner": _("More questions from your organization"),
}
OTHER_SECTION = _("Other questions")

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def section_title(section: str) -> str:
    return SECTION_TITLES.get(section, OTHER_SECTION)


def answer_as_input(question: Question, value):
    """A stored answer as the form shows it."""
    if value is None:
        return None
    if question.type == Question.Type.YES_NO:
        return "yes" if value else "no"
    if question.type == Question.Type.MULTI_CHOICE:
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    if question.type == Question.Type.MONEY:
        try:
            return to_decimal(value)  # the field writes it the family's way
        except NotANumber:
            return str(value)
    return str(value)


@dataclass
class Section:
    key: str
    title: str
    items: list  # [(bound field, question)]


class SurveyForm(forms.Form):
    """One field per question of the version, named by the question's key.

    No field is required here: a draft may be partial. Questions the survey marks required are
    flagged for the page, and the service refuses to send a survey without them."""

    def __init__(
        self,
        *args,
        template: SurveyTemplate,
        currency: str,
        practices: list[tuple[str, str]],
        answers: dict | None = None,
        **kwargs,
    ):
        self.questions = {q.key: q for q in template.questions.all()}
        answers = answers or {}
        kwargs.setdefault(
            "initial",
            {
                key: answer_as_input(question, answers.get(key))
                for key, question in self.questions.items()
                if answers.get(key) is not None
            },
        )
        super().__init__(*args, **kwargs)
        for key, question in self.questions.items():
            self.fields[key] = self._field(question, currency=currency, practices=practices)
        self.error_aliases = {f"answers.{key}": key for key in self.questions}

    @staticmethod
    def _field(question: Question, *, currency: str, practices) -> forms.Field:
        label = question.label
        help_text = question.help_text
        kind = question.type
        describe = {"aria-required": "true"} if question.required else {}
        if kind == Question.Type.MONEY:
            # Typed the family's way; the service keeps the checks (ceiling, zero or more).
            return AmountField(
                label=_("%(label)s (%(currency)s)") % {"label": label, "currency": currency},
                required=False,
                help_text=help_text,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", **describe}
                ),
            )
        if kind == Question.Type.NUMBER:
            return WholeNumberField(
                label=label,
                required=False,
                help_text=help_text,
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "autocomplete": "off", **describe}
                ),
            )
        if kind == Question.Type.CHOICE:
            return forms.ChoiceField(
                label=label,
                required=False,
                help_text=help_text,
                choices=[(c["value"], question.choice_label(c["value"])) for c in question.choices],
                widget=forms.RadioSelect,
            )
        if kind == Question.Type.MULTI_CHOICE:
            choices = (
                practices
                if question.key == "practices"
                else [(c["value"], question.choice_label(c["value"])) for c in question.choices]
            )
            return forms.MultipleChoiceField(
                label=label,
                required=False,
                help_text=help_text,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
            )
        if kind == Question.Type.YES_NO:
            return forms.ChoiceField(
                label=label,
                required=False,
                help_text=help_text,
                choices=YES_NO,
                widget=forms.RadioSelect,
            )
        return forms.CharField(
            label=label,
            required=False,
            max_length=4000,  # the service's own limit gives the clearer message
            help_text=help_text,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def sections(self) -> list[Section]:
        """The questions grouped by section, in the survey's order."""
        grouped: dict[str, Section] = {}
        for key, question in self.questions.items():
            section = grouped.setdefault(
                question.section,
                Section(key=question.section, title=section_title(question.section), items=[]),
            )
            section.items.append((self[key], question))
        return list(grouped.values())

    def answers(self) -> dict:
        """The answers for the service: every question, empty ones as "" (which clears them)."""
        data = {}
        for key in self.questions:
            value = self.cleaned_data.get(key)
            if isinstance(value, Decimal):
                value = f"{value:f}"  # the machine form the service reads
            data[key] = value if value not in (None, []) else ""
        return data

    def invalid_questions(self) -> list[tuple[str, str]]:
        """(field id, question label) of every question with an error, for the summary on top."""
        return [
            (self[key].id_for_label or self[key].auto_id, question.label)
            for key, question in self.questions.items()
            if self.errors.get(key)
        ]


# Stories ---------------------------------------------------------------------------------------


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Your story"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, what you tried, what changed. In your own words."),
    )
    photo_1 = PhotoField(label=_("Photo 1"))
    photo_2 = PhotoField(label=_("Photo 2"))
    photo_3 = PhotoField(label=_("Photo 3"))
    photo_4 = PhotoField(label=_("Photo 4"))
    visibility = forms.ChoiceField(
        label=_("Who may read it?"),
        choices=Story.Visibility.choices,
        initial=Story.Visibility.GROUP,
        widget=forms.RadioSelect,
    )
    public_consent = forms.BooleanField(
        label=_(
            "I agree that anyone, on the internet too, may read this story and its photos "
            "with our family's name."
        ),
        required=False,
        help_text=_("Only needed for a public story. You can take it back later at any time."),
    )

    photo_fields = [f"photo_{n}" for n in range(1, MAX_PHOTOS + 1)]

    def photos(self) -> list:
        return [self.cleaned_data[name] for name in self.photo_fields if self.cleaned_data[name]]


class StoryVisibilityForm(forms.Form):
    visibility = forms.ChoiceField(
        label=_("Who may read it?"),
        choices=Story.Visibility.choices,
        widget=forms.RadioSelect,
    )
    public_consent = forms.BooleanField(
        label=_(
            "I agree that anyone, on the internet too, may read this story and its photos "
            "with our family's name."
        ),
        required=False,
        help_text=_(
            "Only needed to make it public. Choosing anything else takes it out of public at once."
        ),
    )
