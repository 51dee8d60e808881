from django.urls import path

from changemakers.api import candidates as api
from changemakers.views import candidates as views

urlpatterns = [
    path(
        "p/<slug:partner_slug>/changemakers/",
        views.changemaker_candidates,
        name="changemaker_candidates",
    ),
    path(
        "p/<slug:partner_slug>/changemakers/candidates/<int:candidate_id>/dismiss/",
        views.candidate_dismiss,
        name="candidate_dismiss",
    ),
    path(
        "p/<slug:partner_slug>/changemakers/candidates/<int:candidate_id>/restore/",
        views.candidate_restore,
        name="candidate_restore",
    ),
    path(
        "api/v1/changemakers/candidates/",
        api.CandidateListView.as_view(),
        name="api_changemaker_candidates",
    ),
]
