from django.urls import path

from changemakers.api import phases, practices
from families.api import requests as staff_requests

urlpatterns = [
    path(
        "cohorts/<int:cohort_id>/phase/",
        phases.CohortPhaseView.as_view(),
        name="api_cohort_phase",
    ),
    path(
        "cohorts/<int:cohort_id>/readiness/",
        phases.CohortReadinessView.as_view(),
        name="api_cohort_readiness",
    ),
    path(
        "best-practices/",
        practices.BestPracticeListCreateView.as_view(),
        name="api_best_practices",
    ),
    path("practices/", practices.PracticeListView.as_view(), name="api_practices"),
    path(
        "practices/<slug:practice_slug>/context/",
        practices.PracticeContextView.as_view(),
        name="api_practice_context",
    ),
    # Requests to staff are families' objects (families/api/requests.py), routed here.
    path(
        "requests/",
        staff_requests.StaffRequestListCreateView.as_view(),
        name="api_staff_requests",
    ),
    path(
        "requests/<int:request_id>/",
        staff_requests.StaffRequestDetailView.as_view(),
        name="api_staff_request",
    ),
    path(
        "requests/<int:request_id>/messages/",
        staff_requests.StaffRequestMessageCreateView.as_view(),
        name="api_staff_request_messages",
    ),
]
