"""Hostile input through every form a signed-in person can reach: no 5xx, and what was sent comes back escaped.

The forms are found, not listed: for each demo account the test opens every page of its navigation and the
portal pages reachable from there in two links (list → detail → edit), reads each POST form on them, and submits it twice —
once with every text field holding a mix of script tags, an SQL fragment, bidi controls and zero-width
characters, once with a 1 MB string in the first text field. A new form an app adds is covered without touching
this test. Each submission runs in the test's transaction; nothing is kept.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from apps.accounts.models import User
from apps.core.navigation import items_for
from tests.demo_accounts import ROLE_ACCOUNTS

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
HOSTILE = f"{SCRIPT}'; DROP TABLE accounts_user; -- \u202eevil\u200b\u2066x\u2069 \"><img src=x onerror=alert(1)>"
HUGE = "A" * 1_000_000
ACCOUNTS = ROLE_ACCOUNTS
# Forms whose purpose is to end the session, or that belong to third-party pages (checked without the language
# prefix).
SKIP_ACTIONS = ("/accounts/logout/", "/i18n/", "/admin/", "/api/")


def _skipped(path: str) -> bool:
    for prefix in ("/fr/", "/ar/"):
        if path.startswith(prefix):
            path = path[len(prefix) - 1 :]
    return path.startswith(SKIP_ACTIONS)


TEXT_TYPES = {"text", "search", "email", "url", "tel", ""}
# Navigation pages, the pages they link to, and the pages those link to (list → detail → edit).
MAX_DEPTH = 2
MAX_PAGES = 200


class _Forms(HTMLParser):
    """The POST forms of a page (action, fields) and the links on it."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(), "fields": []}
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append({"name": a["name"], "kind": kind, "value": a.get("value") or ""})
        elif tag == "textarea" and a.get("name"):
            self._form["fields"].append({"name": a["name"], "kind": "textarea", "value": ""})
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form["fields"].append({"name": a["name"], "kind": "select", "value": None})
        elif tag == "option" and self._select:
            field = self._form["fields"][-1]
            if field["value"] in (None, "") and a.get("value"):
                field["value"] = a["value"]

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            if self._form["method"] == "post":
                self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None


def _parse(html: str) -> _Forms:
    parser = _Forms()
    parser.feed(html)
    return parser


def _pages_of(client: Client, user) -> dict[str, str]:
    """Every navigation page of ``user`` and the portal pages reachable from them in two links, with their HTML."""
    from django.urls import reverse

    start = [reverse(item.url_name) for item in items_for(user)]
    pages: dict[str, str] = {}
    queue = [(path, 0) for path in start]
    while queue:
        path, depth = queue.pop(0)
        if path in pages or _skipped(path) or len(pages) >= MAX_PAGES:
            continue
        response = client.get(path, follow=True)  # unprefixed paths lead to the user's language
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        path = response.request["PATH_INFO"]
        if path in pages:
            continue
        html = response.content.decode()
        pages[path] = html
        if depth < MAX_DEPTH:
            for href in _parse(html).links:
                target = urlsplit(urljoin(path, href))
                if not target.netloc and target.path.startswith("/") and not _skipped(target.path):
                    if not target.path.endswith((".csv", ".xlsx", ".pdf")) and "/export" not in target.path:
                        queue.append((target.path, depth + 1))
    return pages


def _payload(form: dict, text_value) -> dict:
    data: dict[str, list[str]] = {}
    first_text_done = False
    for field in form["fields"]:
        value = field["value"] or ""
        if field["kind"] in TEXT_TYPES or field["kind"] == "textarea":
            if field["name"] in ("csrfmiddlewaretoken",):
                pass
            elif text_value is HUGE:
                value = HUGE if not first_text_done else value
                first_text_done = True
            else:
                value = text_value
        data.setdefault(field["name"], []).append(value)
    return data


@pytest.mark.parametrize("email", ACCOUNTS)
def test_hostile_input_in_every_reachable_form_is_refused_or_escaped_never_a_5xx(email, demo_data_committed, settings):
    settings.PORTAL_REQUIRE_MFA = False
    user = User.objects.get(email=email)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    pages = _pages_of(client, user)
    assert pages, email
    submitted = 0
    problems: list[str] = []
    for path, html in pages.items():
        for form in _parse(html).forms:
            action = urljoin(path, form["action"]) if form["action"] else path
            if _skipped(urlsplit(action).path):
                continue
            for text_value in (HOSTILE, HUGE):
                response = client.post(action, _payload(form, text_value))
                submitted += 1
                if response.status_code >= 500:
                    problems.append(f"{action} from {path}: {response.status_code}")
                    continue
                shown = response
                if response.status_code in (301, 302, 303) and response.get("Location", "").startswith("/"):
                    shown = client.get(response["Location"])
                    if shown.status_code >= 500:
                        problems.append(f"{response['Location']} after {action}: {shown.status_code}")
                        continue
                if "text/html" in shown.get("Content-Type", "") and SCRIPT in shown.content.decode(errors="replace"):
                    problems.append(f"{action}: the script tag came back unescaped")
    assert problems == []
    assert submitted > 0, email
    print(f"{email}: {len(pages)} pages, {submitted} submissions")
    assert client.get("/dashboard/", follow=True).context["user"] == user  # still signed in: every form was tried
