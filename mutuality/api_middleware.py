"""Nothing under /api/ answers in HTML: Django's own error pages (an unknown URL, a body it
refuses, a crash, the debug pages) become the API's error shape with their status, and a body
larger than the API accepts is refused with 413 before anything reads it."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _

from mutuality.errors import error_body

API_PREFIX = "/api/"


def body_too_large_message() -> str:
    return _("The request body is larger than %(n)d bytes.") % {
        "n": settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    }


def _message_for(status: int) -> str:
    if status == 404:
        return _("Not found.")
    if status == 403:
        return _("Not allowed")
    if status == 413:
        return body_too_large_message()
    if status < 500:
        return _("Bad request")
    return _("Something went wrong on our side. Please try again later.")


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class ApiErrorShapeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and _declared_length(request) > limit:
            return JsonResponse(error_body(body_too_large_message()), status=413)
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 and not content_type.startswith("application/json"):
            return JsonResponse(
                error_body(_message_for(response.status_code)), status=response.status_code
            )
        return response
