"""The append-only tables (audit log, decision log, consent records, profile verifications) refuse TRUNCATE as they
refuse UPDATE and DELETE; only the flush that wipes the whole database, run by a superuser, passes."""

import pytest
from django.db import DatabaseError, connection, transaction

from apps.exchange import services
from apps.exchange.models import Decision

APPEND_ONLY = ["core_auditevent", "exchange_decision", "skills_consentrecord", "skills_profileverification"]


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_an_append_only_table_refuses_truncate(cast, study_visit, table):
    from apps.core.audit import audit_record

    services.exchange_request_submit(request=study_visit, actor=cast.focal)
    audit_record(actor=None, action="test.write", object_type="x", object_id=1)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks: TRUNCATE reaches the trigger
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert Decision.objects.filter(request=study_visit).exists()


@pytest.mark.django_db(transaction=True)
def test_the_flush_that_wipes_the_whole_database_still_empties_them_for_a_superuser(cast, study_visit):
    from django.core.management import call_command

    services.exchange_request_submit(request=study_visit, actor=cast.focal)
    call_command("flush", interactive=False, verbosity=0)
    assert not Decision.objects.exists()
