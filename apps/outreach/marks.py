"""Recording that the server or gateway accepted a delivery, at once and cheaply.

Each accepted message is recorded by its own ``INSERT`` into ``outreach_sentmark`` (a narrow append-only table whose
key is its only index) whose commit does not wait for the disk (``synchronous_commit`` off: for the marks
connection, or for that statement only through a transaction pooler): a killed worker cannot lose it, only a crash
of the database server could. The marks are
folded into their deliveries (state ``sent``) by one statement per claim batch (``marks_fold``), and by the sweep
before it gives a dead worker's rows back; every statement that gives a claimed row back skips marked rows
(``NOT_MARKED``), so a recorded message is never sent again.

A worker sending outside a transaction (a Celery task) sends each mark on a second, asynchronous connection (kept
from one block to the next) and goes on with the next message — its SMTP envelope and content, composing the one
after — while the database works. It waits for the mark's answer only before the last step that makes the next
message delivered (the SMTP end-of-data dot).
So the round trip to the database leaves the path of a message, and the bound stays the same: when the worker is
killed, at most the one message whose SMTP transaction was in flight goes twice.

Inside a transaction (tests, a caller's ``atomic``) the mark runs on Django's connection, in that transaction: a
second connection would not see the claimed rows.
"""

from __future__ import annotations

import os
import select
import time

import psycopg2
import psycopg2.extensions
from django.conf import settings
from django.db import connection

_MARK_INSERT = (
    "INSERT INTO outreach_sentmark (provider_message_id, delivery_id, sent_at) {values} "
    "ON CONFLICT (delivery_id) DO NOTHING"
)
# One statement that also says its commit need not wait for the disk (safe through a transaction pooler).
_MARK_SENT_SQL = "WITH no_wait AS (SELECT set_config('synchronous_commit', 'off', true)) " + _MARK_INSERT.format(
    values="SELECT %s, %s, now() FROM no_wait"
)
# On a connection of its own straight to PostgreSQL (no PgBouncer in transaction mode, which would lend another
# server connection to the next statement), the marks connection says so once and prepares the insert once:
# PostgreSQL then neither parses nor plans each mark (about a third of its cost).
_MARK_PREPARE = "SET synchronous_commit TO off; PREPARE outreach_mark (text, bigint) AS " + _MARK_INSERT.format(
    values="VALUES ($1, $2, now())"
)
_MARK_PREPARED = "EXECUTE outreach_mark (%s, %s)"

# A claimed row may go back to pending (or be claimed again) only if no mark says it was sent: SQL on ``d``.
NOT_MARKED = "NOT EXISTS (SELECT 1 FROM outreach_sentmark m WHERE m.delivery_id = d.id)"

_FOLD_SQL = """
    WITH no_wait AS (SELECT set_config('synchronous_commit', 'off', true)),
         m AS (DELETE FROM outreach_sentmark WHERE {which} AND EXISTS (SELECT 1 FROM no_wait)
               RETURNING delivery_id, provider_message_id, sent_at)
    UPDATE outreach_delivery d
       SET state = 'sent', sent_at = m.sent_at, updated_at = now(), provider_message_id = m.provider_message_id
      FROM m
     WHERE d.id = m.delivery_id AND d.state = 'sending'
"""


def marks_fold(delivery_ids: list[int] | None = None, *, provider_message_id: str = "") -> int:
    """Fold the marks (of these deliveries, of the one with this provider id, or all of them) into their
    deliveries, in one statement: they become ``sent``. Its commit does not wait for the disk either. Returns how
    many deliveries it marked sent."""
    with connection.cursor() as cursor:
        if provider_message_id:
            cursor.execute(_FOLD_SQL.format(which="provider_message_id = %s"), [provider_message_id])
        elif delivery_ids is None:
            cursor.execute(_FOLD_SQL.format(which="TRUE"))
        else:
            cursor.execute(_FOLD_SQL.format(which="delivery_id = ANY(%s)"), [list(delivery_ids)])
        return cursor.rowcount


class MarkError(Exception):
    """The database did not record a mark (connection lost, server restarting)."""


def delivery_mark_sent(*, delivery_id: int, provider_message_id: str) -> None:
    """Record at once, on Django's connection, that the server or gateway accepted this delivery (folded into it
    by ``marks_fold``)."""
    with connection.cursor() as cursor:
        cursor.execute(_MARK_SENT_SQL, [provider_message_id, delivery_id])


def _wait(conn, timeout: float) -> None:
    """Drive an asynchronous psycopg2 connection until its current operation is done."""
    deadline = time.monotonic() + timeout
    while True:
        state = conn.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        left = deadline - time.monotonic()
        if left <= 0:
            raise MarkError("the database did not answer in time")
        if state == psycopg2.extensions.POLL_READ:
            select.select([conn.fileno()], [], [], left)
        elif state == psycopg2.extensions.POLL_WRITE:
            select.select([], [conn.fileno()], [], left)
        else:  # pragma: no cover - psycopg2 documents no other state
            raise MarkError(f"unexpected connection state {state}")


# The worker's connection for marks, kept from one block to the next (opening one costs milliseconds): its
# parameters, the process that opened it (a forked child opens its own) and the connection.
_kept: dict = {"key": None, "pid": None, "conn": None, "statement": _MARK_SENT_SQL}


def _kept_connection(key: str):
    """The kept connection for this key (its parameters) if it is open and this process's, else None (and
    forgotten)."""
    conn = _kept["conn"]
    if conn is None:
        return None
    if _kept["pid"] != os.getpid():  # inherited through a fork: the parent's; leave its socket alone
        _kept.update(key=None, pid=None, conn=None)
        return None
    # Idle, it has nothing to read unless the server ended it meanwhile (a restart, an idle timeout: it says so, or
    # the socket is at its end).
    try:
        healthy = not conn.closed and not select.select([conn.fileno()], [], [], 0)[0]
    except (psycopg2.Error, OSError, ValueError):
        healthy = False
    if not healthy or _kept["key"] != key:
        _kept.update(key=None, pid=None, conn=None)
        try:
            conn.close()
        except psycopg2.Error:  # pragma: no cover - already gone
            pass
        return None
    return conn


class SentMarks:
    """The marks of one block. ``record`` sends a mark and returns at once (outside a transaction); ``settle``
    waits until the last one is committed; it is called before the next message's end of data and at the end of
    each claim batch."""

    def __init__(self):
        self.pipelined = connection.get_autocommit() and not connection.in_atomic_block
        self.conn = None
        self.cursor = None
        self.statement = _MARK_SENT_SQL
        self.waiting = False

    def _connect(self):
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        pooled = bool(connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"))  # through PgBouncer
        key = repr((sorted(params.items()), pooled))
        self.conn = _kept_connection(key)
        if self.conn is None:
            self.conn = psycopg2.connect(async_=1, **params)
            _wait(self.conn, settings.OUTREACH_SEND_TIMEOUT)
            statement = _MARK_SENT_SQL
            if not pooled:
                preparing = self.conn.cursor()  # an asynchronous query needs its cursor alive until it is done
                preparing.execute(_MARK_PREPARE)
                _wait(self.conn, settings.OUTREACH_SEND_TIMEOUT)
                statement = _MARK_PREPARED
            _kept.update(key=key, pid=os.getpid(), conn=self.conn, statement=statement)
        self.statement = _kept["statement"]
        self.cursor = self.conn.cursor()

    def record(self, *, delivery_id: int, provider_message_id: str) -> None:
        if not self.pipelined:
            delivery_mark_sent(delivery_id=delivery_id, provider_message_id=provider_message_id)
            return
        self.settle()
        try:
            if self.conn is None:
                self._connect()
            self.cursor.execute(self.statement, [provider_message_id, delivery_id])
        except psycopg2.Error as exc:
            self.close()
            raise MarkError(str(exc)) from exc
        self.waiting = True

    def settle(self) -> None:
        """Wait until the mark sent last is committed (its commit not waiting for the disk)."""
        if not self.waiting:
            return
        self.waiting = False
        try:
            _wait(self.conn, settings.OUTREACH_SEND_TIMEOUT)
        except (psycopg2.Error, MarkError) as exc:
            self.close()
            raise MarkError(str(exc)) from exc

    def release(self) -> None:
        """The block is done: its last mark is committed (``settle``), the connection is kept for the next block."""
        if self.waiting:
            self.close()
        self.conn = self.cursor = None

    def close(self) -> None:
        """Drop the connection (after an error, or a mark whose answer was not awaited)."""
        if self.conn is not None:
            if _kept["conn"] is self.conn:
                _kept.update(key=None, pid=None, conn=None)
            try:
                self.conn.close()
            except psycopg2.Error:  # pragma: no cover - already gone
                pass
        self.conn = self.cursor = None
        self.waiting = False
