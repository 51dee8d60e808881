"""A 360 px phone in a given language, and what the tests measure on each page it opens."""

from django.urls import reverse

from mutuality.management.commands.seed_demo import DEMO_PASSWORD
from tests.browser.conftest import watch_the_policy

SMALL_PHONE = {"width": 360, "height": 740}

# Targets smaller than a finger (44 x 44 px): buttons, the "More" menu, selects, radio buttons
# and checkboxes (with their labels, which a tap on them toggles), the navigation's links; any
# other link at least 44 px high (one inside a sentence may be narrower).
SMALL_TARGETS = """
() => {
  const visible = (el) =>
    el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const box = (el) => el.getBoundingClientRect();
  const label = (el) => (el.innerText || el.value || el.name || "").trim().slice(0, 40);
  const name = (el) => `${el.tagName.toLowerCase()} "${label(el)}"`;
  const targets = "button, summary, select, input[type=radio], input[type=checkbox], " +
    "input[type=submit], a[href]";
  const small = [];
  for (const el of document.querySelectorAll(targets)) {
    if (!visible(el) || el.closest(".skip-link")) continue;
    let target = el;
    if (el.type === "radio" || el.type === "checkbox") {
      target = el.closest("label") || document.querySelector(`label[for="${el.id}"]`) || el;
    }
    const { width, height } = box(target);
    const isLink =
      el.tagName === "A" && !el.closest(".main-nav") && !el.classList.contains("button");
    if (height < 43.5 || (!isLink && width < 43.5)) {
      small.push(`${name(el)} ${Math.round(width)}x${Math.round(height)}`);
    }
  }
  return small;
}
"""

LAYOUT = """
() => {
  const bar = document.querySelector(".nav-bar");
  const tops = bar ? [...bar.children].map((li) => Math.round(li.getBoundingClientRect().top)) : [];
  // The reaction buttons of each post, in rows: they should all sit on one.
  const top = (el) => Math.round(el.getBoundingClientRect().top);
  const reactionRows = [...document.querySelectorAll(".reactions")].map(
    (form) => new Set([...form.querySelectorAll("button")].map(top)).size
  );
  return {
    reactions: reactionRows.length,
    reactionRows: Math.max(0, ...reactionRows),
    pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    navItems: tops.length,
    navRows: new Set(tops).size,
    navOverflows: bar ? bar.scrollWidth > bar.clientWidth + 1 : false,
  };
}
"""


def open_small_phone(browser, site, language, violations):
    context = browser.new_context(viewport=SMALL_PHONE, locale=language)
    context.add_cookies([{"name": "django_language", "value": language, "url": site.url}])
    watch_the_policy(context, violations)
    return context, context.new_page()


def sign_in(page, site, email):
    page.goto(site.url + reverse("account_login"))
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', DEMO_PASSWORD)
    page.click('main button[type="submit"]')
    page.wait_for_selector(".main-nav")
