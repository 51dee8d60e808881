"""Everyday Changemakers from "Nominate" on: staff pages under /p/<partner>/changemakers/, the
families' answers under /family/changemakers/, the platform admins' international picks, the
public gallery under /changemakers/ and its API (included at the site root)."""

from django.urls import path

from changemakers.api import features as api
from changemakers.views import features as views
from changemakers.views import gallery

P = "p/<slug:partner_slug>/changemakers/"

urlpatterns = [
    path(
        P + "candidates/<int:candidate_id>/nominate/",
        views.feature_nominate,
        name="feature_nominate",
    ),
    path(P + "features/", views.staff_features, name="staff_features"),
    path(P + "features/<int:feature_id>/", views.staff_feature, name="staff_feature"),
    path("family/changemakers/", views.family_features, name="family_features"),
    path("family/changemakers/<int:feature_id>/", views.family_feature, name="family_feature"),
    path("platform/changemakers/", views.platform_features, name="platform_features"),
    path("changemakers/", gallery.gallery, name="gallery"),
    path("changemakers/<int:feature_id>/", gallery.gallery_feature, name="gallery_feature"),
    path(
        "changemakers/<int:feature_id>/photo/",
        gallery.gallery_feature_photo,
        name="gallery_feature_photo",
    ),
    path("api/v1/changemakers/", api.ChangemakerListView.as_view(), name="api_changemakers"),
    path(
        "api/v1/changemakers/<int:feature_id>/",
        api.ChangemakerDetailView.as_view(),
        name="api_changemaker",
    ),
]
