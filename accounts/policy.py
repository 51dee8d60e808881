"""The one policy: who may do what.

Roles in a partner map to capabilities here and nowhere else. Views, the API and services all
ask this module; the service's check is the one that counts. Object fetches by id go through
`access_<thing>(actor, id)`, which answers 404 alike for "missing" and "another partner's".
Tenancy is explicit: every lookup starts from the partner the actor belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import Membership, Partner, Role, StaffInvitation, User
from mutuality.errors import NotAllowed, NotFound

ADMIN, STAFF, LIAISON = Role.ADMIN, Role.STAFF, Role.LIAISON

# capability -> the partner roles that have it
CAPABILITIES: dict[str, frozenset[str]] = {
    # see the partner's pages at all (home, cohorts they may see)
    "partner.view": frozenset({ADMIN, STAFF, LIAISON}),
    # the staff dashboard: all cohorts, enrollment, reach
    "partner.dashboard": frozenset({ADMIN, STAFF}),
    # change the partner's settings (stipend, phase months, review of funding asks)
    "partner.edit": frozenset({ADMIN}),
    # see who works for the partner and the invitations outstanding
    "team.view": frozenset({ADMIN, STAFF}),
    # invite staff and liaisons; revoke or re-send those invitations
    "team.invite": frozenset({ADMIN, STAFF}),
    # invite another partner admin
    "team.invite_admin": frozenset({ADMIN}),
    # remove someone from the team (staff: liaisons only, see `may_manage_member`)
    "team.remove": frozenset({ADMIN, STAFF}),
    # give a member another role
    "team.change_role": frozenset({ADMIN}),
    # read the partner's audit trail
    "audit.view": frozenset({ADMIN}),
    # see only the cohorts one is assigned to, as a liaison
    "cohort.view_assigned": frozenset({LIAISON}),
    # see every cohort of the partner
    "cohort.view_all": frozenset({ADMIN, STAFF}),
    # start and edit demonstrations; assign liaisons
    "cohort.manage": frozenset({ADMIN, STAFF}),
    # enroll seed families (one by one or from a file)
    "family.enroll": frozenset({ADMIN, STAFF}),
    # make a friend family the seed of a new group
    "family.promote": frozenset({ADMIN, STAFF}),
    # write a family's email or phone again (a number that could not be read, a new one)
    "family.contact.edit": frozenset({ADMIN, STAFF}),
    # record that groups met
    "group.record_meeting": frozenset({ADMIN, STAFF}),
    # download a cohort's families as a file
    "cohort.export": frozenset({ADMIN, STAFF}),
    # read surveys and stories (liaisons: of their cohorts only)
    "survey.view": frozenset({ADMIN, STAFF, LIAISON}),
    # verify surveys and stories, or ask for a correction (liaisons: their cohorts only)
    "survey.verify": frozenset({ADMIN, STAFF, LIAISON}),
    # add the partner's own questions to the survey (a new version)
    "survey.template_edit": frozenset({ADMIN}),
    # build payment batches, export them, mark payments
    "payments.manage": frozenset({ADMIN, STAFF}),
    # move a cohort between phase I and II
    "cohort.change_phase": frozenset({ADMIN, STAFF}),
    # invite a family of an earlier cohort to consult a new one
    "peer.invite": frozenset({ADMIN, STAFF}),
    # read families' requests to staff (answering depends on the phase table)
    "request.view": frozenset({ADMIN, STAFF, LIAISON}),
    # add the partner's own practices to the catalogue
    "practice.manage": frozenset({ADMIN, STAFF}),
    # check funding asks before they are published (approve or decline; never edit)
    "ask.review": frozenset({ADMIN, STAFF}),
    # record that pledged money arrived, was passed on, or fell through; loan repayments
    "pledge.manage": frozenset({ADMIN, STAFF}),
    # read trends: families' months and the aggregates (liaisons: of their cohorts only)
    "trends.view": frozenset({ADMIN, STAFF, LIAISON}),
    # the partner's own months, which mix every cohort's families: not for liaisons, who may
    # see only the cohorts assigned to them
    "trends.view_partner": frozenset({ADMIN, STAFF}),
    # see which practices spread in a cohort (adoption curves and their fit)
    "diffusion.view": frozenset({ADMIN, STAFF}),
    # see Everyday Changemaker candidates; dismiss or nominate them
    "changemakers.review": frozenset({ADMIN, STAFF}),
    # publish a consented Everyday Changemaker in the gallery
    "changemakers.publish": frozenset({ADMIN, STAFF}),
    # read a family's notice channel and the messages sent to it (liaisons: their cohorts only)
    "messages.view": frozenset({ADMIN, STAFF, LIAISON}),
    # the partner's text messages and their cost, month by month: they mix every cohort
    "messages.usage": frozenset({ADMIN, STAFF}),
    # on a demo site, read what the console "sent" (sign-in codes included)
    "messages.demo_console": frozenset({ADMIN, STAFF}),
    # Wording the fixed notices (never a free message: `messaging/wording.py`).
    "notices.word": frozenset({ADMIN}),
}

# Roles that must pass two-factor authentication before reaching partner pages or the API.
MFA_REQUIRED_ROLES = frozenset({ADMIN, STAFF, LIAISON})


@dataclass(frozen=True)
class Seat:
    """An actor's place in one partner: the partner and the role held there."""

    user: User
    partner: Partner
    role: str

    def can(self, capability: str) -> bool:
        return has_capability(self.role, capability)


def has_capability(role: str | None, capability: str) -> bool:
    if capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability: {capability}")
    return role in CAPABILITIES[capability]


def require(seat: Seat, capability: str) -> None:
    """403 when the actor's role lacks the capability."""
    if not seat.can(capability):
        raise NotAllowed(_("Your role does not allow this."))


def roles_allowed_to_invite(seat: Seat) -> list[str]:
    roles = []
    if seat.can("team.invite_admin"):
        roles.append(ADMIN)
    if seat.can("team.invite"):
        roles += [STAFF, LIAISON]
    return roles


def may_remove_member(seat: Seat, membership: Membership) -> bool:
    """Admins remove anyone of their partner; staff remove liaisons only."""
    if membership.partner_id != seat.partner.pk or not seat.can("team.remove"):
        return False
    return seat.role == ADMIN or membership.role == LIAISON


def require_may_remove_member(seat: Seat, membership: Membership) -> None:
    if not may_remove_member(seat, membership):
        raise NotAllowed(_("Your role does not allow this."))


def access_membership(seat: Seat, membership_id: int) -> Membership:
    """A membership of the seat's partner, or 404."""
    membership = (
        Membership.objects.select_related("user")
        .filter(partner=seat.partner, pk=membership_id)
        .first()
    )
    if membership is None:
        raise NotFound(_("Not found."))
    return membership


def is_platform_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser and user.is_active)


def require_platform_admin(user) -> None:
    # Platform pages are not a partner's to know about: 404, like another tenant's objects.
    if not is_platform_admin(user):
        raise NotFound(_("Not found."))


def mfa_required_for(user) -> bool:
    """Whether this user must use two-factor authentication (never enforced in demo mode)."""
    if settings.DEMO_MODE or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role__in=MFA_REQUIRED_ROLES).exists()


def mfa_setup_pending(user) -> bool:
    """Whether the user must set up two-factor authentication before reaching anything else."""
    from allauth.mfa.models import Authenticator

    return (
        mfa_required_for(user)
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta
    absolute: timedelta | None  # None: no limit while the session stays in use


def _staff_session_limits() -> SessionLimits:
    return SessionLimits(
        idle=timedelta(minutes=settings.SESSION_IDLE_MINUTES_STAFF),
        absolute=timedelta(hours=settings.SESSION_ABSOLUTE_HOURS_STAFF),
    )


def _family_session_limits() -> SessionLimits:
    return SessionLimits(idle=timedelta(hours=settings.SESSION_IDLE_HOURS_FAMILY), absolute=None)


def session_limits_for(user) -> SessionLimits:
    """Staff roles (any partner membership, or a platform admin) sign in again after a short
    idle time and at least every few hours; families, on their own phones, stay signed in."""
    if user.is_superuser or Membership.objects.filter(user=user).exists():
        return _staff_session_limits()
    return _family_session_limits()


def session_limits_for_everyone() -> SessionLimits:
    """Limits no role goes beyond: a session within them needs no look-up of the user's role."""
    staff, family = _staff_session_limits(), _family_session_limits()
    return SessionLimits(idle=min(staff.idle, family.idle), absolute=staff.absolute)


def seat_for(user, partner: Partner) -> Seat | None:
    if not user.is_authenticated:
        return None
    role = (
        Membership.objects.filter(user=user, partner=partner).values_list("role", flat=True).first()
    )
    return Seat(user=user, partner=partner, role=role) if role else None


def access_partner(actor, partner_slug: str) -> Seat:
    """The actor's seat in the partner named by `partner_slug`, or 404."""
    if not actor.is_authenticated:
        raise NotFound(_("Not found."))
    membership = (
        Membership.objects.select_related("partner")
        .filter(user=actor, partner__slug=partner_slug)
        .first()
    )
    if membership is None:
        raise NotFound(_("Not found."))
    return Seat(user=actor, partner=membership.partner, role=membership.role)


# What staff may do in a cohort, by phase ---------------------------------------------------------
# The method works only if staff give up power. In phase I a liaison verifies and nothing else
# (besides answering families' requests about paperwork and payments); in phase II liaisons and
# staff may also tell a cohort what other families did. Whatever the phase, staff never fill in,
# edit or post for families, and never send free-form advice: these rows are empty on purpose so
# that a screen or endpoint added later is refused here.
PHASE_I, PHASE_II = 1, 2
PHASE_RULES: dict[str, dict[int, frozenset[str]]] = {
    "survey.verify": {
        PHASE_I: frozenset({ADMIN, STAFF, LIAISON}),
        PHASE_II: frozenset({ADMIN, STAFF, LIAISON}),
    },
    "request.answer_paperwork": {
        PHASE_I: frozenset({ADMIN, STAFF, LIAISON}),
        PHASE_II: frozenset({ADMIN, STAFF, LIAISON}),
    },
    "request.answer_other": {
        PHASE_I: frozenset({ADMIN, STAFF}),
        PHASE_II: frozenset({ADMIN, STAFF}),
    },
    "practice.share": {PHASE_I: frozenset(), PHASE_II: frozenset({ADMIN, STAFF, LIAISON})},
    "feed.post": {PHASE_I: frozenset(), PHASE_II: frozenset()},
    "family.message": {PHASE_I: frozenset(), PHASE_II: frozenset()},
    "survey.edit_answers": {PHASE_I: frozenset(), PHASE_II: frozenset()},
    "venture.edit": {PHASE_I: frozenset(), PHASE_II: frozenset()},
    "post.edit": {PHASE_I: frozenset(), PHASE_II: frozenset()},
    "advice.send": {PHASE_I: frozenset(), PHASE_II: frozenset()},
}


def phase_allows(seat: Seat, cohort, action: str) -> bool:
    if action not in PHASE_RULES:
        raise KeyError(f"Unknown phase action: {action}")
    if cohort.partner_id != seat.partner.pk:
        return False
    return seat.role in PHASE_RULES[action].get(cohort.phase, frozenset())


def phase_refusal(seat: Seat, cohort, action: str) -> str:
    """Why not, in words a liaison understands."""
    if action == "practice.share" and cohort.phase == PHASE_I:
        return _(
            "This cohort is in phase I: families are finding their own way, so nobody shares "
            "practices with them yet. Staff can move the cohort to phase II when families act "
            "on their own initiative."
        )
    if action in {"feed.post", "family.message", "post.edit"}:
        return _(
            "Families' feeds and conversations belong to the families: staff and liaisons do "
            "not post or message in them, in any phase."
        )
    if action in {"survey.edit_answers", "venture.edit"}:
        return _("Only the family fills in or changes its own answers and plans, in any phase.")
    if action == "advice.send":
        return _("Staff and liaisons never give advice: families lead, in every phase.")
    if action == "request.answer_other":
        return _("Liaisons answer requests about paperwork and payments; staff answer the rest.")
    return _("Your role does not allow this in this cohort.")


def require_phase(seat: Seat, cohort, action: str) -> None:
    if not phase_allows(seat, cohort, action):
        raise NotAllowed(phase_refusal(seat, cohort, action))


# Object rules ----------------------------------------------------------------------------------
# They take the objects they judge (duck-typed, so this module needs no higher app) and answer
# yes or no; the `access_<thing>` helpers of each app turn a "no" into a 404.


def can_view_cohort(seat: Seat, cohort) -> bool:
    """Staff see every cohort of their partner; liaisons only the cohorts assigned to them."""
    if cohort.partner_id != seat.partner.pk:
        return False
    if seat.can("cohort.view_all"):
        return True
    return seat.can("cohort.view_assigned") and cohort.liaisons.filter(pk=seat.user.pk).exists()


def family_can_see_post(family, post) -> bool:
    """A post is seen by its group, and by the whole cohort when the family chose so."""
    if post.partner_id != family.partner_id or post.cohort_id != family.cohort_id:
        return False
    return post.group_id == family.group_id or post.visibility == "cohort"


def staff_can_read_posts_of(family) -> bool:
    return family.share_posts_with_staff


def family_can_read_story(family, story) -> bool:
    """A story is read by whom its family chose: their group, their cohort, or (public) all."""
    if story.family_id == family.pk:
        return True
    if story.partner_id != family.partner_id:
        return story.visibility == "public"
    if story.visibility == "public":
        return True
    if story.cohort_id != family.cohort_id:
        return False
    if story.visibility == "cohort":
        return True
    return story.visibility == "group" and story.family.group_id == family.group_id


def family_owns_venture(family, venture) -> bool:
    return venture.owners.filter(pk=family.pk).exists()


def family_can_see_venture(family, venture, *, owner_group_ids: set[int]) -> bool:
    """Within the family's cohort: owners always; otherwise as the owners chose: their groups,
    their cohort, or public. ("Partner" ventures: the owners and the partner's staff only.)"""
    if venture.partner_id != family.partner_id or venture.cohort_id != family.cohort_id:
        return False  # families see their own cohort; public ventures are for funders
    if family.pk in set(venture.owners.values_list("pk", flat=True)):
        return True
    if venture.visibility == "public":
        return True
    if venture.cohort_id != family.cohort_id:
        return False
    if venture.visibility == "cohort":
        return True
    return venture.visibility == "group" and family.group_id in owner_group_ids


def family_may_invite(family) -> bool:
    """Seed families invite friends; a friend family invites once staff make it a seed."""
    return family.is_seed


# What one family may see of another, and what staff may see of a family (consent).
FIELDS_NAME = "name"  # household name, seed or friend, group
FIELDS_HOUSEHOLD = "household"  # size and members' first names
FIELDS_CONTACT = "contact"  # email and phone
FIELDS_PROFILE = "profile"  # what they offer and look for


def family_fields_visible_to_family(viewer, family) -> frozenset[str]:
    if viewer.pk == family.pk:
        return frozenset({FIELDS_NAME, FIELDS_HOUSEHOLD, FIELDS_CONTACT, FIELDS_PROFILE})
    if viewer.partner_id != family.partner_id or viewer.cohort_id != family.cohort_id:
        return frozenset()
    fields = set()
    same_group = viewer.group_id is not None and viewer.group_id == family.group_id
    if same_group:
        fields.add(FIELDS_NAME)
        if family.show_household_to_group:
            fields.add(FIELDS_HOUSEHOLD)
        if family.show_contact_to_group:
            fields.add(FIELDS_CONTACT)
    if family.in_cohort_directory:
        fields |= {FIELDS_NAME, FIELDS_PROFILE}
        if family.show_contact_to_cohort:
            fields.add(FIELDS_CONTACT)
    return frozenset(fields)


# Funders read aggregates only, and only of months where enough families had verified data:
# an aggregate of one or two families would show those families' own changes.
FUNDER_MIN_FAMILIES = 5


def family_fields_visible_to_staff(seat: Seat, family) -> frozenset[str]:
    """Staff need a name and a contact to run a demonstration; the rest is the family's call."""
    if family.partner_id != seat.partner.pk:
        return frozenset()
    fields = {FIELDS_NAME, FIELDS_CONTACT}
    if family.show_household_to_staff:
        fields.add(FIELDS_HOUSEHOLD)
    return frozenset(fields)


def feature_is_public(feature, consent_states) -> bool:
    """An Everyday Changemaker is shown to the public only while it is published and every
    family asked still consents: one withdrawal hides it, and so does having asked nobody."""
    states = list(consent_states)
    return (
        feature.state == "published"
        and bool(states)
        and all(state == "accepted" for state in states)
    )


def access_staff_invitation(seat: Seat, invitation_id: int) -> StaffInvitation:
    invitation = StaffInvitation.objects.filter(partner=seat.partner, pk=invitation_id).first()
    if invitation is None:
        raise NotFound(_("Not found."))
    require(seat, "team.view")
    return invitation
