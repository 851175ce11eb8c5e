"""`make run`'s second start skips what the first did (apps/core/dev_prepare.py, prepare_dev): static files are
compressed again only when they changed, and data steps are done again when their files changed, the database is
another one or what they loaded is gone."""

import io
import os

import brotli
import pytest
from django.core.management import call_command

from apps.core import dev_prepare
from apps.core.models import Country


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def test_compress_changed_compresses_only_the_files_that_are_new_changed_or_lost_their_copies(var_dir, tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    (root / "site.css").write_text("body { margin: 0 }\n" * 200)
    (root / "app.js").write_text("console.log('portal');\n" * 200)
    (root / "app.js.map").write_text('{"version": 3}' * 200)  # source maps are left as they are
    assert dev_prepare.compress_changed(root) == (2, 0)
    assert (root / "site.css.br").exists() and (root / "site.css.gz").exists()
    assert not (root / "app.js.map.br").exists()

    assert dev_prepare.compress_changed(root) == (0, 2)

    (root / "site.css").write_text("body { margin: 1px }\n" * 200)
    (root / "app.js.gz").unlink()
    assert dev_prepare.compress_changed(root) == (2, 0)
    assert (root / "app.js.gz").exists()
    with open(root / "site.css.br", "rb") as compressed:
        assert brotli.decompress(compressed.read()).startswith(b"body { margin: 1px }")


@pytest.mark.django_db
def test_a_step_is_done_again_when_its_files_change_the_database_is_another_or_its_rows_are_gone(var_dir):
    state = dev_prepare.PreparedState()
    rows = Country.objects.count
    assert not state.done("reference", "files-1", rows=rows)
    Country.objects.get_or_create(code="ML", defaults={"name": "Mali"})
    state.mark("reference", "files-1", rows=rows())

    again = dev_prepare.PreparedState()  # read back from var/run/prepared.json
    assert again.done("reference", "files-1", rows=rows)
    assert not again.done("reference", "files-2", rows=rows)  # the reference files changed
    assert not again.done("reference", "files-1", rows=lambda: 0)  # a flushed database
    again.database = "127.0.0.1:5432/diaspora#99999"  # the database was dropped and created again: another oid
    assert not again.done("reference", "files-1", rows=rows)


@pytest.mark.django_db
def test_prepare_dev_run_twice_skips_on_the_second_run_what_the_first_did(var_dir, tmp_path):
    first, second = io.StringIO(), io.StringIO()
    call_command("prepare_dev", force=True, stdout=first)
    logins = tmp_path / "logins.txt"
    call_command("prepare_dev", force=True, logins=str(logins), url="http://127.0.0.1:8123/", stdout=second)
    assert "migrations: none to apply" in first.getvalue() + second.getvalue()
    assert "already loaded" not in first.getvalue()
    assert "reference data: already loaded" in second.getvalue()
    assert "demo data: already loaded" in second.getvalue()
    assert "http://127.0.0.1:8123/" in logins.read_text() and "Demo logins" in logins.read_text()
    assert os.path.exists(var_dir / "run" / dev_prepare.STATE_FILE)
