"""Encryption of contacts' restricted notes (Fernet, with MultiFernet for key rotation).

The keys come from the environment variable ``OFFICES_NOTES_KEY``: one or more url-safe base64 Fernet keys
separated by commas, the newest first (it encrypts; every key decrypts). Only in development (``DEBUG``) and in
tests is a deterministic key derived from ``SECRET_KEY`` when the variable is unset; elsewhere the system check
``offices.E001`` stops start-up. Notes are never logged: nothing here writes to a logger or puts the plain text
in an exception.
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ENV_VARIABLE = "OFFICES_NOTES_KEY"


class NotesUnreadableError(Exception):
    """The token was not made with any configured key."""


DEVELOPMENT_SETTINGS = ("diaspora_portal.settings.test", "diaspora_portal.settings.local")


def dev_key_allowed() -> bool:
    """``DEBUG``, the test settings, or the local settings (which benchmarks run with ``DEBUG`` off)."""
    return bool(settings.DEBUG) or os.environ.get("DJANGO_SETTINGS_MODULE", "") in DEVELOPMENT_SETTINGS


def configured_keys() -> list[str]:
    raw = os.environ.get(ENV_VARIABLE) or getattr(settings, ENV_VARIABLE, "") or ""
    return [key.strip() for key in raw.split(",") if key.strip()]


def _dev_key() -> bytes:
    digest = hashlib.sha256(f"offices-notes-dev:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError):
        raise ImproperlyConfigured(f"the environment variable {ENV_VARIABLE} is malformed") from None


def _keys() -> tuple[str, ...]:
    keys = configured_keys()
    if not keys:
        if not dev_key_allowed():
            raise ImproperlyConfigured(f"the environment variable {ENV_VARIABLE} is required and is not set")
        keys = [_dev_key().decode()]
    return tuple(keys)


def fernet() -> MultiFernet:
    return _fernet(_keys())


def encrypt_notes(text: str) -> str:
    if not text:
        return ""
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt_notes(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise NotesUnreadableError("the notes were encrypted with a key that is not configured") from None


def rotate_notes(token: str) -> str:
    """Re-encrypt ``token`` with the newest key (for a key rotation job)."""
    return fernet().rotate(token.encode("ascii")).decode("ascii") if token else ""


def is_current(token: str) -> bool:
    """True when ``token`` is already encrypted with the newest key (a rotation can leave it as it is)."""
    try:
        _fernet(_keys()[:1]).decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True
