"""Partner staff's and liaisons' pages for phases, best practices, peer consultants, the practice
catalogue and families' requests to staff, under /p/<partner>/ (included at the site root)."""

from django.urls import path

from changemakers import views
from families.views import requests_staff

P = "p/<slug:partner_slug>/"
COHORT = P + "cohorts/<int:cohort_id>/"
FAMILY = P + "families/<int:family_id>/"

urlpatterns = [
    path(COHORT + "phase/", views.cohort_phase, name="cohort_phase"),
    path(COHORT + "share/", views.practice_share, name="practice_share"),
    path(COHORT + "peers/", views.cohort_peer_consultants, name="cohort_peer_consultants"),
    path(FAMILY + "consult/", views.peer_invite, name="peer_invite"),
    path(P + "practices/", views.practice_catalogue, name="practice_catalogue"),
    path(P + "requests/", requests_staff.staff_requests, name="staff_requests"),
    path(
        P + "requests/<int:request_id>/",
        requests_staff.staff_request_detail,
        name="staff_request_detail",
    ),
]
