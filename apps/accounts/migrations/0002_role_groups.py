from django.db import migrations

ROLES = [
    "diaspora_member", "office_staff", "office_manager", "focal_point", "ministry_approver",
    "programme_coordinator", "outreach_manager", "content_editor", "analyst", "administrator",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    """One group per role of DESIGN.md §2 (apps.core.roles.Role); scope comes from memberships."""

    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
