"""Outreach: campaigns and segments (pages and API), the unsubscribe link, the SMS gateway's inbound webhook and
django-anymail's tracking webhooks. Segments and campaigns are not scoped: outreach managers and administrators
see them all, so these entries have no other scope — except the public links, where the other "scope" is the
other kind of token (see the unsubscribe entries)."""

from __future__ import annotations

from apps.core.roles import Role
from apps.outreach.rendering import unsubscribe_token
from tests.factories.outreach import CampaignFactory, SegmentFactory, member

from . import ALLOWED, LOGIN, OTHER, OWN, Entry, expect, writes
from .core import API_ANONYMOUS


def build(world) -> None:
    manager = world.users[Role.OUTREACH_MANAGER]
    segment = SegmentFactory(created_by=manager)
    person = member("fr")
    valid = unsubscribe_token(profile_id=person.pk, purpose="newsletter_email", delivery_id=1)
    world.outreach = {
        "segment": segment,
        "campaign": CampaignFactory(segment=segment, created_by=manager),
        # A token signed by the portal, and the same token with its signature tampered with.
        "tokens": {"valid": valid, "forged": valid[:-3] + ("xyz" if valid.endswith("abc") else "abc")},
    }


def _campaign(w, scope):
    return {"pk": w.outreach["campaign"].pk}


def _segment(w, scope):
    return {"pk": w.outreach["segment"].pk}


# Outreach pages: outreach managers and administrators; anonymous visitors sign in.
MANAGER_PAGE = {"anonymous": LOGIN, "default": 403, "OUTREACH_MANAGER": 200, "ADMINISTRATOR": 200}
MANAGER_API = {"anonymous": API_ANONYMOUS, "default": 403, "OUTREACH_MANAGER": 200, "ADMINISTRATOR": 200}
MANAGER_API_WRITE = {
    "anonymous": API_ANONYMOUS,
    "default": 403,
    "OUTREACH_MANAGER": ALLOWED,
    "ADMINISTRATOR": ALLOWED,
}

PAGE_ENTRIES = [
    Entry("outreach:campaign-list", expect(**MANAGER_PAGE)),
    Entry("outreach:campaign-create", expect(**MANAGER_PAGE)),
    Entry("outreach:campaign-detail", expect(**MANAGER_PAGE), kwargs=_campaign),
    Entry("outreach:campaign-progress", expect(**MANAGER_PAGE), kwargs=_campaign),
    Entry("outreach:campaign-recipients", expect(**MANAGER_PAGE), kwargs=_campaign),
    Entry(
        "outreach:campaign-message",
        expect(**MANAGER_PAGE),
        kwargs=lambda w, scope: {**_campaign(w, scope), "language": "fr"},
    ),
    Entry("outreach:segment-list", expect(**MANAGER_PAGE)),
    Entry("outreach:segment-create", expect(**MANAGER_PAGE)),
    Entry("outreach:segment-detail", expect(**MANAGER_PAGE), kwargs=_segment),
    Entry("outreach:segment-edit", expect(**MANAGER_PAGE), kwargs=_segment),
]

# The forms' POSTs with empty data: refused where the page is, answered with the form's errors where it opens.
FORM_POSTS = [
    Entry(page.name, writes(page.own), method="post", kwargs=page.kwargs, data={})
    for page in PAGE_ENTRIES
    if page.name
    in {"outreach:campaign-create", "outreach:campaign-message", "outreach:segment-create", "outreach:segment-edit"}
]


def _unsubscribe(kind_by_scope):
    return lambda w, scope: {"token": w.outreach["tokens"][kind_by_scope[scope]]}


# The e-mail provider's tracking webhook (Postmark in the test settings): without the shared secret (unset here)
# every post is refused with 403 and changes nothing.
ANYMAIL_ENTRIES = [
    Entry(
        "outreach-provider-tracking",
        expect(anonymous=403, default=403),
        method="post",
        data={},
        json=True,
        kwargs=lambda w, scope: {"provider": "postmark"},
    ),
]

ENTRIES = [
    *PAGE_ENTRIES,
    *FORM_POSTS,
    # Pausing a draft: refused by the service (a message and back to the campaign) — but only managers get there.
    Entry(
        "outreach:campaign-action",
        expect(anonymous=LOGIN, default=403, OUTREACH_MANAGER=302, ADMINISTRATOR=302),
        method="post",
        kwargs=lambda w, scope: {**_campaign(w, scope), "action": "pause"},
    ),
    # The unsubscribe link needs no sign-in. GET: a good token asks before changing anything (200); a forged one
    # shows the page saying nothing was changed (400). POST (one-click): the forged token changes nothing (400),
    # a good one withdraws the consent (200).
    Entry(
        "outreach:unsubscribe",
        expect(anonymous=200, default=200),
        other=expect(default=400),
        kwargs=_unsubscribe({OWN: "valid", OTHER: "forged"}),
    ),
    Entry(
        "outreach:unsubscribe",
        expect(anonymous=400, default=400),
        other=expect(default=200),
        method="post",
        kwargs=_unsubscribe({OWN: "forged", OTHER: "valid"}),
        data={"List-Unsubscribe": "One-Click"},
    ),
    # API
    Entry("segment-list", expect(**MANAGER_API)),
    Entry("segment-list", expect(**MANAGER_API_WRITE), method="post", data={}, json=True),
    Entry("segment-preview", expect(**MANAGER_API_WRITE), method="post", data={"filters": {}}, json=True),
    Entry("segment-detail", expect(**MANAGER_API), kwargs=_segment),
    Entry("segment-detail", expect(**MANAGER_API_WRITE), method="put", kwargs=_segment, data={}, json=True),
    Entry("segment-detail", expect(**MANAGER_API_WRITE), method="patch", kwargs=_segment, data={}, json=True),
    Entry("segment-count", expect(**MANAGER_API), kwargs=_segment),
    Entry("campaign-list", expect(**MANAGER_API)),
    Entry("campaign-list", expect(**MANAGER_API_WRITE), method="post", data={}, json=True),
    Entry("campaign-detail", expect(**MANAGER_API), kwargs=_campaign),
    Entry("campaign-stats", expect(**MANAGER_API), kwargs=_campaign),
    *[
        Entry(f"campaign-{action}", expect(**MANAGER_API_WRITE), method="post", kwargs=_campaign, data={}, json=True)
        for action in ("schedule", "pause", "resume", "resume-now", "cancel")
    ],
    # The SMS gateway's inbound messages: without its bearer token, refused (403) whoever is signed in.
    Entry(
        "outreach-sms-inbound",
        expect(anonymous=403, default=403),
        method="post",
        data={"sender": "+221770000000", "text": "STOP"},
        json=True,
    ),
    # A gateway's receipts and inbound messages: the test settings use the console backend, which takes no
    # callbacks, so those of any gateway are 404s whoever posts (signatures: tests/outreach/test_sms_gateways.py).
    *[
        Entry(
            name, expect(anonymous=404, default=404), method="post", data={}, kwargs=lambda w, s: {"gateway": "twilio"}
        )
        for name in ("outreach-sms-gateway-inbound", "outreach-sms-gateway-receipts")
    ],
    *ANYMAIL_ENTRIES,
]
