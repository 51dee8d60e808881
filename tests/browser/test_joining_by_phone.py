"""A friend invited by phone joins with a code sent by SMS, with no email and no password, and
sends this month's survey, in a real Chromium on a phone."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from messaging.models import Message
from mutuality.management.commands.seed_demo import DEMO_PASSWORD
from surveys.models import SurveyResponse

ANSWERS = {
    "income_wages": "1450",
    "income_business": "0",
    "income_benefits": "120",
    "income_other": "0",
    "savings_balance": "260",
    "debt_formal": "0",
    "debt_high_cost": "180",
    "adults_working": "2",
}


def _texted(template: str, to: str) -> str:
    """What the demo site's console 'sent' (a demo keeps the text, codes and links included)."""
    message = Message.objects.filter(template=template, to=to).order_by("-pk").first()
    assert message is not None, f"no {template} text to {to}"
    return message.body


def test_a_friend_invited_by_phone_joins_with_an_sms_code_and_sends_the_survey(
    new_phone, demo_site
):
    site = demo_site
    seed = new_phone()
    seed.goto(site.url + "/accounts/login/")
    seed.get_by_label("Email or phone number").fill("family@demo.example")
    seed.get_by_label("Password").fill(DEMO_PASSWORD)
    seed.get_by_role("button", name="Sign in", exact=True).click()
    expect(seed).to_have_url(re.compile(r"/family/$"))

    seed.goto(site.url + "/family/invitations/")
    seed.get_by_label("Who are you inviting?").fill("Musu Kollie")
    seed.get_by_label("Or their phone number").fill("(510) 555-0188")
    seed.get_by_role("button", name="Invite", exact=True).click()
    expect(seed.get_by_text("Musu Kollie").first).to_be_visible()

    link = re.search(r"https?://\S+/invite/\S+/", _texted("invitation", "+15105550188"))[0]
    friend = new_phone()
    friend.goto(site.url + "/" + link.split("/", 3)[3])
    expect(friend.get_by_label("Your phone number")).to_have_value("+1 510-555-0188")
    friend.get_by_label("Your name").fill("Musu Kollie")
    friend.get_by_label("Household name").fill("Kollie household")
    friend.get_by_label("How many people live in your household, you included?").fill("4")
    friend.get_by_role("button", name="Create our account and join").click()

    # No email, no password: a code by SMS is the way in.
    expect(friend.get_by_role("heading", level=1)).to_have_text("Type your code")
    code = re.search(r"\b(\d{6})\b", _texted("signin_code", "+15105550188"))[1]
    friend.get_by_label("Code").fill(code)
    friend.get_by_role("button", name="Sign in").click()
    expect(friend).to_have_url(re.compile(r"/family/$"))

    month = timezone.localdate().strftime("%Y-%m")
    friend.goto(f"{site.url}/family/surveys/new/?period={month}")
    for key, value in ANSWERS.items():
        friend.locator(f'[name="{key}"]').fill(value)
    friend.locator('button[name="action"][value="send"]').click()
    friend.wait_for_load_state("load")

    user = User.objects.get(phone="+15105550188")
    assert user.email is None and user.phone_verified and not user.has_usable_password()
    survey = SurveyResponse.objects.get(family__members__user=user, period=f"{month}-01")
    assert survey.state == "submitted" and survey.answers["income_wages"] == "1450.00"
