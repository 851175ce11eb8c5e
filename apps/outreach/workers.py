"""Sending workers: their names, their heartbeats, and which of them are gone.

A worker's name is ``host:pid:token:pid-namespace``. The sweep takes a worker for dead when its heartbeat stopped
``OUTREACH_WORKER_DEAD_SECONDS`` ago; on the sweep's own host it need not wait: a worker of this host and process
namespace whose process no longer exists (killed, crashed) is gone at once. A process id reused since, or a
worker on another host, or in another process namespace (a container sharing the host's name), is left to its
heartbeat: that errs towards waiting, never towards sending twice.
"""

from __future__ import annotations

import os
import secrets
import socket
import time

from django.conf import settings
from django.db import connection

_PROCESS_TOKEN = secrets.token_hex(4)


def _pid_namespace() -> str:
    try:
        return os.readlink("/proc/self/ns/pid").removeprefix("pid:[").removesuffix("]")
    except OSError:  # not Linux: names without a namespace, never taken for gone
        return ""


_PID_NAMESPACE = _pid_namespace()


def worker_name() -> str:
    """This process's name as a sender: host, process id, a random token (process ids are reused) and its
    process namespace."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{_PROCESS_TOKEN}:{_PID_NAMESPACE}"


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def workers_gone_on_this_host(names: list[str]) -> list[str]:
    """The names of workers of this host and process namespace whose process no longer exists."""
    if not _PID_NAMESPACE:
        return []
    host = socket.gethostname()[:80]
    gone = []
    for name in names:
        parts = name.split(":")
        if len(parts) != 4 or parts[0] != host or parts[3] != _PID_NAMESPACE or not parts[1].isdigit():
            continue
        pid = int(parts[1])
        if pid != os.getpid() and not _process_exists(pid):
            gone.append(name)
    return gone


class Heartbeat:
    """This process's heartbeat in ``outreach_sendingworker``, renewed at most every ``OUTREACH_HEARTBEAT_SECONDS``
    (called between messages; no step of sending blocks longer than ``OUTREACH_SEND_TIMEOUT``)."""

    def __init__(self):
        self.name = worker_name()
        self.last = 0.0

    def beat(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < settings.OUTREACH_HEARTBEAT_SECONDS:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH no_wait AS (SELECT set_config('synchronous_commit', 'off', true)) "
                "INSERT INTO outreach_sendingworker (name, started_at, heartbeat_at) "
                "SELECT %s, now(), now() FROM no_wait "
                "ON CONFLICT (name) DO UPDATE SET heartbeat_at = now()",
                [self.name],
            )
        self.last = now
