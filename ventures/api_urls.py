"""The ventures API, under /api/v1/."""

from django.urls import path

from ventures.api import asks, ventures

ASK = "funding-asks/<int:ask_id>/"

urlpatterns = [
    path("ventures/", ventures.VentureListCreateView.as_view(), name="api_ventures"),
    path("ventures/<int:venture_id>/", ventures.VentureDetailView.as_view(), name="api_venture"),
    path(
        "ventures/<int:venture_id>/updates/",
        ventures.VentureUpdatesView.as_view(),
        name="api_venture_updates",
    ),
    path(
        "ventures/<int:venture_id>/funding-asks/",
        ventures.VentureAsksView.as_view(),
        name="api_venture_asks",
    ),
    path("funding-asks/", asks.FundingAskListView.as_view(), name="api_funding_asks"),
    path(ASK, asks.FundingAskDetailView.as_view(), name="api_funding_ask"),
    path(ASK + "review/", asks.AskReviewView.as_view(), name="api_funding_ask_review"),
    path(ASK + "pledges/", asks.AskPledgesView.as_view(), name="api_funding_ask_pledges"),
    path(ASK + "submit/", asks.AskSubmitView.as_view(), name="api_funding_ask_submit"),
    path(ASK + "close/", asks.AskCloseView.as_view(), name="api_funding_ask_close"),
    path(
        "pledges/<int:pledge_id>/status/",
        asks.PledgeStatusView.as_view(),
        name="api_pledge_status",
    ),
]
