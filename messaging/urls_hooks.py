"""Addresses the SMS and USSD providers call: inbound messages, USSD screens, delivery reports.
Each provider's own module adds its routes."""

from messaging.delivery_urls import urlpatterns as delivery_patterns
from messaging.inbound_urls import urlpatterns as inbound_patterns

urlpatterns = [*inbound_patterns, *delivery_patterns]
