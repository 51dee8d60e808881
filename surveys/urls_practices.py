"""A family's practices, in its own words (included at the site root)."""

from django.urls import path

from surveys.views import practices as views

urlpatterns = [
    path("family/practices/", views.family_practices, name="family_practices"),
    path(
        "family/practices/<int:report_id>/",
        views.family_practice_describe,
        name="family_practice_describe",
    ),
]
