"""The migration to E.164: every family's number that can be read is rewritten, one that cannot
is kept aside for staff to fix (never dropped), and going back restores what was typed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("families", "0002_enrollment_confirmation")]
AFTER = [("families", "0003_phones_in_e164")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_numbers_are_rewritten_in_e164_and_the_unreadable_ones_kept_for_staff():
    old = migrate(BEFORE)
    Partner = old.get_model("accounts", "Partner")
    Cohort = old.get_model("families", "Cohort")
    Family = old.get_model("families", "Family")
    FamilyInvitation = old.get_model("families", "FamilyInvitation")
    liberia = Partner.objects.create(name="Monrovia", slug="monrovia", country="LR", currency="LRD")
    cohort = Cohort.objects.create(partner=liberia, name="Paynesville", started_on="2026-01-01")

    def family(name, **contact):
        return Family.objects.create(
            partner=liberia, cohort=cohort, name=name, household_size=2, **contact
        )

    local = family("Kollie", contact_phone="0777 123 456")
    abroad = family("Doe", contact_phone="+1 (510) 555-0101", contact_email="doe@example.org")
    unreadable = family("Flomo", contact_phone="ask at the market")
    email_only = family("Sirleaf", contact_email="s@example.org")
    invitation = FamilyInvitation.objects.create(
        partner=liberia, family=local, name="Musu", phone="0777 765 432",
        secret_digest="x", expires_at="2030-01-01T00:00:00Z",
    )  # fmt: skip

    new = migrate(AFTER)
    Family = new.get_model("families", "Family")
    rows = {f.pk: (f.contact_phone, f.contact_phone_as_typed) for f in Family.objects.all()}
    assert rows[local.pk] == ("+231777123456", "")
    assert rows[abroad.pk] == ("+15105550101", "")
    assert rows[unreadable.pk] == ("", "ask at the market")
    assert rows[email_only.pk] == ("", "")
    phone = new.get_model("families", "FamilyInvitation").objects.get(pk=invitation.pk).phone
    assert phone == "+231777765432"

    back = migrate(BEFORE)
    restored = back.get_model("families", "Family").objects.get(pk=unreadable.pk)
    assert restored.contact_phone == "ask at the market"
