from django.db import migrations


def load_taxonomy(apps, schema_editor):
    from apps.skills.reference import load_taxonomy as load

    names = ["Occupation", "Sector", "Skill", "EducationLevel", "EducationField"]
    load(**{name: apps.get_model("skills", name) for name in names})


class Migration(migrations.Migration):
    """Consent records are append-only, like the audit log; the taxonomy is loaded from apps/skills/data."""

    dependencies = [("skills", "0001_initial"), ("core", "0002_audit_append_only")]

    operations = [
        migrations.RunSQL(
            "CREATE TRIGGER skills_consentrecord_append_only BEFORE UPDATE OR DELETE ON skills_consentrecord "
            "FOR EACH ROW EXECUTE FUNCTION portal_forbid_change();",
            "DROP TRIGGER IF EXISTS skills_consentrecord_append_only ON skills_consentrecord;",
        ),
        migrations.RunPython(load_taxonomy, migrations.RunPython.noop),
    ]
