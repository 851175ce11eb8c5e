"""Skills taxonomy as data: ISCO-08, sectors, skills vocabulary, ISCED 2011 levels, ISCED-F 2013 fields.

The lists live in ``apps/skills/data/*.json`` (sources in docs/reference-data.md). Loading is an upsert by code,
so running it twice changes nothing; entries are never deleted (profiles may point at them).
"""

from __future__ import annotations

import json
from pathlib import Path

from apps.core.reference import upsert

DATA_DIR = Path(__file__).resolve().parent / "data"
LABELS = ["label", "label_en", "label_fr", "label_ar"]


def _rows(name: str) -> list[dict]:
    path = DATA_DIR / name
    if not path.exists():
        return []
    return [{**row, "label": row["label_en"]} for row in json.loads(path.read_text(encoding="utf-8"))]


def load_taxonomy(*, Occupation, Sector, Skill, EducationLevel, EducationField) -> dict[str, int]:  # noqa: N803
    counts = {}
    isco = sorted(_rows("isco08.json"), key=lambda row: row["level"])
    # Parents first: each level is written before the next one refers to it.
    for level in (1, 2, 3, 4):
        rows = [{**row, "parent_id": row.get("parent")} for row in isco if row["level"] == level]
        upsert(Occupation, rows, "code", ["level", "parent_id", *LABELS])
    counts["occupations"] = len(isco)
    counts["sectors"] = upsert(Sector, _rows("sectors.json"), "code", LABELS)
    skills = [{**row, "sector_id": row["sector"]} for row in _rows("skills.json")]
    counts["skills"] = upsert(Skill, skills, "code", ["sector_id", *LABELS])
    counts["education levels"] = upsert(EducationLevel, _rows("isced_levels.json"), "code", LABELS)
    counts["fields of education"] = upsert(EducationField, _rows("isced_fields.json"), "code", LABELS)
    return counts


def load() -> dict[str, int]:
    from . import models

    return load_taxonomy(
        Occupation=models.Occupation,
        Sector=models.Sector,
        Skill=models.Skill,
        EducationLevel=models.EducationLevel,
        EducationField=models.EducationField,
    )
