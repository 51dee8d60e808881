"""Inbound SMS and USSD from the providers."""

from django.urls import path

from messaging import inbound_views

urlpatterns = [
    path("sms/twilio/", inbound_views.twilio_inbound, name="sms-twilio-inbound"),
    path(
        "sms/africastalking/<str:hook_secret>/",
        inbound_views.africastalking_inbound,
        name="sms-africastalking-inbound",
    ),
    path(
        "ussd/africastalking/<str:hook_secret>/",
        inbound_views.africastalking_ussd,
        name="ussd-africastalking",
    ),
]
