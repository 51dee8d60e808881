"""A large partner for benchmarks: many cohorts, groups of one seed and nine friends."""

import datetime

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.models import Membership, Partner, Role, User
from families.models import Cohort, Family, Group, HouseholdMember


def build(cohorts: int, families_per_cohort: int):
    partner = Partner.objects.create(
        name="Bench partner", slug="bench", country="US", currency="USD", languages=["en"]
    )
    staff = User.objects.create_user("staff@bench.example", "bench-password-2026")
    Membership.objects.create(partner=partner, user=staff, role=Role.ADMIN)
    TOTP.activate(staff, generate_totp_secret())  # as in production: staff use two factors
    family_user = User.objects.create_user("family@bench.example", "bench-password-2026")
    first_family = None
    for c in range(cohorts):
        cohort = Cohort.objects.create(
            partner=partner, name=f"Cohort {c}", started_on=datetime.date(2026, 1, 1)
        )
        families = []
        for g in range(max(1, families_per_cohort // 10)):
            group = Group.objects.create(partner=partner, cohort=cohort, name=f"Group {c}-{g}")
            for f in range(10):
                families.append(
                    Family(
                        partner=partner,
                        cohort=cohort,
                        group=group,
                        name=f"Household {c}-{g}-{f}",
                        is_seed=f == 0,
                        generation=0 if f == 0 else 1,
                        household_size=1 + (f % 7),
                        contact_phone=f"+1510555{(c * 1000 + g * 100 + f) % 10000:04d}",  # E.164
                    )
                )
        created = Family.objects.bulk_create(families)
        first_family = first_family or created[0]
    if first_family.pk is None:
        first_family = Family.objects.filter(partner=partner).order_by("pk").first()
    HouseholdMember.objects.create(
        partner=partner, family=first_family, first_name="Bench", user=family_user
    )
    return partner.slug, staff, family_user
