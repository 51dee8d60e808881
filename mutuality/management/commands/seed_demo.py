"""Load the demo world: two partners, a living cohort each, and the README's logins.

Refused unless DEMO_MODE is on. Safe to run twice: a second run changes nothing. Writes go
through the same services as the app, so the demo shows what real use produces.
"""

import contextlib
import datetime
import io
import logging
import random
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts import policy
from accounts import services as account_services
from accounts.models import FunderAccess, FunderProfile, Membership, Partner, Role, User
from changemakers import services as changemaker_services
from families import services as family_services
from families.access import FamilySeat
from families.models import HouseholdMember, Post
from families.services.cohorts import create_household
from families.services.ties import tie_record
from mutuality import phones
from surveys import services as survey_services
from surveys.models import ActionReport, Practice, Stipend
from ventures import services as venture_services
from ventures.models import ExchangeRate

DEMO_PASSWORD = "mutuality-demo-2026"

# The people of the two households with a login, besides the person who signs in: as many as
# the household's size says. Other households give their size only.
HOUSEHOLD_MEMBERS = {
    "Rivera household": [
        ("Miguel", "partner", 1983),
        ("Sofía", "child", 2011),
        ("Mateo", "child", 2015),
        ("Carmen", "parent", 1957),
    ],
    "Nguyen household": [("Lan", "partner", 1988), ("An", "child", 2014), ("Bao", "child", 2018)],
}
# Practices spread unevenly, as they do: (practice, which families take it up, from which month).
PRACTICE_SPREAD = [
    ("savings-circle", lambda number: number % 5 != 4, lambda number: number % 4),
    ("opened-savings-account", lambda number: number % 2 == 0, lambda number: 1 + number % 3),
    ("shared-childcare", lambda number: number % 4 == 1, lambda number: 3),
]

# Seed households of East Oakland: (name, size, culture, religion, language, friends)
# where friends are (name, size). The first is the demo family's; it has three friends so far.
OAKLAND_SEEDS = [
    (
        "Rivera household",
        5,
        "Mexican American",
        "Catholic",
        "Spanish",
        [("Nguyen household", 4), ("Okafor household", 6), ("Lee household", 3)],
    ),
    (
        "Haddad household",
        6,
        "Yemeni American",
        "Muslim",
        "Arabic",
        [("Saleh household", 7), ("Johnson household", 2), ("Omar household", 5)],
    ),
    (
        "Tran household",
        4,
        "Vietnamese American",
        "Buddhist",
        "Vietnamese",
        [("Pham household", 5), ("Le household", 3)],
    ),
    (
        "Washington household",
        3,
        "African American",
        "Baptist",
        "English",
        [("Brooks household", 4), ("Harris household", 6), ("Coleman household", 2)],
    ),
    ("Begay household", 7, "Diné", "", "English", [("Yazzie household", 5)]),
    (
        "Morales household",
        5,
        "Guatemalan",
        "Evangelical",
        "K'iche'",
        [("Tzul household", 6), ("Xoy household", 4)],
    ),
    (
        "Kim household",
        3,
        "Korean American",
        "Presbyterian",
        "Korean",
        [("Park household", 4), ("Cho household", 2)],
    ),
    ("Mensah household", 6, "Ghanaian", "Methodist", "Twi", [("Boateng household", 5)]),
    (
        "Santos household",
        4,
        "Filipino American",
        "Catholic",
        "Tagalog",
        [("Reyes household", 5), ("Cruz household", 3)],
    ),
    (
        "Ali household",
        5,
        "Somali",
        "Muslim",
        "Somali",
        [("Hassan household", 6), ("Warsame household", 7)],
    ),
]
FRUITVALE_SEEDS = [
    (
        "Alvarez household",
        5,
        "Salvadoran",
        "Catholic",
        "Spanish",
        [("Flores household", 4), ("Ramos household", 6)],
    ),
    ("Nakamura household", 3, "Japanese American", "", "English", [("Ito household", 2)]),
    (
        "Jackson household",
        4,
        "African American",
        "Baptist",
        "English",
        [("Carter household", 5), ("Lewis household", 3)],
    ),
]
MONROVIA_SEEDS = [
    (
        "Kollie household",
        7,
        "Kpelle",
        "Christian",
        "Kpelle",
        [("Dolo household", 6), ("Sirleaf household", 5)],
    ),
    ("Tubman household", 8, "Americo-Liberian", "Methodist", "English", [("Kpoto household", 6)]),
    ("Kamara household", 6, "Mandingo", "Muslim", "Mandinka", [("Sheriff household", 7)]),
]
POSTS = [
    (
        "Rivera household",
        "win",
        "cohort",
        "We opened a savings account at the credit union this "
        "week. Ten dollars to start, but it is ours.",
    ),
    (
        "Nguyen household",
        "update",
        "group",
        "Thank you Rosa for watching the kids on Tuesday. I could take the extra shift.",
    ),
    (
        "Haddad household",
        "win",
        "cohort",
        "Our catering orders doubled after the street fair. "
        "Anyone who wants to learn the bookkeeping sheet, ask us.",
    ),
    ("Okafor household", "update", "group", "Looking for a ride to the job fair on Saturday."),
    ("Tran household", "win", "cohort", "Paid off the payday loan. No more 400% interest."),
    (
        "Washington household",
        "update",
        "cohort",
        "Our savings circle meets Sunday after church. Two places are open.",
    ),
]


class Command(BaseCommand):
    help = "Load demo data (only in demo mode)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("seed_demo only runs with DEMO_MODE=true; it creates known logins.")
        if Partner.objects.filter(slug="oakland").exists():
            self.stdout.write("Demo data is already loaded.")
            return
        # Tasks run in-process here: their log lines (hundreds) would bury the one that matters.
        task_log = logging.getLogger("celery.app.trace")
        level = task_log.level
        task_log.setLevel(logging.WARNING)
        try:
            # The months seeded happened "before": their notices are recorded (staff see them
            # on each family) but not printed by the console's SMS sender, a line each.
            with contextlib.redirect_stdout(io.StringIO()), transaction.atomic():
                self._seed()
        finally:
            task_log.setLevel(level)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Password: {DEMO_PASSWORD}"))

    def _user(self, email, name, **flags):
        user = account_services.user_create(
            email=email, name=name, password=DEMO_PASSWORD, verified=True
        )
        if flags:
            for key, value in flags.items():
                setattr(user, key, value)
            user.save()
        return user

    def _seed(self):
        self.today = timezone.localdate()
        self._user("admin@demo.example", "Ada Admin", is_superuser=True, is_staff=True)
        oakland = Partner.objects.create(
            name="Oakland Families Together",
            slug="oakland",
            country="US",
            currency="USD",
            languages=["en", "es"],
            timezone="America/Los_Angeles",
            stipend_amount=Decimal("25.00"),
        )
        monrovia = Partner.objects.create(
            name="Monrovia Mutual Aid",
            slug="monrovia",
            country="LR",
            currency="LRD",
            languages=["en"],
            timezone="Africa/Monrovia",
            stipend_amount=Decimal("2500.00"),
        )
        staff = self._member(oakland, "staff@demo.example", "Sam Staff", Role.ADMIN)
        liaison = self._member(oakland, "liaison@demo.example", "Lina Liaison", Role.LIAISON)
        staff_two = self._member(monrovia, "staff@demo2.example", "Moses Staff", Role.ADMIN)

        funder = FunderProfile.objects.create(
            user=self._user("funder@demo.example", "Fatima Funder"),
            organization="Bay Community Fund",
            kind=FunderProfile.Kind.FOUNDATION,
            country="US",
        )
        FunderAccess.objects.create(partner=oakland, funder=funder, granted_by=staff)

        seat = policy.Seat(user=staff, partner=oakland, role=Role.ADMIN)
        east_oakland = family_services.cohort_create(
            seat=seat,
            name="East Oakland 2026",
            region="East Oakland, CA",
            started_on=self._months_ago(5),
            liaison_ids=[liaison.pk],
        )
        families = self._cohort(seat, east_oakland, OAKLAND_SEEDS, phone="+1 510 555 01")
        self._login_for(families["Rivera household"], "family@demo.example", "Rosa Rivera")
        self._login_for(families["Nguyen household"], "friend@demo.example", "Minh Nguyen")
        self._life(families)
        self._surveys(families, liaison=liaison, staff=staff)
        fruitvale = self._phases(seat, families)
        # Savings circles spread through Fruitvale: a few families first, then their friends.
        self._verified_months(fruitvale, seat=seat, months=8, scale=1, spread=[1, 1, 2, 2, 1])
        self._ventures(seat, families)

        seat_two = policy.Seat(user=staff_two, partner=monrovia, role=Role.ADMIN)
        paynesville = family_services.cohort_create(
            seat=seat_two,
            name="Paynesville 2026",
            region="Paynesville, Montserrado",
            started_on=self._months_ago(3),
        )
        paynesville_families = self._cohort(
            seat_two, paynesville, MONROVIA_SEEDS, phone="+231 77 755 50"
        )
        self._verified_months(
            paynesville_families, seat=seat_two, months=3, scale=150, spread=[2, 3]
        )
        self._phone_only_families(paynesville_families)
        self._learn()
        self._changemakers(seat, seat_two)

    def _member(self, partner, email, name, role):
        user = self._user(email, name)
        Membership.objects.create(partner=partner, user=user, role=role)
        return user

    def _months_ago(self, months: int) -> datetime.date:
        year, month = self.today.year, self.today.month - months
        while month < 1:
            year, month = year - 1, month + 12
        return datetime.date(year, month, 1)

    def _cohort(self, seat, cohort, seeds, phone):
        families = {}
        number = 0
        for name, size, culture, religion, language, friends in seeds:
            number += 1
            seed = family_services.family_enroll_seed(
                seat=seat,
                cohort=cohort,
                data=family_services.HouseholdInput(
                    name=name,
                    household_size=size,
                    contact_phone=f"{phone}{number:02d}",
                    culture=culture,
                    religion=religion,
                    language=language,
                    members=self._members(name),
                ),
            )
            families[name] = seed
            for friend_name, friend_size in friends:
                number += 1
                # Friends joined through invitation links; the demo writes the outcome.
                friend = create_household(
                    partner=seat.partner,
                    cohort=cohort,
                    group=seed.group,
                    data=family_services.HouseholdInput(
                        name=friend_name,
                        household_size=friend_size,
                        # Written straight in (no enrollment service), so read here as one.
                        contact_phone=phones.to_e164(f"{phone}{number:02d}", seat.partner.country),
                        members=self._members(friend_name),
                    ),
                    is_seed=False,
                    invited_by=seed,
                    generation=1,
                )
                tie_record(first=seed, second=friend, reason="invited")
                families[friend_name] = friend
        return families

    def _members(self, household):
        return [
            family_services.MemberInput(first_name=first, relationship=relation, birth_year=year)
            for first, relation, year in HOUSEHOLD_MEMBERS.get(household, [])
        ]

    def _login_for(self, family, email, name):
        HouseholdMember.objects.create(
            partner=family.partner,
            family=family,
            first_name=name.split()[0],
            birth_year=1986,
            relationship=HouseholdMember.Relationship.HEAD,
            user=self._user(email, name),
        )

    def _phone_only_families(self, families):
        """Two Paynesville households sign in with their phone alone (codes by SMS, no email,
        no password); the Dolos answer the monthly survey by text, half-way through this
        month's, so staff see the conversation on the family's messages page."""
        from messaging.models import NoticePreference
        from messaging.services import record_inbound
        from messaging.survey_by_sms import answer_sms, start_sms_survey

        for household, name in [
            ("Dolo household", "Famata Dolo"),
            ("Kpoto household", "Joseph Kpoto"),
        ]:
            family = families[household]
            user = account_services.user_create(
                name=name, phone=family.contact_phone, phone_verified=True
            )
            HouseholdMember.objects.create(
                partner=family.partner,
                family=family,
                first_name=name.split()[0],
                relationship=HouseholdMember.Relationship.HEAD,
                user=user,
            )
        dolo = families["Dolo household"]
        NoticePreference.objects.create(
            family=dolo, channel=NoticePreference.Channel.SMS, survey_by_sms=True
        )
        start_sms_survey(dolo)
        for number, answer in enumerate(["9500", "0", "1 250"], start=1):
            record_inbound(
                partner=dolo.partner,
                sender=dolo.contact_phone,
                body=answer,
                provider="console",
                provider_id=f"demo-dolo-{number}",
                family_id=dolo.pk,
            )
            answer_sms(dolo, answer)

    def _seat(self, family):
        member = family.members.filter(user__isnull=False).select_related("user").first()
        return FamilySeat(user=member.user if member else None, family=family)

    def _life(self, families):
        """A living cohort: posts, comments, help between families within and across groups."""
        for days_ago, (name, kind, visibility, body) in zip(
            [40, 33, 21, 12, 6, 2], POSTS, strict=True
        ):
            post = family_services.post_create(
                seat=self._seat(families[name]), body=body, kind=kind, visibility=visibility
            )
            Post.objects.filter(pk=post.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=days_ago)
            )
        first_post = Post.objects.filter(family=families["Rivera household"]).first()
        family_services.comment_create(
            seat=self._seat(families["Nguyen household"]),
            post=first_post,
            body="Congratulations! Which credit union?",
        )
        family_services.post_react(seat=self._seat(families["Nguyen household"]), post=first_post)
        for giver, receiver, kind, value, days_ago in [
            ("Rivera household", "Nguyen household", "childcare", "40.00", 30),
            ("Okafor household", "Rivera household", "transport", "15.00", 20),
            ("Haddad household", "Rivera household", "information", "0.00", 14),
            ("Tran household", "Washington household", "food", "25.00", 9),
            ("Washington household", "Kim household", "work", "60.00", 4),
        ]:
            exchange = family_services.help_record(
                seat=self._seat(families[giver]),
                other_family=families[receiver],
                direction="given",
                kind=kind,
                estimated_value=value,
                happened_on=self.today - datetime.timedelta(days=days_ago),
            )
            if days_ago > 10:
                family_services.help_confirm(seat=self._seat(families[receiver]), exchange=exchange)
        # The demo family lets its cohort find it in the peer directory.
        family_services.family_update_consent(
            seat=self._seat(families["Rivera household"]),
            in_cohort_directory=True,
            offers="Childcare on weekday mornings; help with bank paperwork",
            looking_for="Rides to the job fair",
        )

    def _surveys(self, families, *, liaison, staff):
        """Months of surveys: most verified (with stipends, part of them paid), a few waiting
        for the liaison, one sent back for a correction; and a few stories."""
        partner = families["Rivera household"].partner
        liaison_seat = policy.Seat(user=liaison, partner=partner, role=Role.LIAISON)
        staff_seat = policy.Seat(user=staff, partner=partner, role=Role.ADMIN)
        start = families["Rivera household"].cohort.started_on
        last_month = (self.today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        months = []
        month = start
        while month <= last_month:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        for number, family in enumerate(families.values()):
            rng = random.Random(family.pk)  # noqa: S311  (demo numbers, the same every time)
            wages = Decimal(rng.randrange(900, 2600))
            savings = Decimal(rng.randrange(0, 300))
            high_cost = Decimal(rng.randrange(0, 900))
            seat = self._seat(family)
            for index, period in enumerate(months):
                growth = Decimal(1) + Decimal(index) * Decimal("0.04")
                answers = {
                    "income_wages": str((wages * growth).quantize(Decimal("1"))),
                    "income_business": str(rng.choice([0, 0, 150, 300]) * (index + 1)),
                    "income_benefits": str(rng.choice([0, 120, 240])),
                    "income_other": "0",
                    "savings_balance": str(savings + Decimal(40 * index * (1 + number % 3))),
                    "debt_formal": str(rng.choice([0, 0, 500, 1500])),
                    "debt_high_cost": str(max(high_cost - Decimal(120 * index), Decimal(0))),
                    "adults_working": rng.choice([1, 1, 2]),
                    "children_in_school": rng.choice([0, 1, 2, 3]),
                    "housing": rng.choice(["rent", "rent", "shared", "own"]),
                    "help_given_count": index % 3,
                    "help_given_value": str(15 * (index % 3)),
                    "confidence_future": str(min(5, 2 + index // 2)),
                    "practices": [
                        practice
                        for practice, takes_it_up, first_month in PRACTICE_SPREAD
                        if takes_it_up(number) and index >= first_month(number)
                    ],
                }
                survey = survey_services.survey_create(
                    seat=seat, period=period, answers=answers, submit=True
                )
                is_last = period == months[-1]
                if is_last and family.name == "Rivera household":
                    survey_services.survey_request_correction(
                        seat=liaison_seat,
                        response=survey,
                        reason="needs_evidence",
                        note="Please add the business income from the market stall.",
                    )
                elif not (is_last and number % 4 == 1):
                    survey_services.survey_verify(
                        seat=liaison_seat, response=survey, evidence="pay stub seen"
                    )
        # The first months are paid; one payment failed and waits for the next batch.
        first_months = set(months[:2])
        paid = [
            stipend.pk
            for stipend in Stipend.objects.filter(partner=partner).select_related("survey")
            if stipend.survey.period in first_months
        ]
        if paid:
            batch = survey_services.payment_batch_create(
                seat=staff_seat, name="Stipends, first months", stipend_ids=paid
            )
            for position, stipend in enumerate(batch.stipends.order_by("pk")):
                survey_services.stipend_mark(
                    seat=staff_seat,
                    stipend=stipend,
                    status="failed" if position == 0 else "fulfilled",
                    note="Wrong account number" if position == 0 else "",
                )
        for family_name, title, body, visibility in [
            (
                "Rivera household",
                "Ten dollars a week",
                "We started putting ten dollars a week in the credit union. After four months "
                "we had enough to fix the car without a payday loan.",
                "public",
            ),
            (
                "Haddad household",
                "Catering from our kitchen",
                "The street fair brought orders from three offices. We now cook twice a week.",
                "cohort",
            ),
            (
                "Nguyen household",
                "A ride and an extra shift",
                "Rosa watched the kids, so I took the Tuesday shift. Now we trade every week.",
                "group",
            ),
        ]:
            story = survey_services.story_create(
                seat=self._seat(families[family_name]),
                title=title,
                body=body,
                visibility=visibility,
                public_consent=visibility == "public",
            )
            if family_name != "Nguyen household":
                survey_services.story_verify(seat=liaison_seat, story=story)

    def _phases(self, seat, families):
        """An older cohort already in phase II, with a best-practice share in its feed and a
        family that consults East Oakland; requests to staff; practices in families' words."""
        fruitvale = family_services.cohort_create(
            seat=seat,
            name="Fruitvale 2026",
            region="Fruitvale, Oakland, CA",
            started_on=self._months_ago(8),
        )
        older = self._cohort(seat, fruitvale, FRUITVALE_SEEDS, phone="+1 510 555 02")
        changemaker_services.cohort_change_phase(
            seat=seat,
            cohort=fruitvale,
            phase=2,
            reason="Families run two savings circles and a shared childcare rota on their own.",
        )
        changemaker_services.best_practice_share(
            seat=seat,
            cohort=fruitvale,
            practice=Practice.objects.get(partner=None, slug="savings-circle"),
            body="In East Oakland, four households started a savings circle: each puts in "
            "$20 a week and one household takes the pot each month. Two used it to pay off "
            "payday loans.",
        )
        consultancy = family_services.peer_invite(
            seat=seat, family=older["Alvarez household"], cohort=families["Rivera household"].cohort
        )
        alvarez = self._seat(older["Alvarez household"])
        family_services.peer_answer(seat=alvarez, consultancy=consultancy, accept=True)
        family_services.peer_post_create(
            seat=alvarez,
            consultancy=consultancy,
            body="We started our savings circle with four families and $10 each. Ask us "
            "anything about how we keep the book.",
        )
        for family_name, kind, subject, body in [
            (
                "Rivera household",
                "paperwork",
                "Letter for the school",
                "Can you sign a letter saying we take part, for the after-school program?",
            ),
            ("Nguyen household", "payment", "Stipend not received", "July's stipend is missing."),
            ("Tran household", "platform", "Change our phone number", "We have a new number."),
        ]:
            family_services.staff_request_create(
                seat=self._seat(families[family_name]), kind=kind, subject=subject, body=body
            )
        self._phases_reports(families)
        return older

    def _phases_reports(self, families):
        for report in ActionReport.objects.filter(
            family=families["Rivera household"], practice__slug="savings-circle"
        )[:1]:
            survey_services.action_report_describe(
                seat=self._seat(families["Rivera household"]),
                report=report,
                description="Six of us put $15 each on Fridays; the pot rotates monthly.",
                share_across_partners=True,
            )

    def _verified_months(self, families, *, seat, months, scale, spread):
        """Verified surveys for the last `months` months. `spread[k]` families start a savings
        circle in month k and keep it: the adoption curve the diffusion page draws."""
        periods = [self._months_ago(months - index) for index in range(months)]
        starts = {}
        ordered = list(families.values())
        position = 0
        for month_index, count in enumerate(spread):
            for family in ordered[position : position + count]:
                starts[family.pk] = month_index
            position += count
        for number, family in enumerate(ordered):
            rng = random.Random(family.pk * 7)  # noqa: S311  (demo numbers, the same every time)
            wages = Decimal(rng.randrange(600, 1800))
            drift = Decimal(rng.choice([-2, 1, 2, 3, 5])) / 100
            savings = Decimal(rng.randrange(0, 200))
            seat_of_family = self._seat(family)
            for index, period in enumerate(periods):
                in_circle = family.pk in starts and index >= starts[family.pk]
                answers = {
                    "income_wages": str(int(wages * (1 + drift * index)) * scale),
                    "income_business": str((100 * index if number % 3 == 0 else 0) * scale),
                    "income_benefits": str(rng.choice([0, 80, 160]) * scale),
                    "income_other": "0",
                    "savings_balance": str(
                        int(savings + (60 if in_circle else 10) * index) * scale
                    ),
                    "debt_formal": "0",
                    "debt_high_cost": str(max(400 - 50 * index, 0) * scale if number % 2 else 0),
                    "adults_working": 1 + number % 2,
                    "help_given_count": 1 if in_circle else 0,
                    "help_given_value": str(20 * scale if in_circle else 0),
                    "practices": ["savings-circle"] if in_circle else [],
                }
                survey = survey_services.survey_create(
                    seat=seat_of_family, period=period, answers=answers, submit=True
                )
                survey_services.survey_verify(seat=seat, response=survey, evidence="receipts seen")

    def _learn(self):
        """What the nightly job would have found by now: trends and the spread of practices."""
        from changemakers.tasks import trends_recompute_all

        trends_recompute_all()

    def _changemakers(self, oakland_seat, monrovia_seat):
        """The month's candidates; one consented, published Everyday Changemaker per partner
        (Oakland's also picked for the global gallery), and a demo family with a sign-in asked
        for its consent when it is a candidate, so that the request shows on its home."""
        from changemakers import scoring
        from changemakers.models import Candidate, FeatureConsent
        from changemakers.services import features as feature_services

        last_month = self._months_ago(1)
        stories = {
            "oakland": (
                "Neighbours who turned a savings circle into a safety net",
                "They began putting a little aside each week with two friends. Within months "
                "the circle had paid off a payday loan and covered a car repair, and three "
                "more households joined.",
            ),
            "monrovia": (
                "A Paynesville household building savings, one market day at a time",
                "Earnings from the market stall now go into a savings circle with neighbours. "
                "Debts to the money lender are shrinking every month.",
            ),
        }
        savings_circle = Practice.objects.get(partner=None, slug="savings-circle")
        for seat in (oakland_seat, monrovia_seat):
            scoring.candidates_compute(seat.partner.pk, last_month)
            candidates = Candidate.objects.filter(
                partner=seat.partner, period=last_month, state=Candidate.State.SURFACED
            ).order_by("-score", "pk")
            chosen = (
                candidates.filter(kind=Candidate.Kind.FAMILY)
                .exclude(family__name="Rivera household")
                .first()
                or candidates.first()
            )
            if chosen is None:
                continue
            headline, story = stories[seat.partner.slug]
            feature = feature_services.feature_nominate(
                seat=seat,
                candidate=chosen,
                headline=headline,
                story=story,
                practice=savings_circle,
            )
            for consent in FeatureConsent.objects.filter(feature=feature).select_related("family"):
                feature_services.feature_consent_accept(
                    seat=self._seat(consent.family), feature=feature
                )
            feature.refresh_from_db()
            feature = feature_services.feature_publish(seat=seat, feature=feature)
            if seat is oakland_seat:
                feature_services.feature_set_international(
                    actor=User.objects.get(email="admin@demo.example"),
                    feature=feature,
                    international=True,
                )
        # The demo families with a sign-in: the first still a candidate is asked to consent.
        waiting = (
            Candidate.objects.filter(
                partner=oakland_seat.partner,
                period=last_month,
                state=Candidate.State.SURFACED,
                family__name__in=["Rivera household", "Nguyen household"],
            )
            .order_by("family__name")
            .first()
        )
        if waiting is not None:
            feature_services.feature_nominate(
                seat=oakland_seat,
                candidate=waiting,
                headline="Trading shifts and childcare to get ahead",
                story="Two households take turns watching the children, so both can take "
                "extra shifts. Their incomes are up since they started.",
            )

    def _ventures(self, seat, families):
        """A family venture with an open donation ask and a pledge from the demo funder, and a
        group venture whose zero-interest loan is funded and being repaid."""
        ExchangeRate.objects.update_or_create(
            currency="LRD", defaults={"usd_per_unit": Decimal("0.0052")}
        )
        rivera = self._seat(families["Rivera household"])
        tamales = venture_services.venture_create(
            seat=rivera,
            name="Rivera tamales",
            kind="new",
            sector="food",
            description="Tamales sold from a basket at the Fruitvale market on Saturdays.",
            location="Fruitvale market",
            started_on=self._months_ago(3),
            visibility="public",
            plan=venture_services.PlanInput(
                budget_lines=[("Large steamer", "120.00"), ("Cooler and stand", "180.00")],
                milestones=[
                    ("Permit from the city", self.today + datetime.timedelta(days=20)),
                    ("Second market day each week", self.today + datetime.timedelta(days=75)),
                ],
                expected_monthly_revenue="600.00",
            ),
        )
        for months_back, revenue, costs in [(3, "220", "90"), (2, "310", "120"), (1, "405", "150")]:
            venture_services.venture_post_update(
                seat=rivera,
                venture=tamales,
                period=self._months_ago(months_back),
                revenue=revenue,
                costs=costs,
                household_jobs=2,
                other_jobs=1 if months_back == 1 else 0,
                note="Sold out by noon." if months_back == 1 else "",
            )
        donation = venture_services.ask_create(
            seat=rivera,
            venture=tamales,
            kind="donation",
            amount="300.00",
            purpose="The steamer and the cooler, so we can sell twice a week.",
            deadline=self.today + datetime.timedelta(days=45),
            friends_first_days=0,
            budget_line_ids=list(tamales.plans.get().budget_lines.values_list("pk", flat=True)),
        )
        venture_services.ask_submit(seat=rivera, ask=donation)
        venture_services.ask_review(seat=seat, ask=donation, decision="approve")
        funder = User.objects.get(email="funder@demo.example")
        venture_services.pledge_create(user=funder, ask=donation, amount="120.00")

        haddad = self._seat(families["Haddad household"])
        catering = venture_services.venture_create(
            seat=haddad,
            name="Haddad group catering",
            kind="expansion",
            sector="food",
            description="Three families of the group cook together for offices and events.",
            location="East Oakland",
            started_on=self._months_ago(4),
            visibility="cohort",
            co_owner_ids=[families["Saleh household"].pk, families["Omar household"].pk],
            plan=venture_services.PlanInput(
                budget_lines=[("Commercial kitchen hours", "400.00"), ("Delivery boxes", "100.00")],
                milestones=[("Ten regular clients", self.today + datetime.timedelta(days=60))],
                expected_monthly_revenue="1500.00",
            ),
        )
        venture_services.venture_post_update(
            seat=haddad,
            venture=catering,
            period=self._months_ago(1),
            revenue="1180",
            costs="640",
            household_jobs=4,
            other_jobs=2,
        )
        loan = venture_services.ask_create(
            seat=haddad,
            venture=catering,
            kind="loan",
            amount="500.00",
            purpose="Kitchen hours and boxes for the first big orders.",
            deadline=self.today + datetime.timedelta(days=30),
            friends_first_days=0,
            repayment_months=5,
        )
        venture_services.ask_submit(seat=haddad, ask=loan)
        venture_services.ask_review(seat=seat, ask=loan, decision="approve")
        venture_services.pledge_create(user=funder, ask=loan, amount="500.00")
        loan.refresh_from_db()
        instalments = venture_services.repayment_schedule_create(
            seat=seat, ask=loan, first_due_on=self.today.replace(day=1)
        )
        venture_services.repayment_record(
            seat=seat,
            repayment=instalments[0],
            amount=instalments[0].amount_due,
            paid_on=self.today.replace(day=1),
        )
