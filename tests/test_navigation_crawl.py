"""No dead ends: every link a signed-in person is shown leads to a page they may open.

For each demo account (one per role, the administrator included) the test opens every page of its navigation and
follows the portal links on them, breadth first, to a depth of three; a link that answers 403 fails the test,
named with the page that showed it. A new page or tab an app adds is covered without touching this test.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.navigation import items_for
from tests.demo_accounts import ALL_ACCOUNTS
from tests.test_hostile_input import _Forms

pytestmark = pytest.mark.django_db

# Third-party pages (Django admin, the API browser), the sign-out and the language switch are not the portal's
# navigation; PDFs are slow to render and carry no links.
SKIP = ("/accounts/logout/", "/i18n/", "/admin/", "/api/", "/static/", "/media/")
MAX_DEPTH = 3
MAX_PAGES = 250


def _unprefixed(path: str) -> str:
    for prefix in ("/fr/", "/ar/", "/en/"):
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def _followed(path: str) -> bool:
    plain = _unprefixed(path)
    return not plain.startswith(SKIP) and not plain.endswith(".pdf")


def _dead_links(client: Client, user) -> tuple[list[str], int]:
    """(links that answered 403, with the page that showed them; pages opened)."""
    queue = [(reverse(item.url_name), "navigation", 0) for item in items_for(user)]
    queue.append(("/dashboard/", "navigation", 0))
    seen: set[str] = set()
    dead: list[str] = []
    opened = 0
    while queue and opened < MAX_PAGES:
        path, source, depth = queue.pop(0)
        key = _unprefixed(path)
        if key in seen:
            continue
        seen.add(key)
        response = client.get(path, follow=True)
        opened += 1
        if response.status_code == 403:
            dead.append(f"{path} (linked from {source})")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if depth >= MAX_DEPTH:
            continue
        here = response.request["PATH_INFO"]
        parser = _Forms()
        parser.feed(response.content.decode(errors="replace"))
        for href in parser.links:
            target = urlsplit(urljoin(here, href))
            if target.netloc or not target.path.startswith("/") or not _followed(target.path):
                continue
            url = target.path + (f"?{target.query}" if target.query else "")
            queue.append((url, here, depth + 1))
    return dead, opened


@pytest.mark.parametrize("email", ALL_ACCOUNTS)
def test_no_link_shown_to_a_role_leads_to_a_page_it_is_refused(email, demo_data_committed, settings):
    settings.PORTAL_REQUIRE_MFA = False
    user = User.objects.get(email=email)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    dead, opened = _dead_links(client, user)
    assert opened > 1, email
    assert dead == [], f"{email}: {dead}"
