from django import template

from ..permissions import is_office_manager, is_office_staff

register = template.Library()


@register.simple_tag
def office_manager(user) -> bool:
    return is_office_manager(user)


@register.simple_tag
def office_staff(user) -> bool:
    """Whether the office tabs (log, clients, contacts, follow-ups, import) open for ``user``."""
    return is_office_staff(user)
