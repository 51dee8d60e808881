"""A partner's wording of its notices: the words change, never what a notice is.

Partner admins may say a notice their own way, per language, so that it sounds like them. It
stays a notice, not a free message (staff and liaisons never write to families through
notices; in phase I they may give no advice at all): the wording keeps exactly the facts of the
fixed text (its placeholders, each once, and no other), fits one text message once filled in,
and carries no link, email address or phone number.
"""

from __future__ import annotations

import re

import phonenumbers
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import policy
from accounts.services import audit_record
from mutuality.errors import InvalidInput

# One SMS holds 160 plain characters; a filled-in placeholder (a partner's name, a month, an
# amount, a reason) takes about 30.
MAX_LENGTH = 160
FILLED_LENGTH = 30
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
LINK = re.compile(r"(https?://|www\.|\b[\w-]+\.(com|org|net|io|info|biz)\b)", re.IGNORECASE)
EMAIL = re.compile(r"\S+@\S+\.\S+")


def fixed_text(notice: str, language: str) -> str:
    from messaging.notices import TEXTS

    with translation.override(language):
        return str(TEXTS[notice])


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def wording_problems(notice: str, text: str) -> list[str]:
    """Why `text` cannot be the wording of `notice` (empty when it can)."""
    from messaging.notices import TEXTS

    expected = sorted(placeholders(str(TEXTS[notice])))
    found = placeholders(text)
    problems = []
    if not text.strip():
        problems.append(_("Write the notice, or keep the platform's wording."))
    stray = PLACEHOLDER.sub("", text)
    if "%" in stray:
        problems.append(
            _("Use the facts only as they are written, like %(example)s.")
            % {"example": "%(month)s"}
        )
    if sorted(found) != expected:
        problems.append(
            _("Keep each of these exactly once, and no other: %(facts)s.")
            % {"facts": ", ".join(f"%({name})s" for name in expected)}
        )
    filled = len(PLACEHOLDER.sub("x" * FILLED_LENGTH, text))
    if filled > MAX_LENGTH:
        problems.append(
            _("Too long for one text message once filled in: make it %(count)d characters shorter.")
            % {"count": filled - MAX_LENGTH}
        )
    if LINK.search(stray) or EMAIL.search(stray):
        problems.append(_("A notice carries no link and no email address."))
    if any(True for _match in phonenumbers.PhoneNumberMatcher(stray, "US", leniency=0)):
        problems.append(_("A notice carries no phone number."))
    return problems


def wording_for(partner, notice: str, language: str) -> str | None:
    """The partner's wording of `notice` in `language`, or None for the platform's."""
    from messaging.models import NoticeWording

    row = NoticeWording.objects.filter(partner=partner, notice=notice, language=language).first()
    return row.text if row else None


def _check(seat, notice: str, language: str) -> None:
    from messaging.notices import TEXTS

    policy.require(seat, "notices.word")
    if notice not in TEXTS:
        raise InvalidInput.for_field("notice", _("There is no such notice."))
    if language not in (seat.partner.languages or []):
        raise InvalidInput.for_field("language", _("Choose one of your partner's languages."))


@transaction.atomic
def notice_wording_set(*, seat, notice: str, language: str, text: str):
    from messaging.models import NoticeWording

    _check(seat, notice, language)
    text = " ".join((text or "").split())
    problems = wording_problems(notice, text)
    if problems:
        raise InvalidInput(_("Please correct the errors below."), errors={"text": problems})
    before = wording_for(seat.partner, notice, language)
    row, _created = NoticeWording.objects.update_or_create(
        partner=seat.partner,
        notice=notice,
        language=language,
        defaults={"text": text, "updated_by": seat.user},
    )
    audit_record(
        actor=seat.user,
        verb="notice_wording.set",
        obj=row,
        partner=seat.partner,
        before={"notice": notice, "language": language, "text": before},
        after={"notice": notice, "language": language, "text": text},
    )
    return row


@transaction.atomic
def notice_wording_reset(*, seat, notice: str, language: str) -> bool:
    """Back to the platform's wording. True when the partner had its own."""
    from messaging.models import NoticeWording

    _check(seat, notice, language)
    row = (
        NoticeWording.objects.select_for_update()
        .filter(partner=seat.partner, notice=notice, language=language)
        .first()
    )
    if row is None:
        return False
    audit_record(
        actor=seat.user,
        verb="notice_wording.reset",
        obj=row,
        partner=seat.partner,
        before={"notice": notice, "language": language, "text": row.text},
    )
    row.delete()
    return True
