"""``flush`` that empties the append-only tables too, for a database superuser only.

The append-only tables (audit log, decision log, consent records) refuse TRUNCATE by a statement-level trigger.
Wiping the whole database (``manage.py flush``, and the test runner between tests that commit) runs its TRUNCATE
with ``session_replication_role = replica`` for that one transaction, which skips triggers; PostgreSQL allows that
setting to superusers only, so the application's own role (not a superuser in production) still cannot empty them.
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections, transaction


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "postgresql":
            return super().handle(**options)
        ops = connection.ops
        original = ops.execute_sql_flush

        def flush_past_the_guard(sql_list):
            with transaction.atomic(using=connection.alias):
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
                original(sql_list)

        ops.execute_sql_flush = flush_past_the_guard
        try:
            return super().handle(**options)
        finally:
            del ops.execute_sql_flush
