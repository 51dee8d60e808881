"""The `Idempotency-Key` mechanism shared by every API endpoint that creates something.

Decorate the view method with `@idempotent` (the schema then declares the header). The view
runs in one transaction with the insertion of the key's record; a retry with the same key gets
the stored response, byte for byte and with its status. Only successful responses are kept, so a
client may fix a refused request and retry with its key.

A retry is recognized by what the server understood, not by the bytes sent: the fingerprint is
over the parsed body (JSON with sorted keys; a form's fields and its files' digests), so the
same JSON with other spacing or key order is the same request.
"""

import functools
import hashlib
import json
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from mutuality.errors import Conflict, InvalidInput
from mutuality.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Printable ASCII without spaces: what a header carries intact through proxies.
KEY_PATTERN = re.compile(r"[!-~]+")


def is_idempotent(view_method) -> bool:
    return bool(getattr(view_method, "idempotent", False))


def _scope(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "anonymous"


def _file_digest(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _canonical(data):
    """The parsed body as plain data: a form's fields as lists, JSON as it came."""
    if isinstance(data, MultiValueDict):
        return {key: data.getlist(key) for key in data}
    return data


def _fingerprint(request) -> str:
    # Reading `request.data` parses the body once; the view reuses it. Raw bytes would not do:
    # a multipart body is consumed by its parser (and by the CSRF check of a session).
    files = {name: [_file_digest(f) for f in request.FILES.getlist(name)] for name in request.FILES}
    body = {"data": _canonical(request.data), "files": files}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    digest = hashlib.sha256()
    for part in (request.method, request.path, canonical):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> Response:
    body = record.response_body
    # Stored as the rendered JSON text, so that a replay keeps the first answer's key order
    # (a JSON column may reorder keys).
    data = json.loads(body) if isinstance(body, str) else body
    replay = Response(data, status=record.status_code)
    replay["Idempotent-Replayed"] = "true"
    return replay


def idempotent(view_method):
    @functools.wraps(view_method)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view_method(view, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH or not KEY_PATTERN.fullmatch(key):
            raise InvalidInput.for_field(
                HEADER,
                _("Use a key of 1 to %(n)d printable characters, without spaces.")
                % {"n": MAX_KEY_LENGTH},
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
                    # A concurrent request with this key committed first (PostgreSQL held this
                    # insert until it did).
                    existing = IdempotencyRecord.objects.get(scope=scope, key=key)
            if existing is not None:
                if existing.fingerprint != fingerprint:
                    raise Conflict(
                        _("This Idempotency-Key was already used for a different request.")
                    )
                return _replay(existing)

            response = view_method(view, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                record.status_code = response.status_code
                record.response_body = JSONRenderer().render(response.data).decode()
                record.save(update_fields=["status_code", "response_body"])
            else:
                transaction.set_rollback(True)
            return response

    wrapper.idempotent = True
    return wrapper


def idempotency_records_purge(*, now=None) -> int:
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
