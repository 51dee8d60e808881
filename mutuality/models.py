from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class IdempotencyRecord(models.Model):
    """The first response to a create request sent with an `Idempotency-Key` header.

    A retry with the same key (by the same caller) gets this response back instead of
    creating something twice; the unique constraint makes that hold under concurrent retries.
    """

    scope = models.CharField(max_length=64)  # "user:<id>" or "anonymous"
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # sha256 of method, path and body
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField(encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_once_per_scope")
        ]

    def __str__(self):
        return f"{self.scope} {self.key}"
