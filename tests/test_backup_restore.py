"""make backup / make restore: a restore brings back the same counts."""

import importlib.util
import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from apps.core.audit import audit_record
from tests.factories import OrganisationFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("devenv", ROOT / "scripts" / "devenv.py")
devenv = importlib.util.module_from_spec(spec)
spec.loader.exec_module(devenv)

TABLES = ["accounts_user", "accounts_organisation", "core_country", "core_language", "core_auditevent", "auth_group"]


def counts(cursor) -> dict[str, int]:
    result = {}
    for table in TABLES:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
        result[table] = cursor.fetchone()[0]
    return result


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_has_the_same_counts(tmp_path):
    UserFactory.create_batch(3)
    OrganisationFactory.create_batch(2)
    audit_record(actor=None, action="backup.test", object_type="x", object_id=1)
    with connection.cursor() as cursor:
        before = counts(cursor)

    from tests.conftest import _test_database_url

    source_url = _test_database_url()
    dump = devenv.backup_database(source_url, tmp_path / "portal.dump")
    assert dump.stat().st_size > 0

    scratch = f"restore_check_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {scratch}")
        cursor.execute(f"CREATE DATABASE {scratch}")
    try:
        target_url = source_url.rsplit("/", 1)[0] + f"/{scratch}"
        devenv.restore_database(target_url, dump)
        psql = devenv.pg_binary("psql")
        after = {}
        for table in TABLES:
            out = subprocess.run(
                [psql, devenv.libpq_url(target_url), "-X", "-t", "-A", "-c", f"SELECT count(*) FROM {table}"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            after[table] = int(out)
        assert after == before
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")
