"""Reads that may come from the read-only replica.

When ``DATABASE_REPLICA_URL`` is set, the heavy read-only pages (reports, the staff search of the skills bank) read
from the replica, and everything else from the primary. Only code that runs inside :func:`replica_reads` (or a
view wrapped with :func:`reads_from_replica`) is routed: elsewhere a read may follow a write and must see it.
Writes always go to the primary, also inside ``replica_reads`` (an audit event written by a search, say).

A replica lags the primary by a little: figures and search results may be a second or so behind. Without a
replica, everything reads from the primary and these helpers change nothing.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def read_alias() -> str:
    """The database alias a read should use here: the replica inside ``replica_reads``, else the primary."""
    return REPLICA if _reading_from_replica.get() and replica_configured() else "default"


def read_connection():
    """The connection for raw SQL reads (``with read_connection().cursor() as cursor``)."""
    return connections[read_alias()]


@contextmanager
def replica_reads():
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def reads_from_replica(view):
    """Decorate a read-only view whose queries may be served by the replica."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Routes reads made inside ``replica_reads`` to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reading_from_replica.get() and replica_configured() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
