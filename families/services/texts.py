"""Invitations by text message, for households that have a phone and no email.

The link in them is a credential (whoever holds it can join): it is sent, never kept. The
recorded message says only that an invitation went (`send_sms`'s `private_body`)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from families.models import Family, FamilyAccountInvitation, FamilyInvitation


def _language(family: Family) -> str:
    return (family.partner.languages or [settings.LANGUAGE_CODE])[0]


def _text_link(
    *, to: str, text: str, kept: str, language: str, partner, dedupe_key: str, family=None
):
    """Send `text` (it holds the link) and keep only `kept`."""
    from messaging.services import send_sms

    send_sms(
        to=to,
        body=kept,
        private_body=text,
        template="invitation",
        language=language,
        partner=partner,
        family=family,
        dedupe_key=dedupe_key,
    )


def text_family_invitation(invitation: FamilyInvitation, token: str) -> None:
    """A friend invited by phone gets the link by SMS (the inviting family may share it too)."""
    inviter = invitation.family
    link = settings.SITE_URL.rstrip("/") + reverse("family_invitation_accept", args=[token])
    language = _language(inviter)
    with translation.override(language):
        text = _(
            "%(family)s invite your household to join them on Mutuality with %(partner)s. "
            "To join, open %(link)s"
        ) % {"family": inviter.name, "partner": inviter.partner.name, "link": link}
        kept = _("Invitation from %(family)s sent.") % {"family": inviter.name}
    # One text per link: sending again makes a new link, hence a new text.
    _text_link(
        to=invitation.phone,
        text=text,
        kept=kept,
        language=language,
        partner=inviter.partner,
        dedupe_key=f"invitation:{invitation.pk}:{invitation.secret_digest[:16]}",
    )


def text_account_invitation(invitation: FamilyAccountInvitation, token: str) -> None:
    """A household enrolled with a phone only gets the link to create its sign-in by SMS."""
    family = invitation.family
    link = settings.SITE_URL.rstrip("/") + reverse("family_welcome", args=[token])
    language = _language(family)
    with translation.override(language):
        text = _(
            "%(partner)s enrolled your household on Mutuality. "
            "To sign in with this phone, open %(link)s"
        ) % {"partner": family.partner.name, "link": link}
        kept = _("Link to create the sign-in sent.")
    _text_link(
        to=family.contact_phone,
        text=text,
        kept=kept,
        language=language,
        partner=family.partner,
        family=family,
        dedupe_key=f"account-invitation:{invitation.pk}",
    )
