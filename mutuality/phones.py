"""Phone numbers: read with `phonenumbers` (through django-phonenumber-field's `PhoneNumber`)
in the partner's country, kept in E.164, shown in the international format.

A number typed without its country code is read as a number of the partner's country:
`0777 123 456` typed for a partner in Liberia is `+231777123456`. A number with its code
(`+1 510 555 0101`, `00 231 777 123 456`) is read as written, wherever the partner is. What is
not a possible number of its country is refused: a text message to it would go nowhere.

Model fields stay `CharField`s holding the E.164 text (or nothing): the services read every
number through `to_e164`, so the pages, the API and the CSV enrollment refuse alike, and the
rest of the code handles plain strings.
"""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber

# Longest written form we accept, spaces and brackets included; E.164 itself is at most 16.
MAX_TYPED_LENGTH = 32


class NotAPhoneNumber(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _example(region: str | None) -> str:
    example = phonenumbers.example_number_for_type(
        region or "US", phonenumbers.PhoneNumberType.MOBILE
    )
    if example is None:
        return "+1 201 555 0123"
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def to_e164(typed: str | None, region: str | None) -> str:
    """`typed` as E.164 (`+231777123456`), "" when blank, or `NotAPhoneNumber`.

    `region` is the partner's two-letter country code, the country of numbers typed without
    their code."""
    text = (typed or "").strip()
    if not text:
        return ""
    if len(text) > MAX_TYPED_LENGTH:
        raise NotAPhoneNumber(
            _("A phone number has at most %(max)s characters.") % {"max": MAX_TYPED_LENGTH}
        )
    if text.startswith("00"):
        text = "+" + text[2:]  # the international prefix most countries dial
    try:
        number = PhoneNumber.from_string(text, region=(region or None))
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not number.is_valid():
        raise NotAPhoneNumber(
            _("This is not a phone number we can text. Write it like %(example)s.")
            % {"example": _example(region)}
        )
    return number.as_e164


def is_e164(value: str) -> bool:
    """Whether `value` is a valid number already written in E.164."""
    if not value or not value.startswith("+"):
        return False
    try:
        return to_e164(value, None) == value
    except NotAPhoneNumber:
        return False


def for_display(value: str | None) -> str:
    """An E.164 number as people read it: `+231 77 712 3456`; anything else as it is."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_valid_number(number):
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
