"""Where a page sends the user back to after an action: only ever a page of this site."""

from urllib.parse import urlsplit

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def same_site(request, candidate: str | None, default: str = "/") -> str:
    """`candidate` when it is a page of this site (a path, or a full URL on this host), else
    `default`. Anything else (another site, `abc`, `//evil`) is ignored rather than followed:
    `redirect()` would even try to read a bare word as the name of a URL and fail."""
    candidate = (candidate or "").strip()
    if not candidate or "\\" in candidate or any(ord(c) < 32 for c in candidate):
        return default
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    if not urlsplit(candidate).netloc and not candidate.startswith("/"):
        return default
    return candidate


def back_to(request, candidate: str | None, default: str = "/") -> HttpResponseRedirect:
    return HttpResponseRedirect(same_site(request, candidate, default))
