"""Forms for the families' own pages: invitations, joining, the feed, help and consent.

They parse and shape input; the rules are the services'. `validate_photo` is reusable by any
form that takes a picture from a family's phone.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from families.models import Family, HelpExchange, HouseholdMember, Post, Reaction
from families.services import CONSENT_FIELDS
from mutuality.forms import AmountField, NewPasswordForm, WholeNumberField

# Pillow's name for a format -> the file extension stored.
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


def validate_photo(upload) -> None:
    """Accept a JPEG, PNG or WebP picture up to settings.UPLOAD_MAX_PHOTO_BYTES.

    The content decides, not the file's name or the browser's claim: the file is opened with
    Pillow and verified. The stored name gets the extension of the real format."""
    limit = settings.UPLOAD_MAX_PHOTO_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("This photo is too large (%(size)s). Send one of %(limit)s at most."),
            code="photo_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not a photo we can read. Send a JPEG, PNG or WebP picture."),
            code="photo_unreadable",
        ) from None
    finally:
        upload.seek(position)
    if image_format not in PHOTO_FORMATS:
        raise ValidationError(
            _("Send a JPEG, PNG or WebP picture."),
            code="photo_format",
        )
    upload.name = f"photo.{PHOTO_FORMATS[image_format]}"


def _photo_help():
    return gettext("Optional. A JPEG, PNG or WebP picture of %(limit)s at most.") % {
        "limit": filesizeformat(settings.UPLOAD_MAX_PHOTO_BYTES)
    }


# Translated when shown, in the reader's language.
_photo_help_text = lazy(_photo_help, str)


def without_metadata(upload):
    """The picture re-encoded from its pixels alone, so no location, camera or other metadata
    travels with it (phones write GPS coordinates into photos). Orientation is applied first."""
    with Image.open(upload) as image:
        image_format = image.format
        image = ImageOps.exif_transpose(image)
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        # A new image gets the pixels (and palette) only: no EXIF, XMP or text chunks.
        clean = Image.new(image.mode, image.size)
        clean.paste(image)
        if image.mode == "P" and image.getpalette():
            clean.putpalette(image.getpalette())
        output = io.BytesIO()
        options = {"quality": 85} if image_format in ("JPEG", "WEBP") else {}
        clean.save(output, format=image_format, **options)
    return ContentFile(output.getvalue(), name=f"photo.{PHOTO_FORMATS[image_format]}")


class PhotoField(forms.FileField):
    """An optional photo checked by `validate_photo` and stripped of its metadata."""

    default_validators = [validate_photo]

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}))
        kwargs.setdefault("help_text", _photo_help_text())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        upload.seek(0)
        return without_metadata(upload)


# Invitations -----------------------------------------------------------------------------------


class FamilyInvitationForm(forms.Form):
    name = forms.CharField(
        label=_("Who are you inviting?"),
        max_length=200,
        help_text=_("A name the household will recognize, like “Ana and Luis”."),
    )
    email = forms.EmailField(
        label=_("Their email"),
        required=False,
        max_length=254,
        help_text=_("We email them the link."),
    )
    phone = forms.CharField(
        label=_("Or their phone number"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("We text them the link; you can also send it yourself."),
    )


class JoinFamilyForm(NewPasswordForm):
    """The friend's account and household, from the invitation link."""

    name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("You sign in with a code we send to it by text message."),
    )
    email = forms.EmailField(
        label=_("Your email (optional if you give a phone number)"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    household_name = forms.CharField(
        label=_("Household name"),
        max_length=200,
        help_text=_("How other families will know your household, like “The Mensah family”."),
    )
    household_size = WholeNumberField(
        label=_("How many people live in your household, you included?"),
        min_value=1,
        max_value=50,
    )

    field_order = [
        "name",
        "phone",
        "email",
        "password1",
        "password2",
        "household_name",
        "household_size",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # With a phone, a password is optional: codes by SMS are the way in.
        self.fields["password1"].required = False
        self.fields["password2"].required = False
        self.fields["password1"].help_text = _(
            "Optional with a phone number. At least 12 characters; not a common password."
        )

    def clean(self):
        data = super().clean()
        phone, email = data.get("phone"), data.get("email")
        if not phone and not email and "email" not in self.errors:
            self.add_error("phone", _("Give your phone number or your email."))
        if not phone and not data.get("password1") and "password1" not in self.errors:
            self.add_error("password1", _("Choose a password, or give a phone number instead."))
        return data


class HouseholdMemberForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    birth_year = WholeNumberField(
        label=_("Birth year"), required=False, min_value=1900, max_value=2100
    )
    relationship = forms.ChoiceField(
        label=_("Relationship to you"),
        choices=[("", "—"), *HouseholdMember.Relationship.choices],
        required=False,
    )

    def clean_relationship(self):
        return self.cleaned_data.get("relationship") or HouseholdMember.Relationship.OTHER

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and year > timezone.localdate().year:
            raise ValidationError(_("A birth year cannot be in the future."))
        return year


HouseholdMemberFormSet = forms.formset_factory(
    HouseholdMemberForm, extra=4, max_num=49, validate_max=True
)


# The feed --------------------------------------------------------------------------------------


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("What would you like to share?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Post.Kind.choices,
        initial=Post.Kind.UPDATE,
        widget=forms.RadioSelect,
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Post.Visibility.choices,
        initial=Post.Visibility.GROUP,
        widget=forms.RadioSelect,
    )
    photo = PhotoField(label=_("Photo"))


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=Reaction.Kind.choices)


# Help between families -------------------------------------------------------------------------


class PeerChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, own_group_id=None, **kwargs):
        self.own_group_id = own_group_id
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        if self.own_group_id is not None and obj.group_id == self.own_group_id:
            return _("%(name)s (your group)") % {"name": obj.name}
        return str(obj.name)


class HelpForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("What happened?"),
        choices=[
            ("given", _("We helped this family")),
            ("received", _("This family helped us")),
        ],
        initial="given",
        widget=forms.RadioSelect,
    )
    other_family = PeerChoiceField(
        label=_("Which family?"),
        queryset=Family.objects.none(),
        empty_label=_("Choose a family"),
        help_text=_("Families of your group, and families of your cohort listed in the directory."),
    )
    kind = forms.ChoiceField(label=_("Kind of help"), choices=HelpExchange.Kind.choices)
    estimated_value = AmountField(
        label=_("Estimated value"),
        min_value=0,
        max_digits=12,
        initial=Decimal("0.00"),
        help_text=_("What the help was worth, roughly. Zero is fine for time or advice."),
    )
    happened_on = forms.DateField(
        label=_("When did it happen?"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)

    def __init__(self, *args, peers, own_group_id=None, currency="", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["other_family"]
        field.queryset = peers
        field.own_group_id = own_group_id
        if currency:
            self.fields["estimated_value"].label = _("Estimated value (%(currency)s)") % {
                "currency": currency
            }
        self.fields["happened_on"].initial = timezone.localdate


# Consent ---------------------------------------------------------------------------------------

CONSENT_HELP = {
    "show_household_to_group": _(
        "The families of your group see how many people live with you and their first names."
    ),
    "show_contact_to_group": _(
        "The families of your group see your email and phone, so they can reach you."
    ),
    "in_cohort_directory": _(
        "Every family of your cohort sees your household's name and what you offer and look for."
    ),
    "show_contact_to_cohort": _(
        "Only if you are listed in the directory: families of the cohort can reach you directly."
    ),
    "show_household_to_staff": _(
        "The partner's staff see who lives in your household. They always see your name and "
        "contact, to run the demonstration."
    ),
    "share_posts_with_staff": _(
        "The partner's staff may read what your family posts in the feed. Otherwise only "
        "families see it."
    ),
    "offers": _("Shown in the directory, like “childcare on weekends” or “help with forms”."),
    "looking_for": _("Shown in the directory, like “a ride to work” or “someone to save with”."),
}


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Family
        fields = list(CONSENT_FIELDS)
        help_texts = CONSENT_HELP
