"""Each check of `make lint` can fail: on a copy of the code with one fault put in, the check exits non-zero and names
the fault; on the same copy without it, it passes. (A check that cannot fail proves nothing.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LINT_ENV = {"DATABASE_URL": "postgres://lint@localhost/unused", "REDIS_URL": "redis://localhost:1/0"}


def copy_tree(into: Path, *names: str) -> Path:
    """A copy of the named parts of the repository (Python sources, data and catalogs; no caches)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    for name in names:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=ignore)
        else:
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    return into


def run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=cwd, env={**os.environ, **env, "PYTHONPATH": str(cwd)}, capture_output=True, text=True, timeout=600
    )


# Layers (import-linter) ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def apps_copy(tmp_path_factory) -> Path:
    return copy_tree(tmp_path_factory.mktemp("layers"), "pyproject.toml", "apps")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return run([str(BIN / "lint-imports"), "--no-cache"], tree)


def test_the_layers_contract_holds_on_the_code_as_it_is(apps_copy):
    result = lint_imports(apps_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("apps/core/layer_probe.py", "apps.skills.models"),  # core imports nothing of the apps above it
        ("apps/skills/layer_probe.py", "apps.offices.models"),  # skills is below offices
        ("apps/exchange/layer_probe.py", "apps.reports"),  # nothing imports reports
    ],
)
def test_an_import_up_the_layers_makes_lint_imports_fail_and_names_it(apps_copy, module, forbidden):
    probe = apps_copy / module
    probe.write_text(f"import {forbidden}  # noqa: F401\n")
    try:
        result = lint_imports(apps_copy)
    finally:
        probe.unlink()
    importer = module.removesuffix(".py").replace("/", ".")
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout and importer in result.stdout and forbidden in result.stdout, result.stdout


# Translation catalogs ----------------------------------------------------------------------------------------


@pytest.fixture
def catalogs_copy(tmp_path) -> Path:
    return copy_tree(tmp_path, "scripts/check_catalogs.py", "locale/fr", "locale/ar")


def check_catalogs(tree: Path) -> subprocess.CompletedProcess:
    return run([sys.executable, "scripts/check_catalogs.py"], tree)


def spoil(tree: Path, language: str, how) -> str:
    path = tree / "locale" / language / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    entry = how(po)
    po.save(str(path))
    return entry.msgid


def test_the_catalogs_pass_as_they_are(catalogs_copy):
    result = check_catalogs(catalogs_copy)
    assert result.returncode == 0, result.stdout


def _plain(entry) -> bool:
    """An entry whose msgid prints as it is (no quotes or line breaks to escape)."""
    return entry.msgid.isprintable() and not {"'", '"', "\\"} & set(entry.msgid)


def _untranslated(po):
    entry = next(e for e in po if not e.msgid_plural and e.msgstr and _plain(e))
    entry.msgstr = ""
    return entry


def _fuzzy(po):
    entry = next(e for e in po if not e.msgid_plural and "fuzzy" not in e.flags and _plain(e))
    entry.flags.append("fuzzy")
    return entry


def _two_arabic_plural_forms(po):
    entry = next(e for e in po if e.msgid_plural and _plain(e))
    entry.msgstr_plural = {0: entry.msgstr_plural[0], 1: entry.msgstr_plural[1]}
    return entry


@pytest.mark.parametrize(
    ("language", "how", "said"),
    [("fr", _untranslated, "untranslated"), ("ar", _fuzzy, "fuzzy"), ("ar", _two_arabic_plural_forms, "plural forms")],
)
def test_a_bad_catalog_makes_check_catalogs_fail_and_names_the_entry(catalogs_copy, language, how, said):
    msgid = spoil(catalogs_copy, language, how)
    result = check_catalogs(catalogs_copy)
    assert result.returncode == 1, result.stdout
    assert said in result.stdout and msgid[:40] in result.stdout, result.stdout


# Types and migrations ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> Path:
    return copy_tree(tmp_path_factory.mktemp("project"), "pyproject.toml", "manage.py", "apps", "diaspora_portal")


def test_a_type_error_in_a_service_makes_mypy_fail(project_copy):
    service = project_copy / "apps/returns/services/handouts.py"
    original = service.read_text()
    service.write_text(original + "\n\ndef probe_total() -> int:\n    return 'three'\n")
    try:
        result = run([str(BIN / "mypy"), "--cache-dir", str(project_copy / ".mypy_cache")], project_copy, **LINT_ENV)
    finally:
        service.write_text(original)
    assert result.returncode == 1, result.stdout
    assert "apps/returns/services/handouts.py" in result.stdout and "Incompatible return value" in result.stdout


def test_a_model_change_without_its_migration_makes_makemigrations_check_fail(project_copy):
    models = project_copy / "apps/returns/models.py"
    original = models.read_text()
    models.write_text(
        original.replace(
            "class Vacancy(models.Model):\n",
            "class Vacancy(models.Model):\n    probe = models.IntegerField(default=0)\n",
            1,
        )
    )
    command = [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run", "--skip-checks", "-v", "1"]
    try:
        result = run(command, project_copy, **LINT_ENV, DJANGO_SETTINGS_MODULE="diaspora_portal.settings.test")
    finally:
        models.write_text(original)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "probe" in result.stdout
