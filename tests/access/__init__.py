"""The access matrix: who gets what from every page and API operation of the portal's own apps.

Each module of this package (except those whose name starts with ``_``) covers one app and holds:

- ``build(world)`` (optional): add the objects the app's entries need to ``world`` (a namespace shared by the
  whole matrix run). ``world.users[role]`` is one user per role, every scoped role in Senegal (the *own*
  scope); ``world.orgs`` holds the Senegalese and Moroccan organisations; ``world.other_member`` is a second
  member. Objects of the *own* scope belong to those users (a Senegalese request, the member's own profile);
  objects of the *other* scope to someone else (a Moroccan request, another member's profile).
- ``ENTRIES``: a list of :class:`Entry`, one per URL name and HTTP method.

``tests/test_access_matrix.py`` walks the URL conf and fails for every pattern (and every API operation)
without an entry, then requests each entry as anonymous, as every role on the own-scope object and as every
role on the other-scope object.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from apps.core.roles import Role

ANONYMOUS = "anonymous"
OWN = "own"
OTHER = "other"


class _Expectation:
    def __init__(self, label: str):
        self.label = label

    def __repr__(self) -> str:
        return self.label


# A redirect to the sign-in page (pages asked for by an anonymous visitor).
LOGIN = _Expectation("302 to sign-in")
# The role may use the operation: any answer but 401/403/404/405 and 5xx. For POST operations sent with minimal
# data, whose success path the matrix does not check (a 400 for missing fields is as good as a 201).
ALLOWED = _Expectation("allowed (not 401/403/404/405, not 5xx)")


def expect(*, default: Any, anonymous: Any = None, **by_role: Any) -> dict[str, Any]:
    """Expected answers keyed by actor: ``default`` for every role not named; roles named as in ``Role``
    (``expect(anonymous=LOGIN, default=403, MEMBER=200)``)."""
    unknown = set(by_role) - set(Role.__members__)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    result = {role.value: by_role.get(role.name, default) for role in Role}
    if anonymous is not None:
        result[ANONYMOUS] = anonymous
    return result


def writes(expected: dict[str, Any] | None) -> dict[str, Any] | None:
    """The same expectations for the form's POST: where the page opens (200), the write is allowed."""
    if expected is None:
        return None
    return {actor: ALLOWED if status == 200 else status for actor, status in expected.items()}


@dataclass(frozen=True)
class Entry:
    """One URL name and HTTP method, and who gets what.

    ``own``: the answer for anonymous and for every role, with the own-scope object (or no object).
    ``other``: the answer for every role with the other-scope object; ``None`` when the URL takes no object.
    ``kwargs(world, scope)`` and ``data(world, scope)`` build the URL arguments and the body.
    ``fixtures``: names of pytest fixtures the request needs (e.g. a running Celery worker).
    """

    name: str
    own: dict[str, Any]
    other: dict[str, Any] | None = None
    method: str = "get"
    kwargs: Callable[[Any, str], dict] | None = None
    data: Callable[[Any, str], dict] | dict | None = None
    json: bool = False
    fixtures: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self):
        if ANONYMOUS not in self.own:
            raise ValueError(f"{self.id}: say what an anonymous visitor gets")
        if self.other is not None and self.kwargs is None:
            raise ValueError(f"{self.id}: an other-scope expectation needs a kwargs builder")

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}"

    def url_kwargs(self, world, scope: str) -> dict:
        return self.kwargs(world, scope) if self.kwargs else {}

    def body(self, world, scope: str):
        return self.data(world, scope) if callable(self.data) else self.data

    def cases(self) -> list[tuple[str, str]]:
        """(actor, scope) pairs: anonymous and every role on the own scope, every role on the other scope."""
        cases = [(ANONYMOUS, OWN)] + [(role.value, OWN) for role in Role]
        if self.other is not None:
            cases += [(role.value, OTHER) for role in Role]
        return cases

    def expected(self, actor: str, scope: str):
        return (self.own if scope == OWN else self.other)[actor]


def app_modules() -> list:
    """Every entry module of this package (a new app = a new module here)."""
    modules = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            modules.append(importlib.import_module(f"{__name__}.{info.name}"))
    return modules


def all_entries() -> list[Entry]:
    return [entry for module in app_modules() for entry in module.ENTRIES]
