"""Fail when a French or Arabic catalog has an untranslated or fuzzy entry, or a plural entry without every
plural form its language has (Arabic has six: an entry with two forms is not translated)."""

import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    problems = []
    catalogs = sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po"))
    for language in ("fr", "ar"):
        if not any(p.parts[-3] == language for p in catalogs):
            problems.append(f"locale/{language}: no catalog")
    for path in catalogs:
        po = polib.pofile(str(path))
        untranslated = po.untranslated_entries()
        fuzzy = po.fuzzy_entries()
        match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
        forms = int(match.group(1)) if match else 2
        short = [e for e in po if e.msgid_plural and not e.obsolete and sorted(e.msgstr_plural) != list(range(forms))]
        for entry in short[:10]:
            problems.append(
                f"{path.relative_to(ROOT)}: {len(entry.msgstr_plural)} of {forms} plural forms: {entry.msgid[:70]!r}"
            )
        for entry in untranslated[:10]:
            problems.append(f"{path.relative_to(ROOT)}: untranslated: {entry.msgid[:70]!r}")
        for entry in fuzzy[:10]:
            problems.append(f"{path.relative_to(ROOT)}: fuzzy: {entry.msgid[:70]!r}")
        if len(untranslated) > 10 or len(fuzzy) > 10:
            problems.append(f"{path.relative_to(ROOT)}: {len(untranslated)} untranslated, {len(fuzzy)} fuzzy in all")
    for problem in problems:
        print(problem)
    if problems:
        print("translation catalogs are incomplete")
        return 1
    print(f"translation catalogs complete ({len(catalogs)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
