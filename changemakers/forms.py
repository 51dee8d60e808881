"""Forms for the phase, share, peer-consultant and practice-catalogue pages. They parse and type
the input; the services decide (whether a reason is needed, whether the phase allows sharing).

No form here has a field for advice: staff tell families what other families did, never what
to do."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from accounts import policy


def language_name(code: str) -> str:
    """A language's name in the reader's language ("Spanish"), or its code if unknown."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


# Phase -----------------------------------------------------------------------------------------


class PhaseChangeForm(forms.Form):
    """Move a cohort to the other phase. Which fields show depends on where it goes: back to
    phase I needs a reason; phase II before the partner's minimum months needs a reason too
    (an early move). Whether a reason is missing is the service's call, so both are optional
    here and the service's refusal lands on the field."""

    phase = forms.TypedChoiceField(
        choices=[(policy.PHASE_I, "1"), (policy.PHASE_II, "2")],
        coerce=int,
        widget=forms.HiddenInput,
    )
    override_reason = forms.CharField(
        label=_("Why the cohort is ready early (required)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What shows that families already act on their own initiative. It is recorded as "
            "an early move, with the readiness figures of today."
        ),
    )
    reason = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirm = forms.BooleanField(required=True)

    def __init__(self, *args, target: int, early: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].initial = target
        if target == policy.PHASE_II:
            if not early:
                del self.fields["override_reason"]
                self.fields["reason"].label = _("Why now (optional)")
            else:
                del self.fields["reason"]
            self.fields["confirm"].label = _(
                "Yes, move the cohort to phase II: liaisons and staff may then tell its "
                "families what other families did."
            )
        else:
            del self.fields["override_reason"]
            self.fields["reason"].label = _("Why the cohort goes back to phase I (required)")
            self.fields["confirm"].label = _(
                "Yes, move the cohort back to phase I: nobody shares practices with its "
                "families any more."
            )
        self.fields["confirm"].error_messages["required"] = _("Tick the box to confirm the change.")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "phase": data["phase"],
            "reason": data.get("reason", ""),
            "override_reason": data.get("override_reason", ""),
        }


# Sharing what families did ----------------------------------------------------------------------


class PracticeChoiceForm(forms.Form):
    """Which practice to tell the cohort about (a GET form: it only shows the context)."""

    practice = forms.ChoiceField(label=_("Practice"))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].choices = [("", _("Choose a practice")), *choices]
        self.fields["practice"].error_messages["invalid_choice"] = _(
            "Choose a practice from the catalogue."
        )


class PracticeShareForm(forms.Form):
    practice = forms.ChoiceField(widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("What families did"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Tell what other families did and how it went for them, in their own words where "
            "you can. Name no family. Families decide for themselves what to do with it."
        ),
    )
    confirm = forms.BooleanField(
        required=True,
        label=_(
            "Every family of this cohort will see this in their feed, marked as coming from "
            "staff. It cannot be taken back."
        ),
        error_messages={"required": _("Tick the box to confirm that you share this.")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].choices = list(choices)
        self.fields["practice"].error_messages["invalid_choice"] = _(
            "Choose a practice from the catalogue."
        )
        self.fields["body"].error_messages["required"] = _("Write what families did.")


# Peer consultants -------------------------------------------------------------------------------


class PeerInviteForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("The newer cohort they would consult"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a cohort.")},
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["cohort"].label_from_instance = lambda cohort: (
            f"{cohort.name} · {cohort.region}" if cohort.region else cohort.name
        )


# The practice catalogue -------------------------------------------------------------------------


class PracticeForm(forms.Form):
    """A partner's own practice: a name in each of the partner's languages, and optionally a
    description in each."""

    def __init__(self, *args, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = list(languages)
        for code in self.languages:
            name = language_name(code)
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name in %(language)s") % {"language": name},
                max_length=200,
                error_messages={"required": _("Name the practice in every language.")},
            )
        for code in self.languages:
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description in %(language)s (optional)")
                % {"language": language_name(code)},
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        names = {code: data[f"name_{code}"].strip() for code in self.languages}
        descriptions = {
            code: data[f"description_{code}"].strip()
            for code in self.languages
            if data.get(f"description_{code}", "").strip()
        }
        return {"names": names, "descriptions": descriptions}
