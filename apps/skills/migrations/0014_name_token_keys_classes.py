from django.db import migrations


def refill_keys(apps, schema_editor):
    """The name words' keys again: the matcher reads more classes of spelling (Diallo/ديالو, Traoré/تراوري, an e for
    ي in Amena, Mariama/Mariam, an h between vowels written or not, the long u of Mahmud), and an Arabic word's keys
    stored with and without its ع."""
    from apps.skills.services import name_tokens_keys_refill

    name_tokens_keys_refill(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("skills", "0013_name_token_listed")]

    operations = [migrations.RunPython(refill_keys, migrations.RunPython.noop)]
