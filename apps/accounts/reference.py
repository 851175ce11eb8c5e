"""Reference data of accounts: one group per role (also created by migration 0002)."""

from django.contrib.auth.models import Group

from apps.core.roles import Role


def load() -> dict[str, int]:
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    return {"role groups": len(Role)}
