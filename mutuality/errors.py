"""Domain errors and the one place that turns them into the API's error shape.

Services raise these; pages show `message` (and field errors in forms); the API answers
`{"message": "...", "errors": {"field": ["..."]}}` with the error's status.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_default_handler


class ApplicationError(Exception):
    """A failure the user can understand and act on."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None, extra=None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        # More for a client to act on, beside message and errors (a conflict's survey id).
        self.extra = extra or {}


class InvalidInput(ApplicationError):
    status_code = status.HTTP_400_BAD_REQUEST

    @classmethod
    def for_field(cls, field: str, message: str) -> InvalidInput:
        return cls(message, errors={field: [message]})


class NotAllowed(ApplicationError):
    """Known to the user, but not theirs to do (403)."""

    status_code = status.HTTP_403_FORBIDDEN


class NotFound(ApplicationError):
    """Missing, or not the user's to know about (404): both look the same."""

    status_code = status.HTTP_404_NOT_FOUND


class Conflict(ApplicationError):
    """Conflicts with the current state (409), e.g. a second survey for one month."""

    status_code = status.HTTP_409_CONFLICT


class TooManyAttempts(ApplicationError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS


def validated(instance, *, constraints: bool = True) -> None:
    """`full_clean()` whose errors become a 400 naming the fields. Pass constraints=False where
    a unique constraint is better answered as a conflict (the caller catches IntegrityError)."""
    try:
        instance.full_clean(validate_constraints=constraints)
    except DjangoValidationError as exc:
        raise InvalidInput(
            _("Please correct the errors below."), errors=errors_from_django_validation(exc)
        ) from exc


def errors_from_django_validation(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _flatten_drf_detail(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        flat = {}
        for field, value in detail.items():
            if isinstance(value, dict):
                for sub, messages in _flatten_drf_detail(value).items():
                    flat[f"{field}.{sub}"] = messages
            elif isinstance(value, list):
                messages = []
                for i, item in enumerate(value):
                    if isinstance(item, dict):
                        for sub, sub_messages in _flatten_drf_detail(item).items():
                            flat[f"{field}.{i}.{sub}"] = sub_messages
                    else:
                        messages.append(str(item))
                if messages:
                    flat[field] = messages
            else:
                flat[field] = [str(value)]
        return flat
    if isinstance(detail, list):
        return {"non_field_errors": [str(item) for item in detail]}
    return {}


def error_body(message: str, errors: dict[str, list[str]] | None = None) -> dict:
    return {"message": message, "errors": errors or {}}


def api_exception_handler(exc, context):
    """DRF's exception handler, speaking the contract's error shape."""
    if isinstance(exc, ApplicationError):
        return Response(
            {**exc.extra, **error_body(exc.message, exc.errors)}, status=exc.status_code
        )
    if isinstance(exc, DjangoValidationError):
        return Response(
            error_body(_("Please correct the errors below."), errors_from_django_validation(exc)),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, RequestDataTooBig):
        from mutuality.api_middleware import body_too_large_message

        message = body_too_large_message()
        return Response(
            error_body(message, {"body": [message]}),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent):
        message = _("The request body has too many fields.")
        return Response(error_body(message, {"body": [message]}), status=400)
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()

    response = drf_default_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf_exceptions.ValidationError):
        response.data = error_body(
            _("Please correct the errors below."), _flatten_drf_detail(exc.detail)
        )
    elif isinstance(exc, drf_exceptions.ParseError):
        # The body could not be read at all: the error names it.
        response.data = error_body(str(exc.detail), {"body": [str(exc.detail)]})
    else:
        detail = getattr(exc, "detail", None)
        response.data = error_body(str(detail) if detail else str(exc))
    return response
