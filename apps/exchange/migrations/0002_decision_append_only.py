from django.db import migrations

FORBID = """
CREATE TRIGGER exchange_decision_append_only
    BEFORE UPDATE OR DELETE ON exchange_decision
    FOR EACH ROW EXECUTE FUNCTION portal_forbid_change();
"""

ALLOW = "DROP TRIGGER IF EXISTS exchange_decision_append_only ON exchange_decision;"


class Migration(migrations.Migration):
    """The decision log is append-only: the database refuses UPDATE and DELETE (function from core 0002)."""

    dependencies = [("exchange", "0001_initial"), ("core", "0002_audit_append_only")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
