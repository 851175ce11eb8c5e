from django.db import migrations


class Migration(migrations.Migration):
    """The decision log refuses TRUNCATE as it refuses UPDATE and DELETE (function from core 0004)."""

    dependencies = [("exchange", "0005_schedule_certificates_system_decisions"), ("core", "0005_audit_refuses_truncate")]

    operations = [
        migrations.RunSQL(
            "CREATE TRIGGER exchange_decision_no_truncate BEFORE TRUNCATE ON exchange_decision "
            "FOR EACH STATEMENT EXECUTE FUNCTION portal_forbid_truncate();",
            "DROP TRIGGER IF EXISTS exchange_decision_no_truncate ON exchange_decision;",
        )
    ]
