from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from families.models import FamilyInvitation


@shared_task
def deliver_family_invitation(invitation_id: int, token: str) -> bool:
    """Email a friend their invitation link. Skips invitations that are no longer waiting or
    whose link was replaced by a newer one."""
    from families.services import family_invitation_by_token

    invitation = family_invitation_by_token(token)
    if invitation is None or invitation.pk != invitation_id or not invitation.email:
        return False
    link = settings.SITE_URL.rstrip("/") + reverse("family_invitation_accept", args=[token])
    partner = invitation.family.partner
    with translation.override(partner.languages[0] if partner.languages else "en"):
        context = {"invitation": invitation, "link": link, "partner": partner}
        subject = render_to_string("families/email/invitation_subject.txt", context).strip()
        body = render_to_string("families/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    FamilyInvitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    return True


@shared_task
def deliver_account_invitation(invitation_id: int, token: str) -> bool:
    """Email an enrolled household the link to create its sign-in. Skips replaced links."""
    from families.services import account_invitation_by_token

    invitation = account_invitation_by_token(token)
    if invitation is None or invitation.pk != invitation_id or not invitation.family.contact_email:
        return False
    family = invitation.family
    link = settings.SITE_URL.rstrip("/") + reverse("family_welcome", args=[token])
    with translation.override(family.partner.languages[0] if family.partner.languages else "en"):
        context = {
            "family": family,
            "link": link,
            "partner": family.partner,
            "invitation": invitation,
        }
        subject = render_to_string("families/email/welcome_subject.txt", context).strip()
        body = render_to_string("families/email/welcome.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [family.contact_email])
    return True
