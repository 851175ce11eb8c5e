"""The access matrix (issue 9, item 5): every page and API operation of the portal's own apps, as anonymous, as
every role on an object of its own scope and on an object of another scope, answers as the entry says.

The URL conf is walked, so a new URL without an entry in ``tests/access/<app>.py`` fails
``test_every_url_pattern_and_api_operation_has_an_entry``. Left out, by rule: the Django admin (namespace
``admin``), django-anymail's provider webhooks (namespace ``anymail``, verified by their shared secret) and
django-allauth's sign-in, sign-up and two-factor pages (names starting ``account_`` or ``mfa_``),
which are third-party code with their own tests; unnamed patterns of third-party modules (the admin's catch-all).
An unnamed pattern of the portal's own code fails: name it, then add its entry.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access import ALLOWED, ANONYMOUS, LOGIN, all_entries

EXCLUDED_NAMESPACES = frozenset({"admin", "anymail"})
EXCLUDED_NAME_PREFIXES = ("account_", "mfa_")
OWN_CODE_PREFIXES = ("apps.", "diaspora_portal.", "drf_spectacular.")
IGNORED_METHODS = frozenset({"options", "head", "trace"})

ENTRIES = all_entries()


def _walk(resolver: URLResolver, namespace: str | None = None, route: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, inner, route + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, namespace, route + str(pattern.pattern), pattern.callback


def _operations(callback) -> set[str] | None:
    """The HTTP methods of a REST framework view (its API operations); ``None`` for a plain Django view."""
    actions = getattr(callback, "actions", None)
    if actions:
        return set(actions) - IGNORED_METHODS
    view_class = getattr(callback, "cls", None)
    if view_class is None:
        return None
    return {m for m in view_class.http_method_names if hasattr(view_class, m)} - IGNORED_METHODS


def collected_patterns() -> tuple[dict[str, set[str] | None], list[str]]:
    """{url name: API operations or None} for the portal's own patterns, and own patterns that have no name."""
    named: dict[str, set[str] | None] = {}
    unnamed: list[str] = []
    for name, namespace, route, callback in _walk(get_resolver()):
        top = (namespace or "").split(":")[0]
        if top in EXCLUDED_NAMESPACES or (name and name.startswith(EXCLUDED_NAME_PREFIXES)):
            continue
        if name is None:
            if callback.__module__.startswith(OWN_CODE_PREFIXES):
                unnamed.append(route)
            continue
        named[name] = _operations(callback)
    return named, unnamed


def test_every_url_pattern_and_api_operation_has_an_entry():
    named, unnamed = collected_patterns()
    covered = {(entry.name, entry.method) for entry in ENTRIES}
    covered_names = {entry.name for entry in ENTRIES}
    missing = sorted(name for name in named if name not in covered_names)
    missing_operations = sorted(
        f"{method.upper()} {name}"
        for name, operations in named.items()
        for method in operations or ()
        if name in covered_names and (name, method) not in covered
    )
    assert not unnamed, f"URL patterns without a name (name them, then add an entry): {unnamed}"
    assert not missing, f"URL names without an entry in tests/access/<app>.py: {missing}"
    assert not missing_operations, f"API operations without an entry: {missing_operations}"


def test_every_entry_names_a_url_and_is_listed_once():
    named, _ = collected_patterns()
    ids = [entry.id for entry in ENTRIES]
    assert sorted(entry.id for entry in ENTRIES if entry.name not in named) == []
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Everyone and everything the matrix needs, built once and rolled back after the module."""
    from tests.access._world import build_world

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            yield built
        finally:
            media = getattr(locals().get("built"), "media_override", None)
            if media is not None:
                media.disable()
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


CASES = [
    pytest.param(entry, actor, scope, id=f"{entry.id}|{actor}|{scope}")
    for entry in ENTRIES
    for actor, scope in entry.cases()
]


def _describe(expected) -> str:
    return repr(expected) if expected in (LOGIN, ALLOWED) else str(expected)


@pytest.mark.parametrize(("entry", "actor", "scope"), CASES)
def test_access(world, db, client, request, entry, actor, scope):
    for name in entry.fixtures:
        request.getfixturevalue(name)
    if actor != ANONYMOUS:
        client.force_login(world.users[actor])
    url = reverse(entry.name, kwargs=entry.url_kwargs(world, scope))
    body = entry.body(world, scope)
    send = getattr(client, entry.method)
    if entry.json:
        response = send(url, body if body is not None else {}, content_type="application/json")
    elif body is not None:
        response = send(url, body)
    else:
        response = send(url)

    status = response.status_code
    expected = entry.expected(actor, scope)
    where = f"{entry.method.upper()} {url} as {actor} ({scope} scope)"
    assert status < 500, f"{where}: {status}"
    if expected is LOGIN:
        assert status == 302 and response["Location"].startswith(reverse("account_login")), (
            f"{where}: expected a redirect to sign-in, got {status} {response.get('Location', '')}"
        )
    elif expected is ALLOWED:
        assert status not in (401, 403, 404, 405), f"{where}: expected to be allowed, got {status}"
    else:
        assert status == expected, f"{where}: expected {_describe(expected)}, got {status}"
    if url.startswith("/api/v1/") and status >= 400:
        error = response.json()["error"]
        assert set(error) == {"code", "message", "fields"}, f"{where}: not the API error shape: {error}"
