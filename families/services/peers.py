"""Families who have been through a demonstration consult the next one: they may post in that
cohort's feed in any phase (phase rules bind staff, not peers)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.services import audit_record
from families.access import FamilySeat
from families.models import Cohort, Family, PeerConsultant, Post
from mutuality.errors import Conflict, InvalidInput, NotAllowed, validated


@transaction.atomic
def peer_invite(*, seat: policy.Seat, family: Family, cohort: Cohort) -> PeerConsultant:
    """Staff ask a family of an earlier cohort to consult a new one; the family decides."""
    policy.require(seat, "peer.invite")
    if family.partner_id != seat.partner.pk or cohort.partner_id != seat.partner.pk:
        raise NotAllowed(_("Both the family and the cohort must be your partner's."))
    if family.cohort_id == cohort.pk or family.cohort.started_on >= cohort.started_on:
        raise InvalidInput.for_field(
            "cohort", _("Peer consultants come from a demonstration that started earlier.")
        )
    try:
        with transaction.atomic():
            consultancy = PeerConsultant.objects.create(
                partner=seat.partner, family=family, cohort=cohort, invited_by=seat.user
            )
    except IntegrityError as exc:
        raise Conflict(_("This family is already invited to consult this cohort.")) from exc
    audit_record(
        actor=seat.user,
        verb="peer.invite",
        obj=consultancy,
        partner=seat.partner,
        after={"family": family.pk, "cohort": cohort.pk},
    )
    return consultancy


@transaction.atomic
def peer_answer(*, seat: FamilySeat, consultancy: PeerConsultant, accept: bool) -> PeerConsultant:
    consultancy = PeerConsultant.objects.select_for_update().get(pk=consultancy.pk)
    if consultancy.family_id != seat.family.pk:
        raise NotAllowed(_("This invitation is for another family."))
    if consultancy.status != PeerConsultant.Status.INVITED:
        raise Conflict(_("This invitation was already answered."))
    consultancy.status = PeerConsultant.Status.ACTIVE if accept else PeerConsultant.Status.DECLINED
    consultancy.answered_at = timezone.now()
    consultancy.save(update_fields=["status", "answered_at"])
    audit_record(
        actor=seat.user,
        verb="peer.accept" if accept else "peer.decline",
        obj=consultancy,
        partner=seat.family.partner,
        after={"status": consultancy.status},
    )
    return consultancy


@transaction.atomic
def peer_end(*, seat: FamilySeat, consultancy: PeerConsultant) -> PeerConsultant:
    consultancy = PeerConsultant.objects.select_for_update().get(pk=consultancy.pk)
    if consultancy.family_id != seat.family.pk:
        raise NotAllowed(_("This is another family's consultancy."))
    if consultancy.status != PeerConsultant.Status.ACTIVE:
        raise Conflict(_("This consultancy is not active."))
    consultancy.status = PeerConsultant.Status.ENDED
    consultancy.save(update_fields=["status"])
    audit_record(actor=seat.user, verb="peer.end", obj=consultancy, partner=seat.family.partner)
    return consultancy


@transaction.atomic
def peer_post_create(*, seat: FamilySeat, consultancy: PeerConsultant, body: str) -> Post:
    """A peer consultant posts to the whole cohort it consults, marked as coming from a peer."""
    consultancy = PeerConsultant.objects.select_related("cohort").get(pk=consultancy.pk)
    if consultancy.family_id != seat.family.pk or consultancy.status != "active":
        raise NotAllowed(_("Only an active peer consultant posts in this cohort."))
    post = Post(
        partner_id=consultancy.partner_id,
        cohort=consultancy.cohort,
        group=None,
        family=seat.family,
        author=seat.user,
        source=Post.Source.PEER,
        kind=Post.Kind.UPDATE,
        visibility=Post.Visibility.COHORT,
        body=(body or "").strip(),
    )
    if not post.body:
        raise InvalidInput.for_field("body", _("Write something to share."))
    validated(post)
    post.save()
    audit_record(
        actor=seat.user,
        verb="post.create",
        obj=post,
        partner=seat.family.partner,
        after={"source": "peer", "cohort": consultancy.cohort_id},
    )
    return post
