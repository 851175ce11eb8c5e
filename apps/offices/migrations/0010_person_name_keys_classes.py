from django.db import migrations


def refill_names(apps, schema_editor):
    """The clients' name keys again, for the same classes of spelling as skills 0014."""
    from apps.offices.services import person_names_refill

    person_names_refill(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0009_person_version_and_sync_reviews"),
        ("skills", "0014_name_token_keys_classes"),
    ]

    operations = [migrations.RunPython(refill_names, migrations.RunPython.noop)]
