"""The notes key: taken from the environment, rotated with MultiFernet, required in production."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.utils import timezone

from apps.offices import crypto
from apps.offices.apps import check_notes_key
from apps.offices.management.commands import rotate_notes_key
from apps.offices.models import Contact, Person


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


def notes_of(*contacts):
    return [Contact.objects.get(pk=c.pk).notes_encrypted for c in contacts]


@pytest.mark.django_db
def test_rotate_notes_key_re_encrypts_in_batches_counts_and_resumes(monkeypatch, office, staff):
    old, new, lost = (Fernet.generate_key().decode() for _ in range(3))
    person = Person.objects.create(office=office, name_latin="Awa Ndiaye")

    def contact(notes):
        return Contact.objects.create(
            office=office, person=person, channel="walk_in", occurred_at=timezone.now(), staff=staff, summary="s",
            notes_encrypted=crypto.encrypt_notes(notes) if notes else "",
        )  # fmt: skip

    monkeypatch.setenv(crypto.ENV_VARIABLE, lost)
    unreadable = contact("written with a key since lost")
    monkeypatch.setenv(crypto.ENV_VARIABLE, old)
    under_old = [contact(f"note {i} ملاحظة") for i in range(5)]
    without = contact("")
    monkeypatch.setenv(crypto.ENV_VARIABLE, f"{new},{old}")
    already_new = contact("written after the new key came")

    out, err = io.StringIO(), io.StringIO()
    call_command("rotate_notes_key", batch_size=2, after_id=under_old[1].pk, stdout=out, stderr=err)
    # Resumed after the second note: three of the five are re-encrypted, the first two not yet.
    assert "3 rotated, 1 current, 0 unreadable" in out.getvalue()
    assert "up to contact" in out.getvalue()  # a line per batch
    assert [crypto.is_current(t) for t in notes_of(*under_old)] == [False, False, True, True, True]

    out = io.StringIO()
    call_command("rotate_notes_key", batch_size=2, stdout=out, stderr=err)  # again from the start: resumable
    assert "7 examined, 2 rotated, 4 current, 1 unreadable, 0 changed meanwhile" in out.getvalue()
    assert "1 notes were encrypted with a key that is no longer configured" in err.getvalue()

    monkeypatch.setenv(crypto.ENV_VARIABLE, new)  # the old key dropped: every rotated note still reads
    assert [crypto.decrypt_notes(t) for t in notes_of(*under_old)] == [f"note {i} ملاحظة" for i in range(5)]
    assert crypto.decrypt_notes(notes_of(already_new)[0]) == "written after the new key came"
    assert notes_of(without) == [""]
    with pytest.raises(crypto.NotesUnreadableError):
        crypto.decrypt_notes(notes_of(unreadable)[0])


@pytest.mark.django_db
def test_rotate_notes_key_keeps_a_note_edited_while_its_batch_runs(monkeypatch, office, staff):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv(crypto.ENV_VARIABLE, old)
    person = Person.objects.create(office=office, name_latin="Awa Ndiaye")
    edited = Contact.objects.create(
        office=office, person=person, channel="walk_in", occurred_at=timezone.now(), staff=staff, summary="s",
        notes_encrypted=crypto.encrypt_notes("before"),
    )  # fmt: skip
    monkeypatch.setenv(crypto.ENV_VARIABLE, f"{new},{old}")
    real_rotate = crypto.rotate_notes

    def rotate_while_someone_edits(token):
        Contact.objects.filter(pk=edited.pk).update(notes_encrypted=crypto.encrypt_notes("after the edit"))
        return real_rotate(token)

    monkeypatch.setattr(rotate_notes_key, "rotate_notes", rotate_while_someone_edits)
    out = io.StringIO()
    call_command("rotate_notes_key", stdout=out, stderr=io.StringIO())
    assert "0 rotated, 0 current, 0 unreadable, 1 changed meanwhile" in out.getvalue()
    assert crypto.decrypt_notes(notes_of(edited)[0]) == "after the edit"
