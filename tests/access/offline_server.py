"""Offline intake, server side (issue 21): the sync API and the review pages. Own scope: a possible duplicate and
an edit conflict found at sync in the Dakar office; other scope: the same in the Rabat office. The review pages are
the office staff's (403 for other roles, 404 for another office); the sync API takes session authentication only,
so an anonymous caller gets 403 (no token challenge)."""

from __future__ import annotations

import uuid

from django.utils import timezone

from apps.offices.models import SyncConflict, SyncDuplicate

from . import OTHER, OWN, Entry, expect, writes
from .offices import STAFF_PAGE, STAFF_PAGE_OTHER

SESSION_API = {"anonymous": 403, "default": 403, "OFFICE_STAFF": 200, "OFFICE_MANAGER": 200}
SESSION_API_OTHER = {"default": 403, "OFFICE_STAFF": 404, "OFFICE_MANAGER": 404}


def build(world) -> None:
    for scope in (OWN, OTHER):
        records = world.offices[scope]
        person, counsellor = records["person"], records["contact"].staff
        records["sync_duplicate"] = SyncDuplicate.objects.create(
            office=records["office"], person=records["duplicate"], candidates=[{"id": person.pk, "reason": "name"}],
            synced_by=counsellor, key=str(uuid.uuid4()),
        )  # fmt: skip
        records["sync_conflict"] = SyncConflict.objects.create(
            office=records["office"], person=person, synced_by=counsellor, key=str(uuid.uuid4()), base_version=1,
            server_version=1, base={"phone": ""}, changes={"phone": "+221 70"}, server={"phone": "+221 77"},
            fields=["phone"],
        )  # fmt: skip


def _pk(kind):
    return lambda w, scope: {"pk": w.offices[scope][kind].pk}


def _no_kwargs(w, scope):
    return {}


def _office_query(w, scope):
    return {"office": w.offices[scope]["office"].pk}


def _device_query(w, scope):
    return {"device": str(uuid.uuid4())}


def _sync_body(w, scope):
    item = {"key": str(uuid.uuid4()), "kind": "contact.create", "created_on_device": timezone.now().isoformat(),
            "payload": {"person": w.offices[scope]["person"].pk, "channel": "hotline", "topics": ["other"],
                        "summary": "Matrix offline contact"}}  # fmt: skip
    return {"device": str(uuid.uuid4()), "items": [item]}


ENTRIES = [
    Entry("offices:offline-review", expect(**STAFF_PAGE)),
    Entry(
        "offices:offline-review-duplicate",
        expect(**STAFF_PAGE),
        other=expect(**STAFF_PAGE_OTHER),
        kwargs=_pk("sync_duplicate"),
    ),
    Entry(
        "offices:offline-review-duplicate",
        writes(expect(**STAFF_PAGE)),
        other=expect(**STAFF_PAGE_OTHER),
        method="post",
        kwargs=_pk("sync_duplicate"),
        data={"decision": "apart"},
    ),
    Entry(
        "offices:offline-review-conflict",
        expect(**STAFF_PAGE),
        other=expect(**STAFF_PAGE_OTHER),
        kwargs=_pk("sync_conflict"),
    ),
    Entry(
        "offices:offline-review-conflict",
        writes(expect(**STAFF_PAGE)),
        other=expect(**STAFF_PAGE_OTHER),
        method="post",
        kwargs=_pk("sync_conflict"),
        data={"version": 1, "phone": "server"},
    ),
    Entry("api-offline-session", expect(**SESSION_API), kwargs=_no_kwargs, data=_device_query),
    Entry(
        "api-offline-persons",
        expect(**SESSION_API),
        other=expect(**SESSION_API_OTHER),
        kwargs=_no_kwargs,
        data=_office_query,
    ),
    # The request is accepted for staff whatever the office; an item about another office's client is answered
    # "rejected"/"not_found" inside the 200 (tests/offices/test_offline_sync.py).
    Entry(
        "api-offline-sync",
        expect(anonymous=403, default=403, OFFICE_STAFF=200, OFFICE_MANAGER=200),
        other=expect(default=403, OFFICE_STAFF=200, OFFICE_MANAGER=200),
        method="post",
        kwargs=_no_kwargs,
        data=_sync_body,
        json=True,
    ),
]
