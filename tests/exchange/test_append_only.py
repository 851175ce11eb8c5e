"""The append-only tables (audit log, decision log, consent records, profile verifications) refuse TRUNCATE as they
refuse UPDATE and DELETE, for a database superuser too; only the flush that wipes the whole database passes."""

import pytest
from django.db import DatabaseError, connection, transaction

from apps.exchange import services
from apps.exchange.models import Decision

APPEND_ONLY = ["core_auditevent", "exchange_decision", "skills_consentrecord", "skills_profileverification"]


def _is_superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return cursor.fetchone()[0]


@pytest.fixture
def logged(cast, study_visit):
    """A decision and an audit row, and no pending foreign-key checks (TRUNCATE reaches the trigger)."""
    from apps.core.audit import audit_record

    services.exchange_request_submit(exchange_request=study_visit, actor=cast.focal)
    audit_record(actor=None, action="test.write", object_type="x", object_id=1)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return study_visit


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_a_superuser_connection_s_plain_truncate_is_refused_on_each_append_only_table(logged, table):
    assert _is_superuser(), "the test database role must be a superuser for this test to mean anything"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert Decision.objects.filter(request=logged).exists()


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_replica_mode_does_not_let_a_superuser_truncate_either(logged, table):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # skips ordinary triggers, not these
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert Decision.objects.filter(request=logged).exists()


@pytest.mark.parametrize("statement", ["UPDATE exchange_decision SET comment = 'x'", "DELETE FROM exchange_decision"])
def test_replica_mode_does_not_let_a_superuser_change_the_decision_log(logged, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(statement)
    assert Decision.objects.filter(request=logged).exists()


def test_the_flush_setting_does_not_let_a_role_that_is_not_a_superuser_truncate(logged):
    """Anyone may set a custom setting: the trigger checks the role as well."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE ROLE portal_test_app_role NOSUPERUSER")  # rolled back with the transaction
        cursor.execute("GRANT TRUNCATE ON exchange_decision TO portal_test_app_role")
        cursor.execute("SET LOCAL ROLE portal_test_app_role")
        cursor.execute("SET LOCAL portal.allow_truncate = on")
        cursor.execute("TRUNCATE exchange_decision")
    assert Decision.objects.filter(request=logged).exists()


@pytest.mark.django_db(transaction=True)
def test_the_flush_that_wipes_the_whole_database_still_empties_them_for_a_superuser(cast, study_visit):
    from django.core.management import call_command

    from apps.core.models import AuditEvent

    services.exchange_request_submit(exchange_request=study_visit, actor=cast.focal)
    assert Decision.objects.exists() and AuditEvent.objects.exists()
    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        counts = {}
        for table in APPEND_ONLY:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    assert counts == dict.fromkeys(APPEND_ONLY, 0)
    # The permission lasted for the flush's transaction alone.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE exchange_decision")
