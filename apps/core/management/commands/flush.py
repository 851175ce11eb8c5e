"""``flush`` that empties the append-only tables too, for a database superuser only.

The append-only tables (audit log, decision log, consent records, profile verifications) refuse TRUNCATE by a
statement-level trigger that fires in every session (``ENABLE ALWAYS``: ``session_replication_role = replica``
does not skip it), so a superuser's own ``TRUNCATE`` is refused too. Wiping the whole database (``manage.py
flush``, and the test runner between tests that commit) is the one path that passes: it runs its TRUNCATE in a
transaction that sets ``portal.allow_truncate = on`` for that transaction alone, and the trigger lets it through
only when the role running it is a superuser (the application's own role, not a superuser in production, cannot).
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

ALLOW_TRUNCATE = "SET LOCAL portal.allow_truncate = on"


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
                    cursor.execute(ALLOW_TRUNCATE)
                original(sql_list)

        ops.execute_sql_flush = flush_past_the_guard
        try:
            return super().handle(**options)
        finally:
            del ops.execute_sql_flush
