"""Reading a household's reply to one question of the survey by text message or USSD, and
writing the question the way a keypad answers it.

The words a family may send instead of an answer, in every language (English's work
everywhere; the accents and case do not matter, "Atrás" is "atras"):

| what              | en           | es                  | fr                  | USSD also |
|-------------------|--------------|---------------------|---------------------|-----------|
| skip the question | skip         | saltar, omitir      | passer              | `#`       |
| back one question | back         | atras, volver       | retour              | `00`      |
| stop everything   | the STOP words of `messaging.services.STOP_WORDS` (stop, alto, arret...) |
| yes               | yes, y, 1    | si, 1               | oui, 1              |           |
| no                | no, n, 2     | no, 2               | non, 2              |           |

A choice is answered by its number in the list (or its value); amounts and numbers are read
the way the family's language writes them (`mutuality.numbers`: "120,50" in es and fr). What
is read is handed to the survey's own checks (`surveys.services.clean_answers`)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from mutuality import numbers

SKIP_WORDS = {"en": ("skip",), "es": ("saltar", "omitir"), "fr": ("passer",)}
BACK_WORDS = {"en": ("back",), "es": ("atras", "volver"), "fr": ("retour",)}
USSD_SKIP, USSD_BACK = "#", "00"
YES_WORDS = {"1", "yes", "y", "si", "oui"}
NO_WORDS = {"2", "no", "n", "non"}

KEYPAD_TYPES = {"money", "number", "yes_no", "choice"}


def plain(text: str) -> str:
    """Lower case, without accents or surrounding space and punctuation."""
    decomposed = unicodedata.normalize("NFKD", (text or "").strip().casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return letters.strip(" .!¡?¿")


def _all(words: dict) -> set[str]:
    return {word for group in words.values() for word in group}


def is_skip(text: str) -> bool:
    return plain(text) in _all(SKIP_WORDS) or text.strip() == USSD_SKIP


def is_back(text: str) -> bool:
    return plain(text) in _all(BACK_WORDS) or text.strip() == USSD_BACK


def word(words: dict, language: str) -> str:
    """The word shown in a message, in the family's language: "SKIP", "SALTAR", "PASSER"."""
    return words.get(language, words["en"])[0].upper()


@dataclass(frozen=True)
class Reading:
    """A reply read for one question: the machine value, or the reason it could not be read."""

    value: object = None
    error: str = ""


def read_answer(question, text: str, language: str) -> Reading:
    """`text` as an answer to `question`, in the machine form the survey services take."""
    locale = numbers.locale_of(language)
    typed = (text or "").strip()
    if question.type == "money":
        try:
            amount = numbers.parse_amount(typed, locale)
        except numbers.NotANumber as error:
            return Reading(error=error.message or _("Reply with an amount."))
        return Reading(value=str(amount))
    if question.type == "number":
        try:
            return Reading(value=numbers.parse_whole_number(typed, locale))
        except numbers.NotANumber:
            return Reading(error=_("Reply with a whole number."))
    if question.type == "yes_no":
        answer = plain(typed)
        if answer in YES_WORDS:
            return Reading(value=True)
        if answer in NO_WORDS:
            return Reading(value=False)
        return Reading(error=_("Reply 1 for yes or 2 for no."))
    if question.type == "choice":
        values = [choice["value"] for choice in question.choices]
        answer = plain(typed)
        if answer.isdigit() and 1 <= int(answer) <= len(values):
            return Reading(value=values[int(answer) - 1])
        if answer in values:
            return Reading(value=answer)
        return Reading(error=_("Reply with the number of one answer."))
    return Reading(error=_("This question cannot be answered by text message."))


def choice_list(question, language: str, *, limit: int | None = None) -> str:
    """ "1 Own 2 Rent 3 Shared": each choice with its number, each label cut to `limit`."""
    parts = []
    for number, choice in enumerate(question.choices, start=1):
        labels = choice.get("labels", {})
        label = labels.get(language) or labels.get("en") or choice["value"]
        parts.append(f"{number} {shorten(label, limit) if limit else label}")
    return " ".join(parts)


def how_to_answer(question, language: str) -> str:
    """What to send, in the active language."""
    if question.type == "money":
        example = numbers.format_for_input(Decimal("120.50"), numbers.locale_of(language))
        return _("Reply with an amount, like %(example)s.") % {"example": example}
    if question.type == "number":
        return _("Reply with a number.")
    if question.type == "yes_no":
        return _("1 yes, 2 no")
    return choice_list(question, language)


def shorten(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"
