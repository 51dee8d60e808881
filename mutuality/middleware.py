from django.contrib import messages
from django.shortcuts import render

from mutuality.errors import ApplicationError, NotAllowed, NotFound
from mutuality.redirects import back_to


class ApplicationErrorMiddleware:
    """Pages: a domain error becomes the 404 or 403 page, or a message on the previous page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            return render(request, "404.html", status=404)
        if isinstance(exception, NotAllowed):
            return render(request, "403.html", {"message": exception.message}, status=403)
        if isinstance(exception, ApplicationError):
            messages.error(request, exception.message)
            return back_to(request, request.META.get("HTTP_REFERER"))
        return None
