"""Delivery reports from the SMS providers."""

from django.urls import path

from messaging import delivery_views

urlpatterns = [
    path("sms/twilio/status/", delivery_views.twilio_status, name="sms-twilio-status"),
    path(
        "sms/africastalking/<str:hook_secret>/delivery/",
        delivery_views.africastalking_delivery,
        name="sms-africastalking-delivery",
    ),
]
