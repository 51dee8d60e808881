"""Writes for families. One module per area; everything is importable from here."""

from families.services.accounts import (
    account_invitation_by_token,
    family_account_invitation_accept,
    family_account_invitation_create,
)
from families.services.cohorts import (
    COHORT_FIELDS,
    HouseholdInput,
    MemberInput,
    before_the_cohort,
    cohort_create,
    cohort_update,
    families_enroll_seeds,
    family_enroll_seed,
    family_promote_to_seed,
    household_contacts_taken,
)
from families.services.consent import CONSENT_FIELDS, family_update_consent
from families.services.contact import family_update_contact
from families.services.feed import comment_create, post_create, post_practice_share, post_react
from families.services.help import help_confirm, help_record, parse_money
from families.services.invitations import (
    family_invitation_accept,
    family_invitation_by_token,
    family_invitation_create,
    family_invitation_resend,
    family_invitation_revoke,
)
from families.services.peers import peer_answer, peer_end, peer_invite, peer_post_create
from families.services.requests import (
    staff_may_answer,
    staff_request_answer,
    staff_request_create,
    staff_request_reply,
)
from families.services.ties import group_meeting_record, tie_record

__all__ = [
    "COHORT_FIELDS",
    "CONSENT_FIELDS",
    "HouseholdInput",
    "MemberInput",
    "account_invitation_by_token",
    "before_the_cohort",
    "cohort_create",
    "cohort_update",
    "comment_create",
    "families_enroll_seeds",
    "family_account_invitation_accept",
    "family_account_invitation_create",
    "family_enroll_seed",
    "family_invitation_accept",
    "family_invitation_by_token",
    "family_invitation_create",
    "family_invitation_resend",
    "family_invitation_revoke",
    "family_promote_to_seed",
    "family_update_consent",
    "family_update_contact",
    "group_meeting_record",
    "help_confirm",
    "help_record",
    "household_contacts_taken",
    "parse_money",
    "peer_answer",
    "peer_end",
    "peer_invite",
    "peer_post_create",
    "post_create",
    "post_practice_share",
    "post_react",
    "staff_may_answer",
    "staff_request_answer",
    "staff_request_create",
    "staff_request_reply",
    "tie_record",
]
