"""Trends: pages for partner staff and liaisons (under /p/<partner>/), funders and platform
admins, and the read-only API under /api/v1/trends/ (included at the site root)."""

from django.urls import path

from changemakers.api import trends as api
from changemakers.views import trends as views

urlpatterns = [
    path("p/<slug:partner_slug>/trends/", views.partner_trends, name="partner_trends"),
    path(
        "p/<slug:partner_slug>/cohorts/<int:cohort_id>/trends/",
        views.cohort_trends,
        name="cohort_trends",
    ),
    path("funder/outcomes/", views.funder_outcomes, name="funder_outcomes"),
    path("platform/trends/", views.platform_trends, name="platform_trends"),
    path(
        "api/v1/trends/families/<int:family_id>/",
        api.FamilyTrendsView.as_view(),
        name="api_family_trends",
    ),
    path(
        "api/v1/trends/cohorts/<int:cohort_id>/",
        api.CohortTrendsView.as_view(),
        name="api_cohort_trends",
    ),
    path(
        "api/v1/trends/partners/<slug:partner_slug>/",
        api.PartnerTrendsView.as_view(),
        name="api_partner_trends",
    ),
]
