"""Keep each msgid in one translation file only: the first in PRIORITY (older owners first) keeps it.

Run after merging an app's translations: `python scripts/dedupe_translations.py`.
"""

import json
import sys
from pathlib import Path

DIR = Path(__file__).resolve().parent.parent / "locale" / "translations"
PRIORITY = [
    "core",
    "skills_member",
    "skills_models",
    "exchange",
    "offices",
    "returns",
    "outreach",
    "reports",
    "skills_staff",
]


def main() -> int:
    files = sorted(DIR.glob("*.json"), key=lambda p: (PRIORITY.index(p.stem) if p.stem in PRIORITY else 99, p.stem))
    owner: dict[str, str] = {}
    removed = 0
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        kept = {}
        for msgid, value in data.items():
            if msgid in owner:
                removed += 1
                continue
            owner[msgid] = path.stem
            kept[msgid] = value
        path.write_text(json.dumps(kept, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"removed {removed} duplicate entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
