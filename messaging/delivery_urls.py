"""Delivery reports from the SMS providers."""

urlpatterns = []
