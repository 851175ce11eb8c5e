"""Writing to the audit log. Every service that reads, changes or exports personal data calls audit_record."""

from __future__ import annotations

from typing import Any

from django.db import models

from .client_address import client_address
from .models import AuditEvent

client_ip = client_address  # the name earlier callers import


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
    request=None,
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor_id=actor.pk if authenticated else None,
        actor_label=(getattr(actor, "email", "") or str(actor))[:254] if authenticated else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary,
        ip_address=client_address(request),
        extra=extra or {},
    )
