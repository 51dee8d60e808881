"""The trends API: a family's months against its baseline, a cohort's and a partner's aggregates.

Who sees what: a family its own months (never a peer's); liaisons their cohorts; staff and
admins everything of their partner; funders with access the cohort and partner aggregates only
(never groups or families); partner B's people and funders without access 404 everywhere.
Money is a decimal string with `currency`; a percent is null where the baseline is 0.
"""

import datetime
from decimal import Decimal

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft7Validator

from accounts import policy
from accounts.models import Role
from changemakers import trends
from changemakers.models import FamilyMonth, TrendAggregate
from changemakers.tests.trend_data import survey
from families.models import Cohort, Group
from surveys.services import survey_create, survey_verify
from tests import clock, factories
from tests.seats import friend_seat, signed_in

JAN, FEB, MAR = clock.month(-5), clock.month(-4), clock.month(-3)


# Rows as the trends job writes them ------------------------------------------------------------


def months_from(first: datetime.date, count: int) -> list[datetime.date]:
    periods, period = [], first
    for _ in range(count):
        periods.append(period)
        period = (period + datetime.timedelta(days=32)).replace(day=1)
    return periods


def family_month(family, period, **values) -> FamilyMonth:
    """A family's month; by default it matches its baseline exactly (no change)."""
    row = {
        "income_wages": Decimal("1000.00"),
        "income_business": Decimal("0.00"),
        "income_benefits": Decimal("200.00"),
        "income_other": Decimal("0.00"),
        "income_total": Decimal("1200.00"),
        "savings": Decimal("100.00"),
        "debt_formal": Decimal("500.00"),
        "debt_high_cost": Decimal("100.00"),
        "debt_total": Decimal("600.00"),
        "net_position": Decimal("-500.00"),
        "help_given_value": Decimal("0.00"),
        "help_received_value": Decimal("0.00"),
        "help_given_count": 0,
        "help_received_count": 0,
        "baseline_income": Decimal("1200.00"),
        "baseline_savings": Decimal("100.00"),
        "baseline_debt": Decimal("600.00"),
        "baseline_net": Decimal("-500.00"),
        "income_change": Decimal("0.00"),
        "income_change_pct": Decimal("0.00"),
        "savings_change": Decimal("0.00"),
        "savings_change_pct": Decimal("0.00"),
        "debt_change": Decimal("0.00"),
        "debt_change_pct": Decimal("0.00"),
        "net_change": Decimal("0.00"),
        "net_change_pct": Decimal("0.00"),
        "improved": False,
    }
    row.update(values)
    return FamilyMonth.objects.create(
        partner=family.partner,
        cohort=family.cohort,
        group=family.group,
        family=family,
        period=period,
        computed_at=timezone.now(),
        **row,
    )


def aggregate(subject, period, **values) -> TrendAggregate:
    """The month of a partner, cohort or group (in the partner's currency)."""
    if isinstance(subject, Group):
        scope, partner, cohort, group = "group", subject.partner, subject.cohort, subject
    elif isinstance(subject, Cohort):
        scope, partner, cohort, group = "cohort", subject.partner, subject, None
    else:
        scope, partner, cohort, group = "partner", subject, None, None
    row = {
        "families": 10,
        "median_income_change": Decimal("150.00"),
        "median_income_change_pct": Decimal("12.50"),
        "median_net_change": Decimal("80.00"),
        "median_net_change_pct": Decimal("16.00"),
        "share_improved": Decimal("0.6000"),
        "income_total": Decimal("12000.00"),
        "benefits_total": Decimal("1800.00"),
        "benefits_share": Decimal("0.1500"),
        "help_value": Decimal("340.00"),
        "jobs": 3,
    }
    row.update(values)
    return TrendAggregate.objects.create(
        scope=scope,
        scope_key=f"{scope}:{subject.pk}",
        partner=partner,
        cohort=cohort,
        group=group,
        period=period,
        currency=partner.currency,
        computed_at=timezone.now(),
        **row,
    )


def other_liaison(tenant):
    """A liaison of the same partner, assigned to another cohort only."""
    user = factories.UserFactory(email=f"other-liaison@{tenant.partner.slug}.example.org")
    factories.MembershipFactory(partner=tenant.partner, user=user, role=Role.LIAISON)
    factories.enable_totp(user)
    other = factories.CohortFactory(partner=tenant.partner, name="Another cohort")
    other.liaisons.add(user)
    return user, other


def funder_without_access():
    profile = factories.FunderProfileFactory(
        user=factories.UserFactory(email="no-grant@funder.example.org")
    )
    return profile.user


def partner_b_people(world):
    return {
        "admin B": world.b.admin,
        "staff B": world.b.staff,
        "liaison B": world.b.liaison,
        "family B": world.b.seed_member,
        "funder B": world.b.funder,
        "no role": world.outsider,
    }


def family_url(family) -> str:
    return f"/api/v1/trends/families/{family.pk}/"


def cohort_url(cohort) -> str:
    return f"/api/v1/trends/cohorts/{cohort.pk}/"


def partner_url(partner) -> str:
    return f"/api/v1/trends/partners/{partner.slug}/"


# The schema, as JSON Schema: every answer below is checked against it ---------------------------


@pytest.fixture
def schema(api, db):
    return yaml.safe_load(api.get("/api/v1/schema/").content)


def _json_schema(node, components):
    """OpenAPI 3.0 -> JSON Schema: refs inlined, `nullable` as a null type, and no property
    the schema does not name."""
    if isinstance(node, list):
        return [_json_schema(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _json_schema(components[node["$ref"].split("/")[-1]], components)
    node = {key: _json_schema(value, components) for key, value in node.items()}
    if node.get("type") == "object" and "properties" in node:
        node["additionalProperties"] = False
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def matches_schema(schema, path: str, body) -> None:
    operation = schema["paths"][path]["get"]
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    validator = Draft7Validator(_json_schema(response, schema["components"]["schemas"]))
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
    assert not problems, problems


# A family's months -----------------------------------------------------------------------------


def test_a_family_sees_its_own_months_oldest_first_with_money_as_strings(world, api, schema):
    family = world.a.seed_family
    family_month(
        family,
        FEB,
        income_wages=Decimal("1300.00"),
        income_total=Decimal("1500.00"),
        savings=Decimal("300.00"),
        debt_high_cost=Decimal("0.00"),
        debt_total=Decimal("500.00"),
        net_position=Decimal("-200.00"),
        help_given_value=Decimal("50.00"),
        help_given_count=1,
        income_change=Decimal("300.00"),
        income_change_pct=Decimal("25.00"),
        savings_change=Decimal("200.00"),
        savings_change_pct=Decimal("200.00"),
        debt_change=Decimal("-100.00"),
        debt_change_pct=Decimal("-16.67"),
        net_change=Decimal("300.00"),
        net_change_pct=Decimal("60.00"),
        improved=True,
    )
    family_month(family, JAN)

    response = signed_in(api, world.a.seed_member).get(family_url(family))

    assert response.status_code == 200
    body = response.json()
    matches_schema(schema, "/api/v1/trends/families/{family_id}/", body)
    assert body["family"] == family.pk
    assert body["currency"] == "USD"
    assert body["baseline"] == {
        "income": "1200.00",
        "savings": "100.00",
        "debt": "600.00",
        "net": "-500.00",
    }
    assert [m["month"] for m in body["months"]] == [clock.period(-5), clock.period(-4)]
    february = body["months"][1]
    assert february["income"] == {
        "wages": "1300.00",
        "business": "0.00",
        "benefits": "200.00",
        "other": "0.00",
        "total": "1500.00",
    }
    assert february["savings"] == "300.00"
    assert february["debt"] == {"formal": "500.00", "high_cost": "0.00", "total": "500.00"}
    assert february["net_position"] == "-200.00"
    assert february["help"] == {
        "given_value": "50.00",
        "received_value": "0.00",
        "given_count": 1,
        "received_count": 0,
    }
    assert february["change"] == {
        "income": "300.00",
        "income_pct": "25.00",
        "savings": "200.00",
        "savings_pct": "200.00",
        "debt": "-100.00",
        "debt_pct": "-16.67",
        "net": "300.00",
        "net_pct": "60.00",
    }
    assert february["improved"] is True
    assert body["months"][0]["improved"] is False


def test_a_percent_is_null_where_the_baseline_is_zero(world, api, schema):
    family = world.a.friend_family
    zero = Decimal("0.00")
    family_month(
        family,
        FEB,
        income_wages=zero,
        income_benefits=zero,
        income_other=Decimal("100.00"),
        income_total=Decimal("100.00"),
        savings=zero,
        debt_formal=zero,
        debt_high_cost=zero,
        debt_total=zero,
        net_position=zero,
        baseline_income=zero,
        baseline_savings=zero,
        baseline_debt=zero,
        baseline_net=zero,
        income_change=Decimal("100.00"),
        income_change_pct=None,
        savings_change=zero,
        savings_change_pct=None,
        debt_change=zero,
        debt_change_pct=None,
        net_change=zero,
        net_change_pct=None,
        improved=True,
    )

    response = signed_in(api, world.a.friend_member).get(family_url(family))
    assert response.status_code == 200
    body = response.json()

    matches_schema(schema, "/api/v1/trends/families/{family_id}/", body)
    change = body["months"][0]["change"]
    assert change["income"] == "100.00"
    assert change["income_pct"] is None
    assert change["net_pct"] is None and change["savings_pct"] is None
    assert body["baseline"]["income"] == "0.00"


def test_before_any_verified_month_the_baseline_is_empty(world, api, schema):
    response = signed_in(api, world.a.seed_member).get(family_url(world.a.seed_family))
    assert response.status_code == 200
    body = response.json()

    matches_schema(schema, "/api/v1/trends/families/{family_id}/", body)
    assert body["months"] == []
    assert body["baseline"] == {"income": None, "savings": None, "debt": None, "net": None}
    assert body["currency"] == "USD"


@pytest.mark.parametrize("role", ["admin", "staff", "liaison"])
def test_the_partners_staff_and_the_cohorts_liaison_read_a_familys_months(world, api, role):
    family_month(world.a.friend_family, JAN)

    response = signed_in(api, getattr(world.a, role)).get(family_url(world.a.friend_family))

    assert response.status_code == 200
    assert [m["month"] for m in response.json()["months"]] == [clock.period(-5)]


def test_a_peer_family_of_the_same_group_gets_404_like_for_its_surveys(world, api):
    family_month(world.a.friend_family, JAN)

    response = signed_in(api, world.a.seed_member).get(family_url(world.a.friend_family))

    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "errors": {}}


def test_a_liaison_of_another_cohort_and_funders_get_404(world, api):
    family_month(world.a.friend_family, JAN)
    liaison, _cohort = other_liaison(world.a)

    for user in (liaison, world.a.funder, funder_without_access()):
        response = signed_in(api, user).get(family_url(world.a.friend_family))
        assert response.status_code == 404, user.email


def test_partner_b_people_get_404_for_a_family_of_partner_a(world, api):
    family_month(world.a.friend_family, JAN)
    for label, user in partner_b_people(world).items():
        response = signed_in(api, user).get(family_url(world.a.friend_family))
        assert response.status_code == 404, label
        assert response.json() == {"message": "Not found.", "errors": {}}, label
        assert clock.period(-5) not in response.content.decode()


def test_a_familys_months_take_the_same_queries_for_3_or_24_months(world, api):
    few, many = world.a.seed_family, world.a.friend_family
    for period in months_from(clock.month(-35), 3):
        family_month(few, period)
    for period in months_from(clock.month(-35), 24):
        family_month(many, period)
    client = signed_in(api, world.a.staff)

    counts = []
    for family in (few, many):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(family_url(family))
        assert response.status_code == 200
        counts.append(len(captured))
    assert len(client.get(family_url(many)).json()["months"]) == 24
    assert counts[0] == counts[1]


# A cohort --------------------------------------------------------------------------------------


@pytest.fixture
def cohort_months(world):
    a = world.a
    aggregate(a.cohort, JAN, median_income_change=Decimal("0.00"), share_improved=Decimal("0"))
    aggregate(a.cohort, FEB)
    aggregate(a.cohort, MAR, median_income_change=Decimal("210.50"))
    aggregate(a.group, FEB, families=2, median_income_change=Decimal("99.00"))
    aggregate(a.partner, FEB, families=40)
    return a.cohort


@pytest.mark.parametrize("role", ["admin", "staff", "liaison"])
def test_staff_and_the_cohorts_liaison_see_the_cohort_and_its_groups(
    world, api, schema, cohort_months, role
):
    response = signed_in(api, getattr(world.a, role)).get(cohort_url(world.a.cohort))

    assert response.status_code == 200
    body = response.json()
    matches_schema(schema, "/api/v1/trends/cohorts/{cohort_id}/", body)
    assert (body["cohort"], body["name"], body["currency"]) == (
        world.a.cohort.pk,
        "Cohort A",
        "USD",
    )
    assert [m["month"] for m in body["months"]] == [
        clock.period(-5),
        clock.period(-4),
        clock.period(-3),
    ]
    february = body["months"][1]
    assert february == {
        "month": clock.period(-4),
        "currency": "USD",
        "families": 10,
        "median_income_change": "150.00",
        "median_income_change_pct": "12.50",
        "median_net_change": "80.00",
        "median_net_change_pct": "16.00",
        "share_improved": "0.6000",
        "income_total": "12000.00",
        "benefits_total": "1800.00",
        "benefits_share": "0.1500",
        "help_value": "340.00",
        "jobs": 3,
    }
    assert body["groups"] == [
        {
            "group": world.a.group.pk,
            "name": "Group A",
            "months": [
                {**february, "families": 2, "median_income_change": "99.00"},
            ],
        }
    ]


def test_funders_with_access_see_the_cohort_aggregates_only(world, api, schema, cohort_months):
    response = signed_in(api, world.a.funder).get(cohort_url(world.a.cohort))

    assert response.status_code == 200
    body = response.json()
    matches_schema(schema, "/api/v1/trends/cohorts/{cohort_id}/", body)
    assert len(body["months"]) == 3
    assert body["groups"] is None
    text = response.content.decode()
    assert "Group A" not in text and "99.00" not in text
    assert "household" not in text.lower()


def test_a_funder_without_access_gets_404_for_the_cohort(world, api, cohort_months):
    for user in (funder_without_access(), world.b.funder):
        response = signed_in(api, user).get(cohort_url(world.a.cohort))
        assert response.status_code == 404


def test_the_cohorts_own_families_get_403(world, api, cohort_months):
    for user in (world.a.seed_member, world.a.friend_member):
        response = signed_in(api, user).get(cohort_url(world.a.cohort))
        assert response.status_code == 403
        assert set(response.json()) == {"message", "errors"}


def test_a_liaison_of_another_cohort_gets_404_and_reads_their_own(world, api, cohort_months):
    liaison, own = other_liaison(world.a)
    aggregate(own, FEB, families=4)
    client = signed_in(api, liaison)

    assert client.get(cohort_url(world.a.cohort)).status_code == 404
    own_body = client.get(cohort_url(own)).json()
    assert [m["families"] for m in own_body["months"]] == [4]


def test_partner_b_people_get_404_for_a_cohort_of_partner_a(world, api, cohort_months):
    for label, user in partner_b_people(world).items():
        assert signed_in(api, user).get(cohort_url(world.a.cohort)).status_code == 404, label


def test_the_month_filter_narrows_the_cohort_and_its_groups(world, api, cohort_months):
    client = signed_in(api, world.a.staff)

    first = client.get(
        cohort_url(world.a.cohort), {"from": clock.period(-4), "to": clock.period(-4)}
    )
    assert first.status_code == 200
    body = first.json()
    assert [m["month"] for m in body["months"]] == [clock.period(-4)]
    assert [m["month"] for m in body["groups"][0]["months"]] == [clock.period(-4)]

    later = client.get(cohort_url(world.a.cohort), {"from": clock.period(-3)})
    assert later.status_code == 200
    body = later.json()
    assert [m["month"] for m in body["months"]] == [clock.period(-3)]
    assert body["groups"][0]["months"] == []


@pytest.mark.parametrize(
    "query, field",
    [
        ({"from": "2026-13"}, "from"),
        ({"from": "last year"}, "from"),
        ({"to": "2026-8"}, "to"),
        ({"from": clock.period(-3), "to": clock.period(-5)}, "to"),
    ],
)
def test_a_bad_month_is_400_naming_the_field(world, api, cohort_months, query, field):
    response = signed_in(api, world.a.staff).get(cohort_url(world.a.cohort), query)

    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field]
    assert body["message"]


def test_the_partner_endpoint_checks_its_months_too(world, api, cohort_months):
    response = signed_in(api, world.a.staff).get(partner_url(world.a.partner), {"to": "09-2026"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["to"]


# A partner -------------------------------------------------------------------------------------


def test_staff_see_the_partner_months_and_every_cohorts_latest(world, api, schema, cohort_months):
    quiet = factories.CohortFactory(partner=world.a.partner, name="Quiet cohort")

    response = signed_in(api, world.a.admin).get(partner_url(world.a.partner))

    assert response.status_code == 200
    body = response.json()
    matches_schema(schema, "/api/v1/trends/partners/{partner_slug}/", body)
    assert (body["partner"], body["currency"]) == ("partner-a", "USD")
    assert [(m["month"], m["families"]) for m in body["months"]] == [(clock.period(-4), 40)]
    cohorts = {item["cohort"]: item for item in body["cohorts"]}
    assert set(cohorts) == {world.a.cohort.pk, quiet.pk}
    assert cohorts[world.a.cohort.pk]["latest"]["month"] == clock.period(-3)
    assert cohorts[world.a.cohort.pk]["latest"]["median_income_change"] == "210.50"
    assert cohorts[quiet.pk]["latest"] is None


def test_a_liaison_reads_their_cohorts_trends_but_not_the_partners_months(
    world, api, cohort_months
):
    # The partner's months mix every cohort's families, the liaison's and the others'.
    liaison, own = other_liaison(world.a)
    aggregate(own, FEB, families=4)
    signed_in(api, liaison)

    refused = api.get(partner_url(world.a.partner))

    assert refused.status_code == 403
    assert set(refused.json()) == {"message", "errors"}
    assert "Cohort A" not in refused.content.decode()
    assert "40" not in refused.content.decode()
    own_cohort = api.get(f"/api/v1/trends/cohorts/{own.pk}/")
    assert own_cohort.status_code == 200
    assert [m["families"] for m in own_cohort.json()["months"]] == [4]


def test_funders_with_access_see_the_partner_and_cohort_aggregates(world, api, cohort_months):
    response = signed_in(api, world.a.funder).get(partner_url(world.a.partner))

    assert response.status_code == 200
    body = response.json()
    assert [m["families"] for m in body["months"]] == [40]
    assert [c["latest"]["month"] for c in body["cohorts"]] == [clock.period(-3)]
    assert "Group A" not in response.content.decode()


def test_the_partner_endpoint_refuses_families_and_hides_from_everyone_else(
    world, api, cohort_months
):
    assert signed_in(api, world.a.seed_member).get(partner_url(world.a.partner)).status_code == 403
    users = {**partner_b_people(world), "funder without access": funder_without_access()}
    for label, user in users.items():
        response = signed_in(api, user).get(partner_url(world.a.partner))
        assert response.status_code == 404, label
    assert signed_in(api, world.a.staff).get("/api/v1/trends/partners/nobody/").status_code == 404


def test_the_partner_endpoint_takes_the_same_queries_for_3_or_12_cohorts(world, api):
    partner = world.a.partner

    def count() -> tuple[int, int]:
        client = signed_in(api, world.a.staff)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(partner_url(partner))
        assert response.status_code == 200
        return len(captured), len(response.json()["cohorts"])

    def add_cohorts(n):
        for _ in range(n):
            cohort = factories.CohortFactory(partner=partner)
            aggregate(cohort, JAN)
            aggregate(cohort, FEB)

    add_cohorts(2)
    few, n_few = count()
    add_cohorts(9)
    many, n_many = count()
    assert (n_few, n_many) == (3, 12)
    assert few == many


# From verified surveys to what people see -------------------------------------------------------


def test_verified_surveys_through_the_job_to_the_api(world, api, schema):
    a = world.a
    survey(a.seed_family, JAN, income_wages=1000, savings_balance=100, debt_formal=500)
    survey(a.seed_family, FEB, income_wages=1300, savings_balance=300, debt_formal=400)
    survey(a.friend_family, JAN)
    survey(a.friend_family, FEB, income_other=100)
    # Not verified: counts nowhere.
    survey(a.friend_family, MAR, income_other=5000, state="submitted")

    trends.recompute_partner(a.partner.pk)

    family = signed_in(api, a.seed_member).get(family_url(a.seed_family)).json()
    matches_schema(schema, "/api/v1/trends/families/{family_id}/", family)
    assert family["baseline"]["income"] == "1000.00"
    assert [m["month"] for m in family["months"]] == [clock.period(-5), clock.period(-4)]
    assert family["months"][1]["change"]["income"] == "300.00"
    assert family["months"][1]["change"]["income_pct"] == "30.00"
    assert family["months"][1]["change"]["net"] == "300.00"  # -400 -> -100
    assert family["months"][1]["improved"] is True

    response = signed_in(api, a.friend_member).get(family_url(a.friend_family))
    assert response.status_code == 200
    friend = response.json()
    assert [m["month"] for m in friend["months"]] == [clock.period(-5), clock.period(-4)]
    assert friend["months"][1]["change"]["income_pct"] is None  # baseline 0

    cohort = signed_in(api, a.liaison).get(cohort_url(a.cohort)).json()
    matches_schema(schema, "/api/v1/trends/cohorts/{cohort_id}/", cohort)
    february = cohort["months"][1]
    assert february["families"] == 2
    assert february["median_income_change"] == "200.00"  # of 300 and 100
    assert february["share_improved"] == "1.0000"
    assert [m["month"] for m in cohort["months"]] == [clock.period(-5), clock.period(-4)]

    # Two families are too few to show a funder (it would show their own changes); five do.
    response = signed_in(api, a.funder).get(partner_url(a.partner))
    assert response.status_code == 200
    funder = response.json()
    assert funder["name"] == "Partner A"
    assert funder["months"] == []
    response = signed_in(api, a.funder).get(cohort_url(a.cohort))
    assert response.status_code == 200
    assert response.json()["name"] == "Cohort A"
    assert response.json()["months"] == []
    for number in range(3):
        family = factories.FamilyFactory(group=a.group, name=f"Neighbour {number}")
        survey(family, JAN, income_wages=400)
        survey(family, FEB, income_wages=600)
    trends.recompute_partner(a.partner.pk)
    funder = signed_in(api, a.funder).get(partner_url(a.partner)).json()
    assert [(m["month"], m["families"]) for m in funder["months"]] == [
        (clock.period(-5), 5),
        (clock.period(-4), 5),
    ]
    response = signed_in(api, a.funder).get(cohort_url(a.cohort))
    assert response.status_code == 200
    cohort = response.json()
    assert [m["families"] for m in cohort["months"]] == [5, 5]
    assert cohort["groups"] is None


def test_verifying_through_the_services_updates_what_the_family_sees(
    world, api, django_capture_on_commit_callbacks
):
    seat = friend_seat(world.a)
    staff = policy.access_partner(world.a.staff, world.a.partner.slug)
    answers = {
        "income_wages": "800.00",
        "income_business": "0",
        "income_benefits": "0",
        "income_other": "0",
        "savings_balance": "50.00",
        "debt_formal": "0",
        "debt_high_cost": "0",
        "adults_working": 1,
    }
    client = signed_in(api, world.a.friend_member)

    response = survey_create(seat=seat, period=clock.period(-2), answers=answers, submit=True)
    before = client.get(family_url(world.a.friend_family))
    assert before.status_code == 200
    assert before.json()["currency"] == "USD"
    assert before.json()["months"] == []

    with django_capture_on_commit_callbacks(execute=True):
        survey_verify(seat=staff, response=response)

    after = client.get(family_url(world.a.friend_family))
    assert after.status_code == 200
    body = after.json()
    assert [m["month"] for m in body["months"]] == [clock.period(-2)]
    assert body["months"][0]["income"]["total"] == "800.00"
    assert body["baseline"]["income"] == "800.00"
