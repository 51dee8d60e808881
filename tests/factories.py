"""factory_boy factories for the shared test world."""

from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.models import FunderAccess, FunderProfile, Membership, Partner, Role, User
from families.models import Cohort, Family, Group, HouseholdMember
from tests import clock

PASSWORD = "a-long-test-password-2026"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    country = "US"
    currency = "USD"
    languages = ["en", "es"]
    timezone = "America/New_York"
    stipend_amount = Decimal("25.00")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


def enable_totp(user: User) -> str:
    """Give the user an authenticator app; returns its secret for computing codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partner = factory.SubFactory(PartnerFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.STAFF


class FunderProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FunderProfile

    user = factory.SubFactory(UserFactory)
    organization = factory.Sequence(lambda n: f"Fund {n}")
    kind = FunderProfile.Kind.FOUNDATION


class FunderAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FunderAccess

    partner = factory.SubFactory(PartnerFactory)
    funder = factory.SubFactory(FunderProfileFactory)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    region = "Riverside"
    started_on = clock.month(-6)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    cohort = factory.SubFactory(CohortFactory)
    partner = factory.SelfAttribute("cohort.partner")
    name = factory.Sequence(lambda n: f"Group {n}")


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    group = factory.SubFactory(GroupFactory)
    cohort = factory.SelfAttribute("group.cohort")
    partner = factory.SelfAttribute("group.partner")
    name = factory.Sequence(lambda n: f"Household {n}")
    household_size = 4
    contact_email = factory.Sequence(lambda n: f"household{n}@example.org")


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    family = factory.SubFactory(FamilyFactory)
    partner = factory.SelfAttribute("family.partner")
    first_name = factory.Faker("first_name")
    relationship = HouseholdMember.Relationship.HEAD
    user = factory.SubFactory(UserFactory)
