"""The families' requests to their partner and their peer consulting (included at the site root)."""

from django.urls import path

from families.views import family_requests, peers

urlpatterns = [
    path("family/requests/", family_requests.family_requests, name="family_requests"),
    path(
        "family/requests/<int:request_id>/",
        family_requests.family_request_detail,
        name="family_request_detail",
    ),
    path("family/consulting/", peers.family_consulting, name="family_consulting"),
    path(
        "family/consulting/<int:consultancy_id>/",
        peers.family_consulting_feed,
        name="family_consulting_feed",
    ),
    path(
        "family/consulting/<int:consultancy_id>/answer/",
        peers.family_consulting_answer,
        name="family_consulting_answer",
    ),
]
