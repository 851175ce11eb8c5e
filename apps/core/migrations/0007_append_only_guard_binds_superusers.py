from django.db import migrations

# TRUNCATE passes only inside the flush that wipes the whole database: a transaction that set
# ``SET LOCAL portal.allow_truncate = on``, run by a database superuser. Anyone may set a custom setting, so the
# role is checked too: the application's own role (not a superuser in production) can never pass.
FUNCTION = """
CREATE OR REPLACE FUNCTION portal_forbid_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('portal.allow_truncate', true) = 'on'
       AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'table % is append-only: TRUNCATE is not allowed', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

OLD_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_forbid_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only: TRUNCATE is not allowed', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

# ENABLE ALWAYS: the triggers fire in every session, also with ``session_replication_role = replica`` (which a
# superuser may set, and which skips ordinary triggers).
TRIGGERS = ("core_auditevent_append_only", "core_auditevent_no_truncate")


class Migration(migrations.Migration):
    """The audit log's guards hold for a database superuser too; only the whole-database flush passes TRUNCATE."""

    dependencies = [("core", "0006_pdf_batch")]

    operations = [
        migrations.RunSQL(FUNCTION, OLD_FUNCTION),
        *(
            migrations.RunSQL(
                f"ALTER TABLE core_auditevent ENABLE ALWAYS TRIGGER {trigger};",
                f"ALTER TABLE core_auditevent ENABLE TRIGGER {trigger};",
            )
            for trigger in TRIGGERS
        ),
    ]
