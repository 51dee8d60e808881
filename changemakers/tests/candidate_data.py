"""Hand-made verified (and unverified) data for candidate scoring tests, with known points."""

import datetime
from decimal import Decimal

from django.utils import timezone

from changemakers.models import Candidate, FamilyMonth
from families.models import HelpExchange, Tie
from surveys.models import ActionReport, Practice, Story, SurveyResponse
from surveys.services.templates import current_template
from tests import clock, factories
from ventures.models import FundingAsk, Pledge, Venture

OCTOBER = clock.month(-2)
SEPTEMBER = clock.month(-3)
AUGUST = clock.month(-4)
JULY = clock.month(-5)


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


def family_month(family, period, *, improved=False, **figures) -> FamilyMonth:
    """A verified month as the trends job writes it (only the figures a test needs)."""
    values = {key: Decimal(str(value)) for key, value in figures.items() if value is not None}
    return FamilyMonth.objects.create(
        partner_id=family.partner_id,
        cohort_id=family.cohort_id,
        group_id=family.group_id,
        family=family,
        period=period,
        improved=improved,
        computed_at=timezone.now(),
        **values,
    )


def survey(family, period, *, state=SurveyResponse.State.VERIFIED) -> SurveyResponse:
    return SurveyResponse.objects.create(
        partner_id=family.partner_id,
        cohort_id=family.cohort_id,
        family=family,
        template=current_template(family.partner),
        period=period,
        answers={},
        state=state,
        verified_at=timezone.now() if state == SurveyResponse.State.VERIFIED else None,
    )


def practice(partner, slug="savings-circle", names=None) -> Practice:
    return Practice.objects.create(
        partner=partner, slug=slug, names=names or {"en": "Savings circle", "es": "Círculo"}
    )


def reported(family, the_practice, period, *, state=SurveyResponse.State.VERIFIED):
    """The family reported the practice in its survey of `period` (in the given state)."""
    found = SurveyResponse.objects.filter(family=family, period=period).first()
    return ActionReport.objects.create(
        partner_id=family.partner_id,
        cohort_id=family.cohort_id,
        family=family,
        practice=the_practice,
        period=period,
        survey=found or survey(family, period, state=state),
    )


def tie(one, other, kind=Tie.Kind.BRIDGING, reason=Tie.Reason.MET) -> Tie:
    low, high = sorted([one, other], key=lambda f: f.pk)
    return Tie.objects.create(
        partner_id=one.partner_id,
        cohort_id=one.cohort_id,
        family_low=low,
        family_high=high,
        kind=kind,
        reason=reason,
    )


def helped(giver, receiver, day, *, confirmed=True) -> HelpExchange:
    return HelpExchange.objects.create(
        partner_id=giver.partner_id,
        cohort_id=giver.cohort_id,
        giver=giver,
        receiver=receiver,
        recorded_by_family=giver,
        kind=HelpExchange.Kind.CHILDCARE,
        estimated_value=Decimal("20.00"),
        happened_on=day,
        confirmed_at=timezone.now() if confirmed else None,
    )


def story(family, day, *, verified=True) -> Story:
    return Story.objects.create(
        partner_id=family.partner_id,
        cohort_id=family.cohort_id,
        family=family,
        title="How we did it",
        body="We started together.",
        state=Story.State.VERIFIED if verified else Story.State.SUBMITTED,
        verified_at=timezone.now() if verified else None,
        created_at=at(day),
    )


def venture(owners, *, group=None, name="Shared kitchen", created=JULY) -> Venture:
    first = owners[0]
    made = Venture.objects.create(
        partner_id=first.partner_id,
        cohort_id=first.cohort_id,
        group=group,
        name=name,
        kind=Venture.Kind.NEW,
        sector=Venture.Sector.FOOD,
        description="Meals for the neighbourhood.",
    )
    made.owners.set(owners)
    Venture.objects.filter(pk=made.pk).update(created_at=at(created))
    return made


def ask(the_venture, amount="1000.00") -> FundingAsk:
    return FundingAsk.objects.create(
        partner_id=the_venture.partner_id,
        venture=the_venture,
        kind=FundingAsk.Kind.DONATION,
        amount=Decimal(amount),
        currency=the_venture.partner.currency,
        purpose="An oven",
        deadline=clock.days(30),
        state=FundingAsk.State.OPEN,
    )


def pledge(the_ask, funder_user, amount, *, status=Pledge.Status.PLEDGED, made, received=None):
    return Pledge.objects.create(
        partner_id=the_ask.partner_id,
        ask=the_ask,
        funder=funder_user.funder_profile,
        amount=Decimal(amount),
        currency=the_ask.currency,
        status=status,
        created_at=at(made),
        received_at=at(received) if received else None,
    )


def another_funder(email="second-funder@example.org"):
    return factories.FunderProfileFactory(user=factories.UserFactory(email=email)).user


def candidate(tenant, *, kind="family", subject=None, period=OCTOBER, score=40, state=None):
    """A candidate row as the job leaves it (for page and API tests)."""
    subject = subject or {"family": tenant.seed_family, "group": tenant.group}[kind]
    return Candidate.objects.create(
        partner=tenant.partner,
        cohort=tenant.cohort,
        period=period,
        kind=kind,
        subject_key=f"{kind}:{subject.pk}",
        **{kind: subject},
        score=score,
        reasons=[
            {"code": "income_up", "points": 30, "values": {"percent": "52"}},
            {"code": "stories", "points": score - 30, "values": {"stories": 2}},
        ],
        state=state or Candidate.State.SURFACED,
        computed_at=timezone.now(),
    )
