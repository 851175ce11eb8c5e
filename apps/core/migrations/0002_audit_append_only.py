from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION portal_forbid_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION portal_forbid_change();
"""

ALLOW = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
"""


class Migration(migrations.Migration):
    """The audit log is append-only: the database refuses UPDATE and DELETE on it.

    The function portal_forbid_change() is shared: other append-only tables (decision logs) attach their own trigger.
    """

    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
