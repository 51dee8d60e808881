"""Families share updates and wins with their group or cohort; others react and comment."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import policy
from accounts.services import audit_record
from families.access import FamilySeat
from families.models import (
    Comment,
    Post,
    Reaction,
)
from mutuality.errors import Conflict, InvalidInput, NotAllowed, validated

# Feed -------------------------------------------------------------------------------------------


@transaction.atomic
def post_create(
    *,
    seat: FamilySeat,
    body: str,
    visibility: str = Post.Visibility.GROUP,
    kind: str = Post.Kind.UPDATE,
    photo=None,
) -> Post:
    family = seat.family
    if family.group_id is None:
        raise Conflict(_("Your family is not in a group yet."))
    post = Post(
        partner_id=family.partner_id,
        cohort_id=family.cohort_id,
        group_id=family.group_id,
        family=family,
        author=seat.user,
        body=(body or "").strip(),
        visibility=visibility,
        kind=kind,
    )
    if photo is not None:
        post.photo = photo
    if not post.body:
        raise InvalidInput.for_field("body", _("Write something to share."))
    validated(post)
    post.save()
    audit_record(
        actor=seat.user,
        verb="post.create",
        obj=post,
        partner=family.partner,
        after={"visibility": post.visibility, "kind": post.kind, "photo": bool(post.photo)},
    )
    return post


@transaction.atomic
def post_react(*, seat: FamilySeat, post: Post, kind: str = Reaction.Kind.CHEER) -> Reaction:
    if not policy.family_can_see_post(seat.family, post):
        raise NotAllowed(_("You cannot react to this post."))
    if kind not in Reaction.Kind.values:
        raise InvalidInput.for_field("kind", _("Choose a reaction from the list."))
    reaction, created = Reaction.objects.update_or_create(
        post=post,
        user=seat.user,
        defaults={"kind": kind, "family": seat.family, "partner_id": post.partner_id},
    )
    if created:
        audit_record(
            actor=seat.user, verb="reaction.create", obj=reaction, partner=seat.family.partner
        )
    return reaction


@transaction.atomic
def comment_create(*, seat: FamilySeat, post: Post, body: str) -> Comment:
    if not policy.family_can_see_post(seat.family, post):
        raise NotAllowed(_("You cannot comment on this post."))
    comment = Comment(
        partner_id=post.partner_id,
        post=post,
        family=seat.family,
        author=seat.user,
        body=(body or "").strip(),
    )
    if not comment.body:
        raise InvalidInput.for_field("body", _("Write a comment."))
    validated(comment)
    comment.save()
    audit_record(actor=seat.user, verb="comment.create", obj=comment, partner=seat.family.partner)
    return comment


@transaction.atomic
def post_practice_share(*, seat, cohort, body: str) -> Post:
    """What other families did, told to a whole cohort by staff or a liaison: phase II only,
    marked as coming from staff. (The best-practice share itself is recorded by the caller.)"""
    policy.require_phase(seat, cohort, "practice.share")
    post = Post(
        partner_id=cohort.partner_id,
        cohort=cohort,
        group=None,
        family=None,
        author=seat.user,
        source=Post.Source.STAFF,
        kind=Post.Kind.PRACTICE,
        visibility=Post.Visibility.COHORT,
        body=(body or "").strip(),
    )
    if not post.body:
        raise InvalidInput.for_field("body", _("Write what families did."))
    validated(post)
    post.save()
    audit_record(
        actor=seat.user,
        verb="post.create",
        obj=post,
        partner=seat.partner,
        after={"source": "staff", "kind": "practice"},
    )
    return post
