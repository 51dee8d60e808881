"""Events that higher apps listen to (dependencies flow one way: surveys never imports them)."""

from django.dispatch import Signal

# Sent on commit after a survey is verified, with `response_id`.
survey_verified = Signal()
