"""The navigation each role sees. Apps add their entries from ``AppConfig.ready()`` with :func:`register`."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from .permissions import user_roles


@dataclass(frozen=True)
class NavItem:
    label: str  # a lazy translation
    url_name: str
    roles: frozenset[str] = frozenset()  # empty: every signed-in user
    order: int = 100
    public: bool = False  # shown to anonymous visitors too


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _items:
        _items.append(item)
        _items.sort(key=lambda i: i.order)


def items_for(user) -> list[NavItem]:
    authenticated = user is not None and user.is_authenticated
    roles = user_roles(user)
    visible = []
    for item in _items:
        if item.public or (authenticated and (not item.roles or roles & item.roles)):
            visible.append(item)
    return visible


def navigation_for(user) -> list[dict]:
    links = []
    for item in items_for(user):
        try:
            links.append(
                {
                    "label": item.label,
                    "url": reverse(item.url_name),
                    "name": item.url_name,
                    # Public pages and the dashboard stay in the bar; the role's tools go in the menu.
                    "in_bar": item.public or item.order == 0,
                }
            )
        except NoReverseMatch:
            continue
    return links


def url_in_language(url: str, language: str) -> str:
    """``url`` (a path of the portal, in whatever language) as the same page in ``language``."""
    from django.urls import translate_url
    from django.utils.translation import get_language_from_path, override

    path_language = get_language_from_path(url) or settings.LANGUAGE_CODE
    with override(path_language):
        return translate_url(url, language)


def safe_next(request, default: str) -> str:
    """The ``next`` address posted with a form when it stays inside the portal, else ``default``."""
    from django.utils.http import url_has_allowed_host_and_scheme

    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
