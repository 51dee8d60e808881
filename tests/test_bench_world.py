"""The benchmark's data generator builds valid rows (so `make bench` keeps working)."""

from families.models import Family


def test_the_benchmark_world_builds_a_partner_with_its_families(db):
    from bench.world import build

    slug, staff, family_user = build(2, 20)
    assert slug == "bench"
    assert Family.objects.filter(partner__slug=slug).count() == 40
    assert Family.objects.filter(partner__slug=slug, is_seed=True).count() == 4
    assert family_user.household_member.family.partner.slug == slug
    assert staff.memberships.get().role == "admin"
