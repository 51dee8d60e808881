"""Inbound SMS and USSD from the providers."""

urlpatterns = []
