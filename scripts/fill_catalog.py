"""Fill French and Arabic catalogs from a JSON file of translations: {"msgid": {"fr": "...", "ar": "..."}}.

A message with a context (``pgettext``, ``{% translate "Verified" context "e-mail address" %}``) is keyed as
gettext keys it: the context, U+0004, the msgid ("e-mail address\u0004Verified").

`make messages` runs it with --force: the JSON files are the source of the translations, so every entry they
name is set from them (including ones msgmerge guessed as fuzzy). Without --force, entries already translated
are left alone.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    force = "--force" in argv
    paths = sorted(a for a in argv if not a.startswith("--"))
    table: dict = {}
    for path in paths:
        table.update(json.loads(Path(path).read_text(encoding="utf-8")))
    for language in ("fr", "ar"):
        po_path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(po_path), wrapwidth=0)
        filled = 0
        for entry in po:
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            tr = table.get(key, {}).get(language)
            if tr is None:
                continue
            if entry.msgid_plural:
                if isinstance(tr, list) and (force or entry.fuzzy or not any(entry.msgstr_plural.values())):
                    entry.msgstr_plural = dict(enumerate(tr))
                    filled += 1
            elif force or not entry.msgstr or entry.fuzzy:
                entry.msgstr = tr
                filled += 1
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save(str(po_path))
        print(f"{language}: filled {filled}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
