"""Cleaning one row: a table of small cleaners, one per column or group of columns, each adding clean data
or errors in the user's language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.formatting import format_list, interface_language
from apps.core.languages import in_each_language
from apps.core.models import Country, Language
from apps.core.validators import phone_normalise, validate_birth_date, validate_clean_text

from ...models import Gender, Occupation, Sector, Skill
from ...selectors.vocabulary import vocabulary_label, vocabulary_search
from .columns import REQUIRED_FIELDS

# A row error before it is written out in each language: the lazy message and its parameters.
RowError = tuple[object, dict]

_LIST_SPLIT = re.compile(r"\s*[;|]\s*")


@dataclass
class Lookups:
    """Reference data a batch needs, loaded once: codes and labels in the three languages → codes."""

    countries: dict[str, str] = field(default_factory=dict)
    languages: dict[str, str] = field(default_factory=dict)
    sectors: dict[str, str] = field(default_factory=dict)
    skills: dict[str, str] = field(default_factory=dict)
    occupations: set[str] = field(default_factory=set)
    # An occupation name as written (lower case) → (code, None) or (None, the row error); each name is searched
    # once per batch, as spreadsheets repeat the same few job titles.
    occupation_names: dict[str, tuple[str | None, RowError | None]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Lookups:
        lookups = cls()
        for code, *names in Country.objects.values_list("code", "name_en", "name_fr", "name_ar"):
            for key in (code, *names):
                if key:
                    lookups.countries[key.lower()] = code
        for code, *names in Language.objects.values_list("code", "name_en", "name_fr", "name_ar"):
            for key in (code, *names):
                if key:
                    lookups.languages[key.lower()] = code
        for code, *labels in Sector.objects.values_list("code", "label_en", "label_fr", "label_ar"):
            for key in (code, *labels):
                if key:
                    lookups.sectors[key.lower()] = code
        for code, *labels in Skill.objects.values_list("code", "label_en", "label_fr", "label_ar"):
            for key in (code, *labels):
                if key:
                    lookups.skills.setdefault(key.lower(), code)
        lookups.occupations = set(Occupation.objects.values_list("code", flat=True))
        return lookups


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
_GENDERS = {
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
    "femme": Gender.FEMALE,
    "féminin": Gender.FEMALE,
    "أنثى": Gender.FEMALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "homme": Gender.MALE,
    "masculin": Gender.MALE,
    "ذكر": Gender.MALE,
    "other": Gender.OTHER,
    "autre": Gender.OTHER,
}


def _parse_date(value: str) -> date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValidationError(_("Enter a date as YYYY-MM-DD or DD/MM/YYYY."))


def _split(value: str) -> list[str]:
    return [part for part in _LIST_SPLIT.split(value.strip()) if part]


@dataclass
class _RowCleaning:
    """One row being cleaned: what was read, what is clean so far, and the errors by field."""

    values: dict[str, str]
    lookups: Lookups
    default_language: str
    data: dict = field(
        default_factory=lambda: {"sectors": [], "occupations": [], "skills": [], "proposed_skills": [], "languages": []}
    )
    # By field, each message in every interface language: the check runs in a worker, in the language of whoever
    # started it, and the report is read by colleagues in theirs (ImportRow.error_messages).
    errors: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def error(self, name: str, message, **params) -> None:
        """``message``: a lazy translation with its ``params``, or a ValidationError (its messages)."""
        if isinstance(message, ValidationError):
            for error in message.error_list:
                self.errors.setdefault(name, []).append(in_each_language(error.message, error.params))
            return
        self.errors.setdefault(name, []).append(in_each_language(message, params))

    def too_long(self, name: str, value: str, limit: int) -> bool:
        if len(value) <= limit:
            return False
        self.error(name, _("At most %(limit)s characters (this one has %(length)s)."), limit=limit, length=len(value))
        return True


def _clean_required(row: _RowCleaning) -> None:
    for name in REQUIRED_FIELDS:
        if not row.values.get(name):
            row.error(name, _("This field is required."))


def _clean_email(row: _RowCleaning) -> None:
    email = row.values.get("email", "").lower()
    if not email:
        return
    try:
        validate_email(email)
        row.data["email"] = email
    except ValidationError:
        row.error("email", _("Enter a valid e-mail address."))


def _clean_names_and_places(row: _RowCleaning) -> None:
    for name in ("first_name", "last_name", "first_name_ar", "last_name_ar", "origin_region", "residence_city"):
        value = row.values.get(name, "")
        if row.too_long(name, value, 150 if name in ("origin_region", "residence_city") else 100):
            continue
        try:
            validate_clean_text(value)
        except ValidationError as exc:
            row.error(name, exc)
            continue
        row.data[name] = value


def _clean_work(row: _RowCleaning) -> None:
    for name in ("job_title", "employer"):
        value = row.values.get(name, "")
        if not row.too_long(name, value, 200):
            row.data[name] = value


def _clean_birth_date(row: _RowCleaning) -> None:
    if not row.values.get("date_of_birth"):
        return
    try:
        born = _parse_date(row.values["date_of_birth"])
        validate_birth_date(born)
        row.data["date_of_birth"] = born
    except ValidationError as exc:
        row.error("date_of_birth", exc)


def _clean_gender(row: _RowCleaning) -> None:
    if not row.values.get("gender"):
        return
    gender = _GENDERS.get(row.values["gender"].lower())
    if gender is None:
        row.error("gender", _("Unknown gender: use female, male or other."))
    else:
        row.data["gender"] = gender


def _clean_countries(row: _RowCleaning) -> None:
    for name in ("origin_country", "nationality", "residence_country"):
        if row.values.get(name):
            code = row.lookups.countries.get(row.values[name].lower())
            if code is None:
                row.error(name, _("Unknown country: %(value)s"), value=row.values[name][:50])
            else:
                row.data[name] = code


def _clean_phone(row: _RowCleaning) -> None:
    """After the countries: a national number is read in the country of residence."""
    if not row.values.get("phone"):
        return
    try:
        row.data["phone"] = phone_normalise(row.values["phone"], region=row.data.get("residence_country"))
    except ValidationError as exc:
        row.error("phone", exc)


def _clean_years_experience(row: _RowCleaning) -> None:
    if not row.values.get("years_experience"):
        return
    try:
        years = int(row.values["years_experience"])
        if not 0 <= years <= 70:
            raise ValueError
        row.data["years_experience"] = years
    except ValueError:
        row.error("years_experience", _("Enter a number of years between 0 and 70."))


def _clean_coded_list(row: _RowCleaning, name: str, table: dict[str, str], unknown) -> None:
    """A list of names (or codes) looked up in ``table``; each unknown one is an error."""
    for item in _split(row.values.get(name, "")):
        code = table.get(item.lower())
        if code is None:
            row.error(name, unknown, value=item[:50])
        elif code not in row.data[name]:
            row.data[name].append(code)


def _clean_sectors(row: _RowCleaning) -> None:
    _clean_coded_list(row, "sectors", row.lookups.sectors, _("Unknown sector: %(value)s"))


def _clean_languages(row: _RowCleaning) -> None:
    _clean_coded_list(row, "languages", row.lookups.languages, _("Unknown language: %(value)s"))


# An occupation name is taken when the vocabulary search's best unit group is close enough and clearly ahead of
# the next one (a whole title against a title that only contains the words: 1.25 against 1.125).
OCCUPATION_NAME_MIN_SCORE = 0.8
OCCUPATION_NAME_LEAD = 0.1


@dataclass(frozen=True)
class _OccupationChoices:
    """The unit groups an ambiguous name fits, written with their labels in the active language (so each language
    of a row error names them in its own)."""

    codes: tuple[str, ...]

    def __str__(self) -> str:
        language = interface_language()
        return format_list(
            (f"{code} {vocabulary_label('occupation', code, language)}" for code in self.codes), style="or"
        )


def occupation_by_name(lookups: Lookups, name: str) -> tuple[str | None, RowError | None]:
    """(ISCO-08 code, None) for an occupation name in English, French or Arabic (feminine, plural, a typo), or
    (None, a row error naming the value) when no unit group or several equally fit it. The wizard's search."""
    key = name.lower()
    if key not in lookups.occupation_names:
        hits = vocabulary_search("occupation", name, language=get_language() or "en", limit=4)
        value = name[:60]
        found: tuple[str | None, RowError | None]
        if not hits or hits[0].score < OCCUPATION_NAME_MIN_SCORE:
            found = (None, (_("Unknown occupation: %(value)s"), {"value": value}))
        elif len(hits) > 1 and hits[0].score - hits[1].score < OCCUPATION_NAME_LEAD:
            close = tuple(hit.code for hit in hits if hits[0].score - hit.score < OCCUPATION_NAME_LEAD)
            found = (
                None,
                (
                    _("Several occupations match “%(value)s”: %(choices)s. Give the ISCO-08 code."),
                    {"value": value, "choices": _OccupationChoices(close[:3])},
                ),
            )
        else:
            found = (hits[0].code, None)
        lookups.occupation_names[key] = found
    return lookups.occupation_names[key]


def _clean_occupations(row: _RowCleaning) -> None:
    """ISCO-08 codes ("2221", "2221 Nursing professionals") or occupation names ("infirmière", "nurse", "ممرضة")."""
    for item in _split(row.values.get("occupations", "")):
        first = item.split()[0]
        if first.isdigit():
            code: str | None = first
            if first not in row.lookups.occupations:
                row.error("occupations", _("Unknown ISCO-08 code: %(value)s"), value=item[:20])
                continue
        else:
            code, error = occupation_by_name(row.lookups, item)
            if error:
                message, params = error
                row.error("occupations", message, **params)
                continue
        if code not in row.data["occupations"]:
            row.data["occupations"].append(code)


def _clean_skills(row: _RowCleaning) -> None:
    """Known skills by their code; others become proposals for the vocabulary's curators."""
    for item in _split(row.values.get("skills", "")):
        code = row.lookups.skills.get(item.lower())
        if code is not None:
            if code not in row.data["skills"]:
                row.data["skills"].append(code)
        elif len(item) > 200:
            row.error("skills", _("A skill is at most 200 characters long."))
        else:
            try:
                validate_clean_text(item)
                if item.lower() not in {p.lower() for p in row.data["proposed_skills"]}:
                    row.data["proposed_skills"].append(item)
            except ValidationError as exc:
                row.error("skills", exc)


def _clean_preferred_language(row: _RowCleaning) -> None:
    language = (row.values.get("preferred_language") or "").lower()[:2]
    known = dict(settings.LANGUAGES)
    if language and language not in known:
        row.error("preferred_language", _("Use en, fr or ar."))
    row.data["preferred_language"] = language if language in known else row.default_language


# Each cleaner reads the row's values and adds clean data or errors; the order matters only for the phone.
ROW_CLEANERS = (
    _clean_required,
    _clean_email,
    _clean_names_and_places,
    _clean_work,
    _clean_birth_date,
    _clean_gender,
    _clean_countries,
    _clean_phone,
    _clean_years_experience,
    _clean_sectors,
    _clean_occupations,
    _clean_skills,
    _clean_languages,
    _clean_preferred_language,
)


def clean_row(
    values: dict[str, str], lookups: Lookups, default_language: str
) -> tuple[dict, dict[str, list[dict[str, str]]]]:
    """(clean data, errors by field, each in every interface language) for one row's mapped values."""
    row = _RowCleaning(values, lookups, default_language)
    for clean in ROW_CLEANERS:
        clean(row)
    return row.data, row.errors
