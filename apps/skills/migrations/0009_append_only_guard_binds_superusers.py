from django.db import migrations

TRIGGERS = (
    ("skills_consentrecord", "skills_consentrecord_append_only"),
    ("skills_consentrecord", "skills_consentrecord_no_truncate"),
    ("skills_profileverification", "skills_profileverification_append_only"),
    ("skills_profileverification", "skills_profileverification_no_truncate"),
)


class Migration(migrations.Migration):
    """Consent records' and profile verifications' guards fire in every session, also with
    ``session_replication_role = replica`` (which a database superuser may set); TRUNCATE passes only in the
    whole-database flush (function from core 0007)."""

    dependencies = [("skills", "0008_name_token_keys"), ("core", "0007_append_only_guard_binds_superusers")]

    operations = [
        migrations.RunSQL(
            f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {trigger};",
            f"ALTER TABLE {table} ENABLE TRIGGER {trigger};",
        )
        for table, trigger in TRIGGERS
    ]
