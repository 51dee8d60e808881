"""Forms for Everyday Changemakers: the nomination, a family's own words, taking a feature down,
and the public gallery's filters. They shape input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from families.forms.family import PhotoField


class NominateForm(forms.Form):
    """What would be published: the families asked see exactly this."""

    headline = forms.CharField(
        label=_("Headline"),
        max_length=140,
        help_text=_("A few words about what they did, like “A savings circle that grew”."),
    )
    story = forms.CharField(
        label=_("Story"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What they did, in plain words. The families read it before anyone else."),
    )
    photo = PhotoField(label=_("Photo"))
    region = forms.CharField(label=_("Region"), max_length=200, required=False)
    country = forms.CharField(
        label=_("Country"),
        max_length=8,
        help_text=_("A two-letter ISO 3166 code, like US or LR."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 4}),
    )
    practice = forms.ChoiceField(label=_("Practice (optional)"), required=False)

    def __init__(self, *args, practices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].choices = [("", _("None")), *practices]


class FeatureWordsForm(forms.Form):
    """A family's own words for the headline and story, before they accept."""

    headline = forms.CharField(label=_("Headline"), max_length=140)
    story = forms.CharField(
        label=_("Story"), max_length=4000, widget=forms.Textarea(attrs={"rows": 8})
    )


class TakeDownForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional, kept in the audit trail)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GalleryFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    practice = forms.ChoiceField(label=_("Practice"), required=False)

    def __init__(self, *args, options=None, **kwargs):
        super().__init__(*args, **kwargs)
        any_choice = ("", _("Any"))
        if options is not None:
            self.fields["country"].choices = [any_choice, *((c, c) for c in options.countries)]
            self.fields["region"].choices = [any_choice, *((r, r) for r in options.regions)]
            self.fields["practice"].choices = [any_choice, *options.practices]

    def filters(self) -> dict:
        """The valid filters only: a bad one is reported and left out."""
        data = getattr(self, "cleaned_data", {}) or {}
        return {name: data.get(name) or "" for name in ("country", "region", "practice")}
