"""The `Idempotency-Key` mechanism shared by every API endpoint that creates something.

Decorate the view method with `@idempotent`. The view runs in one transaction with the
insertion of the key's record; a retry with the same key gets the stored response. Only
successful responses are kept, so a client may fix a refused request and retry with its key.
"""

import functools
import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.response import Response

from mutuality.errors import Conflict, InvalidInput
from mutuality.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _scope(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "anonymous"


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(b"\0")
    digest.update(request.path.encode())
    digest.update(b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def idempotent(view_method):
    @functools.wraps(view_method)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return view_method(view, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            raise InvalidInput.for_field(
                HEADER, _("Use a key of at most %(n)d characters.") % {"n": MAX_KEY_LENGTH}
            )
        scope = _scope(request)
        fingerprint = _fingerprint(request)
        now = timezone.now()

        with transaction.atomic():
            existing = (
                IdempotencyRecord.objects.filter(scope=scope, key=key, expires_at__gt=now)
                .only("fingerprint", "status_code", "response_body")
                .first()
            )
            if existing is None:
                IdempotencyRecord.objects.filter(scope=scope, key=key).delete()
                try:
                    with transaction.atomic():
                        record = IdempotencyRecord.objects.create(
                            scope=scope,
                            key=key,
                            fingerprint=fingerprint,
                            status_code=0,
                            response_body={},
                            expires_at=now + timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS),
                        )
                except IntegrityError:
                    # A concurrent request with this key committed first.
                    existing = IdempotencyRecord.objects.get(scope=scope, key=key)
            if existing is not None:
                if existing.fingerprint != fingerprint:
                    raise Conflict(
                        _("This Idempotency-Key was already used for a different request.")
                    )
                replay = Response(existing.response_body, status=existing.status_code)
                replay["Idempotent-Replayed"] = "true"
                return replay

            response = view_method(view, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                record.status_code = response.status_code
                record.response_body = response.data
                record.save(update_fields=["status_code", "response_body"])
            else:
                transaction.set_rollback(True)
            return response

    return wrapper


def idempotency_records_purge(*, now=None) -> int:
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
