"""A demonstration grows peer to peer, in a real Chromium: staff start a cohort and enroll a
seed; the seed invites a friend; the friend joins from the link and posts; the seed sees it."""

import re

from django.core import mail
from playwright.sync_api import expect

from mutuality.management.commands.seed_demo import DEMO_PASSWORD
from tests import clock


def _link_in_last_email(kind: str) -> str:
    assert mail.outbox, "no email was sent"
    return re.search(rf"https?://\S+/{kind}/\S+/", mail.outbox[-1].body).group(0)


def _on_this_server(link: str, site) -> str:
    return site.url + "/" + link.split("/", 3)[3]


def test_staff_start_a_cohort_a_seed_invites_a_friend_who_joins_and_posts(new_phone, demo_site):
    site = demo_site
    staff = new_phone()
    staff.goto(site.url + "/accounts/login/")
    staff.get_by_label("Email").fill("staff@demo.example")
    staff.get_by_label("Password").fill(DEMO_PASSWORD)
    staff.get_by_role("button", name="Sign in", exact=True).click()
    expect(staff).to_have_url(re.compile(r"/p/oakland/$"))

    staff.goto(site.url + "/p/oakland/cohorts/new/")
    staff.get_by_label("Name").fill("West Oakland 2027")
    staff.get_by_label("Region").fill("West Oakland, CA")
    staff.get_by_label("Start date").fill(clock.on(-1, 1).isoformat())
    staff.get_by_role("button", name="Create the cohort").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("West Oakland 2027")

    staff.get_by_role("link", name="Enroll a seed family").click()
    staff.get_by_label("Household name").fill("Amani household")
    staff.get_by_label("Email").fill("amani@example.org")
    staff.get_by_label("People in the household").fill("3")
    staff.locator('input[name="members-0-first_name"]').fill("Amani")
    staff.get_by_role("button", name="Enroll the family").click()
    expect(staff.get_by_text("Amani household").first).to_be_visible()

    # The seed household creates its sign-in from the emailed link.
    seed = new_phone()
    seed.goto(_on_this_server(_link_in_last_email("welcome"), site))
    seed.get_by_label("Your name").fill("Amani Otieno")
    seed.get_by_label("Your email").fill("amani@example.org")
    seed.get_by_label("Password", exact=True).fill("amani-long-password-1")
    seed.get_by_label("Password (again)").fill("amani-long-password-1")
    seed.get_by_role("button", name="Create my sign-in").click()
    expect(seed).to_have_url(re.compile(r"/family/$"))

    # The seed invites a friend household by email.
    seed.goto(site.url + "/family/invitations/")
    seed.get_by_label("Who are you inviting?").fill("Jo Baptiste")
    seed.get_by_label("Their email").fill("jo@example.org")
    seed.get_by_role("button", name="Invite", exact=True).click()
    expect(seed.get_by_text("jo@example.org").first).to_be_visible()

    # The friend joins from the link and posts in the group feed.
    friend = new_phone()
    friend.goto(_on_this_server(_link_in_last_email("invite"), site))
    friend.get_by_label("Your name").fill("Jo Baptiste")
    friend.get_by_label("Your email").fill("jo@example.org")
    friend.get_by_label("Password", exact=True).fill("jo-long-password-22")
    friend.get_by_label("Password (again)").fill("jo-long-password-22")
    friend.get_by_label("Household name").fill("Baptiste household")
    friend.get_by_label("How many people live in your household, you included?").fill("4")
    friend.get_by_role("button", name="Create our account and join").click()
    expect(friend).to_have_url(re.compile(r"/family/$"))
    friend.goto(site.url + "/family/feed/")
    friend.get_by_label("What would you like to share?").fill("Hello from the Baptistes!")
    friend.get_by_role("button", name="Share").click()
    expect(friend.get_by_text("Hello from the Baptistes!")).to_be_visible()

    # The seed sees the friend's post in their group feed.
    seed.goto(site.url + "/family/feed/")
    expect(seed.get_by_text("Hello from the Baptistes!")).to_be_visible()
    expect(seed.get_by_text("Baptiste household").first).to_be_visible()
