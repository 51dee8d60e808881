"""Acting as someone of the shared test world (see conftest.py)."""

from families.access import FamilySeat


def seed_seat(tenant) -> FamilySeat:
    return FamilySeat(user=tenant.seed_member, family=tenant.seed_family)


def friend_seat(tenant) -> FamilySeat:
    return FamilySeat(user=tenant.friend_member, family=tenant.friend_family)


def signed_in(api, user):
    """The API client, authenticated as `user`."""
    api.force_authenticate(user)
    return api
