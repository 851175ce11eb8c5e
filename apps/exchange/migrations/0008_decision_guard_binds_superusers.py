from django.db import migrations

TRIGGERS = ("exchange_decision_append_only", "exchange_decision_no_truncate")


class Migration(migrations.Migration):
    """The decision log's guards fire in every session, also with ``session_replication_role = replica`` (which a
    database superuser may set); TRUNCATE passes only in the whole-database flush (function from core 0007)."""

    dependencies = [
        ("exchange", "0007_expert_added_audit_subjects"),
        ("core", "0007_append_only_guard_binds_superusers"),
    ]

    operations = [
        migrations.RunSQL(
            f"ALTER TABLE exchange_decision ENABLE ALWAYS TRIGGER {trigger};",
            f"ALTER TABLE exchange_decision ENABLE TRIGGER {trigger};",
        )
        for trigger in TRIGGERS
    ]
