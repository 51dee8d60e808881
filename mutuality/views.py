"""Project-level pages: the home router, each role's home, health, and the error pages.

Home pages gather what several apps know, so they live above the apps.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import policy
from accounts import selectors as account_selectors
from families import selectors as family_selectors
from mutuality.errors import NotFound, error_body
from surveys import selectors as survey_selectors
from surveys.views import staff as survey_staff_views
from ventures.views import funder as funder_views


def seats_for(user) -> list[dict]:
    """Every place the user can work from, each with its home page."""
    seats = []
    if policy.is_platform_admin(user):
        seats.append({"kind": "platform", "label": None, "url": reverse("platform_home")})
    for membership in account_selectors.memberships_for_user(user):
        seats.append(
            {
                "kind": membership.role,
                "label": membership.partner.name,
                "role": membership.get_role_display(),
                "url": reverse("partner_home", args=[membership.partner.slug]),
            }
        )
    family = family_selectors.family_for_user(user)
    if family is not None:
        seats.append({"kind": "family", "label": family.name, "url": reverse("family_home")})
    if account_selectors.funder_profile_for(user) is not None:
        seats.append({"kind": "funder", "label": None, "url": reverse("funder_home")})
    return seats


@login_required
def home(request):
    seats = seats_for(request.user)
    if len(seats) == 1:
        return redirect(seats[0]["url"])
    return render(request, "home/choose.html", {"seats": seats})


@login_required
def partner_home(request, partner_slug):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "partner.view")
    if seat.can("partner.dashboard"):
        context = {
            "seat": seat,
            "cohorts": family_selectors.cohorts_with_reach(seat.partner),
            "reach": family_selectors.partner_reach(seat.partner),
            "open_requests": family_selectors.open_staff_request_count(seat),
        }
        return render(request, "home/staff.html", context)
    # A liaison's home is their queue: what waits for verification in their cohorts.
    context, status = survey_staff_views.review_queue_context(request, seat)
    context["cohorts"] = family_selectors.cohorts_for_liaison(seat.partner, request.user)
    context["open_requests"] = family_selectors.open_staff_request_count(seat)
    return render(request, "home/liaison.html", context, status=status)


@login_required
def family_home(request):
    family = family_selectors.family_for_user(request.user)
    if family is None:
        raise NotFound("")
    context = {
        "family": family,
        "household": family.members.all(),
        "group_families": family_selectors.group_families(family),
        "survey_months": survey_selectors.survey_overview(family),
        **family_selectors.family_home_cards(family),
    }
    return render(request, "home/family.html", context)


@login_required
def funder_home(request):
    """Open asks (with filters), the funder's pledges, and the aggregate outcomes of the
    partners that share them with the funder."""
    funder = account_selectors.funder_profile_for(request.user)
    if funder is None:
        raise NotFound("")
    partners = [
        {"partner": partner, "reach": family_selectors.partner_reach(partner)}
        for partner in account_selectors.partners_funded_by(funder)
    ]
    context, status = funder_views.funder_home_context(request, funder)
    context.update({"funder": funder, "partners": partners})
    return render(request, "home/funder.html", context, status=status)


@require_GET
@never_cache
def healthz(request):
    body = {"status": "ok", "database": "ok", "broker": "eager"}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        body["status"] = "error"
        body["database"] = "error"
        status = 503
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        body["broker"] = "ok" if _broker_reachable() else "error"
        if body["broker"] == "error" and status == 200:
            body["status"] = "degraded"
    return JsonResponse(body, status=status)


def _broker_reachable() -> bool:
    from mutuality.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(_("Not found.")), status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    """A form whose security check expired (a tab left open, a sign-in in another tab): say
    that nothing was saved and offer the page it came from, reloaded."""
    back = request.POST.get("next") or request.headers.get("Referer") or ""
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("home")
    return render(request, "403_csrf.html", {"back": back}, status=403)
