"""Permission helpers shared by views, the API, templates and the admin.

Roles are Django groups (one per :class:`~apps.core.roles.Role`); their scope — which office, institution or
country — is carried by the user's active memberships (``user.memberships``, see ``apps.accounts``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from .roles import Role

_ROLE_CACHE = "_portal_roles"
_MEMBERSHIP_CACHE = "_portal_memberships"


def user_roles(user) -> frozenset[str]:
    """The roles the user holds (cached on the user object for the request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _ROLE_CACHE, None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMINISTRATOR)
        cached = frozenset(name for name in names if name in Role.values)
        setattr(user, _ROLE_CACHE, cached)
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def active_memberships(user) -> list:
    """Active memberships with their organisation (one query, cached on the user)."""
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, _MEMBERSHIP_CACHE, None)
    if cached is None:
        cached = list(user.memberships.filter(is_active=True).select_related("organisation"))
        setattr(user, _MEMBERSHIP_CACHE, cached)
    return cached


def scoped_organisation_ids(user, *roles: str) -> set[int]:
    """Organisations in which the user holds one of ``roles``."""
    return {m.organisation_id for m in active_memberships(user) if m.role in roles and m.organisation_id}


def scoped_country_codes(user, *roles: str) -> set[str]:
    """Countries for which the user holds one of ``roles`` (the country of the membership's organisation)."""
    return {
        m.organisation.country_id
        for m in active_memberships(user)
        if m.role in roles and m.organisation_id and m.organisation.country_id
    }


def clear_permission_cache(user) -> None:
    for attr in (_ROLE_CACHE, _MEMBERSHIP_CACHE):
        if hasattr(user, attr):
            delattr(user, attr)


def role_required(*roles: str):
    """View decorator: anonymous users go to login; users without one of ``roles`` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def HasRole(*roles: str) -> type[BasePermission]:  # noqa: N802 - reads like a class in permission_classes
    """DRF permission class allowing authenticated users who hold one of ``roles``."""

    class _HasRole(BasePermission):
        message = "You do not have a role that may use this resource."

        def has_permission(self, request, view) -> bool:
            return has_role(request.user, *roles)

    _HasRole.__name__ = "HasRole_" + "_".join(roles)
    return _HasRole


def roles_label(roles: Iterable[str]) -> list[str]:
    return [str(Role(role).label) for role in roles if role in Role.values]
