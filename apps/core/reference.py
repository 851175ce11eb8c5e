"""Reference data of the core app: countries (ISO 3166-1) and languages (ISO 639-1) in en/fr/ar.

Sources (see docs/reference-data.md): country names from django-countries' translations (CLDR-based), partner
states from DESIGN.md §1, language names from the Unicode CLDR via Babel. The JSON files are generated once and
committed; loading them is idempotent.
"""

from __future__ import annotations

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def upsert(model, rows: list[dict], key: str, fields: list[str]) -> int:
    """Insert or update rows by primary key in one statement; returns the number of rows written."""
    objects = [model(**{key: row[key], **{field: row[field] for field in fields}}) for row in rows]
    model.objects.bulk_create(objects, update_conflicts=True, unique_fields=[key], update_fields=fields, batch_size=500)
    return len(objects)


def load_countries(country_model) -> int:
    fields = ["name", "name_en", "name_fr", "name_ar", "is_amedip", "is_recosa"]
    rows = [{**row, "name": row["name_en"]} for row in _rows("countries.json")]
    return upsert(country_model, rows, "code", fields)


def load_languages(language_model) -> int:
    fields = ["name", "name_en", "name_fr", "name_ar"]
    rows = [{**row, "name": row["name_en"]} for row in _rows("languages.json")]
    return upsert(language_model, rows, "code", fields)


def load() -> dict[str, int]:
    from .models import Country, Language

    return {"countries": load_countries(Country), "languages": load_languages(Language)}
