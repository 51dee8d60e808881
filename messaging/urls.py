from django.urls import path

from messaging import views, views_staff, views_wording

P = "p/<slug:partner_slug>/"

urlpatterns = [
    path("family/notices/", views.family_notices, name="family_notices"),
    path(
        P + "families/<int:family_id>/messages/",
        views_staff.family_messages,
        name="staff_family_messages",
    ),
    path(P + "messages/usage/", views_staff.message_usage, name="message_usage"),
    path("demo/messages/", views_staff.demo_messages, name="demo_messages"),
    path(P + "notices/", views_wording.notice_wording_list, name="notice_wording_list"),
    path(
        P + "notices/<slug:notice>/<str:language>/",
        views_wording.notice_wording_edit,
        name="notice_wording_edit",
    ),
    path(
        P + "notices/<slug:notice>/<str:language>/reset/",
        views_wording.notice_wording_reset,
        name="notice_wording_reset",
    ),
]
