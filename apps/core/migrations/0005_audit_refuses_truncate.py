from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION portal_forbid_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only: TRUNCATE is not allowed', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION portal_forbid_truncate();
"""

ALLOW = "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;"


class Migration(migrations.Migration):
    """The audit log refuses TRUNCATE too (row triggers do not see it): a statement-level trigger.

    The function portal_forbid_truncate() is shared with the other append-only tables. Only ``manage.py flush``
    (which wipes the whole database) passes it, and only for a database superuser (core's flush command)."""

    dependencies = [("core", "0004_audit_identities")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
