"""Writing to the audit log. Every service that reads, changes or exports personal data calls audit_record.

People are named in the log only through AuditIdentity pseudonyms: the actor, and with ``subject=`` the person an
event concerns. Summaries say what happened, never who it happened to: pass the person as ``subject``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from .client_address import client_address
from .models import AuditEvent, AuditIdentity

client_ip = client_address  # the name earlier callers import


def _label(user) -> str:
    return (getattr(user, "email", "") or str(user))[:254]


def audit_identity(user) -> AuditIdentity | None:
    """The pseudonym of a user in the log, made at its first event; its label follows the user until erasure."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return None
    label = "" if getattr(user, "erased_at", None) else _label(user)
    identity, created = AuditIdentity.objects.get_or_create(user_id=user.pk, defaults={"label": label})
    if not created and identity.erased_at is None and identity.label != label:
        AuditIdentity.objects.filter(pk=identity.pk, erased_at__isnull=True).update(label=label)
        identity.label = label
    return identity


def audit_identity_erase(*, user) -> None:
    """Erasure: the pseudonym keeps its id (the log stays whole) and loses the personal part."""
    identity, _created = AuditIdentity.objects.get_or_create(user_id=user.pk)
    AuditIdentity.objects.filter(pk=identity.pk).update(label="", erased_at=identity.erased_at or timezone.now())


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
    subject=None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    identity = audit_identity(actor)
    return AuditEvent.objects.create(
        actor_id=actor.pk if identity else None,
        actor_identity=identity,
        subject_identity=audit_identity(subject),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary,
        ip_address=client_address(request),
        extra=extra or {},
    )
