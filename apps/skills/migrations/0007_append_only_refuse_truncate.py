from django.db import migrations

TABLES = ("skills_consentrecord", "skills_profileverification")


class Migration(migrations.Migration):
    """Consent records and profile verifications refuse TRUNCATE as they refuse UPDATE and DELETE (function from
    core 0004)."""

    dependencies = [("skills", "0006_name_tokens"), ("core", "0005_audit_refuses_truncate")]

    operations = [
        migrations.RunSQL(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION portal_forbid_truncate();",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
        )
        for table in TABLES
    ]
