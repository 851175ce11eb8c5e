"""Idempotency keys: a write sent twice (a retry after a lost answer, a device replaying its queue) is done once.

The first answer to a key is stored per user and key with a fingerprint of what was asked; the same key with the
same request gets that answer again (and nothing is written again), the same key with another request is refused.
Two requests with one key at the same moment are serialised by a PostgreSQL advisory lock on (user, key), held
until the first one's transaction ends: the second then finds the stored answer. The unique constraint on
(user, key) backs the lock up.

Used by the API's create/edit operations (:func:`idempotent`, the ``Idempotency-Key`` header) and by the offline
sync (apps/offices/offline/services.py), which share the store: a key is a key, whichever way it came.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

KEY_MAX_LENGTH = 100
HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"


class IdempotencyRecord(models.Model):
    """The first answer given to one user's idempotency key, and the fingerprint of the request it answered."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(gettext_lazy("key"), max_length=KEY_MAX_LENGTH)
    # what the key was used for ("POST /api/v1/persons/", "offline:person.create"), for reading the table
    scope = models.CharField(gettext_lazy("scope"), max_length=200)
    fingerprint = models.CharField(gettext_lazy("fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(gettext_lazy("status code"))
    body = models.JSONField(gettext_lazy("answer"), encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(gettext_lazy("created"), auto_now_add=True, db_index=True)

    class Meta:
        app_label = "core"
        verbose_name = gettext_lazy("idempotency record")
        verbose_name_plural = gettext_lazy("idempotency records")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_user_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class KeyReusedError(Exception):
    """The key was already used for another request."""


@dataclass(frozen=True)
class Answer:
    """What an action answered: ``keep`` says whether it is final (stored) or may be asked again."""

    status: int
    body: Any
    keep: bool = True


@dataclass(frozen=True)
class Outcome:
    status: int
    body: Any
    replayed: bool


def fingerprint(scope: str, body: Any) -> str:
    """A digest of what was asked: the scope and the body as canonical JSON (key order does not matter)."""
    text = json.dumps([scope, body], sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _lock(user_id: int, key: str) -> None:
    """Serialise the requests of one (user, key) until the current transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"idempotency:{user_id}:{key}"])


def stored_answer(*, user, key: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(user=user, key=key).first()


def run_once(*, user, key: str, scope: str, digest: str, action: Callable[[], Answer]) -> Outcome:
    """Run ``action`` once for (``user``, ``key``): the first final answer is stored and given to every repeat
    with the same ``digest``; another digest raises :class:`KeyReusedError`. The action's writes and the stored answer
    commit together; an action that raises stores nothing (its writes roll back)."""
    with transaction.atomic():
        _lock(user.pk, key)
        record = stored_answer(user=user, key=key)
        if record is not None:
            if record.fingerprint != digest:
                raise KeyReusedError(key)
            return Outcome(record.status_code, record.body, replayed=True)
        answer = action()
        if answer.keep:
            IdempotencyRecord.objects.create(
                user=user, key=key, scope=scope[:200], fingerprint=digest, status_code=answer.status, body=answer.body
            )
        return Outcome(answer.status, answer.body, replayed=False)


def records_purge(*, days: int | None = None, now: dt.datetime | None = None) -> int:
    """Forget the answers older than ``days`` (IDEMPOTENCY_KEEP_DAYS); returns how many were deleted."""
    days = settings.IDEMPOTENCY_KEEP_DAYS if days is None else days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# The API's Idempotency-Key header ----------------------------------------------------------------------------


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = gettext_lazy("This Idempotency-Key was already used for another request; use a new key.")


def _header_key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > KEY_MAX_LENGTH:
        raise exceptions.ValidationError(
            {HEADER: [_("Give an Idempotency-Key of 1 to %(max)d characters.") % {"max": KEY_MAX_LENGTH}]}
        )
    return key


def idempotent(view_method):
    """Decorate a DRF view method (create, partial_update): with an ``Idempotency-Key`` header, its first
    successful answer is stored and replayed (header ``Idempotent-Replayed: true``); the key sent with another
    method, path or body answers 422. An error answer is not stored: the request may be corrected and sent again
    with the same key. Without the header the method runs as usual."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = _header_key(request)
        if key is None:
            return view_method(self, request, *args, **kwargs)
        scope = f"{request.method} {request.path}"

        def action() -> Answer:
            response = view_method(self, request, *args, **kwargs)
            body = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
            return Answer(response.status_code, body, keep=200 <= response.status_code < 300)

        try:
            outcome = run_once(
                user=request.user, key=key, scope=scope, digest=fingerprint(scope, request.data), action=action
            )
        except KeyReusedError:
            raise IdempotencyKeyReused from None
        headers = {REPLAYED_HEADER: "true"} if outcome.replayed else None
        return Response(outcome.body, status=outcome.status, headers=headers)

    return wrapper


# OpenAPI: the header and the 422 of the operations that take it (``extend_schema(parameters=…, responses=…)``).
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="1 to 100 characters. The first successful answer to this key is stored for this user and "
    "given again to a repeat (header Idempotent-Replayed: true) without doing anything twice; the key sent "
    "with another method, path or body answers 422. An error answer is not stored.",
)
IDEMPOTENCY_REUSED_RESPONSE = OpenApiResponse(description="The Idempotency-Key was already used for another request.")
