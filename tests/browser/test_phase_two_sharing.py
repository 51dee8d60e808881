"""Phases in a real Chromium: a liaison cannot share practices in phase I; staff move the cohort
to phase II with a reason; the liaison shares what families did; a family sees it in its feed."""

import re

from playwright.sync_api import expect

from families.models import Cohort
from mutuality.management.commands.seed_demo import DEMO_PASSWORD


def sign_in(page, site, email):
    page.goto(site.url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_sharing_waits_for_phase_two_then_reaches_the_families_feed(new_phone, demo_site):
    site = demo_site
    cohort = Cohort.objects.get(name="East Oakland 2026")
    share_url = f"{site.url}/p/oakland/cohorts/{cohort.pk}/share/"

    liaison = new_phone()
    sign_in(liaison, site, "liaison@demo.example")
    response = liaison.goto(share_url)
    assert response.status == 403
    expect(liaison.get_by_text("This cohort is in phase I")).to_be_visible()

    staff = new_phone()
    sign_in(staff, site, "staff@demo.example")
    staff.goto(f"{site.url}/p/oakland/cohorts/{cohort.pk}/phase/")
    staff.get_by_label("Why now (optional)").fill("Families started three savings circles alone.")
    staff.get_by_label(re.compile("Yes, move the cohort to phase II")).check()
    staff.get_by_role("button", name="Move to phase II").click()
    cohort.refresh_from_db()
    assert cohort.phase == 2

    liaison.goto(share_url)
    liaison.get_by_label("Practice", exact=True).select_option("savings-circle")
    liaison.get_by_role("button", name="Show what families did").click()
    liaison.get_by_label("What families did").fill(
        "In Fruitvale, families pooled $20 a week; one household takes the pot each month."
    )
    liaison.get_by_label(re.compile("Every family of this cohort will see this")).check()
    liaison.get_by_role("button", name="Share with the cohort").click()
    expect(liaison.get_by_text(re.compile("shared|Shared")).first).to_be_visible()

    family = new_phone()
    sign_in(family, site, "family@demo.example")
    family.goto(f"{site.url}/family/feed/cohort/")
    expect(family.get_by_text("families pooled $20 a week")).to_be_visible()
    expect(family.get_by_text("Your partner's staff").first).to_be_visible()
