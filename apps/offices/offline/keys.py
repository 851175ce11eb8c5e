"""The key that encrypts a device's queue: derived from the signed-in session, never stored.

HMAC-SHA256 of the session key with the server's secret: the same session always gets the same key (a reload, a
second tab), a new sign-in a new one (the old queue can no longer be read: the device syncs before signing out).
"""

from __future__ import annotations

import base64
import hashlib

from django.utils.crypto import salted_hmac

SALT = "apps.offices.offline.device_key"


def device_key(session_key: str) -> tuple[str, str]:
    """(the AES-256 key as base64url without padding, a short id of it that changes when the key changes)."""
    raw = salted_hmac(SALT, session_key, algorithm="sha256").digest()
    key = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    key_id = hashlib.sha256(raw).hexdigest()[:12]
    return key, key_id
