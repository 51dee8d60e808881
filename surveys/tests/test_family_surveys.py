"""Families fill in their monthly survey on their phones: the home card, the form, drafts,
sending, corrections and the list of their surveys.

Pages: `/family/` (the card), `/family/surveys/`, `/family/surveys/new/?period=YYYY-MM`,
`/family/surveys/<id>/`.
"""

import datetime
import re
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import policy
from families.access import FamilySeat
from surveys import services
from surveys.models import SurveyResponse

HOME = reverse("family_home")
LIST = reverse("survey_list")

# The required questions of the default survey, as the form posts them.
REQUIRED = {
    "income_wages": "1200.00",
    "income_business": "0",
    "income_benefits": "150.00",
    "income_other": "0",
    "savings_balance": "80.00",
    "debt_formal": "0",
    "debt_high_cost": "300.00",
    "adults_working": "1",
}


def this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


def month_before(month: datetime.date) -> datetime.date:
    return (month - datetime.timedelta(days=1)).replace(day=1)


def month_after(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def ym(month: datetime.date) -> str:
    return month.strftime("%Y-%m")


def new_url(month: datetime.date | str) -> str:
    return f"{reverse('survey_new')}?period={month if isinstance(month, str) else ym(month)}"


def detail_url(survey) -> str:
    return reverse("survey_detail", kwargs={"survey_id": survey.pk})


def seat_of(tenant, who="seed") -> FamilySeat:
    if who == "seed":
        return FamilySeat(user=tenant.seed_member, family=tenant.seed_family)
    return FamilySeat(user=tenant.friend_member, family=tenant.friend_family)


def sent_survey(tenant, month=None, answers=None):
    return services.survey_create(
        seat=seat_of(tenant),
        period=month or this_month(),
        answers=answers or dict(REQUIRED),
        submit=True,
    )


def staff_seat(tenant, who="liaison"):
    user = tenant.liaison if who == "liaison" else tenant.staff
    return policy.access_partner(user, tenant.partner.slug)


def ask_correction(tenant, survey, note="Savings went from 80 to 8000: is that right?"):
    return services.survey_request_correction(
        seat=staff_seat(tenant), response=survey, reason="inconsistent", note=note
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def body_of(response, status=200) -> str:
    """The page's text, once it is known to have rendered with `status`."""
    assert response.status_code == status
    return response.content.decode()


# The home card ---------------------------------------------------------------------------------


def test_the_home_card_invites_the_family_to_fill_in_this_months_survey(world, client):
    response = signed_in(client, world.a.seed_member).get(HOME)
    body = body_of(response)
    assert response.status_code == 200
    assert "This month's survey" in body
    assert "Not started" in body
    assert new_url(this_month()) in body
    # the month before is still open too
    assert new_url(month_before(this_month())) in body
    # the headings a browser test looks for are unchanged
    assert "Welcome, " in body
    assert "Your household" in body


def test_the_home_card_shows_a_draft_to_continue(world, client):
    draft = services.survey_create(
        seat=seat_of(world.a), period=this_month(), answers={"income_wages": "10"}
    )
    body = body_of(signed_in(client, world.a.seed_member).get(HOME))
    assert "Draft" in body
    assert "Continue the survey" in body
    assert detail_url(draft) in body


def test_the_home_card_shows_a_survey_waiting_for_verification(world, client):
    survey = sent_survey(world.a)
    body = body_of(signed_in(client, world.a.seed_member).get(HOME))
    assert "Waiting for verification" in body
    assert detail_url(survey) in body


def test_the_home_card_shows_the_liaisons_reason_when_a_correction_is_needed(world, client):
    survey = sent_survey(world.a)
    ask_correction(world.a, survey, note="Check <b>savings</b> please")
    body = body_of(signed_in(client, world.a.seed_member).get(HOME))
    assert "Needs a correction" in body
    assert "Inconsistent with last month" in body
    assert "Check &lt;b&gt;savings&lt;/b&gt; please" in body
    assert "Correct and send again" in body


def test_the_home_card_shows_a_verified_survey(world, client):
    survey = sent_survey(world.a)
    services.survey_verify(seat=staff_seat(world.a), response=survey)
    body = body_of(signed_in(client, world.a.seed_member).get(HOME))
    assert "Verified" in body
    assert detail_url(survey) in body


def test_the_home_card_never_shows_another_familys_survey(world, client):
    sent_survey(world.a)  # the seed family's
    body = body_of(signed_in(client, world.a.friend_member).get(HOME))
    assert "Waiting for verification" not in body
    assert body.count("Not started") == 2


# The form --------------------------------------------------------------------------------------


def test_the_form_is_built_from_the_questions_for_a_phone(world, client):
    response = signed_in(client, world.a.seed_member).get(new_url(this_month()))
    assert response.status_code == 200
    body = body_of(response)
    # sections with headings
    assert "<h2" in body and "Income this month" in body and "Savings and debt" in body
    # money: a text input with a decimal keypad and the currency in the label
    assert "Earnings from jobs (USD)" in body
    assert 'name="income_wages"' in body and 'inputmode="decimal"' in body
    assert 'type="number"' not in body
    # number, choice, multi-choice (the practice catalogue), yes/no and text
    assert 'inputmode="numeric"' in body
    assert 'type="radio" name="housing"' in body
    assert 'type="checkbox" name="practices" value="savings-circle"' in body
    assert 'type="radio" name="health_insured" value="yes"' in body
    assert '<textarea name="notes"' in body
    # help texts and required questions are shown
    assert "All the household earned from jobs this month, after deductions." in body
    assert "(required)" in body
    assert "Save draft" in body and "Send to the liaison" in body
    assert "csrfmiddlewaretoken" in body


def test_the_form_speaks_the_familys_language(world, client):
    signed_in(client, world.a.seed_member)
    body = body_of(client.get(new_url(this_month()), HTTP_ACCEPT_LANGUAGE="es"))
    assert "Ingresos de trabajos (USD)" in body


def test_a_family_saves_a_draft_with_some_answers(world, client):
    signed_in(client, world.a.seed_member)
    data = {
        "action": "draft",
        "income_wages": "1,250.50",
        "health_insured": "yes",
        "practices": ["savings-circle", "took-training"],
        "notes": "We are saving for a stall.",
    }

    response = client.post(new_url(this_month()), data)

    survey = SurveyResponse.objects.get(family=world.a.seed_family)
    assert response.status_code == 302
    assert response["Location"] == detail_url(survey)
    assert survey.state == SurveyResponse.State.DRAFT
    assert survey.period == this_month()
    assert survey.answers == {
        "income_wages": "1250.50",
        "health_insured": True,
        "practices": ["savings-circle", "took-training"],
        "notes": "We are saving for a stall.",
    }
    page = client.get(detail_url(survey))
    body = body_of(page)
    assert page.status_code == 200
    assert "Draft saved" in body
    assert 'value="1250.50"' in body  # the form keeps what was saved
    assert re.search(r'value="savings-circle" id="[^"]+" checked', body)
    assert re.search(r'value="yes" id="id_health_insured_0" checked', body)
    assert "Send to the liaison" in body


def test_a_family_sends_its_survey_to_the_liaison(world, client):
    signed_in(client, world.a.seed_member)
    response = client.post(new_url(this_month()), {**REQUIRED, "action": "send"})

    survey = SurveyResponse.objects.get(family=world.a.seed_family)
    assert response.status_code == 302
    assert survey.state == SurveyResponse.State.SUBMITTED
    assert survey.submitted_at is not None
    assert survey.answers["income_wages"] == "1200.00"
    assert survey.answers["adults_working"] == 1
    body = body_of(client.get(detail_url(survey)))
    assert "was sent to your liaison" in body
    assert "Waiting for verification" in body
    assert format_currency(Decimal("1200"), "USD", locale="en") in body  # the answers
    assert "Send to the liaison" not in body  # no form any more


def test_a_draft_is_finished_later_and_sent(world, client):
    draft = services.survey_create(
        seat=seat_of(world.a), period=this_month(), answers={"income_wages": "10"}
    )
    signed_in(client, world.a.seed_member)

    response = client.post(detail_url(draft), {**REQUIRED, "action": "send"})

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.state == SurveyResponse.State.SUBMITTED
    assert draft.answers["income_wages"] == "1200.00"


def test_sending_without_the_required_answers_names_the_questions_and_sends_nothing(world, client):
    signed_in(client, world.a.seed_member)
    data = {**REQUIRED, "action": "send"}
    del data["savings_balance"]
    data["debt_formal"] = ""

    response = client.post(new_url(this_month()), data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"savings_balance", "debt_formal"}
    assert errors["savings_balance"] == ["This question needs an answer."]
    body = body_of(response, 400)
    # the summary on top names each question and links to it
    assert '<a href="#id_savings_balance">Total savings so far this month</a>' in body
    assert '<a href="#id_debt_formal">Owed to banks, credit unions and formal lenders</a>' in body
    assert 'value="1200.00"' in body  # nothing typed is lost
    assert not SurveyResponse.objects.exists()


def test_sending_a_draft_without_the_required_answers_leaves_it_a_draft(world, client):
    draft = services.survey_create(
        seat=seat_of(world.a), period=this_month(), answers={"income_wages": "10"}
    )
    signed_in(client, world.a.seed_member)

    response = client.post(detail_url(draft), {"income_wages": "20", "action": "send"})

    assert response.status_code == 400
    assert "income_business" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.state == SurveyResponse.State.DRAFT
    assert draft.answers == {"income_wages": "10.00"}


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "Enter zero or more."),
        ("twelve", "Write an amount like 1,350.50."),
        ("99999999999", "This amount looks too large"),
        ("NaN", "Write an amount like 1,350.50."),
    ],
)
def test_a_bad_amount_is_refused_next_to_its_question_and_nothing_is_written(
    world, client, amount, message
):
    signed_in(client, world.a.seed_member)

    response = client.post(
        new_url(this_month()), {**REQUIRED, "savings_balance": amount, "action": "draft"}
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["savings_balance"]
    assert message in errors["savings_balance"][0]
    assert 'id="id_savings_balance_error"' in body_of(response, 400)
    assert not SurveyResponse.objects.exists()


def test_a_bad_amount_leaves_a_saved_draft_unchanged(world, client):
    draft = services.survey_create(
        seat=seat_of(world.a), period=this_month(), answers={"income_wages": "10"}
    )
    signed_in(client, world.a.seed_member)

    response = client.post(
        detail_url(draft), {"income_wages": "-10", "income_other": "5", "action": "draft"}
    )

    assert response.status_code == 400
    assert "income_wages" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.answers == {"income_wages": "10.00"}
    assert draft.revisions.count() == 1


def test_a_bad_number_is_refused_next_to_its_question(world, client):
    signed_in(client, world.a.seed_member)
    response = client.post(
        new_url(this_month()), {**REQUIRED, "adults_working": "two", "action": "draft"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["adults_working"] == [
        "Write a whole number, like 1,200."
    ]
    assert not SurveyResponse.objects.exists()


def test_a_second_new_survey_for_the_same_month_opens_the_existing_one(world, client):
    existing = services.survey_create(
        seat=seat_of(world.a), period=this_month(), answers={"income_wages": "10"}
    )
    signed_in(client, world.a.seed_member)

    shown = client.get(new_url(this_month()))
    posted = client.post(new_url(this_month()), {**REQUIRED, "action": "send"})

    assert shown.status_code == 302
    assert shown["Location"] == detail_url(existing)
    assert posted.status_code == 302
    assert posted["Location"] == detail_url(existing)
    assert SurveyResponse.objects.filter(family=world.a.seed_family).count() == 1
    existing.refresh_from_db()
    assert existing.state == SurveyResponse.State.DRAFT  # the POST did not touch it


def test_the_other_family_of_the_group_has_its_own_survey_for_the_month(world, client):
    sent_survey(world.a)
    signed_in(client, world.a.friend_member)
    response = client.post(new_url(this_month()), {**REQUIRED, "action": "send"})
    assert response.status_code == 302
    assert SurveyResponse.objects.filter(period=this_month()).count() == 2


def test_a_month_to_come_is_refused_with_a_clear_message(world, client):
    signed_in(client, world.a.seed_member)
    later = month_after(this_month())

    shown = client.get(new_url(later))
    posted = client.post(new_url(later), {**REQUIRED, "action": "send"})

    assert shown.status_code == 400
    assert "This month has not come yet." in body_of(shown, 400)
    assert "Send to the liaison" not in body_of(shown, 400)
    assert posted.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_a_month_before_the_cohort_started_is_refused(world, client):
    signed_in(client, world.a.seed_member)
    before = month_before(world.a.cohort.started_on)
    response = client.post(new_url(before), {**REQUIRED, "action": "send"})
    assert response.status_code == 400
    assert "Your cohort had not started that month." in body_of(response, 400)
    assert not SurveyResponse.objects.exists()


def test_a_malformed_month_is_refused(world, client):
    response = signed_in(client, world.a.seed_member).get(new_url("2026-13"))
    assert response.status_code == 400
    assert "Give the month as YYYY-MM" in body_of(response, 400)


def test_without_a_month_the_form_is_this_months(world, client):
    response = signed_in(client, world.a.seed_member).get(reverse("survey_new"))
    assert response.status_code == 200
    assert response.context["period"] == this_month()


# Corrections and read-only surveys ---------------------------------------------------------------


def test_after_a_correction_request_the_family_sees_why_edits_and_resends(world, client):
    survey = sent_survey(world.a, answers={**REQUIRED, "savings_balance": "8000"})
    ask_correction(world.a, survey)
    signed_in(client, world.a.seed_member)

    page = client.get(detail_url(survey))
    body = body_of(page)
    assert page.status_code == 200
    assert "Your liaison asked for a correction" in body
    assert "Inconsistent with last month" in body
    assert "Savings went from 80 to 8000: is that right?" in body
    assert 'value="8000.00"' in body
    assert "Send to the liaison" in body

    response = client.post(
        detail_url(survey), {**REQUIRED, "savings_balance": "80", "action": "send"}
    )

    survey.refresh_from_db()
    assert response.status_code == 302
    assert survey.state == SurveyResponse.State.RESUBMITTED
    assert survey.answers["savings_balance"] == "80.00"
    body = body_of(client.get(detail_url(survey)))
    assert "Corrected, waiting for verification" in body
    assert "Your liaison asked for a correction" not in body


def test_a_correction_can_be_saved_as_a_draft_first(world, client):
    survey = sent_survey(world.a)
    ask_correction(world.a, survey)
    signed_in(client, world.a.seed_member)
    response = client.post(
        detail_url(survey), {**REQUIRED, "savings_balance": "81", "action": "draft"}
    )
    survey.refresh_from_db()
    assert response.status_code == 302
    assert survey.state == SurveyResponse.State.NEEDS_CORRECTION
    assert survey.answers["savings_balance"] == "81.00"


def test_a_verified_survey_is_read_only(world, client):
    survey = sent_survey(world.a)
    services.survey_verify(seat=staff_seat(world.a), response=survey)
    signed_in(client, world.a.seed_member)

    page = client.get(detail_url(survey))
    assert page.status_code == 200
    body = body_of(page)
    assert "Your liaison verified these answers" in body
    assert '<form method="post" novalidate>' not in body
    assert "Save draft" not in body

    response = client.post(detail_url(survey), {**REQUIRED, "income_wages": "1", "action": "send"})
    assert response.status_code == 409
    assert "verified and can no longer be changed" in body_of(response, 409)
    survey.refresh_from_db()
    assert survey.answers["income_wages"] == "1200.00"
    assert survey.state == SurveyResponse.State.VERIFIED


def test_a_sent_survey_cannot_be_changed_while_it_waits(world, client):
    survey = sent_survey(world.a)
    signed_in(client, world.a.seed_member)
    response = client.post(detail_url(survey), {**REQUIRED, "income_wages": "1", "action": "draft"})
    assert response.status_code == 409
    survey.refresh_from_db()
    assert survey.answers["income_wages"] == "1200.00"
    assert survey.state == SurveyResponse.State.SUBMITTED


# Who may see it ----------------------------------------------------------------------------------


def test_another_partners_family_gets_404_for_a_survey(world, client):
    survey = sent_survey(world.a)
    signed_in(client, world.b.seed_member)
    assert client.get(detail_url(survey)).status_code == 404
    assert client.post(detail_url(survey), {**REQUIRED, "action": "send"}).status_code == 404


def test_another_family_of_the_same_group_gets_404_for_a_survey(world, client):
    draft = services.survey_create(
        seat=seat_of(world.a), period=this_month(), answers={"income_wages": "10"}
    )
    signed_in(client, world.a.friend_member)
    assert client.get(detail_url(draft)).status_code == 404
    response = client.post(detail_url(draft), {**REQUIRED, "action": "send"})
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.state == SurveyResponse.State.DRAFT


FAMILY_PAGES = [
    "survey_list",
    "survey_new",
    "story_list",
    "story_new",
    "family_stipends",
    "family_progress",
]


@pytest.mark.parametrize("who", ["admin", "staff", "liaison", "funder"])
def test_partner_people_and_funders_get_404_on_family_pages(world, client, who):
    survey = sent_survey(world.a)
    signed_in(client, getattr(world.a, who))
    for name in FAMILY_PAGES:
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get(detail_url(survey)).status_code == 404
    assert client.post(new_url(this_month()), {**REQUIRED, "action": "send"}).status_code == 404


def test_someone_with_no_role_gets_404_and_anonymous_visitors_sign_in(world, client):
    signed_in(client, world.outsider)
    for name in FAMILY_PAGES:
        assert client.get(reverse(name)).status_code == 404, name
    client.logout()
    for name in FAMILY_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# The list ----------------------------------------------------------------------------------------


def _surveys_for(tenant, months: int):
    template = services.current_template(tenant.partner)
    start = this_month()
    periods = []
    for _ in range(months):
        periods.append(start)
        start = month_before(start)
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            partner=tenant.partner,
            cohort=tenant.cohort,
            family=tenant.seed_family,
            template=template,
            period=period,
            answers=dict(REQUIRED),
            state=SurveyResponse.State.VERIFIED if i % 2 else SurveyResponse.State.SUBMITTED,
        )
        for i, period in enumerate(periods)
    )


def test_the_survey_list_shows_each_month_with_its_state(world, client):
    survey = sent_survey(world.a)
    services.survey_create(
        seat=seat_of(world.a), period=month_before(this_month()), answers={"income_wages": "1"}
    )
    sent_survey(world.b)  # another partner's
    response = signed_in(client, world.a.seed_member).get(LIST)
    body = body_of(response)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 2
    assert detail_url(survey) in body
    assert "Waiting for verification" in body
    assert "Draft" in body


def test_the_survey_list_paginates(world, client):
    _surveys_for(world.a, 30)
    signed_in(client, world.a.seed_member)
    first = client.get(LIST)
    second = client.get(LIST + "?page=2")
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert 'rel="next"' in body_of(first)


def test_the_survey_list_makes_as_many_queries_for_3_months_as_for_24(
    world, client, django_assert_max_num_queries
):
    signed_in(client, world.a.seed_member)
    _surveys_for(world.a, 3)
    client.get(LIST)  # warm the session and the practice catalogue
    with CaptureQueriesContext(connection) as three:
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3
    SurveyResponse.objects.all().delete()
    _surveys_for(world.a, 24)
    with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 24
    assert len(many) == len(three)
