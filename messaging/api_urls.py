from django.urls import path

from messaging import api

urlpatterns = [
    path("me/notifications/", api.NotificationsView.as_view(), name="api_me_notifications"),
]
