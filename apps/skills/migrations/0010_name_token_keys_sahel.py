from django.db import migrations


def refill_keys(apps, schema_editor):
    """The name words' keys again: the matcher reads Sahel spellings now (Youssouf, Fatoumata, Mamadou, Boubacar)."""
    from apps.skills.services import name_tokens_keys_refill

    name_tokens_keys_refill(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("skills", "0009_append_only_guard_binds_superusers"),
    ]

    operations = [
        migrations.RunPython(refill_keys, migrations.RunPython.noop),
    ]
