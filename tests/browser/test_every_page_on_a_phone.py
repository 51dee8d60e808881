"""Every page of every role on a 360 px phone, in English, Spanish and French: the navigation
fits one row, a post's reaction buttons one line, nothing scrolls sideways, every target is big
enough for a finger, axe-core finds no serious or critical violation, and the
Content-Security-Policy blocks nothing."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from families.models import Cohort, Family, Post
from surveys.models import PaymentBatch, SurveyResponse
from tests.browser.phone import LAYOUT, SMALL_TARGETS, open_small_phone, sign_in
from ventures.models import FundingAsk, Venture

AXE = Axe()


def extra_pages(email: str) -> list[str]:
    """Pages the navigation does not name: one of each kind of detail and form."""
    east_oakland = Cohort.objects.get(name="East Oakland 2026")
    oakland = east_oakland.partner.slug
    waiting = SurveyResponse.objects.filter(cohort=east_oakland, state="submitted").first()
    if email in ("family@demo.example", "friend@demo.example"):
        family = Family.objects.get(members__user__email=email)
        venture = Venture.objects.filter(cohort=east_oakland, owners=family).first()
        pages = [reverse("survey_new"), reverse("story_new"), reverse("venture_new")]
        pages.append(
            reverse("family_post_detail", args=[Post.objects.filter(group=family.group).first().pk])
        )
        if venture:
            pages.append(reverse("venture_detail", args=[venture.pk]))
        return pages
    if email == "staff@demo.example":
        return [
            reverse("cohort_detail", args=[oakland, east_oakland.pk]),
            reverse("cohort_create", args=[oakland]),
            reverse("survey_review", args=[oakland, waiting.pk]),
            reverse(
                "staff_family_detail",
                args=[oakland, Family.objects.get(name="Rivera household").pk],
            ),
            reverse("payment_batch", args=[oakland, PaymentBatch.objects.first().pk]),
            reverse(
                "staff_family_messages",
                args=[oakland, Family.objects.get(name="Rivera household").pk],
            ),
            reverse("demo_messages"),
            reverse("usersessions_list"),
            reverse("account_change_password"),
        ]
    if email == "liaison@demo.example":
        return [reverse("survey_review", args=[oakland, waiting.pk])]
    if email == "funder@demo.example":
        ask = FundingAsk.objects.filter(state="open").first()
        return [reverse("funder_ask_detail", args=[ask.pk])]
    if email == "admin@demo.example":
        return [reverse("platform_partner_create"), reverse("demo_messages")]
    return []


ROLES = [
    "family@demo.example",
    "friend@demo.example",
    "liaison@demo.example",
    "staff@demo.example",
    "funder@demo.example",
    "admin@demo.example",
]


def check(page, problems, *, with_axe):
    where = page.url.split("//", 1)[1].split("/", 1)[1]
    layout = page.evaluate(LAYOUT)
    if layout["pageWidth"] > layout["viewport"]:
        problems.append(f"/{where}: scrolls sideways ({layout['pageWidth']} px)")
    if layout["navItems"] and (layout["navRows"] != 1 or layout["navOverflows"]):
        problems.append(f"/{where}: the navigation takes {layout['navRows']} rows")
    if layout["reactionRows"] > 1:
        problems.append(f"/{where}: the reaction buttons take {layout['reactionRows']} rows")
    if layout["navItems"] > 5:
        problems.append(f"/{where}: {layout['navItems']} items in the navigation")
    for target in page.evaluate(SMALL_TARGETS):
        problems.append(f"/{where}: small target {target}")
    if with_axe:
        results = AXE.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                nodes = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
                problems.append(f"/{where}: axe {violation['id']} ({violation['impact']}) {nodes}")
    return layout


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_every_page_of_every_role_fits_a_small_phone(
    browser, demo_site, policy_violations, language
):
    site = demo_site
    problems: list[str] = []
    visited = with_reactions = 0
    context, page = open_small_phone(browser, site, language, policy_violations)
    for path in [reverse("account_login"), reverse("account_reset_password"), reverse("gallery")]:
        page.goto(site.url + path)
        check(page, problems, with_axe=True)
        visited += 1
    context.close()

    for email in ROLES:
        context, page = open_small_phone(browser, site, language, policy_violations)
        sign_in(page, site, email)
        links = page.eval_on_selector_all(".main-nav a", "links => links.map(a => a.pathname)")
        for path in dict.fromkeys(links + extra_pages(email)):
            response = page.goto(site.url + path)
            assert response.status == 200, f"{email} {path}: {response.status}"
            with_reactions += check(page, problems, with_axe=True)["reactions"] > 0
            visited += 1
        # The "More" menu, opened, fits too and names the places in this language.
        page.click(".nav-more summary")
        check(page, problems, with_axe=False)
        context.close()

    assert visited > 60
    assert with_reactions >= 2  # the feed and a post, at least, were measured
    assert problems == [], "\n".join(problems)
    assert policy_violations == []
