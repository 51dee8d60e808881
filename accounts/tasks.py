from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import StaffInvitation


@shared_task
def deliver_staff_invitation(invitation_id: int, token: str) -> bool:
    """Email the invitation link. Safe to run twice: a used or revoked invitation is skipped."""
    invitation = (
        StaffInvitation.objects.select_related("partner", "invited_by")
        .filter(pk=invitation_id, status=StaffInvitation.Status.PENDING)
        .first()
    )
    if invitation is None or StaffInvitation.digest(token) != invitation.token_digest:
        return False
    link = settings.SITE_URL.rstrip("/") + reverse("staff_invitation_accept", args=[token])
    language = invitation.partner.languages[0] if invitation.partner.languages else "en"
    with translation.override(language):
        context = {"invitation": invitation, "link": link}
        subject = render_to_string("accounts/email/staff_invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/staff_invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    StaffInvitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    return True
