from django.db import migrations


def refill_names(apps, schema_editor):
    """The clients' name keys again: the matcher reads Sahel spellings now (Youssouf, Fatoumata, Mamadou)."""
    from apps.offices.services import person_names_refill

    person_names_refill(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0007_person_name_keys"),
        ("skills", "0010_name_token_keys_sahel"),
    ]

    operations = [
        migrations.RunPython(refill_names, migrations.RunPython.noop),
    ]
