"""One navigation per seat: the destinations of a family, a partner's staff or liaison, a funder
and a platform admin, the few primary ones that fit one row of a small phone, and the rest
behind "More".

The home pages draw their cards from the same destinations, so a page has one name everywhere.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import policy
from accounts import selectors as account_selectors
from families import selectors as family_selectors
from mutuality.errors import NotFound

# What fits one row of a 360 px screen in the three languages, "More" included: a family's four
# short names; staff, funders and operators have longer ones ("Questionnaires", "Taux de change").
PRIMARY_LIMIT = {"family": 4, "staff": 3, "funder": 2, "platform": 2, "choose": 1}


@dataclass(frozen=True)
class Destination:
    key: str
    label: str
    url: str
    note: str = ""
    # Other paths that belong to this destination (a post belongs to the group feed).
    also: tuple[str, ...] = ()


@dataclass
class Navigation:
    kind: str
    primary: list[Destination] = field(default_factory=list)
    more: list[Destination] = field(default_factory=list)
    current: str | None = None

    @property
    def more_is_current(self) -> bool:
        return any(item.key == self.current for item in self.more)

    @property
    def cards(self) -> list[Destination]:
        """What a home page offers: everything but home itself and the account."""
        return [
            item
            for item in self.primary + self.more
            if item.url != self.home_url and item.key != "mfa_index"
        ]

    @property
    def home_url(self) -> str | None:
        return self.primary[0].url if self.primary else None


def _family_destinations(family, *, show_consulting: bool) -> list[Destination]:
    items = [
        Destination("family_home", _("Home"), reverse("family_home")),
        Destination(
            "survey_list",
            _("Surveys"),
            reverse("survey_list"),
            _("This month's survey and the months before."),
        ),
        Destination(
            "family_progress",
            _("Progress"),
            reverse("family_progress"),
            _("Income, savings and debt against your baseline."),
        ),
        Destination(
            "family_group",
            _("Group"),
            reverse("family_group"),
            _("The families of your group and how to reach them."),
        ),
        Destination(
            "family_feed_group",
            _("Group feed"),
            reverse("family_feed_group"),
            _("Share updates and wins; cheer the others on."),
            also=("/family/posts/",),
        ),
        Destination(
            "family_feed_cohort",
            _("Cohort feed"),
            reverse("family_feed_cohort"),
            _("What families across the cohort share."),
        ),
        Destination(
            "story_list",
            _("Stories"),
            reverse("story_list"),
            _("Tell what you tried; read what others did."),
        ),
        Destination(
            "family_stipends",
            _("Stipends"),
            reverse("family_stipends"),
            _("What you earned for your verified surveys."),
        ),
        Destination(
            "family_ventures",
            _("Ventures"),
            reverse("family_ventures"),
            _("Plan your venture, track it month by month, ask for funding on your terms."),
            also=("/family/asks/",),
        ),
        Destination(
            "family_help",
            _("Help between families"),
            reverse("family_help"),
            _("Record help you gave or received."),
        ),
        Destination(
            "family_directory",
            _("Peer directory"),
            reverse("family_directory"),
            _("Families of the cohort: what they offer and look for."),
        ),
        Destination(
            "family_practices",
            _("Our practices"),
            reverse("family_practices"),
            _("What you did, in your own words."),
        ),
        Destination(
            "family_requests",
            _("Ask your partner"),
            reverse("family_requests"),
            _("Paperwork, a payment, a question about the platform."),
        ),
    ]
    if show_consulting:
        items.append(
            Destination(
                "family_consulting",
                _("Consulting"),
                reverse("family_consulting"),
                _("Help the families of a newer demonstration, as a peer consultant."),
            )
        )
    if family.is_seed:
        items.append(
            Destination(
                "family_invitations",
                _("Invite friends"),
                reverse("family_invitations"),
                _("Invite friend households to join your group."),
            )
        )
    items.append(
        Destination(
            "family_consent",
            _("Privacy"),
            reverse("family_consent"),
            _("Choose what others see of your family."),
        )
    )
    items.append(
        Destination(
            "family_notices",
            _("Notices"),
            reverse("family_notices"),
            _("How we tell you the survey is open, and in which language."),
        )
    )
    return items


# (capability, key, label, note, other paths under the partner): the order of the bar and menu.
STAFF_ROWS = [
    ("partner.view", "partner_home", _("Home"), "", ()),
    ("cohort.view_all", "cohort_list", _("Cohorts"), _("Cohorts, their families and phase."),
     ("families/",)),
    ("survey.verify", "review_queue", _("Surveys"), _("Surveys and stories to verify."),
     ("stories/",)),
    ("payments.manage", "payments", _("Payments"), _("Stipends and payment batches."), ()),
    ("request.view", "staff_requests", _("Requests"),
     _("Paperwork, payments and questions from families."), ()),
    ("team.view", "team", _("Team and invitations"), _("Who works here, and who is invited."),
     ()),
    ("ask.review", "staff_ventures", _("Ventures and funding"),
     _("Families' ventures and their funding asks."), ("asks/", "repayments/")),
    ("practice.manage", "practice_catalogue", _("Practices"),
     _("What families do, as the catalogue names it."), ()),
    ("trends.view_partner", "partner_trends", _("Trends"),
     _("Progress of the partner's families, month by month."), ()),
    ("changemakers.review", "changemaker_candidates", _("Everyday Changemakers"),
     _("Candidates to nominate, and features."), ()),
    ("messages.usage", "message_usage", _("Text messages"),
     _("Texts and emails sent each month, and what they cost."), ()),
    ("notices.word", "notice_wording_list", _("How notices read"),
     _("Your wording of the texts families get."), ()),
    ("survey.template_edit", "survey_template", _("Survey questions"),
     _("The questions of the monthly survey."), ()),
    ("partner.edit", "partner_settings", _("Settings"),
     _("Stipend, currency, languages and phase rules."), ()),
    ("audit.view", "audit_log", _("Audit trail"), _("Who changed what, and when."), ()),
]  # fmt: skip


def _staff_destinations(seat) -> list[Destination]:
    slug = seat.partner.slug
    base = reverse("partner_home", args=[slug])
    return [
        Destination(key, label, reverse(key, args=[slug]), note, tuple(base + p for p in also))
        for capability, key, label, note, also in STAFF_ROWS
        if seat.can(capability)
    ]


def _funder_destinations() -> list[Destination]:
    return [
        Destination("funder_home", _("Home"), reverse("funder_home")),
        Destination(
            "funder_outcomes",
            _("Outcomes"),
            reverse("funder_outcomes"),
            _("Aggregate outcomes of the partners you fund."),
        ),
        Destination(
            "gallery",
            _("Everyday Changemakers"),
            reverse("gallery"),
            _("Families leading change, featured with their consent."),
        ),
    ]


def _platform_destinations() -> list[Destination]:
    return [
        Destination("platform_home", _("Partners"), reverse("platform_home")),
        Destination(
            "platform_trends", _("Trends"), reverse("platform_trends"), _("Trends by country.")
        ),
        Destination(
            "exchange_rates",
            _("Exchange rates"),
            reverse("exchange_rates"),
            _("The rates that give asks their US dollar value."),
        ),
        Destination(
            "platform_features",
            _("Everyday Changemakers"),
            reverse("platform_features"),
            _("Features for the global gallery."),
        ),
    ]


def _current_key(items: list[Destination], path: str) -> str | None:
    """The destination whose address is the longest start of `path`; a home only for itself."""
    best, best_length = None, 0
    for index, item in enumerate(items):
        for prefix in (item.url, *item.also):
            exact_only = index == 0
            matches = path == prefix if exact_only else path.startswith(prefix)
            if matches and len(prefix) > best_length:
                best, best_length = item.key, len(prefix)
    return best


def _seat_from_context(context, request):
    seat = context.get("seat")
    if isinstance(seat, policy.Seat):
        return seat
    match = request.resolver_match
    slug = match.kwargs.get("partner_slug") if match else None
    if slug:
        try:
            return policy.access_partner(request.user, slug)
        except NotFound:
            return None
    return None


def _destinations_for(context, request) -> tuple[str, list[Destination]]:
    user = request.user
    path = request.path
    if path.startswith("/p/"):
        seat = _seat_from_context(context, request)
        if seat is not None:
            return "staff", _staff_destinations(seat)
    if path.startswith("/platform/") and policy.is_platform_admin(user):
        return "platform", _platform_destinations()
    if path.startswith("/funder/"):
        return "funder", _funder_destinations()
    family = context.get("family") if path.startswith("/family/") else None
    if family is None or getattr(family, "pk", None) is None:
        family = family_selectors.family_for_user(user)
    if family is not None:
        show_consulting = bool(context.get("show_consulting"))
        counts = context.get("consulting_counts") or {}
        show_consulting = show_consulting or bool(counts.get("invited") or counts.get("active"))
        return "family", _family_destinations(family, show_consulting=show_consulting)
    memberships = list(account_selectors.memberships_for_user(user))
    if len(memberships) == 1 and not policy.is_platform_admin(user):
        return "staff", _staff_destinations(policy.seat_for(user, memberships[0].partner))
    if policy.is_platform_admin(user) and not memberships:
        return "platform", _platform_destinations()
    if account_selectors.funder_profile_for(user) is not None and not memberships:
        return "funder", _funder_destinations()
    return "choose", [Destination("home", _("Home"), reverse("home"))]


def navigation_for(context, request) -> Navigation | None:
    """The navigation of the page being drawn, computed once per request."""
    cached = getattr(request, "_navigation", None)
    if cached is not None:
        return cached
    if not request.user.is_authenticated:
        return None
    kind, places = _destinations_for(context, request)
    # The account is always one tap away, never in the bar.
    primary = places[: PRIMARY_LIMIT[kind]]
    account = Destination(
        "mfa_index",
        _("Account security"),
        reverse("mfa_index"),
        also=("/accounts/2fa/", "/accounts/sessions/", "/accounts/password/"),
    )
    more = [*places[len(primary) :], account]
    items = primary + more
    navigation = Navigation(
        kind=kind, primary=primary, more=more, current=_current_key(items, request.path)
    )
    request._navigation = navigation
    return navigation
