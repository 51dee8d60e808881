"""The funders' pages (included at the site root; their home is `funder_home`)."""

from django.urls import path

from ventures.views import funder as views

urlpatterns = [
    path("funder/asks/<int:ask_id>/", views.funder_ask_detail, name="funder_ask_detail"),
]
