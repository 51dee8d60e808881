"""Load the demo world: two partners, a cohort each, families, and the README's logins.

Refused unless DEMO_MODE is on. Safe to run twice: a second run changes nothing.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import services as account_services
from accounts.models import FunderAccess, FunderProfile, Membership, Partner, Role
from families.models import Cohort, Family, Group, HouseholdMember

DEMO_PASSWORD = "mutuality-demo-2026"

# (seed household, size, [(friend household, size), ...])
OAKLAND_GROUPS = [
    (
        "Rivera household",
        5,
        [("Nguyen household", 4), ("Okafor household", 6), ("Lee household", 3)],
    ),
    ("Haddad household", 6, [("Martínez household", 5), ("Johnson household", 2)]),
    ("Tran household", 4, [("Begay household", 7), ("Kim household", 3)]),
]
MONROVIA_GROUPS = [
    ("Kollie household", 7, [("Dolo household", 6), ("Sirleaf household", 5)]),
    ("Tubman household", 8, [("Kpoto household", 6)]),
]


class Command(BaseCommand):
    help = "Load demo data (only in demo mode)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("seed_demo only runs with DEMO_MODE=true; it creates known logins.")
        if Partner.objects.filter(slug="oakland").exists():
            self.stdout.write("Demo data is already loaded.")
            return
        with transaction.atomic():
            self._seed()
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
        staff = self._user("staff@demo.example", "Sam Staff")
        Membership.objects.create(partner=oakland, user=staff, role=Role.ADMIN)
        liaison = self._user("liaison@demo.example", "Lina Liaison")
        Membership.objects.create(partner=oakland, user=liaison, role=Role.LIAISON)
        staff_two = self._user("staff@demo2.example", "Moses Staff")
        Membership.objects.create(partner=monrovia, user=staff_two, role=Role.ADMIN)

        funder_user = self._user("funder@demo.example", "Fatima Funder")
        funder = FunderProfile.objects.create(
            user=funder_user,
            organization="Bay Community Fund",
            kind=FunderProfile.Kind.FOUNDATION,
            country="US",
        )
        FunderAccess.objects.create(partner=oakland, funder=funder, granted_by=staff)

        east_oakland = Cohort.objects.create(
            partner=oakland,
            name="East Oakland 2026",
            region="East Oakland, CA",
            started_on=datetime.date(2026, 6, 1),
        )
        east_oakland.liaisons.add(liaison)
        seeds = self._groups(oakland, east_oakland, OAKLAND_GROUPS)
        rivera = seeds[0]
        HouseholdMember.objects.create(
            partner=oakland,
            family=rivera,
            first_name="Rosa",
            birth_year=1986,
            relationship=HouseholdMember.Relationship.HEAD,
            user=self._user("family@demo.example", "Rosa Rivera"),
        )
        nguyen = Family.objects.get(partner=oakland, name="Nguyen household")
        HouseholdMember.objects.create(
            partner=oakland,
            family=nguyen,
            first_name="Minh",
            birth_year=1990,
            relationship=HouseholdMember.Relationship.HEAD,
            user=self._user("friend@demo.example", "Minh Nguyen"),
        )
        paynesville = Cohort.objects.create(
            partner=monrovia,
            name="Paynesville 2026",
            region="Paynesville, Montserrado",
            started_on=datetime.date(2026, 7, 1),
        )
        self._groups(monrovia, paynesville, MONROVIA_GROUPS)

    def _groups(self, partner, cohort, groups):
        seeds = []
        for seed_name, seed_size, friends in groups:
            group = Group.objects.create(
                partner=partner, cohort=cohort, name=seed_name.replace("household", "group")
            )
            seed = Family.objects.create(
                partner=partner,
                cohort=cohort,
                group=group,
                name=seed_name,
                is_seed=True,
                household_size=seed_size,
                contact_phone="+1 555 0100",
                generation=0,
            )
            seeds.append(seed)
            for friend_name, friend_size in friends:
                Family.objects.create(
                    partner=partner,
                    cohort=cohort,
                    group=group,
                    name=friend_name,
                    invited_by=seed,
                    household_size=friend_size,
                    contact_phone="+1 555 0101",
                    generation=1,
                )
        return seeds
