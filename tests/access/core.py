"""Project-level routes and the core and accounts apps: home, dashboard, account, health, language, API schema."""

from __future__ import annotations

from . import ALLOWED, LOGIN, Entry, expect, writes

# The API answers an anonymous caller 401 with a WWW-Authenticate: Bearer challenge (access tokens come first).
API_ANONYMOUS = 401


def _someone_elses_token(world, scope):
    from apps.accounts.api_tokens import api_token_issue
    from tests.factories import UserFactory

    token, _raw = api_token_issue(user=UserFactory(), name="theirs", scope="read", days=1)
    return {"pk": token.pk}


def _someone_elses_batch(world, scope):
    from apps.core.models import PdfBatch
    from tests.factories import UserFactory

    batch = PdfBatch.objects.create(requested_by=UserFactory(), kind="offices.referral-letters", title="Letters")
    return {"pk": batch.pk}


ENTRIES = [
    Entry("healthz", expect(anonymous=200, default=200), fixtures=("celery_worker_process",)),
    # The orchestrator's probes: the process answers; the database and Redis answer.
    Entry("livez", expect(anonymous=200, default=200)),
    Entry("readyz", expect(anonymous=200, default=200)),
    # A batch of PDFs is seen and downloaded by the person who asked for it only: anyone else gets 404.
    Entry("core:pdf-batch", expect(anonymous=LOGIN, default=404), kwargs=_someone_elses_batch),
    Entry("core:pdf-batch-download", expect(anonymous=LOGIN, default=404), kwargs=_someone_elses_batch),
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
    Entry("accounts:api-tokens", expect(anonymous=LOGIN, default=200, MEMBER=403)),
    Entry(
        "accounts:api-tokens",
        writes(expect(anonymous=LOGIN, default=200, MEMBER=403)),  # 302 to the page showing the secret
        method="post",
        data={"name": "HR system", "scope": "read", "days": 30},
    ),
    Entry(
        "accounts:api-token-revoke",
        expect(anonymous=LOGIN, default=404),
        method="post",
        kwargs=_someone_elses_token,
    ),
    Entry("api-me", expect(anonymous=API_ANONYMOUS, default=200)),
    Entry("api-me", expect(anonymous=API_ANONYMOUS, default=ALLOWED), method="patch", data={}, json=True),
]
