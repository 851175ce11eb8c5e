"""Project-level routes and the core and accounts apps: home, dashboard, account, health, language, API schema."""

from __future__ import annotations

from . import ALLOWED, LOGIN, Entry, expect, writes

# The API answers an anonymous caller 403 (session authentication sends no WWW-Authenticate challenge).
API_ANONYMOUS = 403

ENTRIES = [
    Entry("healthz", expect(anonymous=200, default=200), fixtures=("celery_worker_process",)),
    Entry(
        "set-language",
        expect(anonymous=302, default=302),
        method="post",
        data={"language": "fr", "next": "/"},
    ),
    Entry("api-schema", expect(anonymous=200, default=200)),
    Entry("api-docs", expect(anonymous=200, default=200)),
    Entry("core:home", expect(anonymous=200, default=200)),
    Entry("core:dashboard", expect(anonymous=LOGIN, default=200)),
    Entry("accounts:profile", expect(anonymous=LOGIN, default=200)),
    Entry("accounts:profile", writes(expect(anonymous=LOGIN, default=200)), method="post", data={}),
    Entry("api-me", expect(anonymous=API_ANONYMOUS, default=200)),
    Entry("api-me", expect(anonymous=API_ANONYMOUS, default=ALLOWED), method="patch", data={}, json=True),
]
