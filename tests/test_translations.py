import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_french_and_arabic_catalogs_have_no_untranslated_or_fuzzy_entries():
    result = subprocess.run([sys.executable, "scripts/check_catalogs.py"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_arabic_catalog_declares_six_plural_forms():
    import polib

    po = polib.pofile(str(ROOT / "locale/ar/LC_MESSAGES/django.po"))
    assert po.metadata["Plural-Forms"].startswith("nplurals=6;")


def test_catalog_entries_match_the_translation_files():
    """locale/translations/*.json is the source; `make messages` writes it into the catalogs."""
    import json

    import polib

    table = {}
    for path in sorted((ROOT / "locale" / "translations").glob("*.json")):
        table.update(json.loads(path.read_text(encoding="utf-8")))
    for language in ("fr", "ar"):
        po = polib.pofile(str(ROOT / f"locale/{language}/LC_MESSAGES/django.po"))
        for entry in po:
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid  # as fill_catalog keys it
            expected = table.get(key, {}).get(language)
            assert expected is not None, f"{language}: {entry.msgid!r} has no entry in locale/translations/"
            if entry.msgid_plural:
                assert [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)] == expected, entry.msgid
            else:
                assert entry.msgstr == expected, entry.msgid


def test_each_string_is_translated_in_one_file_only():
    import json

    owners = {}
    for path in sorted((ROOT / "locale" / "translations").glob("*.json")):
        for msgid in json.loads(path.read_text(encoding="utf-8")):
            assert msgid not in owners, f"{msgid!r} is in {owners.get(msgid)} and {path.name}"
            owners[msgid] = path.name
