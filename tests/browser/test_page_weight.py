"""A family page is light enough for a slow connection on a cheap phone: everything it loads
(the page, its stylesheet, scripts, pictures) at most 60 KB as sent uncompressed and 30 KB once
compressed, and nothing from another site, in each of the three languages."""

import gzip

import pytest
from django.urls import reverse

from families.models import Family, Post
from tests.browser.phone import open_small_phone, sign_in
from ventures.models import Venture

MAX_BYTES = 60 * 1024
MAX_COMPRESSED_BYTES = 30 * 1024


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_every_family_page_is_light_and_loads_nothing_from_elsewhere(
    browser, demo_site, policy_violations, language
):
    site = demo_site
    context, page = open_small_phone(browser, site, language, policy_violations)
    sign_in(page, site, "family@demo.example")
    family = Family.objects.get(members__user__email="family@demo.example")
    paths = page.eval_on_selector_all(".main-nav a", "links => links.map(a => a.pathname)")
    paths += [
        reverse("survey_new"),
        reverse("family_post_detail", args=[Post.objects.filter(group=family.group).first().pk]),
        reverse("venture_detail", args=[Venture.objects.filter(owners=family).first().pk]),
    ]
    # Every page counts what it loads itself, as on a first visit: no cache.
    page.context.new_cdp_session(page).send("Network.setCacheDisabled", {"cacheDisabled": True})
    loaded: list = []
    page.on("requestfinished", lambda request: loaded.append(request))

    weights, elsewhere = {}, []
    for path in dict.fromkeys(paths):
        loaded.clear()
        page.goto(site.url + path)
        page.wait_for_load_state("networkidle")
        total = compressed = 0
        for request in loaded:
            if request.url.startswith("data:"):
                continue
            if not request.url.startswith(site.url):
                elsewhere.append(f"{path}: {request.url}")
                continue
            body = request.response().body()
            total += len(body)
            compressed += len(gzip.compress(body))
        weights[path] = (total, compressed, len(loaded))
    context.close()

    assert len(weights) >= 15
    assert elsewhere == []
    heavy = {
        path: f"{total} B, {compressed} B compressed, {requests} requests"
        for path, (total, compressed, requests) in weights.items()
        if total > MAX_BYTES or compressed > MAX_COMPRESSED_BYTES
    }
    assert heavy == {}
    # Each page loads its stylesheet, and no script is needed to use it.
    assert all(requests >= 2 for _, _, requests in weights.values())
