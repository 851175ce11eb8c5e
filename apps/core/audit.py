"""Writing to the audit log. Every service that reads, changes or exports personal data calls audit_record.

People are named in the log only through AuditIdentity pseudonyms: the actor, and with ``subject=`` the person an
event concerns. Summaries say what happened, never who it happened to: pass the person as ``subject``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connection, models
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
    event = AuditEvent(
        occurred_at=timezone.now(),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary,
        ip_address=client_address(request),
        extra=extra or {},
    )
    if subject is None and _is_user(actor) and _insert_with_known_identity(event, actor):
        return event
    identity = audit_identity(actor)
    event.actor_id = actor.pk if identity else None
    event.actor_identity = identity
    event.subject_identity = audit_identity(subject)
    event.save(force_insert=True)
    return event


def _is_user(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.pk is not None


def _insert_with_known_identity(event: AuditEvent, actor) -> bool:
    """The usual case in one statement: the actor already has a pseudonym whose label is current, so the event is
    inserted with it, found by the same statement (no read before the write). Returns False, having written
    nothing, when the actor has no pseudonym yet, is erased or has a new label: audit_identity() handles those."""
    if getattr(actor, "erased_at", None):
        return False
    with connection.cursor() as cursor:
        cursor.execute(_insert_with_identity_sql(), [*_event_values(event), actor.pk, actor.pk, _label(actor)])
        row = cursor.fetchone()
    if row is None:
        return False
    event.pk, event.actor_identity_id = row
    event.actor_id = actor.pk
    return True


_EVENT_FIELDS = ("occurred_at", "actor_label", "action", "object_type", "object_id", "summary", "ip_address", "extra")


@cache
def _event_fields() -> tuple[models.Field, ...]:
    return tuple(field for name in _EVENT_FIELDS if isinstance(field := AuditEvent._meta.get_field(name), models.Field))


def _event_values(event: AuditEvent) -> list:
    return [field.get_db_prep_save(getattr(event, field.attname), connection) for field in _event_fields()]


@cache
def _insert_with_identity_sql() -> str:
    event, identity = AuditEvent._meta, AuditIdentity._meta
    columns = [f'"{field.column}"' for field in _event_fields()]
    return (
        f'INSERT INTO "{event.db_table}" ({", ".join(columns)}, "actor_id", "actor_identity_id") '
        f'SELECT {", ".join(["%s"] * len(columns))}, %s, i."id" FROM "{identity.db_table}" i '
        'WHERE i."user_id" = %s AND i."label" = %s AND i."erased_at" IS NULL '
        f'RETURNING "id", "actor_identity_id"'
    )
