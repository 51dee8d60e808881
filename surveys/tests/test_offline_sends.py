"""A survey sent from a phone's offline queue (or any client that sends again until it hears
back) carries the UUID the client made: the first send makes it (201), the same send again
finds it (200), other answers under that UUID or a second survey for the month are 409s, and
nothing is ever made twice."""

import uuid

import pytest

from accounts import policy
from accounts.models import AuditEvent
from surveys import services
from surveys.models import SurveyResponse
from surveys.tests.test_api_surveys import ANSWERS
from tests import clock
from tests.seats import seed_seat, signed_in

pytestmark = pytest.mark.django_db

SURVEYS = "/api/v1/surveys/"


def send(api, **fields):
    body = {"period": clock.period(-1), "answers": ANSWERS, "submit": True, **fields}
    return api.post(SURVEYS, body, format="json")


def test_the_first_send_makes_the_survey_and_the_same_send_again_finds_it(world, api):
    family = signed_in(api, world.a.seed_member)
    key = str(uuid.uuid4())

    first = send(family, client_uuid=key)
    assert first.status_code == 201
    assert first.json()["client_uuid"] == key and first.json()["state"] == "submitted"
    events = AuditEvent.objects.count()

    again = send(family, client_uuid=key)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert SurveyResponse.objects.filter(family=world.a.seed_family).count() == 1
    assert AuditEvent.objects.count() == events  # the repeat changed nothing


def test_a_draft_kept_offline_and_sent_again_is_the_same_draft(world, api):
    family = signed_in(api, world.a.seed_member)
    key = str(uuid.uuid4())
    draft = {"answers": {"income_wages": "900"}, "submit": False, "client_uuid": key}
    assert send(family, **draft).status_code == 201
    assert send(family, **draft).status_code == 200
    # Sent for verification under the same UUID is another send than the draft: a conflict.
    assert send(family, **{**draft, "submit": True}).status_code == 409
    assert SurveyResponse.objects.get(family=world.a.seed_family).state == "draft"


def test_the_same_uuid_with_other_answers_is_a_conflict_naming_the_survey(world, api):
    family = signed_in(api, world.a.seed_member)
    key = str(uuid.uuid4())
    survey_id = send(family, client_uuid=key).json()["id"]

    response = send(family, client_uuid=key, answers={**ANSWERS, "income_wages": "5000"})
    assert response.status_code == 409
    assert response.json()["survey"] == survey_id
    assert "client_uuid" in response.json()["errors"]
    assert SurveyResponse.objects.get(pk=survey_id).answers["income_wages"] == "1200.00"


def test_a_second_survey_for_the_month_is_a_conflict_naming_the_first(world, api):
    family = signed_in(api, world.a.seed_member)
    survey_id = send(family, client_uuid=str(uuid.uuid4())).json()["id"]

    response = send(family, client_uuid=str(uuid.uuid4()))
    assert response.status_code == 409
    assert response.json()["survey"] == survey_id
    assert "period" in response.json()["errors"]
    # Without a UUID too, the web's way: the conflict names the month's survey.
    plain = send(family)
    assert plain.status_code == 409 and plain.json()["survey"] == survey_id
    assert SurveyResponse.objects.filter(family=world.a.seed_family).count() == 1


def test_the_same_send_is_found_after_the_liaison_verified_it(world, api):
    family = signed_in(api, world.a.seed_member)
    key = str(uuid.uuid4())
    survey_id = send(family, client_uuid=key).json()["id"]
    staff = policy.access_partner(world.a.staff, world.a.partner.slug)
    services.survey_verify(seat=staff, response=SurveyResponse.objects.get(pk=survey_id))

    again = send(family, client_uuid=key)
    assert again.status_code == 200
    assert again.json()["state"] == "verified"


def test_a_uuid_that_is_no_uuid_is_refused_naming_it_and_nothing_is_made(world, api):
    family = signed_in(api, world.a.seed_member)
    response = send(family, client_uuid="not-a-uuid")
    assert response.status_code == 400
    assert "client_uuid" in response.json()["errors"]
    assert not SurveyResponse.objects.filter(family=world.a.seed_family).exists()
    assert send(family, client_uuid=str(uuid.uuid4())).status_code == 201


def test_another_familys_uuid_makes_that_family_its_own_survey(world, api):
    key = str(uuid.uuid4())
    theirs = send(signed_in(api, world.a.seed_member), client_uuid=key).json()["id"]
    mine = send(signed_in(api, world.b.seed_member), client_uuid=key)
    assert mine.status_code == 201
    assert mine.json()["id"] != theirs
    assert mine.json()["family"]["id"] == world.b.seed_family.pk


def test_a_uuid_written_as_odk_writes_it_is_read(world):
    key = uuid.uuid4()
    assert services.parse_client_uuid(f"uuid:{key}") == key
    assert services.parse_client_uuid(str(key).upper()) == key
    survey, created = services.survey_send_once(
        seat=seed_seat(world.a),
        client_uuid=f"uuid:{key}",
        period=clock.period(-1),
        answers=ANSWERS,
        submit=True,
        channel=SurveyResponse.Channel.ODK,
    )
    assert created and survey.client_uuid == key and survey.channel == "odk"
