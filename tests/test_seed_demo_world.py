"""The demo reads like a real demonstration: households list their people, practices spread
unevenly, and seeding says what it did in a few lines."""

import io
import logging

from django.core.management import call_command
from django.db.models import Count

from families.models import Cohort, Family
from surveys.models import ActionReport


def test_the_demo_world_reads_like_a_real_one(db, settings, caplog):
    settings.DEMO_MODE = True
    caplog.set_level(logging.INFO)
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    # Seeding says it is done, and does not list each background task it ran.
    assert out.getvalue().strip().splitlines()[-1].startswith("Demo data loaded.")
    assert [r for r in caplog.records if r.name == "celery.app.trace"] == []
    assert len(caplog.records) < 10

    # The household of five lists its five people, none named after the household.
    rivera = Family.objects.get(name="Rivera household")
    people = list(rivera.members.values_list("first_name", flat=True))
    assert rivera.household_size == 5 and len(people) == 5
    assert "Rosa" in people and "Rivera" not in people
    nguyen = Family.objects.get(name="Nguyen household")
    assert nguyen.members.count() == nguyen.household_size == 4
    # Households without a login give their size, not a made-up name.
    assert not Family.objects.filter(members__first_name="Haddad").exists()

    # Practices spread unevenly through East Oakland: not every family tried every one.
    east_oakland = Cohort.objects.get(name="East Oakland 2026")
    families = Family.objects.filter(cohort=east_oakland).count()
    adopters = dict(
        ActionReport.objects.filter(cohort=east_oakland)
        .values_list("practice__slug")
        .annotate(n=Count("family", distinct=True))
    )
    assert len(adopters) == 3
    assert len(set(adopters.values())) == 3
    assert all(0 < count < families for count in adopters.values())


def test_monrovia_has_phone_only_families_one_answering_by_text(db, settings):
    from accounts.models import User
    from messaging.models import Message
    from surveys.models import SurveyResponse

    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())

    phone_only = User.objects.filter(email=None, phone__startswith="+231", phone_verified=True)
    assert sorted(user.name for user in phone_only) == ["Famata Dolo", "Joseph Kpoto"]
    assert not any(user.has_usable_password() for user in phone_only)
    dolo = Family.objects.get(name="Dolo household")
    conversation = Message.objects.filter(family=dolo, template="sms_survey")
    assert conversation.filter(direction="out").count() >= 4  # the first question, then replies
    assert Message.objects.filter(family=dolo, direction="in").count() == 3
    # The texted answers sit in this month's draft, which the web form shows too.
    draft = SurveyResponse.objects.get(family=dolo, state="draft", channel="sms")
    assert draft.answers.get("income_wages") == "9500.00"
