"""Type-ahead of the vocabulary pickers: every keystroke of everyday job titles, through the taxonomy API.

    .venv/bin/python scripts/devenv.py bench bench_vocabulary.py

Each of the first titles of every unit group in the everyday-titles file (English, French, Arabic) is typed one
letter at a time from the second letter on; every prefix is one GET /api/v1/taxonomy/occupations/?q=…&level=4
(the forgiving search, apps/skills/selectors/vocabulary.py) through Django's test client: URL routing, the
search, the query for the rows, serialisation. Baseline, same run: the same requests with level=3, which take
the old plain label match (ILIKE) over the minor groups. The full ISCO-08 taxonomy is loaded if missing.
Prints one JSON line; exits 1 when the type-ahead p95 is 100 ms or more.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_portal.settings.local")
os.environ.setdefault("API_ANON_RATE", "1000000/min")  # one address types thousands of keystrokes here

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from apps.skills import reference  # noqa: E402
from apps.skills.models import Occupation  # noqa: E402
from apps.skills.selectors.vocabulary import TITLES_FILE  # noqa: E402

TARGET_P95_MS = 100.0


def keystrokes() -> list[tuple[str, str]]:
    titles = json.loads(TITLES_FILE.read_text(encoding="utf-8"))["titles"]
    typed = []
    for by_language in titles.values():
        for language, names in by_language.items():
            name = names[0]
            typed.extend((language, name[:n]) for n in range(2, len(name) + 1))
    return typed


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def measure(client: Client, typed: list[tuple[str, str]], level: str) -> list[float]:
    times = []
    for language, prefix in typed:
        start = time.perf_counter()
        response = client.get("/api/v1/taxonomy/occupations/", {"q": prefix, "lang": language, "level": level})
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{prefix!r}: HTTP {response.status_code}")
    return times


def main() -> int:
    if Occupation.objects.filter(level=4).count() < 400:
        reference.load()
    client = Client(HTTP_HOST="localhost")
    typed = keystrokes()
    measure(client, typed[:50], "4")  # warm the index and the connection
    search = measure(client, typed, "4")
    baseline = measure(client, typed, "3")
    result = {
        "benchmark": "vocabulary type-ahead",
        "keystrokes": len(typed),
        "unit_groups": Occupation.objects.filter(level=4).count(),
        "typeahead_p50_ms": round(statistics.median(search), 1),
        "typeahead_p95_ms": round(p95(search), 1),
        "baseline_ilike_p50_ms": round(statistics.median(baseline), 1),
        "baseline_ilike_p95_ms": round(p95(baseline), 1),
        "target_p95_ms": TARGET_P95_MS,
    }
    result["ok"] = result["typeahead_p95_ms"] < TARGET_P95_MS
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
