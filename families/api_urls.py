from django.urls import path

from families.api import cohorts, feed, groups, help, households, invitations

urlpatterns = [
    path("cohorts/", cohorts.CohortListCreateView.as_view(), name="api_cohorts"),
    path("cohorts/<int:cohort_id>/", cohorts.CohortDetailView.as_view(), name="api_cohort"),
    path(
        "cohorts/<int:cohort_id>/network/",
        cohorts.CohortNetworkView.as_view(),
        name="api_cohort_network",
    ),
    path("families/", households.FamilyListCreateView.as_view(), name="api_families"),
    path("families/<int:family_id>/", households.FamilyDetailView.as_view(), name="api_family"),
    path(
        "families/<int:family_id>/consent/",
        households.FamilyConsentView.as_view(),
        name="api_family_consent",
    ),
    path(
        "families/<int:family_id>/invitations/",
        invitations.FamilyInvitationListCreateView.as_view(),
        name="api_family_invitations",
    ),
    path(
        "families/<int:family_id>/invitations/<int:family_invitation_id>/revoke/",
        invitations.FamilyInvitationRevokeView.as_view(),
        name="api_family_invitation_revoke",
    ),
    path(
        "invitations/<str:token>/accept/",
        invitations.FamilyInvitationAcceptView.as_view(),
        name="api_family_invitation_accept",
    ),
    path("groups/", groups.GroupListView.as_view(), name="api_groups"),
    path("groups/<int:group_id>/", groups.GroupDetailView.as_view(), name="api_group"),
    path("posts/", feed.PostListCreateView.as_view(), name="api_posts"),
    path(
        "posts/<int:post_id>/comments/",
        feed.PostCommentListCreateView.as_view(),
        name="api_post_comments",
    ),
    path(
        "posts/<int:post_id>/reactions/",
        feed.PostReactionCreateView.as_view(),
        name="api_post_reactions",
    ),
    path("help-exchanges/", help.HelpExchangeListCreateView.as_view(), name="api_help_exchanges"),
    path(
        "help-exchanges/<int:exchange_id>/confirm/",
        help.HelpExchangeConfirmView.as_view(),
        name="api_help_exchange_confirm",
    ),
]
