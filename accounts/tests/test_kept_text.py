"""What a family typed survives the end of its session: the form sent after the session ended
is refused, the sign-in page says the text is kept, and once the same person is signed in again
the page shows it back (a script puts it into the form; the text is on the page without one)."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from families.models import Post
from tests import factories

LOGIN = reverse("account_login")
FEED = reverse("family_feed_group")
KEPT_NOTICE = "What you typed is kept: it comes back in the form once you are signed in."
BACK_NOTICE = "What you typed before you were signed out is back in the form below."
STORY = "We opened a savings account at the credit union, all five of us went together."


def kept_fields(page) -> dict:
    match = re.search(
        r'<script id="kept-text-data" type="application/json">(.*?)</script>', page, re.S
    )
    return json.loads(match.group(1)) if match else {}


def sign_in(client, user, next_page=""):
    data = {"login": user.email, "password": factories.PASSWORD}
    return client.post(LOGIN, {**data, "next": next_page} if next_page else data)


@pytest.fixture
def expired_post(world, client, frozen):
    """The seed family's member signs in, leaves the feed open 13 hours, then shares a story."""
    sign_in(client, world.a.seed_member)
    assert client.get(FEED).status_code == 200
    frozen.shift(timedelta(hours=13))
    return client.post(
        FEED,
        {"body": STORY, "kind": "win", "visibility": "group"},
        HTTP_REFERER=f"http://testserver{FEED}",
    )


def test_a_post_sent_after_the_session_ended_is_kept_for_after_sign_in(world, client, expired_post):
    assert expired_post.status_code == 302
    assert expired_post["Location"] == f"{LOGIN}?next={FEED}"
    assert not Post.objects.filter(body=STORY).exists()
    sign_in_page = client.get(expired_post["Location"]).content.decode()
    assert KEPT_NOTICE in sign_in_page
    assert "Survey answers saved as a draft are kept too." in sign_in_page

    response = sign_in(client, world.a.seed_member, next_page=FEED)
    assert response["Location"] == FEED
    page = client.get(FEED).content.decode()

    assert BACK_NOTICE in page
    assert kept_fields(page) == {"body": [STORY], "kind": ["win"], "visibility": ["group"]}
    assert STORY in page  # readable even where the script does not run
    assert 'src="/static/js/kept-text.js"' in page
    # Shown once: the next visit is a clean form.
    again = client.get(FEED).content.decode()
    assert BACK_NOTICE not in again
    assert kept_fields(again) == {}


def test_someone_else_signing_in_on_that_phone_never_sees_the_text(world, client, expired_post):
    sign_in(client, world.a.friend_member)

    page = client.get(FEED).content.decode()

    assert STORY not in page
    assert BACK_NOTICE not in page
    assert "Group feed" in page
    # And it is gone for good: the first person, signing in next, starts clean too.
    client.post(reverse("account_logout"))
    sign_in(client, world.a.seed_member)
    assert STORY not in client.get(FEED).content.decode()


def test_the_text_waits_for_its_own_page(world, client, expired_post):
    sign_in(client, world.a.seed_member)

    home = client.get(reverse("family_home")).content.decode()

    assert STORY not in home
    assert STORY in client.get(FEED).content.decode()


def test_passwords_and_the_form_token_are_never_kept(world, client, frozen):
    sign_in(client, world.a.seed_member)
    frozen.shift(timedelta(hours=13))
    client.post(
        reverse("account_change_password"),
        {"oldpassword": factories.PASSWORD, "password1": "n3w-secret-words", "note": "a b"},
    )

    sign_in(client, world.a.seed_member)
    page = client.get(reverse("account_change_password")).content.decode()

    assert "n3w-secret-words" not in page
    assert factories.PASSWORD not in page
    assert kept_fields(page) == {"note": ["a b"]}


def test_a_page_visited_after_the_session_ended_keeps_nothing_and_says_why(world, client, frozen):
    sign_in(client, world.a.seed_member)
    frozen.shift(timedelta(hours=13))

    response = client.get(FEED, follow=True)

    page = response.content.decode()
    assert "You were signed out after a while without activity. Sign in again." in page
    assert KEPT_NOTICE not in page


def test_survey_answers_sent_after_the_session_ended_come_back_in_the_survey(world, client, frozen):
    from surveys.models import SurveyResponse
    from tests import clock

    survey_page = f"{reverse('survey_new')}?period={clock.period(0)}"
    sign_in(client, world.a.seed_member)
    assert client.get(survey_page).status_code == 200
    frozen.shift(timedelta(hours=13))
    typed = {"income_wages": "1450", "savings_balance": "260", "action": "send"}
    refused = client.post(survey_page, typed, HTTP_REFERER=f"http://testserver{survey_page}")
    assert refused.status_code == 302
    assert refused["Location"].startswith(LOGIN)
    assert not SurveyResponse.objects.exists()

    sign_in(client, world.a.seed_member, next_page=survey_page)
    page = client.get(survey_page).content.decode()
    assert BACK_NOTICE in page
    kept = kept_fields(page)
    assert kept["income_wages"] == ["1450"] and kept["savings_balance"] == ["260"]
