from django import template

from ..permissions import is_office_manager

register = template.Library()


@register.simple_tag
def office_manager(user) -> bool:
    return is_office_manager(user)
