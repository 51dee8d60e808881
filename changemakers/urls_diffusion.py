"""Which practices spread in a cohort: the staff page under /p/<partner>/ and its API (both
included at the site root)."""

from django.urls import path

from changemakers.api import diffusion as api
from changemakers.views import diffusion as views

urlpatterns = [
    path(
        "p/<slug:partner_slug>/cohorts/<int:cohort_id>/practices-spreading/",
        views.cohort_diffusion,
        name="cohort_diffusion",
    ),
    path(
        "api/v1/cohorts/<int:cohort_id>/diffusion/",
        api.CohortDiffusionView.as_view(),
        name="api_cohort_diffusion",
    ),
]
