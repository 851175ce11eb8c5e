"""Offline intake, device side (issue 21): the intake page is the office staff's (sign-in for anonymous visitors,
403 for other roles). It holds no record (the device fetches them from the sync API), so it has no other scope.
Its service worker and web app manifest name no one and are public: a browser fetches them to install the app and
to check for updates, without the session's cookie in some cases."""

from __future__ import annotations

from . import Entry, expect
from .offices import STAFF_PAGE

ENTRIES = [
    Entry("offices:offline-intake", expect(**STAFF_PAGE)),
    Entry("offices:offline-worker", expect(anonymous=200, default=200)),
    Entry("offices:offline-manifest", expect(anonymous=200, default=200)),
]
