"""The key that encrypts a device's queue: derived for a user on one device, never stored on the server.

HMAC-SHA256, with the server's secret, of the user's id, the device's id (a UUID the device makes once and keeps)
and the user's password hash. So the key outlives the session: a counsellor whose session ended during a long day
offline signs in again and gets the same key back, and the queue sealed under it is read and sent. Another device
or another user gets another key; a password change (the remedy for a lost device) gives every device of the user a
new one, and what a device sealed under the old key can no longer be read by anyone.
"""

from __future__ import annotations

import base64
import hashlib
import uuid

from django.utils.crypto import salted_hmac

SALT = "apps.offices.offline.device_key"


def device_key(*, user, device: uuid.UUID) -> tuple[str, str]:
    """(the AES-256 key as base64url without padding, a short id of it that changes when the key changes)."""
    raw = salted_hmac(SALT, f"{user.pk}:{device}:{user.password}", algorithm="sha256").digest()
    key = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    key_id = hashlib.sha256(raw).hexdigest()[:12]
    return key, key_id
