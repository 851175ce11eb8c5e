from django import template

from ..permissions import can_see_referrals, is_office_manager, is_office_staff

register = template.Library()


@register.simple_tag
def office_manager(user) -> bool:
    return is_office_manager(user)


@register.simple_tag
def office_staff(user) -> bool:
    """Whether the office tabs (log, clients, contacts, follow-ups, import) open for ``user``."""
    return is_office_staff(user)


@register.simple_tag
def referral_viewer(user) -> bool:
    """Whether the referrals tab opens for ``user``."""
    return can_see_referrals(user)


@register.simple_tag
def office_hours(office, language: str) -> dict:
    """``{"text", "code", "language"}``: the hours, and the code and name of their language when not the page's."""
    from django.conf import settings

    text, code = office.opening_hours_shown(language)
    names = dict(settings.LANGUAGES)
    return {"text": text, "code": code, "language": str(names[code]) if code else ""}
