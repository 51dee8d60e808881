from django.apps import AppConfig


class MutualityConfig(AppConfig):
    """Shared infrastructure: errors, pagination, idempotency keys, health and the home router."""

    name = "mutuality"
    verbose_name = "Mutuality"
