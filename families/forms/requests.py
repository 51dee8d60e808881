"""Forms for what a family asks its partner, and for a peer consultant's posts.

They parse and shape input; the rules are the services' (families.services.requests and
families.services.peers).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from families.models import StaffRequest


class StaffRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it about?"),
        choices=StaffRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what your request is about.")},
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        help_text=_("A few words, e.g. “The form for the school allowance”."),
        error_messages={"required": _("Give your request a short subject.")},
    )
    body = forms.CharField(
        label=_("Your message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Tell us what you need.")},
    )


class StaffRequestReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write your message.")},
    )


class PeerPostForm(forms.Form):
    body = forms.CharField(
        label=_("What would you like to share with this cohort?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Your post is shown to every family of the cohort, with your family's name and "
            "“peer consultant”."
        ),
        error_messages={"required": _("Write something to share.")},
    )


class ConsultancyAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        error_messages={
            "required": _("Say whether you accept or decline."),
            "invalid_choice": _("Say whether you accept or decline."),
        },
    )
