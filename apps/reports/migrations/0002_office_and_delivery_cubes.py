from django.db import migrations

from apps.reports.sql import DELIVERY_CUBE_INDEXES, DELIVERY_CUBE_SQL, OFFICE_CUBE_INDEXES, OFFICE_CUBE_SQL


class Migration(migrations.Migration):
    """Offices and outreach aggregates as materialized views (refreshed by the reports beat task)."""

    dependencies = [
        ("reports", "0001_initial"),
        ("offices", "0002_covering_indexes"),
        ("outreach", "0002_delivery_consent_purpose"),
        ("skills", "0003_staff_imports_and_verifications"),
    ]

    operations = [
        migrations.RunSQL(
            [OFFICE_CUBE_SQL, *OFFICE_CUBE_INDEXES], "DROP MATERIALIZED VIEW IF EXISTS reports_office_cube"
        ),
        migrations.RunSQL(
            [DELIVERY_CUBE_SQL, *DELIVERY_CUBE_INDEXES], "DROP MATERIALIZED VIEW IF EXISTS reports_delivery_cube"
        ),
    ]
