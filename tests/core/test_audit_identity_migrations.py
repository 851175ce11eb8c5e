"""Migrations core 0004 and accounts 0006 take the names out of audit rows written before the pseudonyms."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from apps.accounts.models import User
from apps.core.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("core", "0003_extensions_and_reference_data"), ("accounts", "0005_api_tokens")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_earlier_rows_lose_the_names_and_keep_their_ids_and_the_log_stays_append_only():
    amina = user_with_role(Role.MEMBER, email="amina@example.org", full_name="Amina Tall")
    bob = user_with_role(Role.OFFICE_STAFF, email="bob@example.org", full_name="Bob Staff")
    memberships = {m.pk: str(m) for m in [*amina.memberships.all(), *bob.memberships.all()]}
    migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            for user in (amina, bob):
                cursor.execute(
                    "INSERT INTO core_auditevent (occurred_at, actor_id, actor_label, action, object_type, "
                    "object_id, summary, extra) VALUES (now(), %s, %s, 'profile.update', '', '', 'phone', '{}')",
                    [user.pk, user.email],
                )
            for pk, text in memberships.items():
                cursor.execute(
                    "INSERT INTO core_auditevent (occurred_at, actor_id, actor_label, action, object_type, "
                    "object_id, summary, extra) VALUES (now(), NULL, '', 'membership.grant', "
                    "'accounts.membership', %s, %s, '{}')",
                    [str(pk), text],
                )
            cursor.execute("SELECT id FROM core_auditevent ORDER BY id")
            ids_before = [row[0] for row in cursor.fetchall()]
        # Amina is erased under the old code: her account is blanked, the log still names her.
        User.objects.filter(pk=amina.pk).update(
            email=f"erased-{amina.pk}@erased.invalid", full_name="", erased_at=timezone.now()
        )
    finally:
        migrate(latest())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event.id, row_to_json(event)::text || coalesce(actor.label, '') || coalesce(subject.label, '') "
            "FROM core_auditevent AS event "
            "LEFT JOIN core_auditidentity AS actor ON actor.id = event.actor_identity_id "
            "LEFT JOIN core_auditidentity AS subject ON subject.id = event.subject_identity_id ORDER BY event.id"
        )
        rows = cursor.fetchall()
    assert [row[0] for row in rows] == ids_before
    text = "\n".join(row[1] for row in rows)
    assert "amina@example.org" not in text and "Amina" not in text and "Tall" not in text
    assert "bob@example.org" in text and "Bob Staff" not in text  # Bob is named, by his pseudonym only
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET summary = ''")


def test_expert_added_rows_written_with_an_address_keep_a_pseudonym_and_never_an_erased_members_address():
    live = user_with_role(Role.MEMBER, email="expert.live@example.org")
    gone = user_with_role(Role.MEMBER, email="expert.gone@example.org")
    migrate([("exchange", "0006_decision_refuses_truncate")])
    try:
        with connection.cursor() as cursor:
            for address in ("expert.live@example.org", "expert.gone@example.org"):
                cursor.execute(
                    "INSERT INTO core_auditevent (occurred_at, actor_id, actor_label, action, object_type, "
                    "object_id, summary, extra) VALUES (now(), NULL, '', 'exchange.expert_add', "
                    "'exchange.exchangerequest', '1', %s, '{}')",
                    [address],
                )
        # The second expert is erased under the old code: the account is blanked, the rows kept the address.
        User.objects.filter(pk=gone.pk).update(
            email=f"erased-{gone.pk}@erased.invalid", full_name="", erased_at=timezone.now()
        )
    finally:
        migrate(latest())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event.summary, identity.user_id, identity.label FROM core_auditevent AS event "
            "LEFT JOIN core_auditidentity AS identity ON identity.id = event.subject_identity_id "
            "WHERE event.action = 'exchange.expert_add' ORDER BY event.id"
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM core_auditevent WHERE summary LIKE '%%expert.%%@example.org%%'")
        named = cursor.fetchone()[0]
    assert rows == [("", live.pk, "expert.live@example.org"), ("", None, None)]
    assert named == 0
