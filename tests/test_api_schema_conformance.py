"""The API does what its OpenAPI schema says, for every role: schemathesis runs every operation
in-process against the test server, with valid and invalid requests and all of its checks.

A fixed seed and a bounded number of examples per operation keep the run reproducible and
short; half the generated path parameters are swapped for the shared world's own objects, so
that the requests reach real rows and not only 404s."""

import secrets
from collections import Counter
from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from accounts.models import ApiToken
from mutuality.wsgi import application
from tests import factories

EXAMPLES_PER_OPERATION = 4
SEED = 20261202

ROLES = ["platform_admin", "partner_admin", "staff", "liaison", "family", "funder", "anonymous"]

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES_PER_OPERATION,
            "deterministic": True,
            "database": "none",
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": False},
            "fuzzing": {"enabled": True},
        },
        "checks": {"enabled": True},
    }
)


def _token_for(user) -> str:
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        digest=ApiToken.digest_of(token),
        expires_at=timezone.now() + timedelta(days=1),
    )
    return token


def _user_for(role, world):
    a = world.a
    return {
        "platform_admin": lambda: factories.UserFactory(
            email="operator@example.org", is_superuser=True
        ),
        "partner_admin": lambda: a.admin,
        "staff": lambda: a.staff,
        "liaison": lambda: a.liaison,
        "family": lambda: a.seed_member,
        "funder": lambda: a.funder,
        "anonymous": lambda: None,
    }[role]()


# Body fields that name another object by its id. A schema says "an integer", not "one of your
# cohorts": a well-formed id that names nothing the caller may use is refused with a 400 naming
# the field, and that is the one schema-valid request the API may refuse.
REFERENCE_FIELDS = {
    "cohort",
    "partner",
    "liaisons",
    "owner_family",
    "owner_group",
    "practice",
    "family",
    "group",
    "funder",
    "to_family",
    "from_family",
    "survey",
    "surveys",
    "other_family",
}


# A household gives an email or a phone, and a sign-in an email with its password or a phone
# (or email) with a code: rules across fields, which the schema cannot say. A code is right
# only if it is the one that was sent, and a survey's month must be one the family's cohort
# has reached: the data decides.
EITHER_FIELDS = {"contact_email", "contact_phone", "email", "phone", "password", "code", "period"}


def _refuses_only_a_reference(failure, response) -> bool:
    if type(failure).__name__ != "RejectedPositiveData" or response.status_code != 400:
        return False
    try:
        errors = response.json().get("errors") or {}
    except ValueError:
        return False
    return bool(errors) and all(
        name.split(".")[0] in REFERENCE_FIELDS | EITHER_FIELDS for name in errors
    )


class Tally:
    def __init__(self):
        self.statuses = Counter()
        self.operations = set()
        self.expected = 0


@pytest.fixture(params=ROLES)
def role(request):
    return request.param


@pytest.fixture
def tally(role):
    """Counts what the run reached; it must have called every operation and had some succeed,
    or a passing run would prove nothing."""
    tally = Tally()
    yield tally
    assert tally.operations, f"{role}: no operation was called"
    assert len(tally.operations) == tally.expected, (
        f"{role}: {tally.expected - len(tally.operations)} operations were never called"
    )
    assert any(200 <= code < 300 for code in tally.statuses), f"{role}: nothing succeeded"


@pytest.fixture(autouse=True)
def _node_id(request):
    # schemathesis' subtests read the pytest 8 private name of the node id.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture
def _connection_kept():
    """The WSGI application closes the database connection after each request; here every
    request must run inside the test's transaction, as Django's test client arranges."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(world, role, tally, _connection_kept):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)
    user = _user_for(role, world)
    headers = {"Authorization": f"Token {_token_for(user)}"} if user else {}
    known = {
        "partner_slug": world.a.partner.slug,
        "cohort_id": world.a.cohort.pk,
        "family_id": world.a.seed_family.pk,
        "group_id": world.a.group.pk,
    }

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        if not path_parameters:
            return st.just(path_parameters)
        ours = {name: known.get(name, value) for name, value in path_parameters.items()}
        return st.sampled_from([path_parameters, ours])

    @schema.hook
    def filter_failure(context, failure, case, response):
        return not _refuses_only_a_reference(failure, response)

    schema.config.headers = headers
    tally.expected = sum(1 for _ in schema.get_all_operations())
    schema._tally = tally
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, api_schema):
    response = case.call(headers=api_schema.config.headers)
    api_schema._tally.statuses[response.status_code] += 1
    api_schema._tally.operations.add(case.operation.label)
    case.validate_response(response, headers=api_schema.config.headers)
