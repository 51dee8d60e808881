"""Reads for families. Every query starts from the partner (or the family's own partner and
cohort), and what one person sees of a family goes through the consent rules of the policy."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from accounts import policy
from accounts.models import Partner
from families.access import FamilySeat
from families.models import (
    Cohort,
    Comment,
    Family,
    FamilyInvitation,
    Group,
    GroupMeeting,
    HelpExchange,
    HouseholdMember,
    PeerConsultant,
    Post,
    Reaction,
    StaffRequest,
    StaffRequestMessage,
    Tie,
)


def family_for_user(user) -> Family | None:
    if not user.is_authenticated:
        return None
    return (
        Family.objects.select_related("partner", "cohort", "group")
        .filter(members__user=user)
        .first()
    )


def group_families(family: Family) -> QuerySet[Family]:
    if family.group_id is None:
        return Family.objects.filter(pk=family.pk)
    return Family.objects.filter(partner=family.partner_id, group=family.group_id).order_by(
        "-is_seed", "name"
    )


def cohorts_with_reach(partner: Partner) -> QuerySet[Cohort]:
    return Cohort.objects.filter(partner=partner).annotate(
        family_count=Count("families", distinct=True),
        seed_count=Count("families", filter=Q(families__is_seed=True), distinct=True),
        people_count=Sum("families__household_size"),
    )


def cohorts_for_liaison(partner: Partner, user) -> QuerySet[Cohort]:
    return cohorts_with_reach(partner).filter(liaisons=user)


def cohorts_for_seat(seat: policy.Seat) -> QuerySet[Cohort]:
    if seat.can("cohort.view_all"):
        return cohorts_with_reach(seat.partner)
    return cohorts_for_liaison(seat.partner, seat.user)


def partner_reach(partner: Partner) -> dict:
    """Households and people reached across the partner's cohorts."""
    totals = Family.objects.filter(partner=partner).aggregate(
        households=Count("id"), people=Sum("household_size")
    )
    return {"households": totals["households"] or 0, "people": totals["people"] or 0}


# What someone may see of a family --------------------------------------------------------------


@dataclass
class FamilyCard:
    """A family as one viewer may see it: fields the family did not share are None."""

    id: int
    name: str
    is_seed: bool
    generation: int
    group_id: int | None
    invited_by_id: int | None
    household_size: int | None = None
    members: list[HouseholdMember] | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    offers: str | None = None
    looking_for: str | None = None


def family_card(family: Family, fields: frozenset[str]) -> FamilyCard:
    card = FamilyCard(
        id=family.pk,
        name=family.name,
        is_seed=family.is_seed,
        generation=family.generation,
        group_id=family.group_id,
        invited_by_id=family.invited_by_id,
    )
    if policy.FIELDS_HOUSEHOLD in fields:
        card.household_size = family.household_size
        card.members = list(family.members.all())
    if policy.FIELDS_CONTACT in fields:
        card.contact_email = family.contact_email
        card.contact_phone = family.contact_phone
    if policy.FIELDS_PROFILE in fields:
        card.offers = family.offers
        card.looking_for = family.looking_for
    return card


def _with_members(queryset: QuerySet[Family]) -> QuerySet[Family]:
    return queryset.prefetch_related(
        Prefetch("members", queryset=HouseholdMember.objects.order_by("pk"))
    )


def group_cards(seat: FamilySeat) -> list[FamilyCard]:
    """The family's group, seed first, each as this family may see it."""
    family = seat.family
    families = _with_members(group_families(family).select_related("invited_by"))
    return [
        family_card(other, policy.family_fields_visible_to_family(family, other))
        for other in families
    ]


def directory_cards(seat: FamilySeat) -> list[FamilyCard]:
    """Families of the cohort that chose to be listed, with what they offer and look for."""
    family = seat.family
    families = _with_members(
        Family.objects.filter(
            partner=family.partner_id, cohort=family.cohort_id, in_cohort_directory=True
        ).order_by("name")
    )
    return [
        family_card(other, policy.family_fields_visible_to_family(family, other))
        for other in families
    ]


def peer_choices(seat: FamilySeat) -> QuerySet[Family]:
    """Families this family may record help with: its group and the listed families."""
    family = seat.family
    return (
        Family.objects.filter(partner=family.partner_id, cohort=family.cohort_id)
        .filter(Q(group=family.group_id) | Q(in_cohort_directory=True))
        .exclude(pk=family.pk)
        .order_by("name")
    )


def cohort_family_cards(seat: policy.Seat, cohort: Cohort) -> list[FamilyCard]:
    families = _with_members(
        Family.objects.filter(partner=seat.partner, cohort=cohort).order_by(
            "group__name", "-is_seed", "name"
        )
    )
    return [family_card(f, policy.family_fields_visible_to_staff(seat, f)) for f in families]


# The cohort page -------------------------------------------------------------------------------


@dataclass
class GroupSummary:
    group: Group
    seed: Family | None
    friends: int
    households: int
    people: int
    deepest_generation: int


def cohort_overview(cohort: Cohort) -> dict:
    """Reach, groups, open invitations and the seeds' coverage of the area's networks (counts
    only: no family is ever shown with its culture, religion or language)."""
    families = list(
        Family.objects.filter(partner=cohort.partner_id, cohort=cohort).only(
            "id",
            "name",
            "group_id",
            "is_seed",
            "generation",
            "household_size",
            "culture",
            "religion",
            "language",
        )
    )
    groups = list(Group.objects.filter(partner=cohort.partner_id, cohort=cohort).order_by("name"))
    by_group: dict[int | None, list[Family]] = {}
    for family in families:
        by_group.setdefault(family.group_id, []).append(family)
    summaries = []
    for group in groups:
        members = by_group.get(group.pk, [])
        seed = next((f for f in members if f.is_seed), None)
        summaries.append(
            GroupSummary(
                group=group,
                seed=seed,
                friends=sum(1 for f in members if not f.is_seed),
                households=len(members),
                people=sum(f.household_size for f in members),
                deepest_generation=max((f.generation for f in members), default=0),
            )
        )
    seeds = [f for f in families if f.is_seed]

    def coverage(attribute: str) -> list[tuple[str, int]]:
        counts = Counter(getattr(f, attribute).strip() for f in seeds)
        unknown = counts.pop("", 0)
        rows = sorted(counts.items(), key=lambda item: (-item[1], item[0].lower()))
        return rows + ([("", unknown)] if unknown else [])

    generations = Counter(f.generation for f in families)
    return {
        "households": len(families),
        "people": sum(f.household_size for f in families),
        "seeds": len(seeds),
        "groups": summaries,
        "generations": sorted(generations.items()),
        "open_invitations": FamilyInvitation.objects.filter(
            partner=cohort.partner_id,
            family__cohort=cohort,
            status=FamilyInvitation.Status.PENDING,
            expires_at__gt=timezone.now(),
        ).count(),
        "coverage": {
            "culture": coverage("culture"),
            "religion": coverage("religion"),
            "language": coverage("language"),
        },
    }


def cohort_ties(cohort: Cohort) -> QuerySet[Tie]:
    return Tie.objects.filter(partner=cohort.partner_id, cohort=cohort)


def cohort_groups(cohort: Cohort) -> QuerySet[Group]:
    return Group.objects.filter(partner=cohort.partner_id, cohort=cohort).order_by("name")


def recent_group_meetings(cohort: Cohort, *, limit: int = 5) -> list[GroupMeeting]:
    """The cohort's latest recorded meetings between groups, with the groups that met."""
    return list(
        GroupMeeting.objects.filter(partner=cohort.partner_id, cohort=cohort)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        .order_by("-met_on", "-id")[:limit]
    )


def members_with_sign_in(family: Family) -> int:
    return HouseholdMember.objects.filter(
        partner=family.partner_id, family=family, user__isnull=False
    ).count()


def families_invited_by(family: Family) -> QuerySet[Family]:
    """The households this family brought in (names only: staff open each for more)."""
    return Family.objects.filter(partner=family.partner_id, invited_by=family).order_by("name")


# Invitations ------------------------------------------------------------------------------------


def family_invitations(family: Family) -> QuerySet[FamilyInvitation]:
    return FamilyInvitation.objects.filter(partner=family.partner_id, family=family).order_by(
        "-created_at"
    )


def friends_counted(family: Family) -> int:
    """Friends who joined plus invitations still open: both use up a seed's places."""
    now = timezone.now()
    return (
        FamilyInvitation.objects.filter(partner=family.partner_id, family=family)
        .filter(
            Q(status=FamilyInvitation.Status.ACCEPTED)
            | Q(status=FamilyInvitation.Status.PENDING, expires_at__gt=now)
        )
        .count()
        + Family.objects.filter(invited_by=family, accepted_invitation__isnull=True).count()
    )


def invitations_left(family: Family) -> int:
    if not policy.family_may_invite(family):
        return 0
    return max(settings.FRIENDS_PER_SEED - friends_counted(family), 0)


# Feeds ------------------------------------------------------------------------------------------


def _feed(queryset: QuerySet[Post]) -> QuerySet[Post]:
    # Newest first, said explicitly: Meta.ordering is dropped from queries that aggregate.
    return (
        queryset.select_related("family", "author")
        .annotate(
            comment_count=Count("comments", distinct=True),
            cheer_count=Count("reactions", filter=Q(reactions__kind="cheer"), distinct=True),
            thanks_count=Count("reactions", filter=Q(reactions__kind="thanks"), distinct=True),
            support_count=Count("reactions", filter=Q(reactions__kind="support"), distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def group_feed(seat: FamilySeat) -> QuerySet[Post]:
    family = seat.family
    if family.group_id is None:
        # `group=None` would match the staff's and peer consultants' posts of every cohort.
        return _feed(Post.objects.none())
    return _feed(Post.objects.filter(partner=family.partner_id, group=family.group_id))


def cohort_feed(seat: FamilySeat) -> QuerySet[Post]:
    """Posts shared with the whole cohort, and the family's own group's posts."""
    family = seat.family
    return _feed(
        Post.objects.filter(partner=family.partner_id, cohort=family.cohort_id).filter(
            Q(visibility=Post.Visibility.COHORT) | Q(group=family.group_id)
        )
    )


def staff_feed(seat: policy.Seat, cohort: Cohort) -> QuerySet[Post]:
    """Staff read only the posts of families that chose to share them with staff."""
    return _feed(
        Post.objects.filter(
            partner=seat.partner, cohort=cohort, family__share_posts_with_staff=True
        )
    )


def post_comments(post: Post) -> QuerySet[Comment]:
    return Comment.objects.filter(partner=post.partner_id, post=post).select_related(
        "family", "author"
    )


def post_reaction_of(*, post: Post, user) -> str | None:
    """The kind of reaction this person gave the post, if any (one per person)."""
    return (
        Reaction.objects.filter(partner=post.partner_id, post=post, user=user)
        .values_list("kind", flat=True)
        .first()
    )


# Help between families ------------------------------------------------------------------------


def family_help(seat: FamilySeat) -> QuerySet[HelpExchange]:
    family = seat.family
    return (
        HelpExchange.objects.filter(partner=family.partner_id)
        .filter(Q(giver=family) | Q(receiver=family))
        .select_related("giver", "receiver", "recorded_by_family")
    )


def help_totals(family: Family) -> dict:
    given = HelpExchange.objects.filter(partner=family.partner_id, giver=family).aggregate(
        count=Count("id"), value=Sum("estimated_value")
    )
    received = HelpExchange.objects.filter(partner=family.partner_id, receiver=family).aggregate(
        count=Count("id"), value=Sum("estimated_value")
    )
    return {"given": given, "received": received}


# The API: lists across the partners a user works for (its URLs carry no partner) ---------------


def _cohorts_visible_to(seats: list[policy.Seat]) -> QuerySet[Cohort]:
    """The cohorts these seats may see (policy.can_view_cohort, as one query)."""
    visible = Q(pk__in=[])
    for seat in seats:
        if seat.can("cohort.view_all"):
            visible |= Q(partner=seat.partner)
        elif seat.can("cohort.view_assigned"):
            visible |= Q(partner=seat.partner, liaisons=seat.user)
    return Cohort.objects.filter(visible)


def with_reach(queryset: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """Cohorts with their partner, liaisons, and reach: households, seeds and people."""
    return (
        queryset.select_related("partner")
        .prefetch_related("liaisons")
        .annotate(
            family_count=Count("families", distinct=True),
            seed_count=Count("families", filter=Q(families__is_seed=True), distinct=True),
            people_count=Sum("families__household_size"),
        )
    )


def cohorts_for_seats(seats: list[policy.Seat]) -> QuerySet[Cohort]:
    """Staff and admins: every cohort of their partners; liaisons: the cohorts assigned."""
    if not seats:
        return Cohort.objects.none()
    visible = _cohorts_visible_to(seats).values("pk")
    return with_reach(
        Cohort.objects.filter(partner__in=[s.partner for s in seats], pk__in=visible)
    ).order_by("-started_on", "name", "pk")


def cohort_with_reach(cohort: Cohort) -> Cohort:
    return with_reach(Cohort.objects.filter(partner=cohort.partner_id, pk=cohort.pk)).get()


def families_for_seats(
    seats: list[policy.Seat], *, cohort: Cohort | None = None
) -> QuerySet[Family]:
    """Families of the cohorts these seats may see (what of each is shown is consent's call)."""
    if not seats:
        return Family.objects.none()
    families = Family.objects.filter(
        partner__in=[s.partner for s in seats], cohort__in=_cohorts_visible_to(seats).values("pk")
    )
    if cohort is not None:
        families = families.filter(partner=cohort.partner_id, cohort=cohort)
    return _with_members(families).order_by("cohort_id", "group__name", "-is_seed", "name", "pk")


def family_peers(seat: FamilySeat) -> QuerySet[Family]:
    """The family itself, its group, and the cohort's families listed in the directory: every
    family this one may see something of (policy.family_fields_visible_to_family)."""
    family = seat.family
    visible = Q(pk=family.pk) | Q(in_cohort_directory=True)
    if family.group_id is not None:
        visible |= Q(group=family.group_id)
    return _with_members(
        Family.objects.filter(partner=family.partner_id, cohort=family.cohort_id).filter(visible)
    ).order_by("group__name", "-is_seed", "name", "pk")


def with_families(groups: QuerySet[Group]) -> QuerySet[Group]:
    """Groups with their families (seed first) and the families' members."""
    return groups.prefetch_related(
        Prefetch(
            "families",
            queryset=_with_members(Family.objects.order_by("-is_seed", "name", "pk")),
        )
    )


def groups_for_seats(seats: list[policy.Seat], *, cohort: Cohort | None = None) -> QuerySet[Group]:
    if not seats:
        return Group.objects.none()
    groups = Group.objects.filter(
        partner__in=[s.partner for s in seats], cohort__in=_cohorts_visible_to(seats).values("pk")
    )
    if cohort is not None:
        groups = groups.filter(partner=cohort.partner_id, cohort=cohort)
    return with_families(groups).order_by("cohort_id", "name", "pk")


def family_group(seat: FamilySeat) -> QuerySet[Group]:
    """The family's own group (none when it has no group yet), with its families."""
    family = seat.family
    return with_families(
        Group.objects.filter(partner=family.partner_id, pk=family.group_id)
    ).order_by("pk")


# Requests to staff, as staff and liaisons see them ----------------------------------------------

_OPEN_FIRST = Case(
    When(status=StaffRequest.Status.OPEN, then=Value(0)),
    When(status=StaffRequest.Status.ANSWERED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def staff_requests_for(seat: policy.Seat, status: str | None = None) -> QuerySet[StaffRequest]:
    """Requests of the cohorts the seat may see (liaisons: their own cohorts), the ones waiting
    for an answer first, newest first within each status."""
    requests = StaffRequest.objects.filter(
        partner=seat.partner, cohort__in=_cohorts_visible_to([seat]).values("pk")
    )
    if status:
        requests = requests.filter(status=status)
    return (
        requests.select_related("cohort", "family")
        .annotate(message_count=Count("messages"), waiting_order=_OPEN_FIRST)
        .order_by("waiting_order", "-created_at", "-id")
    )


def open_staff_request_count(seat: policy.Seat) -> int:
    """How many requests of the seat's cohorts wait for an answer (for home pages)."""
    return StaffRequest.objects.filter(
        partner=seat.partner,
        cohort__in=_cohorts_visible_to([seat]).values("pk"),
        status=StaffRequest.Status.OPEN,
    ).count()


def staff_request_thread(request: StaffRequest) -> QuerySet[StaffRequestMessage]:
    return StaffRequestMessage.objects.filter(
        partner=request.partner_id, request=request
    ).select_related("author")


# Peer consultants -------------------------------------------------------------------------------


def later_cohorts(family: Family) -> QuerySet[Cohort]:
    """The partner's cohorts that started after the family's own: the ones it may consult."""
    return Cohort.objects.filter(
        partner=family.partner_id, started_on__gt=family.cohort.started_on
    ).order_by("started_on", "name", "pk")


def cohort_peer_consultants(cohort: Cohort) -> QuerySet[PeerConsultant]:
    """The families from earlier demonstrations invited to consult this cohort, newest first."""
    return (
        PeerConsultant.objects.filter(partner=cohort.partner_id, cohort=cohort)
        .select_related("family", "family__cohort", "invited_by")
        .order_by("-created_at", "-id")
    )


def family_consultancies(family: Family) -> QuerySet[PeerConsultant]:
    """The cohorts this family was invited to consult, newest first."""
    return (
        PeerConsultant.objects.filter(partner=family.partner_id, family=family)
        .select_related("cohort")
        .order_by("-created_at", "-id")
    )


# Requests to staff, as the API lists them ------------------------------------------------------


def family_staff_requests(family: Family) -> QuerySet[StaffRequest]:
    """The family's own requests to staff, the newest first, with their number of messages."""
    return (
        StaffRequest.objects.filter(partner=family.partner_id, family=family)
        .select_related("family")
        .annotate(message_count=Count("messages"))
        .order_by("-created_at", "-id")
    )


def staff_requests_for_seats(
    seats: list[policy.Seat], *, cohort: Cohort | None = None, status: str | None = None
) -> QuerySet[StaffRequest]:
    """Requests of every cohort these seats may see (liaisons: their own cohorts'), the newest
    first, with their number of messages."""
    seats = [seat for seat in seats if seat.can("request.view")]
    if not seats:
        return StaffRequest.objects.none()
    requests = StaffRequest.objects.filter(
        partner__in=[seat.partner for seat in seats],
        cohort__in=_cohorts_visible_to(seats).values("pk"),
    )
    if cohort is not None:
        requests = requests.filter(cohort=cohort)
    if status:
        requests = requests.filter(status=status)
    return (
        requests.select_related("family")
        .annotate(message_count=Count("messages"))
        .order_by("-created_at", "-id")
    )


# A family's own requests to staff and consultancies ------------------------------------------


def family_staff_request_counts(family: Family) -> dict[str, int]:
    """For the family's home: answers waiting to be read, and requests waiting for one."""
    return StaffRequest.objects.filter(partner=family.partner_id, family=family).aggregate(
        answered=Count("id", filter=Q(status=StaffRequest.Status.ANSWERED)),
        open=Count("id", filter=Q(status=StaffRequest.Status.OPEN)),
    )


_INVITATIONS_FIRST = Case(
    When(status=PeerConsultant.Status.INVITED, then=Value(0)),
    When(status=PeerConsultant.Status.ACTIVE, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def family_consulting_list(seat: FamilySeat) -> QuerySet[PeerConsultant]:
    """The family's invitations to consult newer cohorts (waiting ones first), its active
    consultancies, then the past ones; with the cohort and who invited."""
    family = seat.family
    return (
        PeerConsultant.objects.filter(partner=family.partner_id, family=family)
        .select_related("cohort", "invited_by")
        .annotate(waiting_order=_INVITATIONS_FIRST)
        .order_by("waiting_order", "-created_at", "-id")
    )


def family_consulting_counts(family: Family) -> dict[str, int]:
    """For the family's home: invitations to answer and consultancies under way."""
    return PeerConsultant.objects.filter(partner=family.partner_id, family=family).aggregate(
        invited=Count("id", filter=Q(status=PeerConsultant.Status.INVITED)),
        active=Count("id", filter=Q(status=PeerConsultant.Status.ACTIVE)),
    )


def family_home_cards(family: Family) -> dict:
    """What the family's home shows on its "Ask your partner" and "Consulting" cards."""
    return {
        "request_counts": family_staff_request_counts(family),
        "consulting_counts": family_consulting_counts(family),
    }


def consulting_feed(consultancy: PeerConsultant) -> QuerySet[Post]:
    """What a peer consultant reads: the consulted cohort's posts shared with the whole cohort
    (its families', other peers' and staff's), newest first, with their counts."""
    return _feed(
        Post.objects.filter(
            partner=consultancy.partner_id,
            cohort=consultancy.cohort_id,
            visibility=Post.Visibility.COHORT,
        )
    )


def families_with_phones_to_fix(partner: Partner) -> QuerySet[Family]:
    """The partner's families whose phone, kept from before numbers were read in E.164, could
    not be read: staff write them again (`family_update_contact`)."""
    return (
        Family.objects.filter(partner=partner)
        .exclude(contact_phone_as_typed="")
        .select_related("cohort")
        .order_by("cohort__name", "name", "pk")
    )
