"""Synthetic people, as the rows of the tables they live in. A :class:`Generator` draws one person at a time from
the pools of :mod:`.names` (seeded, so a seed always gives the same bank) and hands back a :class:`Rows` chunk
whose lists follow the column orders of :data:`COLUMNS`; :mod:`.loader` copies them into PostgreSQL."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from apps.skills.models import EducationField, EducationLevel, Occupation, Sector, Skill

from .names import (
    ARABIC_FIRST,
    ARABIC_LAST,
    ARABIC_STATES,
    EMPLOYERS,
    INTERESTS,
    JOBS,
    LANG_POOL,
    LEVELS,
    OTHER_FIRST,
    OTHER_LAST,
    OTHER_STATES,
    PROPOSED,
    RESIDENCES,
    TAIL_SHARE,
    tail_family_name,
)

# The columns each table is copied with, in the order of the generated tuples.
COLUMNS: dict[str, list[str]] = {
    "accounts_user": [
        "id", "password", "is_superuser", "email", "full_name", "preferred_language", "is_staff", "is_active",
        "date_joined",
    ],
    "skills_diasporaprofile": [
        "id", "user_id", "first_name", "last_name", "first_name_ar", "last_name_ar", "date_of_birth", "gender",
        "origin_country_id", "origin_region", "nationality_id", "residence_country_id", "residence_city",
        "generation", "phone", "job_title", "employer", "years_experience", "engagement_interests", "available_from",
        "available_to", "days_per_year", "availability_mode", "cv", "consent_listed", "consent_expert_contact",
        "consent_newsletter_email", "consent_sms", "last_confirmed_at", "confirmation_reminders_sent", "verified_at",
        "verification_note", "source", "wizard_step", "search_names", "created_at", "updated_at",
    ],
    "skills_profileskill": ["id", "profile_id", "skill_id", "proposed_text", "kind"],
    "skills_profilelanguage": ["id", "profile_id", "language_id", "level"],
    "skills_diasporaprofile_sectors": ["id", "diasporaprofile_id", "sector_id"],
    "skills_diasporaprofile_occupations": ["id", "diasporaprofile_id", "occupation_id"],
    "skills_profileeducation": ["id", "profile_id", "level_id", "field_id", "institution", "country_id", "year"],
    "skills_consentrecord": ["id", "profile_id", "purpose", "given", "recorded_at", "method", "text_version"],
}  # fmt: skip
TABLES = list(COLUMNS)


@dataclass
class Rows:
    """A chunk of generated rows, table by table (the keys of :data:`COLUMNS`)."""

    tables: dict[str, list[tuple]] = field(default_factory=lambda: {table: [] for table in TABLES})

    def __len__(self) -> int:
        return len(self.tables["accounts_user"])


class Generator:
    """Draws synthetic people. ``next_ids`` (one per table) must be set before :meth:`chunk` is called."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.now = datetime.now(UTC)
        self.countries: set[str] = set()
        self.sector_skills: dict[str, list[str]] = {}
        self.all_skills: list[str] = []
        self.unit_groups: list[str] = []
        self.sectors: list[str] = []
        self.levels: list[str] = []
        self.fields: list[str] = []
        self.languages: list[str] = []
        self.jobs: list[tuple[list[str], str, str]] = []
        self.next_ids: dict[str, int] = {}

    def load_reference(self) -> None:
        from apps.core.models import Country, Language

        self.countries = set(Country.objects.values_list("code", flat=True))
        for code, sector in Skill.objects.values_list("code", "sector_id"):
            self.sector_skills.setdefault(sector, []).append(code)
        self.all_skills = [code for codes in self.sector_skills.values() for code in codes]
        self.unit_groups = list(Occupation.objects.filter(level=4).values_list("code", flat=True))
        self.sectors = list(Sector.objects.values_list("code", flat=True))
        self.levels = list(EducationLevel.objects.values_list("code", flat=True))
        self.fields = list(EducationField.objects.values_list("code", flat=True))
        known = set(Language.objects.values_list("code", flat=True))
        self.languages = [code for code in LANG_POOL if code in known]
        self.jobs = [(titles, unit, sector) for titles, unit, sector in JOBS]

    def country(self, code: str) -> str | None:
        return code if code in self.countries else None

    def chunk(self, size: int, *, listed_share: float) -> Rows:
        """The rows of ``size`` more people (their ids follow on from the last chunk's)."""
        rows = Rows()
        for _ in range(size):
            self._person(rows, listed_share)
        return rows

    def _add(self, rows: Rows, table: str, *values) -> int:
        """Append a row to ``table`` under the table's next id; return that id."""
        row_id = self.next_ids[table]
        self.next_ids[table] = row_id + 1
        rows.tables[table].append((row_id, *values))
        return row_id

    def _name(self, arabic: bool, female: bool) -> tuple[str, str, str, str, str]:
        """(origin, first, last, first in Arabic script, last in Arabic script)."""
        rng = self.rng
        if arabic:
            origin = rng.choice(ARABIC_STATES)
            pool = ARABIC_FIRST[15:] if female else ARABIC_FIRST[:15]
            latin_first, first_ar = rng.choice(pool)
            if rng.random() < TAIL_SHARE:
                last, last_ar = tail_family_name(rng, arabic=True)
            else:
                latin_last, last_ar = rng.choice(ARABIC_LAST)
                last = rng.choice(latin_last)
            first = rng.choice(latin_first)
            return origin, first, last, first_ar, last_ar
        origin = rng.choice(OTHER_STATES)
        first = rng.choice(OTHER_FIRST)
        last = tail_family_name(rng, arabic=False)[0] if rng.random() < TAIL_SHARE else rng.choice(OTHER_LAST)
        return origin, first, last, "", ""

    def _person(self, rows: Rows, listed_share: float) -> None:
        rng, now = self.rng, self.now
        arabic = rng.random() < 0.45
        female = rng.random() < 0.45
        origin, first, last, first_ar, last_ar = self._name(arabic, female)
        residence, cities = rng.choice(RESIDENCES)
        titles, unit, sector = rng.choice(self.jobs)
        if unit not in self.unit_groups and self.unit_groups:
            unit = rng.choice(self.unit_groups)
        if sector not in self.sectors and self.sectors:
            sector = rng.choice(self.sectors)
        listed = rng.random() < listed_share
        confirmed = now - timedelta(days=rng.randint(0, 900)) if rng.random() < 0.9 else None
        verified = now - timedelta(days=rng.randint(0, 300)) if rng.random() < 0.1 else None
        available = rng.random() < 0.3
        born = date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
        interests = rng.sample(INTERESTS, rng.randint(0, 3))
        user_id = self.next_ids["accounts_user"]
        email = f"synthetic.{user_id}@example.invalid"
        language = rng.choice(["fr", "en", "ar"])
        self._add(rows, "accounts_user", "!", False, email, f"{first} {last}", language, False, True, now)
        available_from = now.date() + timedelta(days=rng.randint(-30, 200)) if available else None
        available_to = available_from + timedelta(days=rng.randint(30, 700)) if available_from else None
        profile_id = self._add(
            rows, "skills_diasporaprofile",
            user_id, first, last, first_ar, last_ar, born, "female" if female else "male",
            self.country(origin), "", self.country(origin), self.country(residence), rng.choice(cities),
            rng.choice("1112"), f"+3361{rng.randint(1000000, 9999999)}", rng.choice(titles), rng.choice(EMPLOYERS),
            rng.randint(0, 40), "{" + ",".join(interests) + "}", available_from, available_to,
            rng.randint(5, 60) if available else None, rng.choice(["remote", "on_site", "both"]) if available else "",
            "", listed, listed and rng.random() < 0.5, rng.random() < 0.4, rng.random() < 0.2, confirmed, 0,
            verified, "identity_document" if verified else "", "synthetic", "", "", now, now,
        )  # fmt: skip
        self._skills_and_languages(rows, profile_id, sector, arabic)
        if sector:
            self._add(rows, "skills_diasporaprofile_sectors", profile_id, sector)
        if unit:
            self._add(rows, "skills_diasporaprofile_occupations", profile_id, unit)
        if self.levels:
            level = rng.choice(self.levels[3:] or self.levels)
            field_code = rng.choice(self.fields) if self.fields else None
            year = rng.randint(1975, 2024)
            self._add(rows, "skills_profileeducation", profile_id, level, field_code, "", self.country(origin), year)
        if listed:
            self._add(rows, "skills_consentrecord", profile_id, "listed", True, confirmed or now, "wizard", "2026-11")

    def _skills_and_languages(self, rows: Rows, profile_id: int, sector: str, arabic: bool) -> None:
        rng = self.rng
        pool = self.sector_skills.get(sector) or self.all_skills
        chosen = set(rng.sample(pool, min(3, len(pool))))
        chosen |= set(rng.sample(self.all_skills, rng.randint(0, 2)))
        for code in chosen:
            self._add(
                rows, "skills_profileskill", profile_id, code, "", rng.choice(["formal", "non_formal", "informal"])
            )
        if rng.random() < 0.05:
            self._add(rows, "skills_profileskill", profile_id, None, rng.choice(PROPOSED), "informal")
        spoken = {"ar" if arabic else "fr"} | set(rng.sample(self.languages, rng.randint(0, 2)))
        for code in spoken & set(self.languages):
            self._add(rows, "skills_profilelanguage", profile_id, code, rng.choice(LEVELS))
