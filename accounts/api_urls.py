from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api_token"),
    path("auth/code/", api.CodeRequestView.as_view(), name="api_sign_in_code"),
    path("me/", api.MeView.as_view(), name="api_me"),
    path("partners/", api.PartnerListView.as_view(), name="api_partners"),
    path(
        "partners/<slug:partner_slug>/members/",
        api.MemberListView.as_view(),
        name="api_partner_members",
    ),
    path(
        "partners/<slug:partner_slug>/staff-invitations/",
        api.StaffInvitationListCreateView.as_view(),
        name="api_staff_invitations",
    ),
    path(
        "partners/<slug:partner_slug>/staff-invitations/<int:invitation_id>/revoke/",
        api.StaffInvitationRevokeView.as_view(),
        name="api_staff_invitation_revoke",
    ),
]
