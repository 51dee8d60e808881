"""Partner B's people never reach partner A's objects: every route that takes an id answers 404.

The walker visits every URL pattern with arguments, pages and API alike. A new route whose
arguments the walker does not know fails `test_the_walker_knows_every_route_with_an_id` until
it is taught here how to find partner A's object for that argument.
"""

import datetime
import io
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from accounts import policy
from accounts.models import Membership, StaffInvitation
from accounts.services import _staff_invitation_issue
from families.access import FamilySeat
from families.services import (
    family_invitation_create,
    help_record,
    peer_invite,
    post_create,
    staff_request_create,
)
from surveys.services import (
    payment_batch_create,
    practice_create,
    story_create,
    survey_create,
    survey_verify,
)
from tests import clock
from tests.factories import CohortFactory, UserFactory, enable_totp
from ventures.services import (
    PlanInput,
    ask_create,
    ask_submit,
    pledge_create,
    repayment_schedule_create,
    venture_create,
)

# Routes that take a secret, not an id: whoever holds the secret may use them, whoever does
# not gets a clear refusal. They are tested in their own modules.
TOKEN_ROUTES = {
    "staff_invitation_accept",  # /join/<token>/
    "family_invitation_accept",  # /invite/<token>/
    "family_welcome",  # /welcome/<token>/
    "api_family_invitation_accept",  # /api/v1/invitations/<token>/accept/
    # allauth's own links sent by email
    "account_confirm_email",
    "account_reset_password_from_key",
    # a provider's delivery reports, addressed by the partner's secret (messaging tests)
    "sms-africastalking-delivery",
    # inbound texts and USSD screens, addressed the same way (messaging/tests/test_inbound_hooks.py)
    "sms-africastalking-inbound",
    "ussd-africastalking",
}


@dataclass
class Route:
    name: str
    pattern: str
    kwargs: tuple[str, ...]


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            converters = entry.pattern.converters if hasattr(entry.pattern, "converters") else {}
            names = tuple(converters) or tuple(entry.pattern.regex.groupindex)
            yield Route(f"{namespace}{entry.name}" if entry.name else "", pattern, names)


def routes_with_ids() -> list[Route]:
    routes = [route for route in _walk(get_resolver()) if route.kwargs]
    return [route for route in routes if route.name.split(":")[-1] not in TOKEN_ROUTES]


def _pending_invitation(tenant) -> StaffInvitation:
    invitation, _token = _staff_invitation_issue(
        actor=tenant.admin, partner=tenant.partner, email="newcomer@example.org", role="liaison"
    )
    return invitation


def _seed_seat(tenant) -> FamilySeat:
    return FamilySeat(user=tenant.seed_member, family=tenant.seed_family)


def _post(tenant) -> int:
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 60)).save(picture, format="PNG")
    return post_create(
        seat=_seed_seat(tenant),
        body="We opened a savings account!",
        photo=ContentFile(picture.getvalue(), name="photo.png"),
    ).pk


def _family_invitation(tenant) -> int:
    invitation, _token = family_invitation_create(
        seat=_seed_seat(tenant), name="A friend", phone="+1 510 555 0199"
    )
    return invitation.pk


def _help_exchange(tenant) -> int:
    return help_record(
        seat=_seed_seat(tenant),
        other_family=tenant.friend_family,
        direction="given",
        kind="childcare",
        estimated_value="20.00",
        happened_on=clock.month(-2),
    ).pk


FULL_ANSWERS = {
    "income_wages": "1200.00",
    "income_business": "0",
    "income_benefits": "150.00",
    "income_other": "0",
    "savings_balance": "80.00",
    "debt_formal": "0",
    "debt_high_cost": "300.00",
    "adults_working": 1,
}


def _survey(tenant):
    return survey_create(
        seat=_seed_seat(tenant), period=timezone.localdate(), answers=FULL_ANSWERS, submit=True
    )


def _verified_survey(tenant, months_back: int = 0):
    period = timezone.localdate().replace(day=1)
    for _ in range(months_back):
        period = (period - datetime.timedelta(days=1)).replace(day=1)
    survey = survey_create(
        seat=FamilySeat(user=tenant.friend_member, family=tenant.friend_family),
        period=period,
        answers=FULL_ANSWERS,
        submit=True,
    )
    seat = policy.access_partner(tenant.staff, tenant.partner.slug)
    return survey_verify(seat=seat, response=survey)


def _story(tenant) -> int:
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 60)).save(picture, format="PNG")
    return story_create(
        seat=_seed_seat(tenant),
        title="How we saved",
        body="Ten dollars a week.",
        visibility="group",
        photos=[ContentFile(picture.getvalue(), name="photo.png")],
    ).pk


def _batch(tenant) -> int:
    _verified_survey(tenant, months_back=1)
    seat = policy.access_partner(tenant.staff, tenant.partner.slug)
    return payment_batch_create(seat=seat, name="November").pk


def _staff_request(tenant) -> int:
    return staff_request_create(
        seat=_seed_seat(tenant), kind="paperwork", subject="Benefits form", body="Which form?"
    ).pk


def _consultancy(tenant) -> int:
    later = CohortFactory(
        partner=tenant.partner,
        name=f"Later {tenant.partner.slug}",
        started_on=clock.month(1),
    )
    seat = policy.access_partner(tenant.staff, tenant.partner.slug)
    return peer_invite(seat=seat, family=tenant.seed_family, cohort=later).pk


def _action_report(tenant) -> int:
    survey = survey_create(
        seat=_seed_seat(tenant),
        period=clock.period(-4),
        answers={**FULL_ANSWERS, "practices": ["savings-circle"]},
        submit=True,
    )
    return survey.actions.get().pk


def _venture(tenant, visibility="group"):
    return venture_create(
        seat=_seed_seat(tenant),
        name="Tamales on Saturdays",
        kind="new",
        sector="food",
        description="Tamales sold from a basket at the market.",
        visibility=visibility,
        plan=PlanInput(
            budget_lines=[("Steamer", "80.00")],
            milestones=[("First market day", clock.on(1, 9))],
        ),
    )


def _open_ask(tenant, kind="donation"):
    venture = _venture(tenant, visibility="public")  # funders see asks of public ventures
    ask = ask_create(
        seat=_seed_seat(tenant),
        venture=venture,
        kind=kind,
        amount="300.00",
        purpose="A steamer and a cooler",
        deadline=clock.month(6),
        friends_first_days=0,
        repayment_months=3 if kind == "loan" else None,
    )
    tenant.partner.funding_asks_need_review = False
    tenant.partner.save()
    return ask_submit(seat=_seed_seat(tenant), ask=ask)


def _pledge(tenant) -> int:
    return pledge_create(user=tenant.funder, ask=_open_ask(tenant), amount="50.00").pk


def _repayment(tenant) -> int:
    ask = _open_ask(tenant, kind="loan")
    pledge_create(user=tenant.funder, ask=ask, amount="300.00")
    seat = policy.access_partner(tenant.staff, tenant.partner.slug)
    ask.refresh_from_db()
    return repayment_schedule_create(seat=seat, ask=ask, first_due_on=clock.month(2))[0].pk


def _own_practice(tenant) -> str:
    seat = policy.access_partner(tenant.admin, tenant.partner.slug)
    return practice_create(seat=seat, names={"en": "Community garden", "es": "Huerto"}).slug


def _candidate(tenant, kind="family"):
    from changemakers.models import Candidate

    subject = {"family": tenant.friend_family, "group": tenant.group}[kind]
    return Candidate.objects.create(
        partner=tenant.partner,
        cohort=tenant.cohort,
        period=clock.month(-2),
        kind=kind,
        subject_key=f"{kind}:{subject.pk}",
        **{kind: subject},
        score=40,
        reasons=[{"code": "income_up", "points": 40, "values": {"percent": "25"}}],
        computed_at=timezone.now(),
    )


def _feature(tenant) -> int:
    """A feature still waiting for the friend family's consent: never public."""
    from changemakers.models import Candidate, Feature, FeatureConsent

    candidate = _candidate(tenant, kind="group")
    candidate.state = Candidate.State.NOMINATED
    candidate.save(update_fields=["state"])
    feature = Feature.objects.create(
        partner=tenant.partner,
        cohort=tenant.cohort,
        candidate=candidate,
        headline="A group that lends a hand",
        story="They started a savings circle together.",
        country=tenant.partner.country,
        nominated_by=tenant.admin,
    )
    for family in (tenant.seed_family, tenant.friend_family):
        FeatureConsent.objects.create(partner=tenant.partner, feature=feature, family=family)
    return feature.pk


# How to find partner A's object for each route argument.
ARGUMENTS = {
    "partner_slug": lambda tenant: tenant.partner.slug,
    "invitation_id": lambda tenant: _pending_invitation(tenant).pk,
    "membership_id": lambda tenant: Membership.objects.get(user=tenant.liaison).pk,
    "cohort_id": lambda tenant: tenant.cohort.pk,
    "family_id": lambda tenant: tenant.friend_family.pk,
    "group_id": lambda tenant: tenant.group.pk,
    "post_id": _post,
    "family_invitation_id": _family_invitation,
    "exchange_id": _help_exchange,
    "survey_id": lambda tenant: _survey(tenant).pk,
    "story_id": _story,
    "stipend_id": lambda tenant: _verified_survey(tenant).stipend.pk,
    "batch_id": _batch,
    "request_id": _staff_request,
    "consultancy_id": _consultancy,
    "report_id": _action_report,
    "practice_slug": _own_practice,
    "venture_id": lambda tenant: _venture(tenant).pk,
    "ask_id": lambda tenant: _open_ask(tenant).pk,
    "pledge_id": _pledge,
    "repayment_id": _repayment,
    "milestone_id": lambda tenant: _venture(tenant).plans.get().milestones.get().pk,
    "candidate_id": lambda tenant: _candidate(tenant).pk,
    "feature_id": _feature,
    # A notice's wording is named by the notice and one of the partner's languages.
    "notice": lambda tenant: "survey_open",
    "language": lambda tenant: tenant.partner.languages[0],
}

# Public funding asks are shown to every funder, whatever partner they fund: there a funder of
# another partner may read (200) and is refused the owners' and staff's actions (403), but never
# reaches anything else of partner A.
PUBLIC_TO_FUNDERS = {"ask_id"}

# Routes whose object is named in the query string as well.
QUERIES = {
    "api_practice_context": lambda tenant: f"?cohort={tenant.cohort.pk}",
}


def test_the_walker_knows_every_route_with_an_id():
    unknown = {
        f"{route.pattern} ({route.name or 'unnamed'}): {name}"
        for route in routes_with_ids()
        for name in route.kwargs
        if name not in ARGUMENTS
    }
    unnamed = [route.pattern for route in routes_with_ids() if not route.name]
    assert not unknown, f"Teach tests/test_isolation.py these route arguments: {sorted(unknown)}"
    assert not unnamed, f"Name these routes so the walker can reverse them: {unnamed}"


def test_the_walker_covers_pages_and_api():
    names = {route.name for route in routes_with_ids()}
    assert {"partner_home", "team", "staff_invitation_revoke", "api_partner_members"} <= names


def _urls_for(tenant) -> list[tuple[str, str]]:
    urls = []
    found = {}  # one object per argument, shared by the routes that take it
    for route in routes_with_ids():
        for name in route.kwargs:
            if name not in found:
                found[name] = ARGUMENTS[name](tenant)
        kwargs = {name: found[name] for name in route.kwargs}
        query = QUERIES[route.name](tenant) if route.name in QUERIES else ""
        urls.append((route.name, reverse(route.name, kwargs=kwargs) + query))
    return urls


def _status(client, url: str) -> int:
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response.status_code


@pytest.fixture
def a_urls(world):
    return _urls_for(world.a)


def _outsiders(world):
    platform_admin = UserFactory(email="operator@example.org", is_superuser=True)
    enable_totp(platform_admin)
    return {
        "partner B admin": world.b.admin,
        "partner B staff": world.b.staff,
        "partner B liaison": world.b.liaison,
        "partner B family": world.b.seed_member,
        "partner B funder": world.b.funder,
        "platform admin": platform_admin,
        "user with no role": world.outsider,
    }


def test_every_route_with_an_id_is_404_for_people_of_another_partner(world, a_urls, client):
    failures = []
    routes = {route.name: route for route in routes_with_ids()}
    for seat, user in _outsiders(world).items():
        client.force_login(user)
        for name, url in a_urls:
            status = _status(client, url)
            public = seat.endswith("funder") and set(routes[name].kwargs) & PUBLIC_TO_FUNDERS
            if status != 404 and not (public and status in (200, 403)):
                failures.append(f"{seat} got {status} for {name} {url}")
        client.logout()
    assert not failures, "\n".join(failures)


def test_the_same_routes_work_for_partner_a_itself(world, a_urls, client):
    # Each route belongs to partner A's staff, one of its families, or a funder of its asks.
    not_found = []
    for name, url in a_urls:
        statuses = []
        for insider in [world.a.admin, world.a.seed_member, world.a.funder]:
            client.force_login(insider)
            statuses.append(_status(client, url))
        if all(status == 404 for status in statuses):
            not_found.append(f"{name} {url}")
    assert not not_found, f"The walker's URLs must point at real objects: {not_found}"


def test_the_walker_leaves_partner_a_unchanged(world, a_urls, client):
    pending_before = StaffInvitation.objects.filter(
        partner=world.a.partner, status=StaffInvitation.Status.PENDING
    ).count()
    client.force_login(world.b.admin)
    for _name, url in a_urls:
        _status(client, url)
    assert (
        StaffInvitation.objects.filter(
            partner=world.a.partner, status=StaffInvitation.Status.PENDING
        ).count()
        == pending_before
    )
