import pytest
from django.db import DatabaseError, transaction

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_audit_record_keeps_actor_action_and_object():
    user = UserFactory()
    event = audit_record(actor=user, action="profile.read", obj=user, summary="opened")
    event.refresh_from_db()
    assert event.actor_id == user.pk
    assert event.actor_identity.user_id == user.pk
    assert event.actor_name == user.email  # through the pseudonym table, not the row
    assert event.object_type == "accounts.user"
    assert event.object_id == str(user.pk)


def test_the_database_refuses_to_update_an_audit_event():
    event = audit_record(actor=None, action="test.write", object_type="x", object_id=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    event.refresh_from_db()
    assert event.summary == ""


def test_the_database_refuses_to_delete_an_audit_event():
    event = audit_record(actor=None, action="test.write", object_type="x", object_id=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_cannot_rewrite_the_log_either():
    from django.db import connection

    audit_record(actor=None, action="test.write", object_type="x", object_id=1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
