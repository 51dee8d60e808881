import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django_celery_beat.models import PeriodicTask

from accounts.models import Membership, Partner, Role, User
from families.models import Cohort, Family, HelpExchange, Post, StaffRequest, Tie
from surveys.models import ActionReport, PaymentBatch, Stipend, Story, SurveyResponse
from ventures.models import FundingAsk, Venture, VentureUpdate


def test_seed_demo_is_refused_outside_demo_mode(db):
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("seed_demo")
    assert not Partner.objects.exists()


def test_seed_demo_creates_the_readme_logins_and_is_safe_to_run_twice(db, settings):
    settings.DEMO_MODE = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert Partner.objects.count() == 2
    assert set(Partner.objects.values_list("currency", flat=True)) == {"USD", "LRD"}
    for email in [
        "admin@demo.example",
        "staff@demo.example",
        "liaison@demo.example",
        "family@demo.example",
        "friend@demo.example",
        "funder@demo.example",
        "staff@demo2.example",
    ]:
        user = User.objects.get(email=email)
        assert user.check_password("mutuality-demo-2026"), email
    assert User.objects.get(email="admin@demo.example").is_superuser
    assert Membership.objects.get(user__email="liaison@demo.example").role == Role.LIAISON
    family = Family.objects.get(members__user__email="family@demo.example")
    friend = Family.objects.get(members__user__email="friend@demo.example")
    assert family.is_seed
    assert friend.group_id == family.group_id
    assert friend.invited_by_id == family.pk
    assert friend.generation == 1
    assert Membership.objects.get(user__email="staff@demo2.example").partner.currency == "LRD"


def test_seed_demo_shows_a_living_cohort(db, settings):
    settings.DEMO_MODE = True
    call_command("seed_demo")
    family = Family.objects.get(members__user__email="family@demo.example")
    cohort = family.cohort
    today = datetime.date.today()
    months = (today.year - cohort.started_on.year) * 12 + today.month - cohort.started_on.month
    assert months == 5
    assert cohort.phase == 1
    assert list(cohort.liaisons.values_list("email", flat=True)) == ["liaison@demo.example"]
    assert Family.objects.filter(cohort=cohort, is_seed=True).count() == 10
    assert Family.objects.filter(invited_by=family).count() == 3
    others = Family.objects.filter(cohort=cohort, is_seed=False).exclude(invited_by=family)
    assert others.exists()
    assert Post.objects.filter(cohort=cohort).count() >= 5
    assert HelpExchange.objects.filter(cohort=cohort).count() >= 3
    assert Tie.objects.filter(cohort=cohort, kind="bridging").count() >= 2
    surveys = SurveyResponse.objects.filter(cohort=cohort)
    assert surveys.filter(state="verified").count() > surveys.exclude(state="verified").count()
    assert surveys.filter(state__in=["submitted", "resubmitted"]).exists()
    assert surveys.filter(state="needs_correction").count() == 1
    assert (
        Stipend.objects.filter(family__cohort=cohort).count()
        == surveys.filter(state="verified").count()
    )
    assert PaymentBatch.objects.filter(partner=cohort.partner).count() == 1
    assert Stipend.objects.filter(family__cohort=cohort, status="fulfilled").exists()
    assert Story.objects.filter(cohort=cohort, visibility="public").count() == 1
    older = Cohort.objects.get(partner=cohort.partner, name="Fruitvale 2026")
    assert older.phase == 2
    assert Post.objects.filter(cohort=older, source="staff").count() == 1
    assert Post.objects.filter(cohort=cohort, source="peer").exists()
    assert StaffRequest.objects.filter(cohort=cohort).count() >= 2
    assert ActionReport.objects.filter(cohort=cohort).exclude(description="").exists()
    ventures = Venture.objects.filter(cohort=cohort)
    assert ventures.filter(group__isnull=True).exists()  # a family venture
    assert ventures.filter(group__isnull=False, owners__isnull=False).exists()  # a group venture
    assert VentureUpdate.objects.filter(venture__cohort=cohort).count() >= 3
    donation = FundingAsk.objects.get(venture__cohort=cohort, kind="donation")
    assert donation.state == "open" and donation.is_public
    assert donation.pledges.get().funder.user.email == "funder@demo.example"
    loan = FundingAsk.objects.get(venture__cohort=cohort, kind="loan")
    assert loan.state == "funded" and loan.repayments.count() == 5
    liberia = Family.objects.filter(partner__currency="LRD")
    assert 0 < liberia.count() < Family.objects.filter(cohort=cohort).count()


def test_setup_periodic_tasks_registers_the_schedule_and_disables_dropped_jobs(db, settings):
    settings.PERIODIC_TASKS = {
        "nightly": {
            "task": "mutuality.tasks.purge_expired_idempotency_keys",
            "crontab": {"hour": 2},
        }
    }
    call_command("setup_periodic_tasks")
    call_command("setup_periodic_tasks")
    task = PeriodicTask.objects.get(name="mutuality: nightly")
    assert task.enabled
    assert task.task == "mutuality.tasks.purge_expired_idempotency_keys"
    assert task.crontab.hour == "2"
    assert json.loads(task.kwargs) == {}

    settings.PERIODIC_TASKS = {}
    call_command("setup_periodic_tasks")
    task.refresh_from_db()
    assert not task.enabled
    assert PeriodicTask.objects.filter(name__startswith="mutuality: ").count() == 1


def test_compile_translations_writes_catalogues(tmp_path, settings):
    po_dir = tmp_path / "xx" / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    (po_dir / "django.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Home"\nmsgstr "Casa"\n',
        encoding="utf-8",
    )
    settings.LOCALE_PATHS = [tmp_path]
    call_command("compile_translations")
    assert (po_dir / "django.mo").stat().st_size > 0
