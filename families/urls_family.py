"""The families' own pages (and the invitation link, which works signed out)."""

from django.urls import path

from families.views import family as views

urlpatterns = [
    path("family/group/", views.family_group, name="family_group"),
    path("family/invitations/", views.family_invitations, name="family_invitations"),
    path(
        "family/invitations/<int:family_invitation_id>/revoke/",
        views.family_invitation_revoke,
        name="family_invitation_revoke",
    ),
    path(
        "family/invitations/<int:family_invitation_id>/resend/",
        views.family_invitation_resend,
        name="family_invitation_resend",
    ),
    path("invite/<str:token>/", views.family_invitation_accept, name="family_invitation_accept"),
    path("family/feed/", views.family_feed_group, name="family_feed_group"),
    path("family/feed/cohort/", views.family_feed_cohort, name="family_feed_cohort"),
    path("family/posts/<int:post_id>/", views.family_post_detail, name="family_post_detail"),
    path("family/posts/<int:post_id>/photo/", views.family_post_photo, name="family_post_photo"),
    path(
        "family/posts/<int:post_id>/comments/",
        views.family_post_comment,
        name="family_post_comment",
    ),
    path("family/posts/<int:post_id>/react/", views.family_post_react, name="family_post_react"),
    path("family/help/", views.family_help, name="family_help"),
    path(
        "family/help/<int:exchange_id>/confirm/",
        views.family_help_confirm,
        name="family_help_confirm",
    ),
    path("family/directory/", views.family_directory, name="family_directory"),
    path("family/privacy/", views.family_consent, name="family_consent"),
]
