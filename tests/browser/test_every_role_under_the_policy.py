"""The main pages of every role, in a real Chromium under the Content-Security-Policy: each one
renders its content, keeps its looks (the stylesheet's rules apply), and the policy blocks
nothing on it."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from families.models import Cohort
from mutuality.management.commands.seed_demo import DEMO_PASSWORD
from ventures.models import Venture

# Rules of site.css that the pages used to carry inline.
CHART_MAX_WIDTH = "480px"  # .chart: 30rem
NETWORK_MAX_WIDTH = "512px"  # .network-picture: 32rem


def sign_in(page, site, email):
    page.goto(site.url + reverse("account_login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def visit(page, site, path, violations):
    page.goto(site.url + path)
    page.wait_for_load_state("networkidle")
    expect(page.locator(".site-header, .swagger-ui").first).to_be_visible()
    page.wait_for_timeout(50)  # a violation event arrives just after the page's own work
    assert violations == [], f"blocked on {path}"


def test_every_roles_main_pages_render_with_nothing_blocked(
    new_phone, demo_site, policy_violations
):
    site = demo_site
    east_oakland = Cohort.objects.get(name="East Oakland 2026")
    tamales = Venture.objects.get(name="Rivera tamales")

    family = new_phone()
    sign_in(family, site, "family@demo.example")
    visit(family, site, reverse("family_home"), policy_violations)
    expect(family.get_by_role("heading", level=1)).to_have_text("Welcome, Rosa Rivera")
    expect(family.get_by_role("heading", name="Your household")).to_be_visible()

    visit(family, site, reverse("survey_new"), policy_violations)
    expect(family.get_by_role("heading", level=1)).to_contain_text("Survey for")
    expect(family.locator('[name="income_wages"]')).to_be_editable()

    visit(family, site, reverse("family_progress"), policy_violations)
    chart = family.locator("svg.chart").first
    expect(chart).to_be_visible()
    expect(chart).to_have_css("max-width", CHART_MAX_WIDTH)
    # The baseline months are starred by a rule of the stylesheet.
    expect(family.locator("tr.in-baseline th").first).to_be_visible()

    visit(family, site, reverse("family_ventures"), policy_violations)
    expect(family.get_by_role("link", name="Rivera tamales").first).to_be_visible()
    visit(family, site, reverse("venture_detail", args=[tamales.pk]), policy_violations)
    expect(family.get_by_role("heading", level=1)).to_have_text("Rivera tamales")
    expect(family.locator(".ask-progress progress").first).to_be_visible()

    liaison = new_phone()
    sign_in(liaison, site, "liaison@demo.example")
    visit(liaison, site, reverse("partner_home", args=["oakland"]), policy_violations)
    expect(liaison.get_by_role("heading", level=1)).to_have_text(
        "Liaison for Oakland Families Together"
    )
    expect(liaison.get_by_role("heading", name=re.compile(r"^Surveys"))).to_be_visible()

    staff = new_phone()
    sign_in(staff, site, "staff@demo.example")
    visit(staff, site, reverse("partner_home", args=["oakland"]), policy_violations)
    expect(staff.get_by_role("heading", level=1)).to_have_text("Oakland Families Together")
    expect(staff.get_by_role("link", name="East Oakland 2026").first).to_be_visible()

    visit(
        staff, site, reverse("cohort_detail", args=["oakland", east_oakland.pk]), policy_violations
    )
    network = staff.locator("svg.network-picture")
    expect(network).to_be_visible()
    expect(network).to_have_css("max-width", NETWORK_MAX_WIDTH)
    assert network.locator("circle.family-seed").count() > 0
    expect(staff.locator(".network-legend")).to_have_css("list-style-type", "none")

    visit(staff, site, reverse("partner_trends", args=["oakland"]), policy_violations)
    expect(staff.get_by_role("heading", level=1)).to_have_text("Trends")
    expect(staff.locator("figure.trends-chart svg").first).to_be_visible()
    visit(
        staff, site, reverse("cohort_trends", args=["oakland", east_oakland.pk]), policy_violations
    )
    expect(staff.locator("figure.trends-chart svg").first).to_be_visible()

    # Staff set up two-factor authentication from a QR code (an image in a data: URL).
    visit(staff, site, reverse("mfa_activate_totp"), policy_violations)
    staff.get_by_label("Password").fill(DEMO_PASSWORD)  # allauth asks again first
    staff.get_by_role("button", name="Confirm").click()
    expect(staff).to_have_url(re.compile(r"/totp/activate/$"))
    qr_code = staff.locator('img[src^="data:image/svg+xml"]')
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("image => image.naturalWidth") > 0

    funder = new_phone()
    sign_in(funder, site, "funder@demo.example")
    visit(funder, site, reverse("funder_home"), policy_violations)
    expect(funder.get_by_role("heading", level=1)).to_have_text("Welcome, Bay Community Fund")
    expect(funder.get_by_role("link", name="Rivera tamales").first).to_be_visible()
    expect(funder.locator("form.ask-filters")).to_have_css("display", "grid")

    anyone = new_phone()
    visit(anyone, site, reverse("gallery"), policy_violations)
    expect(anyone.get_by_role("heading", level=1)).to_have_text("Everyday Changemakers")

    visit(anyone, site, reverse("api_docs"), policy_violations)
    # Swagger UI ran: it fetched the schema and lists the operations.
    expect(anyone.locator(".swagger-ui .info .title")).to_contain_text("Mutuality Platform API")
    expect(anyone.locator(".opblock-summary-path", has_text="/api/v1/me/").first).to_be_visible()
    assert policy_violations == []
