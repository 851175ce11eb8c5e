"""The notes key: taken from the environment, rotated with MultiFernet, required in production."""

import pytest
from cryptography.fernet import Fernet

from apps.offices import crypto
from apps.offices.apps import check_notes_key


def test_notes_encrypted_with_an_old_key_still_decrypt_after_rotation(monkeypatch):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv(crypto.ENV_VARIABLE, old)
    token = crypto.encrypt_notes("ملاحظة سرية")
    monkeypatch.setenv(crypto.ENV_VARIABLE, f"{new},{old}")
    assert crypto.decrypt_notes(token) == "ملاحظة سرية"
    rotated = crypto.rotate_notes(token)
    monkeypatch.setenv(crypto.ENV_VARIABLE, new)
    assert crypto.decrypt_notes(rotated) == "ملاحظة سرية"
    with pytest.raises(crypto.NotesUnreadableError):
        crypto.decrypt_notes(token)


def test_production_refuses_to_start_without_the_key(monkeypatch, settings):
    monkeypatch.delenv(crypto.ENV_VARIABLE, raising=False)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "diaspora_portal.settings.production")
    settings.DEBUG = False
    errors = check_notes_key()
    assert [e.id for e in errors] == ["offices.E001"]
    assert crypto.ENV_VARIABLE in errors[0].msg
    with pytest.raises(Exception, match=crypto.ENV_VARIABLE):
        crypto.encrypt_notes("x")


@pytest.mark.parametrize(
    "module, debug",
    [("diaspora_portal.settings.production", True), ("diaspora_portal.settings.local", False)],
)
def test_development_derives_a_key_with_debug_on_or_the_local_settings(monkeypatch, settings, module, debug):
    monkeypatch.delenv(crypto.ENV_VARIABLE, raising=False)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", module)
    settings.DEBUG = debug
    assert check_notes_key() == []
    assert crypto.decrypt_notes(crypto.encrypt_notes("note")) == "note"


def test_a_malformed_key_is_reported(monkeypatch):
    monkeypatch.setenv(crypto.ENV_VARIABLE, "not-a-key")
    assert [e.id for e in check_notes_key()] == ["offices.E002"]
