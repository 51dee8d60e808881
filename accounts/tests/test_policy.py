"""Every capability against every role: the table below is the policy as users should see it."""

import pytest

from accounts import policy
from accounts.models import Role

ROLES = [Role.ADMIN, Role.STAFF, Role.LIAISON, None]  # None: no role in this partner

# Written out by hand, not derived from policy.CAPABILITIES, so a change to the map that
# nobody meant shows up here.
EXPECTED = {
    "partner.view": {Role.ADMIN, Role.STAFF, Role.LIAISON},
    "partner.dashboard": {Role.ADMIN, Role.STAFF},
    "partner.edit": {Role.ADMIN},
    "team.view": {Role.ADMIN, Role.STAFF},
    "team.invite": {Role.ADMIN, Role.STAFF},
    "team.invite_admin": {Role.ADMIN},
    "team.remove": {Role.ADMIN, Role.STAFF},
    "team.change_role": {Role.ADMIN},
    "audit.view": {Role.ADMIN},
    "cohort.view_assigned": {Role.LIAISON},
    "cohort.view_all": {Role.ADMIN, Role.STAFF},
    "cohort.manage": {Role.ADMIN, Role.STAFF},
    "family.enroll": {Role.ADMIN, Role.STAFF},
    "family.promote": {Role.ADMIN, Role.STAFF},
    "family.contact.edit": {Role.ADMIN, Role.STAFF},
    "group.record_meeting": {Role.ADMIN, Role.STAFF},
    "cohort.export": {Role.ADMIN, Role.STAFF},
    "survey.view": {Role.ADMIN, Role.STAFF, Role.LIAISON},
    "survey.verify": {Role.ADMIN, Role.STAFF, Role.LIAISON},
    "survey.template_edit": {Role.ADMIN},
    "payments.manage": {Role.ADMIN, Role.STAFF},
    "cohort.change_phase": {Role.ADMIN, Role.STAFF},
    "peer.invite": {Role.ADMIN, Role.STAFF},
    "request.view": {Role.ADMIN, Role.STAFF, Role.LIAISON},
    "practice.manage": {Role.ADMIN, Role.STAFF},
    "ask.review": {Role.ADMIN, Role.STAFF},
    "pledge.manage": {Role.ADMIN, Role.STAFF},
    "trends.view": {Role.ADMIN, Role.STAFF, Role.LIAISON},
    "trends.view_partner": {Role.ADMIN, Role.STAFF},
    "diffusion.view": {Role.ADMIN, Role.STAFF},
    "changemakers.review": {Role.ADMIN, Role.STAFF},
    "changemakers.publish": {Role.ADMIN, Role.STAFF},
    "messages.view": {Role.ADMIN, Role.STAFF, Role.LIAISON},
    "messages.usage": {Role.ADMIN, Role.STAFF},
    "messages.demo_console": {Role.ADMIN, Role.STAFF},
    "notices.word": {Role.ADMIN},
}


def test_every_capability_is_in_the_expected_table():
    assert set(policy.CAPABILITIES) == set(EXPECTED)


@pytest.mark.parametrize("capability", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "no-role")
def test_capability_for_role(capability, role):
    assert policy.has_capability(role, capability) is (role in EXPECTED[capability])


def test_an_unknown_capability_is_a_programming_error():
    with pytest.raises(KeyError):
        policy.has_capability(Role.ADMIN, "survey.verfiy")


@pytest.mark.parametrize(
    ("role", "invitable"),
    [
        (Role.ADMIN, [Role.ADMIN, Role.STAFF, Role.LIAISON]),
        (Role.STAFF, [Role.STAFF, Role.LIAISON]),
        (Role.LIAISON, []),
    ],
)
def test_who_may_invite_whom(world, role, invitable):
    user = {Role.ADMIN: world.a.admin, Role.STAFF: world.a.staff, Role.LIAISON: world.a.liaison}
    seat = policy.access_partner(user[role], world.a.partner.slug)
    assert policy.roles_allowed_to_invite(seat) == invitable


def test_access_partner_is_404_for_another_partners_user(world):
    from mutuality.errors import NotFound

    with pytest.raises(NotFound):
        policy.access_partner(world.b.staff, world.a.partner.slug)
    with pytest.raises(NotFound):
        policy.access_partner(world.a.staff, "no-such-partner")


def test_mfa_is_required_for_partner_roles_and_platform_admins_only(world, settings):
    from tests.factories import UserFactory

    assert policy.mfa_required_for(world.a.admin)
    assert policy.mfa_required_for(world.a.staff)
    assert policy.mfa_required_for(world.a.liaison)
    assert policy.mfa_required_for(UserFactory(is_superuser=True))
    assert not policy.mfa_required_for(world.a.seed_member)
    assert not policy.mfa_required_for(world.a.funder)
    settings.DEMO_MODE = True
    assert not policy.mfa_required_for(world.a.staff)
