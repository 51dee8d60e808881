"""The families' venture pages (included at the site root)."""

from django.urls import path

from ventures.views import family as views

VENTURE = "family/ventures/<int:venture_id>/"
ASK = "family/asks/<int:ask_id>/"

urlpatterns = [
    path("family/ventures/", views.family_ventures, name="family_ventures"),
    path("family/ventures/new/", views.venture_new, name="venture_new"),
    path(VENTURE, views.venture_detail, name="venture_detail"),
    path(VENTURE + "photo/", views.venture_update_photo, name="venture_update_photo"),
    path(VENTURE + "plan/", views.venture_plan, name="venture_plan"),
    path(VENTURE + "visibility/", views.venture_visibility, name="venture_visibility"),
    path(VENTURE + "updates/new/", views.venture_update_new, name="venture_update_new"),
    path(VENTURE + "asks/new/", views.ask_new, name="ask_new"),
    path(
        "family/milestones/<int:milestone_id>/",
        views.milestone_toggle,
        name="milestone_toggle",
    ),
    path(ASK, views.family_ask_detail, name="family_ask_detail"),
    path(ASK + "send/", views.ask_send, name="ask_send"),
    path(ASK + "change/", views.ask_edit, name="ask_edit"),
    path(ASK + "close/", views.family_ask_close, name="family_ask_close"),
]
