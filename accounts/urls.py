from django.urls import path

from accounts import views

urlpatterns = [
    path("i18n/language/", views.language_switch, name="language_switch"),
    path("join/<str:token>/", views.staff_invitation_accept, name="staff_invitation_accept"),
    path("platform/", views.platform_home, name="platform_home"),
    path("platform/partners/new/", views.platform_partner_create, name="platform_partner_create"),
    path("p/<slug:partner_slug>/team/", views.team, name="team"),
    path(
        "p/<slug:partner_slug>/team/members/<int:membership_id>/remove/",
        views.team_member_remove,
        name="team_member_remove",
    ),
    path(
        "p/<slug:partner_slug>/team/members/<int:membership_id>/role/",
        views.team_member_role,
        name="team_member_role",
    ),
    path(
        "p/<slug:partner_slug>/team/invitations/<int:invitation_id>/revoke/",
        views.staff_invitation_revoke,
        name="staff_invitation_revoke",
    ),
    path(
        "p/<slug:partner_slug>/team/invitations/<int:invitation_id>/resend/",
        views.staff_invitation_resend,
        name="staff_invitation_resend",
    ),
    path("p/<slug:partner_slug>/audit/", views.audit_log, name="audit_log"),
    path("p/<slug:partner_slug>/settings/", views.partner_settings, name="partner_settings"),
]
