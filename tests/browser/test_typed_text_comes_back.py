"""A story typed into the group feed while the session ran out is not lost: sending it leads to
the sign-in page, which says the text is kept, and after signing in the story is back in the
box, ready to send."""

from importlib import import_module

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from families.models import Post
from mutuality.management.commands.seed_demo import DEMO_PASSWORD
from tests.browser.phone import open_small_phone, sign_in

STORY = "Our savings circle met at the library; two new families came along."


def leave_idle(context, site, hours):
    """Moves the browser's session back in time, as if the phone lay untouched."""
    cookie = next(c for c in context.cookies(site.url) if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"])
    for key in (SIGNED_IN_AT, LAST_SEEN_AT):
        session[key] -= hours * 3600
    session.save()


def test_a_story_typed_while_the_session_ended_comes_back_after_sign_in(
    browser, demo_site, policy_violations
):
    site = demo_site
    context, page = open_small_phone(browser, site, "en", policy_violations)
    sign_in(page, site, "family@demo.example")
    page.goto(site.url + reverse("family_feed_group"))
    page.get_by_label("What would you like to share?").fill(STORY)
    page.get_by_role("radio", name="Win").check()
    leave_idle(context, site, hours=13)

    page.get_by_role("button", name="Share", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_text("What you typed is kept")).to_be_visible()
    assert not Post.objects.filter(body=STORY).exists()
    page.fill('input[name="login"]', "family@demo.example")
    page.fill('input[name="password"]', DEMO_PASSWORD)
    page.click('main button[type="submit"]')

    expect(page.get_by_role("heading", level=1)).to_have_text("Group feed")
    expect(page.get_by_text("back in the form below")).to_be_visible()
    expect(page.get_by_label("What would you like to share?")).to_have_value(STORY)
    expect(page.get_by_role("radio", name="Win")).to_be_checked()
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.get_by_text(STORY).first).to_be_visible()
    assert Post.objects.filter(body=STORY, kind="win").count() == 1
    context.close()
    assert policy_violations == []
