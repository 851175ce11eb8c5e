"""The taxonomy files in apps/skills/data, read as plain JSON: no database is needed to check them."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parents[2] / "apps" / "skills" / "data"
FILES = ["isco08.json", "sectors.json", "skills.json", "isced_levels.json", "isced_fields.json"]
LANGUAGES = ("en", "fr", "ar")
ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")

# The sectors named by the partner states (issue 3, item 8), by the code each has in sectors.json.
PARTNER_SECTORS = {
    "health",
    "education",
    "agriculture",
    "environment",
    "ict",
    "engineering",
    "finance-banking",
    "law",
    "public-administration",
    "trade-entrepreneurship",
    "tourism",
    "culture",
    "research",
    "energy",
    "water",
    "transport",
    "migration-development",
}


def rows(name: str) -> list[dict]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def isco() -> dict[str, dict]:
    return {row["code"]: row for row in rows("isco08.json")}


def test_isco08_has_10_major_43_sub_major_130_minor_and_436_unit_groups(isco):
    per_level = Counter(row["level"] for row in isco.values())
    assert dict(per_level) == {1: 10, 2: 43, 3: 130, 4: 436}
    assert all(len(code) == row["level"] and code.isdigit() for code, row in isco.items())


def test_every_isco_group_hangs_under_the_group_its_code_starts_with(isco):
    for code, row in isco.items():
        if row["level"] == 1:
            assert row["parent"] is None, code
        else:
            assert row["parent"] == code[:-1], code
            assert isco[row["parent"]]["level"] == row["level"] - 1, code


def test_every_isco_group_above_unit_level_has_at_least_one_child(isco):
    parents = {row["parent"] for row in isco.values()}
    childless = [code for code, row in isco.items() if row["level"] < 4 and code not in parents]
    assert childless == []


def test_isco08_carries_the_ilo_titles(isco):
    assert isco["2"]["label_en"] == "Professionals"
    assert isco["2211"]["label_en"] == "Generalist medical practitioners"
    assert isco["2211"]["label_fr"] == "Médecins généralistes"
    assert isco["2643"]["label_en"] == "Translators, interpreters and other linguists"
    assert isco["9629"]["label_en"] == "Elementary workers not elsewhere classified"


@pytest.mark.parametrize("name", FILES)
def test_every_entry_has_a_label_in_english_french_and_arabic(name):
    for row in rows(name):
        for language in LANGUAGES:
            label = row[f"label_{language}"]
            assert isinstance(label, str) and label.strip() == label and label, (row["code"], language)
            assert not any(unicodedata.category(char) in {"Cc", "Cf"} for char in label), (row["code"], language)


@pytest.mark.parametrize("name", FILES)
def test_arabic_labels_are_in_arabic_script_and_the_others_are_not(name):
    for row in rows(name):
        assert ARABIC_LETTER.search(row["label_ar"]), row["code"]
        assert not ARABIC_LETTER.search(row["label_en"] + row["label_fr"]), row["code"]


@pytest.mark.parametrize("name", FILES)
def test_codes_are_unique(name):
    duplicates = [code for code, count in Counter(row["code"] for row in rows(name)).items() if count > 1]
    assert duplicates == []


def test_sectors_include_every_sector_the_partner_states_name():
    codes = {row["code"] for row in rows("sectors.json")}
    assert PARTNER_SECTORS <= codes


def test_skills_vocabulary_has_at_least_300_entries_each_in_an_existing_sector():
    skills = rows("skills.json")
    sectors = {row["code"] for row in rows("sectors.json")}
    assert len(skills) >= 300
    assert {skill["sector"] for skill in skills} <= sectors


def test_every_sector_has_skills_to_choose_from():
    per_sector = Counter(skill["sector"] for skill in rows("skills.json"))
    assert {
        code: per_sector[code] for code in (row["code"] for row in rows("sectors.json")) if per_sector[code] < 10
    } == {}


def test_skill_codes_are_lowercase_hyphenated_and_start_with_their_sector():
    for skill in rows("skills.json"):
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", skill["code"]), skill["code"]
        assert skill["code"].startswith(skill["sector"] + "-"), skill["code"]


def test_no_two_skills_share_a_label_in_any_language():
    skills = rows("skills.json")
    for language in LANGUAGES:
        labels = Counter(skill[f"label_{language}"].casefold() for skill in skills)
        assert [label for label, count in labels.items() if count > 1] == [], language


def test_isced_2011_levels_run_from_0_to_8():
    levels = rows("isced_levels.json")
    assert [row["code"] for row in levels] == [str(level) for level in range(9)]
    assert levels[6]["label_en"] == "Bachelor's or equivalent level"


def test_isced_f_2013_broad_fields_run_from_00_to_10():
    fields = rows("isced_fields.json")
    assert [row["code"] for row in fields] == [f"{field:02d}" for field in range(11)]
    assert fields[3]["label_en"] == "Social sciences, journalism and information"
