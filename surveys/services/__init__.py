"""Writes for surveys. One module per area; everything is importable from here."""

from surveys.services.offline import parse_client_uuid, survey_send_once
from surveys.services.payments import payment_batch_create, stipend_mark
from surveys.services.practices import (
    action_report_describe,
    practice_create,
    sync_action_reports,
)
from surveys.services.responses import (
    check_period,
    clean_answers,
    income_total,
    open_periods,
    parse_period,
    survey_create,
    survey_request_correction,
    survey_update,
    survey_verify,
)
from surveys.services.stories import story_create, story_set_visibility, story_verify
from surveys.services.templates import (
    current_template,
    default_template,
    ensure_default_practices,
    template_add_question,
)

__all__ = [
    "action_report_describe",
    "check_period",
    "clean_answers",
    "current_template",
    "default_template",
    "ensure_default_practices",
    "income_total",
    "open_periods",
    "parse_client_uuid",
    "parse_period",
    "payment_batch_create",
    "practice_create",
    "stipend_mark",
    "story_create",
    "story_set_visibility",
    "story_verify",
    "survey_create",
    "survey_request_correction",
    "survey_send_once",
    "survey_update",
    "survey_verify",
    "sync_action_reports",
    "template_add_question",
]
