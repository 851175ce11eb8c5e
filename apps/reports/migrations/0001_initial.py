from django.db import migrations, models

from apps.reports.sql import PROFILE_CUBE_INDEXES, PROFILE_CUBE_SQL


class Migration(migrations.Migration):
    """The refresh log, and the profile aggregates as a materialized view (refreshed by the reports beat task)."""

    initial = True

    dependencies = [("skills", "0002_consent_append_only_and_taxonomy")]

    operations = [
        migrations.CreateModel(
            name="ViewRefresh",
            fields=[
                ("view_name", models.CharField(max_length=63, primary_key=True, serialize=False, verbose_name="view")),
                ("refreshed_at", models.DateTimeField(verbose_name="refreshed at")),
                ("duration_ms", models.PositiveIntegerField(default=0, verbose_name="duration (ms)")),
            ],
            options={"verbose_name": "view refresh", "verbose_name_plural": "view refreshes"},
        ),
        migrations.RunSQL(
            [PROFILE_CUBE_SQL, *PROFILE_CUBE_INDEXES],
            "DROP MATERIALIZED VIEW IF EXISTS reports_profile_cube",
        ),
    ]
