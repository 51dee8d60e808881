"""The ventures API: families create ventures (alone or collective), post monthly updates and
ask for funding on their own terms; funders see open public asks and pledge (never past the
amount: 409); staff check asks (approve or decline, never edit) and record pledges' money.
Staff and liaisons never create or change ventures or asks (403); another partner's people get
404; money is a decimal string with its currency."""

import datetime
import secrets
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import policy
from accounts.models import ApiToken
from families.access import FamilySeat
from tests import clock
from tests.factories import (
    CohortFactory,
    FamilyFactory,
    FunderProfileFactory,
    GroupFactory,
    HouseholdMemberFactory,
    UserFactory,
)
from tests.seats import seed_seat, signed_in
from ventures import services
from ventures.models import (
    AskReview,
    ExchangeRate,
    FundingAsk,
    Pledge,
    Venture,
    VentureUpdate,
)

VENTURES = "/api/v1/ventures/"
ASKS = "/api/v1/funding-asks/"
PAGE_KEYS = {"count", "next", "previous", "results"}


def later(days=60) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def staff_seat(tenant):
    return policy.access_partner(tenant.staff, tenant.partner.slug)


def a_venture(tenant, *, name="Tamales on Saturdays", visibility="public", seat=None):
    return services.venture_create(
        seat=seat or seed_seat(tenant),
        name=name,
        kind="new",
        sector="food",
        description="Tamales sold from a basket at the market.",
        visibility=visibility,
        plan=services.PlanInput(
            budget_lines=[("Steamer", "80.00")],
            milestones=[("First market day", later(30))],
        ),
    )


def an_ask(
    tenant, venture=None, *, amount="300.00", submit=True, days=0, kind="donation", seat=None
):
    seat = seat or seed_seat(tenant)
    venture = venture or a_venture(tenant, seat=seat)
    ask = services.ask_create(
        seat=seat,
        venture=venture,
        kind=kind,
        amount=amount,
        purpose="A steamer and a cooler",
        deadline=later(),
        friends_first_days=days,
        repayment_months=3 if kind == "loan" else None,
    )
    return services.ask_submit(seat=seat, ask=ask) if submit else ask


def an_open_ask(tenant, venture=None, **kwargs):
    ask = an_ask(tenant, venture, **kwargs)
    return services.ask_review(seat=staff_seat(tenant), ask=ask, decision="approve")


def venture_url(venture) -> str:
    return f"{VENTURES}{venture.pk}/"


def ask_url(ask, action="") -> str:
    return f"{ASKS}{ask.pk}/{action + '/' if action else ''}"


def venture_payload(tenant, **changes) -> dict:
    payload = {
        "name": "Tamales on Saturdays",
        "kind": "new",
        "sector": "food",
        "description": "Tamales sold from a basket at the market.",
        "owner_family": tenant.seed_family.pk,
        "budget": [{"item": "Steamer", "amount": "80.00"}, {"item": "Cooler", "amount": "45.5"}],
        "milestones": [{"what": "First market day", "due_on": later(30).isoformat()}],
        "expected_monthly_revenue": "400",
    }
    payload.update(changes)
    return {key: value for key, value in payload.items() if value is not None}


def ask_payload(**changes) -> dict:
    payload = {
        "kind": "donation",
        "amount": "300.00",
        "purpose": "A steamer and a cooler",
        "deadline": later().isoformat(),
    }
    payload.update(changes)
    return {key: value for key, value in payload.items() if value is not None}


def other_group_family(tenant):
    family = FamilyFactory(group=GroupFactory(cohort=tenant.cohort), name="Other group household")
    member = HouseholdMemberFactory(family=family)
    return FamilySeat(user=member.user, family=family)


def other_cohort_family(tenant):
    cohort = CohortFactory(partner=tenant.partner, name="Cohort elsewhere")
    family = FamilyFactory(group=GroupFactory(cohort=cohort), name="Household elsewhere")
    member = HouseholdMemberFactory(family=family)
    return FamilySeat(user=member.user, family=family)


def seen_asks(api, user) -> list[int]:
    """The ids of the asks `user` finds in the list, once the list is known to have answered."""
    response = signed_in(api, user).get(ASKS)
    assert response.status_code == 200
    assert set(response.json()) == PAGE_KEYS
    return [a["id"] for a in response.json()["results"]]


def b_people(world):
    return {
        "admin": world.b.admin,
        "staff": world.b.staff,
        "liaison": world.b.liaison,
        "family": world.b.seed_member,
        "funder": world.b.funder,
        "no role": world.outsider,
    }


# Creating a venture ----------------------------------------------------------------------------


def test_a_family_creates_its_venture_with_budget_and_milestones(world, api):
    response = signed_in(api, world.a.seed_member).post(
        VENTURES, venture_payload(world.a), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Tamales on Saturdays"
    assert body["owners"] == [{"id": world.a.seed_family.pk, "name": "Seed household A"}]
    assert body["collective"] is False
    assert body["visibility"] == "group"
    assert body["currency"] == "USD"
    assert body["plan"]["number"] == 1
    assert [(line["item"], line["amount"]) for line in body["plan"]["budget"]] == [
        ("Steamer", "80.00"),
        ("Cooler", "45.50"),
    ]
    assert body["plan"]["expected_monthly_revenue"] == "400.00"
    assert body["plan"]["milestones"][0]["what"] == "First market day"
    assert body["asks"] == [] and body["updates"] == [] and body["you_own"] is True
    venture = Venture.objects.get()
    assert venture.created_by == world.a.seed_member


def test_a_family_creates_a_collective_venture_with_its_group(world, api):
    response = signed_in(api, world.a.seed_member).post(
        VENTURES,
        venture_payload(
            world.a,
            owner_family=None,
            owner_group=world.a.group.pk,
            co_owners=[world.a.friend_family.pk],
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["collective"] is True
    assert body["group"] == world.a.group.pk
    assert {owner["id"] for owner in body["owners"]} == {
        world.a.seed_family.pk,
        world.a.friend_family.pk,
    }


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_staff_and_liaisons_cannot_create_ventures(world, api, seat):
    user = getattr(world.a, seat)
    response = signed_in(api, user).post(VENTURES, venture_payload(world.a), format="json")
    assert response.status_code == 403
    assert response.json()["message"] == "Only families create ventures."
    assert not Venture.objects.exists()


def test_funders_and_people_with_no_role_cannot_create_ventures(world, api):
    for user in [world.a.funder, world.outsider]:
        response = signed_in(api, user).post(VENTURES, venture_payload(world.a), format="json")
        assert response.status_code == 403
    assert not Venture.objects.exists()


def test_a_family_creates_ventures_for_itself_and_its_own_group_only(world, api):
    api = signed_in(api, world.a.seed_member)
    for payload, field in [
        (venture_payload(world.a, owner_family=world.a.friend_family.pk), "owner_family"),
        (venture_payload(world.a, owner_family=world.b.seed_family.pk), "owner_family"),
        (
            venture_payload(
                world.a,
                owner_family=None,
                owner_group=world.b.group.pk,
                co_owners=[world.a.friend_family.pk],
            ),
            "owner_group",
        ),
    ]:
        response = api.post(VENTURES, payload, format="json")
        assert response.status_code == 403
        assert field in response.json()["errors"]
    assert not Venture.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"name": ""}, "name"),
        ({"kind": "franchise"}, "kind"),
        ({"sector": "mining"}, "sector"),
        ({"description": None}, "description"),
        ({"budget": [{"item": "Steamer", "amount": "0"}]}, "budget"),
        ({"budget": [{"item": "Steamer", "amount": "-10"}]}, "budget"),
        ({"budget": [{"item": "Steamer", "amount": "99999999999"}]}, "budget"),
        ({"budget": [{"item": "Steamer", "amount": "ten"}]}, "budget.0.amount"),
        ({"milestones": [{"what": "Open", "due_on": "soon"}]}, "milestones.0.due_on"),
        ({"expected_monthly_revenue": "-1"}, "expected_monthly_revenue"),
        ({"owner_family": None}, "owner_family"),
        ({"owner_group": 1}, "owner_family"),
        ({"co_owners": [1]}, "co_owners"),
        ({"visibility": "world"}, "visibility"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_creates_nothing(world, api, changes, field):
    response = signed_in(api, world.a.seed_member).post(
        VENTURES, venture_payload(world.a, **changes), format="json"
    )
    assert response.status_code == 400, response.json()
    body = response.json()
    assert field in body["errors"], body
    assert body["message"]
    assert not Venture.objects.exists()


def test_co_owners_must_be_families_of_the_group(world, api):
    stranger = other_group_family(world.a)
    response = signed_in(api, world.a.seed_member).post(
        VENTURES,
        venture_payload(
            world.a, owner_family=None, owner_group=world.a.group.pk, co_owners=[stranger.family.pk]
        ),
        format="json",
    )
    assert response.status_code == 400
    assert "co_owners" in response.json()["errors"]
    assert not Venture.objects.exists()


def test_the_same_idempotency_key_creates_one_venture(world, api):
    api = signed_in(api, world.a.seed_member)
    payload = venture_payload(world.a)
    first = api.post(VENTURES, payload, format="json", HTTP_IDEMPOTENCY_KEY="v-1")
    second = api.post(VENTURES, payload, format="json", HTTP_IDEMPOTENCY_KEY="v-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Venture.objects.count() == 1


# Reading ventures ------------------------------------------------------------------------------


def test_families_see_the_ventures_they_may_and_staff_their_cohorts(world, api):
    a_venture(world.a, name="Ours, for the group", visibility="group")
    a_venture(world.a, name="Ours, for the cohort", visibility="cohort")
    a_venture(world.a, name="Ours, for staff only", visibility="partner")
    elsewhere = other_cohort_family(world.a)
    a_venture(world.a, name="Elsewhere", visibility="cohort", seat=elsewhere)

    def names(user):
        response = signed_in(api, user).get(VENTURES)
        assert response.status_code == 200
        assert set(response.json()) == PAGE_KEYS
        return {venture["name"] for venture in response.json()["results"]}

    everything_here = {"Ours, for the group", "Ours, for the cohort", "Ours, for staff only"}
    assert names(world.a.seed_member) == everything_here
    assert names(world.a.friend_member) == {"Ours, for the group", "Ours, for the cohort"}
    assert names(other_group_family(world.a).user) == {"Ours, for the cohort"}
    assert names(world.a.staff) == everything_here | {"Elsewhere"}
    assert names(world.a.liaison) == everything_here
    assert names(world.b.staff) == set()
    assert names(world.b.seed_member) == set()
    assert signed_in(api, world.a.funder).get(VENTURES).status_code == 403


def test_a_venture_shows_its_plan_updates_and_asks_with_progress(world, api):
    venture = a_venture(world.a)
    services.venture_post_update(
        seat=seed_seat(world.a),
        venture=venture,
        period=clock.period(-2),
        revenue="350",
        costs="120",
    )
    ask = an_open_ask(world.a, venture, days=0)
    services.pledge_create(user=world.a.funder, ask=ask, amount="120.00")
    an_ask(world.a, venture, submit=False, amount="50")  # a draft
    for user, asks in [(world.a.seed_member, 2), (world.a.friend_member, 1), (world.a.staff, 1)]:
        response = signed_in(api, user).get(venture_url(venture))
        assert response.status_code == 200
        body = response.json()
        assert body["plan"]["budget"][0]["amount"] == "80.00"
        assert body["updates"][0]["period"] == clock.period(-2)
        assert body["updates"][0]["revenue"] == "350.00"
        assert body["updates"][0]["currency"] == "USD"
        assert len(body["asks"]) == asks
        opened = next(a for a in body["asks"] if a["id"] == ask.pk)
        assert opened["progress"] == {"pledged": "120.00", "left": "180.00", "percent": 40}
        assert opened["currency"] == "USD"


def test_a_venture_of_another_partner_is_404(world, api):
    venture = a_venture(world.a, visibility="group")
    for seat, user in b_people(world).items():
        response = signed_in(api, user).get(venture_url(venture))
        assert response.status_code == 404, seat


def test_a_liaison_of_another_cohort_and_a_family_of_another_group_get_404(world, api):
    venture = a_venture(world.a, visibility="group", seat=other_cohort_family(world.a))
    assert signed_in(api, world.a.liaison).get(venture_url(venture)).status_code == 404
    group_only = a_venture(world.a, visibility="group")
    stranger = other_group_family(world.a)
    assert signed_in(api, stranger.user).get(venture_url(group_only)).status_code == 404


def test_the_ventures_list_needs_no_more_queries_for_more_ventures(world, api):
    def make(n, start):
        for i in range(start, start + n):
            a_venture(world.a, name=f"Venture {i:03d}", visibility="cohort")

    counts = {}
    make(10, 0)
    for user in [world.a.seed_member, world.a.staff]:
        with CaptureQueriesContext(connection) as queries:
            response = signed_in(api, user).get(VENTURES)
        assert response.status_code == 200
        assert response.json()["count"] == 10
        counts[user.pk] = len(queries)
    make(90, 10)
    for user in [world.a.seed_member, world.a.staff]:
        with CaptureQueriesContext(connection) as queries:
            response = signed_in(api, user).get(VENTURES)
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 100
        assert len(body["results"]) == 25
        assert body["next"]
        assert len(queries) == counts[user.pk]


# Monthly updates -------------------------------------------------------------------------------


def test_owners_post_a_months_update_once(world, api):
    venture = a_venture(world.a)
    api = signed_in(api, world.a.seed_member)
    data = {
        "period": clock.period(-2),
        "revenue": "350.00",
        "costs": "120",
        "household_jobs": 2,
        "other_jobs": 1,
        "note": "A good month.",
    }
    response = api.post(f"{venture_url(venture)}updates/", data, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["revenue"] == "350.00"
    assert response.json()["costs"] == "120.00"
    again = api.post(f"{venture_url(venture)}updates/", data, format="json")
    assert again.status_code == 409
    assert clock.month_label(-2) in again.json()["message"]
    assert VentureUpdate.objects.count() == 1
    listed = api.get(f"{venture_url(venture)}updates/").json()
    assert set(listed) == PAGE_KEYS
    assert listed["results"][0]["period"] == clock.period(-2)


def test_only_owners_post_updates(world, api):
    venture = a_venture(world.a, visibility="cohort")
    data = {"period": clock.period(-2), "revenue": "1", "costs": "1"}
    path = f"{venture_url(venture)}updates/"
    for user in [world.a.friend_member, world.a.staff, world.a.liaison, world.a.admin]:
        assert signed_in(api, user).post(path, data, format="json").status_code == 403
    for user in b_people(world).values():
        assert signed_in(api, user).post(path, data, format="json").status_code == 404
    assert not VentureUpdate.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"revenue": "-1"}, "revenue"),
        ({"costs": "lots"}, "costs"),
        ({"period": "October"}, "period"),
        ({"period": "2999-01"}, "period"),
        ({"household_jobs": -1}, "household_jobs"),
    ],
)
def test_a_bad_update_is_a_400_naming_the_field(world, api, changes, field):
    venture = a_venture(world.a)
    data = {"period": clock.period(-2), "revenue": "10", "costs": "5", **changes}
    response = signed_in(api, world.a.seed_member).post(
        f"{venture_url(venture)}updates/", data, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not VentureUpdate.objects.exists()


# Asking for funding ----------------------------------------------------------------------------


def test_owners_ask_for_funding_and_send_it_for_the_check(world, api):
    venture = a_venture(world.a)
    line = venture.plans.get().budget_lines.get()
    response = signed_in(api, world.a.seed_member).post(
        f"{venture_url(venture)}funding-asks/",
        ask_payload(budget_lines=[line.pk], submit=True),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "in_review"
    assert body["amount"] == "300.00"
    assert body["currency"] == "USD"
    assert body["usd_estimate"] == "300.00"
    assert body["progress"] == {"pledged": "0.00", "left": "300.00", "percent": 0}
    assert body["friends_first_days"] == 7  # the partner's setting
    ask = FundingAsk.objects.get()
    assert list(ask.budget_lines.all()) == [line]


def test_an_ask_in_another_currency_carries_its_usd_estimate(world, api):
    ExchangeRate.objects.create(currency="LRD", usd_per_unit=Decimal("0.005"))
    venture = a_venture(world.b)
    response = signed_in(api, world.b.seed_member).post(
        f"{venture_url(venture)}funding-asks/", ask_payload(amount="20000"), format="json"
    )
    assert response.status_code == 201
    assert response.json()["currency"] == "LRD"
    assert response.json()["usd_estimate"] == "100.00"
    assert response.json()["state"] == "draft"


def test_with_no_check_and_no_days_for_friends_an_ask_is_public_at_once(world, api):
    world.a.partner.funding_asks_need_review = False
    world.a.partner.save()
    venture = a_venture(world.a)
    response = signed_in(api, world.a.seed_member).post(
        f"{venture_url(venture)}funding-asks/",
        ask_payload(friends_first_days=0, submit=True),
        format="json",
    )
    assert response.json()["state"] == "open"
    assert response.json()["is_public"] is True
    listed = signed_in(api, world.b.funder).get(ASKS).json()
    assert [ask["id"] for ask in listed["results"]] == [response.json()["id"]]


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_staff_and_liaisons_cannot_ask_for_families(world, api, seat):
    venture = a_venture(world.a)
    response = signed_in(api, getattr(world.a, seat)).post(
        f"{venture_url(venture)}funding-asks/", ask_payload(), format="json"
    )
    assert response.status_code == 403
    assert not FundingAsk.objects.exists()


def test_an_ask_on_someone_elses_venture_is_refused_and_writes_nothing(world, api):
    venture = a_venture(world.a, visibility="cohort")
    path = f"{venture_url(venture)}funding-asks/"
    # a friend who may see it, but does not own it
    assert signed_in(api, world.a.friend_member).post(path, ask_payload()).status_code == 403
    # families who may not see it
    assert signed_in(api, world.b.seed_member).post(path, ask_payload()).status_code == 404
    hidden = a_venture(world.a, visibility="group")
    stranger = other_group_family(world.a)
    assert (
        signed_in(api, stranger.user)
        .post(f"{venture_url(hidden)}funding-asks/", ask_payload())
        .status_code
        == 404
    )
    for user in b_people(world).values():
        assert signed_in(api, user).post(path, ask_payload()).status_code == 404
    assert not FundingAsk.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-25"}, "amount"),
        ({"amount": "99999999999"}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"kind": "gift"}, "kind"),
        ({"purpose": ""}, "purpose"),
        ({"deadline": clock.on(-83, 1).isoformat()}, "deadline"),
        ({"deadline": "today"}, "deadline"),
        ({"friends_first_days": 99}, "friends_first_days"),
        ({"kind": "loan"}, "repayment_months"),
        ({"budget_lines": [999999]}, "budget_lines"),
    ],
)
def test_a_bad_ask_is_a_400_naming_the_field_and_writes_nothing(world, api, changes, field):
    venture = a_venture(world.a)
    response = signed_in(api, world.a.seed_member).post(
        f"{venture_url(venture)}funding-asks/", ask_payload(**changes), format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"], response.json()
    assert not FundingAsk.objects.exists()


def test_the_same_idempotency_key_creates_one_ask(world, api):
    venture = a_venture(world.a)
    api = signed_in(api, world.a.seed_member)
    path = f"{venture_url(venture)}funding-asks/"
    first = api.post(path, ask_payload(submit=True), format="json", HTTP_IDEMPOTENCY_KEY="a-1")
    second = api.post(path, ask_payload(submit=True), format="json", HTTP_IDEMPOTENCY_KEY="a-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert FundingAsk.objects.count() == 1


def test_owners_send_and_close_their_asks_and_nobody_else_does(world, api):
    ask = an_ask(world.a, submit=False)
    for user in [world.a.friend_member, world.a.staff, world.a.liaison]:
        assert signed_in(api, user).post(ask_url(ask, "submit")).status_code in (403, 404)
    for user in b_people(world).values():
        assert signed_in(api, user).post(ask_url(ask, "submit")).status_code == 404
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.DRAFT
    api = signed_in(api, world.a.seed_member)
    sent = api.post(ask_url(ask, "submit"))
    assert sent.status_code == 200
    assert sent.json()["state"] == "in_review"
    assert api.post(ask_url(ask, "submit")).status_code == 409
    for user in [world.a.staff, world.a.liaison]:
        assert signed_in(api, user).post(ask_url(ask, "close")).status_code == 403
    # friends do not know of an ask before it is published
    assert signed_in(api, world.a.friend_member).post(ask_url(ask, "close")).status_code == 404
    closed = signed_in(api, world.a.seed_member).post(ask_url(ask, "close"))
    assert closed.status_code == 200
    assert closed.json()["state"] == "closed"


# The partner's check ---------------------------------------------------------------------------


def test_staff_approve_an_ask_and_friends_see_it_first(world, api):
    ask = an_ask(world.a, days=7)
    response = signed_in(api, world.a.staff).post(
        ask_url(ask, "review"), {"decision": "approve"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["state"] == "open"
    assert response.json()["is_public"] is False
    assert response.json()["review"]["decision"] == "approve"
    friends = signed_in(api, world.a.friend_member).get(ASKS).json()["results"]
    assert [a["id"] for a in friends] == [ask.pk]
    assert seen_asks(api, world.a.funder) == []
    assert signed_in(api, world.a.funder).get(ask_url(ask)).status_code == 404


def test_declining_needs_a_reason_and_never_edits_the_ask(world, api):
    ask = an_ask(world.a)
    api = signed_in(api, world.a.staff)
    missing = api.post(ask_url(ask, "review"), {"decision": "decline"}, format="json")
    assert missing.status_code == 400
    assert "reason" in missing.json()["errors"]
    assert not AskReview.objects.exists()
    bad = api.post(ask_url(ask, "review"), {"decision": "maybe"}, format="json")
    assert bad.status_code == 400 and "decision" in bad.json()["errors"]
    declined = api.post(
        ask_url(ask, "review"),
        {"decision": "decline", "reason": "Name the cooler's use.", "amount": "1"},
        format="json",
    )
    assert declined.status_code == 200
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.DECLINED
    assert ask.amount == Decimal("300.00")
    owner_view = signed_in(api, world.a.seed_member).get(ask_url(ask)).json()
    assert owner_view["review"]["reason"] == "Name the cooler's use."
    again = signed_in(api, world.a.staff).post(
        ask_url(ask, "review"), {"decision": "approve"}, format="json"
    )
    assert again.status_code == 409


def test_liaisons_and_families_cannot_check_asks(world, api):
    ask = an_ask(world.a)
    for user in [world.a.liaison, world.a.seed_member]:
        response = signed_in(api, user).post(
            ask_url(ask, "review"), {"decision": "approve"}, format="json"
        )
        assert response.status_code == 403
    for user in b_people(world).values():
        response = signed_in(api, user).post(
            ask_url(ask, "review"), {"decision": "approve"}, format="json"
        )
        assert response.status_code == 404
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.IN_REVIEW
    assert not AskReview.objects.exists()


# What funders see ------------------------------------------------------------------------------


def test_funders_never_see_drafts_in_review_friends_first_or_group_only_asks(world, api):
    draft = an_ask(world.a, submit=False)
    in_review = an_ask(world.a)
    friends_first = an_open_ask(world.a, days=7)
    group_only = an_open_ask(world.a, a_venture(world.a, visibility="group"), days=0)
    cohort_only = an_open_ask(world.a, a_venture(world.a, visibility="cohort"), days=0)
    public = an_open_ask(world.a, days=0)
    for funder in [world.a.funder, world.b.funder]:
        api = signed_in(api, funder)
        listed = api.get(ASKS).json()
        assert [a["id"] for a in listed["results"]] == [public.pk]
        for hidden in [draft, in_review, friends_first, group_only, cohort_only]:
            assert api.get(ask_url(hidden)).status_code == 404
            response = api.post(ask_url(hidden, "pledges"), {"amount": "10"}, format="json")
            assert response.status_code == 404
        assert api.get(ask_url(public)).status_code == 200
    assert not Pledge.objects.exists()


def test_funders_filter_open_asks(world, api):
    small = an_open_ask(world.a, amount="100.00")
    loan = an_open_ask(world.a, amount="900.00", kind="loan")
    world.b.partner.funding_asks_need_review = False
    world.b.partner.save()
    liberia = an_ask(world.b, amount="5000.00")
    api = signed_in(api, world.a.funder)

    def ids(**params):
        response = api.get(ASKS, params)
        assert response.status_code == 200, response.json()
        return {a["id"] for a in response.json()["results"]}

    assert ids() == {small.pk, loan.pk, liberia.pk}
    assert ids(country="lr") == {liberia.pk}
    assert ids(kind="loan") == {loan.pk}
    assert ids(sector="food") == {small.pk, loan.pk, liberia.pk}
    assert ids(sector="crafts") == set()
    assert ids(min_amount="500", max_amount="1000") == {loan.pk}
    for params, field in [
        ({"min_amount": "lots"}, "min_amount"),
        ({"kind": "gift"}, "kind"),
        ({"sector": "mining"}, "sector"),
        ({"country": "Mexico"}, "country"),
    ]:
        response = api.get(ASKS, params)
        assert response.status_code == 400
        assert field in response.json()["errors"]


def test_families_see_their_own_asks_and_their_friends_open_ones(world, api):
    own_draft = an_ask(world.a, submit=False)
    in_review = an_ask(world.a)
    open_one = an_open_ask(world.a, a_venture(world.a, visibility="group"), days=7)
    seed = {a["id"] for a in signed_in(api, world.a.seed_member).get(ASKS).json()["results"]}
    assert seed == {own_draft.pk, in_review.pk, open_one.pk}
    friend = {a["id"] for a in signed_in(api, world.a.friend_member).get(ASKS).json()["results"]}
    assert friend == {open_one.pk}
    assert signed_in(api, world.a.friend_member).get(ask_url(own_draft)).status_code == 404
    assert signed_in(api, world.a.friend_member).get(ask_url(in_review)).status_code == 404
    stranger = other_group_family(world.a)
    assert seen_asks(api, stranger.user) == []
    b_ask = an_ask(world.b)
    assert seen_asks(api, world.b.seed_member) == [b_ask.pk]


def test_staff_see_their_partners_asks_but_never_drafts(world, api):
    draft = an_ask(world.a, submit=False)
    in_review = an_ask(world.a)
    listed = signed_in(api, world.a.staff).get(ASKS).json()
    assert [a["id"] for a in listed["results"]] == [in_review.pk]
    assert signed_in(api, world.a.staff).get(ask_url(draft)).status_code == 404
    assert signed_in(api, world.a.staff).get(ask_url(in_review)).status_code == 200
    b_ask = an_ask(world.b)
    assert seen_asks(api, world.b.staff) == [b_ask.pk]
    for seat, user in b_people(world).items():
        assert signed_in(api, user).get(ask_url(in_review)).status_code == 404, seat
    elsewhere = an_ask(world.a, seat=other_cohort_family(world.a))
    liaison = {a["id"] for a in signed_in(api, world.a.liaison).get(ASKS).json()["results"]}
    assert liaison == {in_review.pk}
    assert signed_in(api, world.a.liaison).get(ask_url(elsewhere)).status_code == 404


def test_the_asks_list_needs_no_more_queries_for_more_asks(world, api):
    def make(n):
        for _ in range(n):
            ask = an_open_ask(world.a, days=0)
            services.pledge_create(user=world.a.funder, ask=ask, amount="10.00")

    make(10)
    counts = {}
    for user in [world.a.funder, world.a.staff, world.a.seed_member]:
        with CaptureQueriesContext(connection) as queries:
            response = signed_in(api, user).get(ASKS)
        assert response.status_code == 200
        assert response.json()["count"] == 10
        counts[user.pk] = len(queries)
    make(90)
    for user in [world.a.funder, world.a.staff, world.a.seed_member]:
        with CaptureQueriesContext(connection) as queries:
            response = signed_in(api, user).get(ASKS)
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 100
        assert len(body["results"]) == 25
        assert body["results"][0]["progress"]["pledged"] == "10.00"
        assert len(queries) == counts[user.pk], user


# Pledges ---------------------------------------------------------------------------------------


def test_a_funder_pledges_toward_a_public_ask(world, api):
    ask = an_open_ask(world.a, days=0)
    response = signed_in(api, world.b.funder).post(
        ask_url(ask, "pledges"), {"amount": "120.5"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["amount"] == "120.50"
    assert body["currency"] == "USD"
    assert body["status"] == "pledged"
    detail = signed_in(api, world.a.seed_member).get(ask_url(ask)).json()
    assert detail["progress"] == {"pledged": "120.50", "left": "179.50", "percent": 40}


def test_a_pledge_past_the_amount_is_a_409_that_says_what_is_left(world, api):
    ask = an_open_ask(world.a, days=0, amount="300.00")
    api = signed_in(api, world.a.funder)
    assert api.post(ask_url(ask, "pledges"), {"amount": "250"}, format="json").status_code == 201
    response = api.post(ask_url(ask, "pledges"), {"amount": "100"}, format="json")
    assert response.status_code == 409
    assert response.json()["message"] == "Only $50.00 is still needed."
    assert Pledge.objects.count() == 1
    done = api.post(ask_url(ask, "pledges"), {"amount": "50"}, format="json")
    assert done.status_code == 201
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.FUNDED


def test_what_is_left_is_written_the_funders_way(world, api):
    from babel.numbers import format_currency

    ask = an_open_ask(world.a, days=0, amount="300.00")
    world.a.funder.language = "fr"
    world.a.funder.save(update_fields=["language"])
    # A real token and no Accept-Language: the funder's saved language answers.
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=world.a.funder,
        digest=ApiToken.digest_of(token),
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.post(ask_url(ask, "pledges"), {"amount": "250"}, format="json").status_code == 201
    response = api.post(ask_url(ask, "pledges"), {"amount": "100"}, format="json")
    assert response.status_code == 409
    left = format_currency(Decimal("50"), "USD", locale="fr")
    assert response.json()["message"] == f"Il ne manque plus que {left}."
    assert response.json()["errors"]["amount"] == [f"{left} au maximum."]
    # The language the caller asks for still wins over the saved one.
    asked = api.post(
        ask_url(ask, "pledges"), {"amount": "100"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert asked.json()["message"] == "Only $50.00 is still needed."


@pytest.mark.parametrize("amount", ["0", "-5", "lots", "99999999999"])
def test_a_bad_pledge_is_a_400_naming_the_amount(world, api, amount):
    ask = an_open_ask(world.a, days=0)
    response = signed_in(api, world.a.funder).post(
        ask_url(ask, "pledges"), {"amount": amount}, format="json"
    )
    assert response.status_code == 400
    assert "amount" in response.json()["errors"]
    assert not Pledge.objects.exists()


def test_only_funders_pledge(world, api):
    ask = an_open_ask(world.a, days=0)
    # those who may read it are told why not; others do not know of it
    for user in [world.a.seed_member, world.a.staff, world.a.liaison]:
        response = signed_in(api, user).post(ask_url(ask, "pledges"), {"amount": "10"})
        assert response.status_code == 403
    for user in [world.b.staff, world.b.liaison, world.b.seed_member, world.outsider]:
        response = signed_in(api, user).post(ask_url(ask, "pledges"), {"amount": "10"})
        assert response.status_code == 404
    assert not Pledge.objects.exists()


def test_the_same_idempotency_key_creates_one_pledge(world, api):
    ask = an_open_ask(world.a, days=0)
    api = signed_in(api, world.a.funder)
    first = api.post(
        ask_url(ask, "pledges"), {"amount": "40"}, format="json", HTTP_IDEMPOTENCY_KEY="p-1"
    )
    second = api.post(
        ask_url(ask, "pledges"), {"amount": "40"}, format="json", HTTP_IDEMPOTENCY_KEY="p-1"
    )
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Pledge.objects.count() == 1


def test_owners_and_staff_list_pledges_and_a_funder_their_own(world, api):
    ask = an_open_ask(world.a, days=0)
    services.pledge_create(user=world.a.funder, ask=ask, amount="10")
    other = FunderProfileFactory(user=UserFactory(), organization="Another fund")
    services.pledge_create(user=other.user, ask=ask, amount="20")
    path = ask_url(ask, "pledges")
    for user in [world.a.seed_member, world.a.staff, world.a.liaison]:
        body = signed_in(api, user).get(path).json()
        assert set(body) == PAGE_KEYS
        assert body["count"] == 2
    mine = signed_in(api, world.a.funder).get(path).json()
    assert [p["amount"] for p in mine["results"]] == ["10.00"]
    # a friend may read the ask, not its pledges
    assert signed_in(api, world.a.friend_member).get(path).status_code == 403
    for user in [world.b.staff, world.b.liaison, world.b.seed_member, world.outsider]:
        assert signed_in(api, user).get(path).status_code == 404


def test_staff_record_a_pledges_money_in_order(world, api):
    ask = an_open_ask(world.a, days=0, amount="100")
    pledge = services.pledge_create(user=world.a.funder, ask=ask, amount="100")
    path = f"/api/v1/pledges/{pledge.pk}/status/"
    api = signed_in(api, world.a.staff)
    assert api.post(path, {"status": "fulfilled"}, format="json").status_code == 409
    bad = api.post(path, {"status": "pledged"}, format="json")
    assert bad.status_code == 400 and "status" in bad.json()["errors"]
    received = api.post(path, {"status": "received"}, format="json")
    assert received.status_code == 200
    assert received.json()["status"] == "received"
    assert received.json()["received_at"]
    fell = api.post(path, {"status": "fell_through"}, format="json")
    assert fell.json()["status"] == "fell_through"
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.OPEN


def test_liaisons_funders_and_families_cannot_record_pledges_money(world, api):
    ask = an_open_ask(world.a, days=0)
    pledge = services.pledge_create(user=world.a.funder, ask=ask, amount="10")
    path = f"/api/v1/pledges/{pledge.pk}/status/"
    for user in [world.a.liaison, world.a.funder, world.a.seed_member]:
        response = signed_in(api, user).post(path, {"status": "received"}, format="json")
        assert response.status_code == 403
    for user in b_people(world).values():
        response = signed_in(api, user).post(path, {"status": "received"}, format="json")
        assert response.status_code == 404
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PLEDGED


# The contract ----------------------------------------------------------------------------------


def test_every_endpoint_needs_a_signed_in_user(world, api):
    ask = an_open_ask(world.a, days=0)
    pledge = services.pledge_create(user=world.a.funder, ask=ask, amount="10")
    venture = ask.venture
    for path in [
        VENTURES,
        venture_url(venture),
        f"{venture_url(venture)}updates/",
        f"{venture_url(venture)}funding-asks/",
        ASKS,
        ask_url(ask),
        ask_url(ask, "pledges"),
    ]:
        assert api.get(path).status_code in (401, 403), path
    for path in [ask_url(ask, "review"), f"/api/v1/pledges/{pledge.pk}/status/"]:
        assert api.post(path, {}).status_code in (401, 403), path
