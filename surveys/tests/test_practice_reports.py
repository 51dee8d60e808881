"""A family's practices: what it reported in its surveys, told in its own words.

Pages: `/family/practices/` (the family's action reports, each with its form) and
`/family/practices/<id>/` (POST: the description and the consent to let other organizations
learn from it without the family's name).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import policy
from accounts.models import AuditEvent
from surveys import services
from surveys.models import ActionReport, Practice
from tests import clock
from tests.seats import seed_seat

PRACTICES = reverse("family_practices")
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


def signed_in(client, user):
    client.force_login(user)
    return client


def report_survey(tenant, practices=("savings-circle",), period=clock.period(-4)):
    return services.survey_create(
        seat=seed_seat(tenant),
        period=period,
        answers={**FULL_ANSWERS, "practices": list(practices)},
        submit=True,
    )


def describe_url(report) -> str:
    return reverse("family_practice_describe", args=[report.pk])


def form_data(report, description="", share=False) -> dict:
    data = {f"report-{report.pk}-description": description}
    if share:
        data[f"report-{report.pk}-share_across_partners"] = "on"
    return data


# The list ----------------------------------------------------------------------------------------


def test_a_survey_with_practices_creates_reports_the_family_sees(world, client):
    survey = report_survey(world.a, practices=["savings-circle", "opened-savings-account"])

    assert sorted(survey.actions.values_list("practice__slug", flat=True)) == [
        "opened-savings-account",
        "savings-circle",
    ]
    response = signed_in(client, world.a.seed_member).get(PRACTICES)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your practices" in body
    assert "Joined or started a savings circle" in body
    assert "Opened a savings account" in body
    assert clock.month_label(-4) in body
    assert 'aria-current="page"' in body


def test_practice_names_are_in_the_readers_language(world, client):
    report_survey(world.a)
    response = signed_in(client, world.a.seed_member).get(PRACTICES, HTTP_ACCEPT_LANGUAGE="es")
    assert "Se unió o formó un círculo de ahorro" in response.content.decode()


def test_another_familys_reports_are_not_listed(world, client):
    report_survey(world.a)
    response = signed_in(client, world.a.friend_member).get(PRACTICES)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Joined or started a savings circle" not in body
    assert "No practices yet." in body


# Describing a practice ---------------------------------------------------------------------------


def test_the_family_says_what_it_did_in_its_own_words(world, client):
    report = report_survey(world.a).actions.get()

    response = signed_in(client, world.a.seed_member).post(
        describe_url(report),
        form_data(report, "Six neighbours put in ten dollars each Friday.", share=True),
    )

    assert response.status_code == 302
    assert response["Location"] == f"{PRACTICES}#report-{report.pk}"
    report.refresh_from_db()
    assert report.description == "Six neighbours put in ten dollars each Friday."
    assert report.share_across_partners is True
    assert AuditEvent.objects.filter(verb="action_report.describe").count() == 1
    body = client.get(PRACTICES).content.decode()
    assert "Six neighbours put in ten dollars each Friday." in body
    assert "Other organizations may learn from this, without your name" in body


def test_the_family_may_describe_without_sharing_and_withdraw_sharing(world, client):
    report = report_survey(world.a).actions.get()
    signed_in(client, world.a.seed_member)
    client.post(describe_url(report), form_data(report, "We meet on Fridays.", share=True))

    client.post(describe_url(report), form_data(report, "We meet on Fridays."))

    report.refresh_from_db()
    assert report.description == "We meet on Fridays."
    assert report.share_across_partners is False


def test_sharing_across_partners_needs_a_description(world, client):
    report = report_survey(world.a).actions.get()
    before = AuditEvent.objects.count()

    response = signed_in(client, world.a.seed_member).post(
        describe_url(report), form_data(report, "   ", share=True)
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "Tell what you did in your own words before others may learn from it." in body
    assert f'id="id_report-{report.pk}-description_error"' in body
    report.refresh_from_db()
    assert report.description == ""
    assert report.share_across_partners is False
    assert AuditEvent.objects.count() == before


def test_a_description_too_long_is_refused_naming_the_field(world, client):
    report = report_survey(world.a).actions.get()
    response = signed_in(client, world.a.seed_member).post(
        describe_url(report), form_data(report, "x" * 2001)
    )
    assert response.status_code == 400
    assert f'id="id_report-{report.pk}-description_error"' in response.content.decode()
    report.refresh_from_db()
    assert report.description == ""


def test_describing_takes_a_post_only(world, client):
    report = report_survey(world.a).actions.get()
    assert signed_in(client, world.a.seed_member).get(describe_url(report)).status_code == 405


# Reports follow the survey -----------------------------------------------------------------------


def test_unticking_the_practice_on_resubmission_removes_the_report(world, client):
    survey = report_survey(world.a, practices=["savings-circle", "opened-savings-account"])
    kept = survey.actions.get(practice__slug="opened-savings-account")
    services.action_report_describe(
        seat=seed_seat(world.a),
        report=kept,
        description="At the credit union.",
        share_across_partners=False,
    )
    liaison = policy.access_partner(world.a.liaison, world.a.partner.slug)
    services.survey_request_correction(
        seat=liaison, response=survey, reason="inconsistent", note="Savings look high."
    )

    services.survey_update(
        seat=seed_seat(world.a),
        response=survey,
        answers={**FULL_ANSWERS, "practices": ["opened-savings-account"]},
        submit=True,
    )

    assert list(survey.actions.values_list("practice__slug", "description")) == [
        ("opened-savings-account", "At the credit union.")
    ]
    response = signed_in(client, world.a.seed_member).get(PRACTICES)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Joined or started a savings circle" not in body
    assert "At the credit union." in body


# Who may reach a report --------------------------------------------------------------------------


def test_another_familys_report_is_not_found_and_unchanged(world, client):
    report = report_survey(world.a).actions.get()
    for user in [world.a.friend_member, world.b.seed_member]:
        response = signed_in(client, user).post(
            describe_url(report), form_data(report, "Not ours", share=True)
        )
        assert response.status_code == 404
    report.refresh_from_db()
    assert report.description == ""
    assert report.share_across_partners is False


@pytest.mark.parametrize("role", ["admin", "staff", "liaison", "funder"])
def test_people_who_are_not_a_family_get_404(world, client, role):
    report = report_survey(world.a).actions.get()
    signed_in(client, getattr(world.a, role))
    assert client.get(PRACTICES).status_code == 404
    assert client.post(describe_url(report), form_data(report, "Staff words")).status_code == 404
    report.refresh_from_db()
    assert report.description == ""


# Lists stay fast -------------------------------------------------------------------------------


def _reports(tenant, count, start):
    services.ensure_default_practices()
    practice = Practice.objects.get(partner=None, slug="savings-circle")
    ActionReport.objects.bulk_create(
        ActionReport(
            partner=tenant.partner,
            cohort=tenant.cohort,
            family=tenant.seed_family,
            practice=practice,
            period=datetime.date(2000 + n // 12, n % 12 + 1, 1),
        )
        for n in range(start, start + count)
    )


def test_the_practices_page_queries_do_not_grow_with_the_reports(world, client):
    signed_in(client, world.a.seed_member)
    _reports(world.a, 10, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(PRACTICES).status_code == 200
    _reports(world.a, 90, 10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(PRACTICES)
    assert len(response.context["page"].object_list) == 25
    assert len(many) == len(few)
