from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


def load_reference(apps, schema_editor):
    from apps.core.reference import load_countries, load_languages

    load_countries(apps.get_model("core", "Country"))
    load_languages(apps.get_model("core", "Language"))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(load_reference, migrations.RunPython.noop),
    ]
