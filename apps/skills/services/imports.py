"""Import of existing skills lists (CSV or XLSX) by office staff.

1. ``import_batch_upload``: the file is read (UTF-8 CSV or XLSX) into one ``ImportRow`` per line.
2. ``import_batch_check_start``: the staff member maps columns to profile fields; a Celery task runs the dry
   run (``import_batch_check_run``): each row is validated and compared with existing profiles (same e-mail or
   phone, or a close name with the same birth date) and with the rows above it.
3. ``import_batch_apply_start``: a Celery task (``import_batch_apply_run``) creates an account and a profile for
   each ready row. Rows go in bulk, a chunk at a time inside a savepoint; when a chunk fails, its rows are
   retried one by one, each in its own savepoint, so each row is applied entirely or not at all.
4. The imported members get an invitation to claim their account and confirm their profile, in their
   language (or the office's). They are not listed in the skills bank until they consent themselves.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from apps.accounts.models import Membership, User
from apps.core.audit import audit_record
from apps.core.bulk import copy_rows
from apps.core.models import Country, Language
from apps.core.names import match as name_match
from apps.core.roles import Role
from apps.core.validators import phone_normalise, validate_birth_date, validate_clean_text

from ..models import (
    DiasporaProfile,
    Gender,
    ImportBatch,
    ImportRow,
    Occupation,
    ProfileLanguage,
    ProfileSkill,
    Sector,
    Skill,
)
from ..permissions import can_import, can_view_import, import_organisation_ids
from .consents import profile_search_refresh

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
CHUNK = 500
UPLOAD_CHUNK = 5_000
# Names at least this similar (pg_trgm similarity, its default threshold) with the same birth date: a likely duplicate.
NAME_SIMILARITY = 0.3

# The profile fields a column can be mapped to, in the order the mapping form shows them.
IMPORT_FIELDS: dict[str, object] = {
    "email": gettext_lazy("E-mail"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "first_name_ar": gettext_lazy("First name in Arabic script"),
    "last_name_ar": gettext_lazy("Last name in Arabic script"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "gender": gettext_lazy("Gender"),
    "phone": gettext_lazy("Phone"),
    "origin_country": gettext_lazy("Country of origin"),
    "origin_region": gettext_lazy("Region or municipality of origin"),
    "nationality": gettext_lazy("Nationality"),
    "residence_country": gettext_lazy("Country of residence"),
    "residence_city": gettext_lazy("City of residence"),
    "job_title": gettext_lazy("Job title"),
    "employer": gettext_lazy("Employer"),
    "years_experience": gettext_lazy("Years of experience"),
    "occupations": gettext_lazy("Occupations (ISCO-08 codes)"),
    "sectors": gettext_lazy("Sectors"),
    "skills": gettext_lazy("Skills"),
    "languages": gettext_lazy("Languages spoken"),
    "preferred_language": gettext_lazy("Language for messages (en, fr, ar)"),
}
REQUIRED_FIELDS = ("email", "first_name", "last_name")

# Header spellings recognised when guessing the mapping (lower case, accents kept).
_HEADER_GUESSES = {
    "email": {"email", "e-mail", "courriel", "mail", "البريد الإلكتروني", "البريد"},
    "first_name": {"first name", "first_name", "prénom", "prenom", "given name", "الاسم", "الاسم الأول"},
    "last_name": {"last name", "last_name", "nom", "surname", "family name", "nom de famille", "اللقب", "الكنية"},
    "first_name_ar": {"first name (arabic)", "first_name_ar", "prénom (arabe)"},
    "last_name_ar": {"last name (arabic)", "last_name_ar", "nom (arabe)"},
    "date_of_birth": {"date of birth", "birth date", "date_of_birth", "date de naissance", "تاريخ الميلاد"},
    "gender": {"gender", "sex", "sexe", "genre", "الجنس"},
    "phone": {"phone", "telephone", "téléphone", "mobile", "tel", "الهاتف"},
    "origin_country": {"origin", "country of origin", "origin_country", "pays d'origine", "بلد الأصل"},
    "origin_region": {"region", "region of origin", "région", "région d'origine"},
    "nationality": {"nationality", "nationalité", "الجنسية"},
    "residence_country": {"residence", "country of residence", "residence_country", "pays de résidence", "بلد الإقامة"},
    "residence_city": {"city", "city of residence", "ville", "ville de résidence", "المدينة"},
    "job_title": {"job title", "job_title", "position", "poste", "fonction", "profession", "الوظيفة"},
    "employer": {"employer", "employeur", "company", "entreprise", "صاحب العمل"},
    "years_experience": {"years of experience", "experience", "expérience", "années d'expérience"},
    "occupations": {"isco", "occupations", "occupation", "isco code", "code cito"},
    "sectors": {"sectors", "sector", "secteur", "secteurs", "القطاع"},
    "skills": {"skills", "skill", "compétences", "competences", "المهارات"},
    "languages": {"languages", "langues", "اللغات"},
    "preferred_language": {"preferred language", "language", "langue", "اللغة"},
}
_LIST_SPLIT = re.compile(r"\s*[;|]\s*")


class ImportFileError(ValidationError):
    """The uploaded file cannot be read; the message says why, in the user's language."""


# Reading files ----------------------------------------------------------------------------------------------


def read_table(*, name: str, content: bytes) -> tuple[list[str], list[list[str]]]:
    """(headers, rows) of a CSV (UTF-8) or XLSX file; raises ``ImportFileError`` when it cannot be read."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 20 MB. Split it into smaller files."), code="too_large")
    lowered = name.lower()
    if content[:4] == b"PK\x03\x04" or lowered.endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif lowered.endswith((".csv", ".txt")):
        rows = _read_csv(content)
    else:
        raise ImportFileError(_("Upload a CSV file (UTF-8) or an Excel workbook (.xlsx)."), code="type")
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ImportFileError(_("The file is empty."), code="empty")
    headers = [cell.strip()[:200] for cell in rows[0]]
    if not any(headers):
        raise ImportFileError(_("The first line must name the columns."), code="headers")
    body = rows[1:]
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": f"{MAX_ROWS:,}"},
            code="too_many_rows",
        )
    width = len(headers)
    return headers, [(row + [""] * width)[:width] for row in body]


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            _(
                "The file is not valid UTF-8 text (line %(line)s). Save it as “CSV UTF-8” from your spreadsheet "
                "and upload it again."
            )
            % {"line": line},
            code="encoding",
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("The file is not a text file."), code="binary")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": exc}, code="csv") from None


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of errors for a broken file
        raise ImportFileError(_("The workbook cannot be read. Save it as .xlsx and try again."), code="xlsx") from None
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append([_cell_text(value) for value in values])
        if len(rows) > MAX_ROWS + 1:
            break
    workbook.close()
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """Which column probably holds which field, from the header names."""
    mapping = {}
    for index, header in enumerate(headers):
        key = " ".join(header.lower().replace("_", " ").split())
        for target, spellings in _HEADER_GUESSES.items():
            if target not in mapping and (key in spellings or key.replace(" ", "_") == target):
                mapping[target] = index
                break
    return mapping


# Writes -----------------------------------------------------------------------------------------------------


@transaction.atomic
def import_batch_upload(
    *, actor, name: str, content: bytes, default_language: str, base_url: str = "", request=None
) -> ImportBatch:
    """Read an uploaded file into a new batch of rows (nothing is imported yet)."""
    if not can_import(actor):
        raise PermissionDenied
    organisations = sorted(import_organisation_ids(actor))
    if not organisations:
        raise PermissionDenied
    headers, rows = read_table(name=name, content=content)
    if default_language not in dict(settings.LANGUAGES):
        raise ValidationError({"default_language": _("This language is not available.")})
    batch = ImportBatch(
        uploaded_by=actor,
        organisation_id=organisations[0],
        file_name=name[:255],
        headers=headers,
        mapping=guess_mapping(headers),
        default_language=default_language,
        total_rows=len(rows),
        base_url=base_url or (request.build_absolute_uri("/") if request is not None else ""),
    )
    batch.full_clean(exclude=["uploaded_by", "organisation", "base_url"])
    batch.save()
    for start in range(0, len(rows), UPLOAD_CHUNK):
        ImportRow.objects.bulk_create(
            ImportRow(batch=batch, number=start + offset + 2, raw=row)  # line 1 is the header
            for offset, row in enumerate(rows[start : start + UPLOAD_CHUNK])
        )
    audit_record(actor=actor, action="import.upload", obj=batch, summary=f"{name}: {len(rows)} rows", request=request)
    return batch


def _check_mapping(batch: ImportBatch, mapping: dict) -> dict[str, int]:
    clean: dict[str, int] = {}
    errors = {}
    used: dict[int, str] = {}
    for target, index in mapping.items():
        if target not in IMPORT_FIELDS or index in (None, ""):
            continue
        index = int(index)
        if not 0 <= index < len(batch.headers):
            errors[target] = _("Choose one of the file's columns.")
        elif index in used:
            errors[target] = _("This column is already used for “%(field)s”.") % {"field": IMPORT_FIELDS[used[index]]}
        else:
            clean[target] = index
            used[index] = target
    for required in REQUIRED_FIELDS:
        if required not in clean and required not in errors:
            errors[required] = _("Choose the column that holds this field.")
    if errors:
        raise ValidationError(errors)
    return clean


def _lock_batch(batch: ImportBatch, actor) -> ImportBatch:
    if not can_view_import(actor, batch):
        raise PermissionDenied
    return ImportBatch.objects.select_for_update().get(pk=batch.pk)


@transaction.atomic
def import_batch_check_start(*, batch: ImportBatch, mapping: dict, actor, request=None) -> ImportBatch:
    """Save the column mapping and queue the dry run."""
    from ..import_tasks import import_batch_check

    locked = _lock_batch(batch, actor)
    if locked.status not in (ImportBatch.Status.UPLOADED, ImportBatch.Status.CHECKED, ImportBatch.Status.FAILED):
        raise ValidationError(_("This import is running or already done."))
    locked.mapping = _check_mapping(locked, mapping)
    locked.status = ImportBatch.Status.CHECKING
    locked.processed_rows = 0
    locked.error_message = ""
    locked.save(update_fields=["mapping", "status", "processed_rows", "error_message"])
    audit_record(actor=actor, action="import.check", obj=locked, summary=locked.file_name, request=request)
    import_batch_check.delay_on_commit(locked.pk)
    return locked


@transaction.atomic
def import_batch_apply_start(*, batch: ImportBatch, actor, request=None) -> ImportBatch:
    """Queue the import of the rows the dry run found ready."""
    from ..import_tasks import import_batch_apply

    locked = _lock_batch(batch, actor)
    if locked.status != ImportBatch.Status.CHECKED:
        raise ValidationError(_("Run the dry run before importing."))
    locked.status = ImportBatch.Status.APPLYING
    locked.processed_rows = 0
    locked.save(update_fields=["status", "processed_rows"])
    audit_record(actor=actor, action="import.apply", obj=locked, summary=locked.file_name, request=request)
    import_batch_apply.delay_on_commit(locked.pk)
    return locked


# Validating rows --------------------------------------------------------------------------------------------


@dataclass
class Lookups:
    """Reference data a batch needs, loaded once: codes and labels in the three languages → codes."""

    countries: dict[str, str] = field(default_factory=dict)
    languages: dict[str, str] = field(default_factory=dict)
    sectors: dict[str, str] = field(default_factory=dict)
    skills: dict[str, str] = field(default_factory=dict)
    occupations: set[str] = field(default_factory=set)

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


def row_values(raw: list[str], mapping: dict[str, int]) -> dict[str, str]:
    return {target: (raw[index] if index < len(raw) else "").strip() for target, index in mapping.items()}


@dataclass
class _RowCleaning:
    """One row being cleaned: what was read, what is clean so far, and the errors by field."""

    values: dict[str, str]
    lookups: Lookups
    default_language: str
    data: dict = field(
        default_factory=lambda: {"sectors": [], "occupations": [], "skills": [], "proposed_skills": [], "languages": []}
    )
    errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, name: str, message) -> None:
        self.errors.setdefault(name, []).append(str(message))

    def too_long(self, name: str, value: str, limit: int) -> bool:
        if len(value) <= limit:
            return False
        self.error(
            name, _("At most %(limit)s characters (this one has %(length)s).") % {"limit": limit, "length": len(value)}
        )
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
            for message in exc.messages:
                row.error(name, message)
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
        row.error("date_of_birth", exc.messages[0])


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
                row.error(name, _("Unknown country: %(value)s") % {"value": row.values[name][:50]})
            else:
                row.data[name] = code


def _clean_phone(row: _RowCleaning) -> None:
    """After the countries: a national number is read in the country of residence."""
    if not row.values.get("phone"):
        return
    try:
        row.data["phone"] = phone_normalise(row.values["phone"], region=row.data.get("residence_country"))
    except ValidationError as exc:
        row.error("phone", exc.messages[0])


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
            row.error(name, unknown % {"value": item[:50]})
        elif code not in row.data[name]:
            row.data[name].append(code)


def _clean_sectors(row: _RowCleaning) -> None:
    _clean_coded_list(row, "sectors", row.lookups.sectors, _("Unknown sector: %(value)s"))


def _clean_languages(row: _RowCleaning) -> None:
    _clean_coded_list(row, "languages", row.lookups.languages, _("Unknown language: %(value)s"))


def _clean_occupations(row: _RowCleaning) -> None:
    for item in _split(row.values.get("occupations", "")):
        code = item.split()[0]
        if code not in row.lookups.occupations:
            row.error("occupations", _("Unknown ISCO-08 code: %(value)s") % {"value": item[:20]})
        elif code not in row.data["occupations"]:
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
                row.error("skills", exc.messages[0])


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


def clean_row(values: dict[str, str], lookups: Lookups, default_language: str) -> tuple[dict, dict[str, list[str]]]:
    """(clean data, errors by field) for one row's mapped values."""
    row = _RowCleaning(values, lookups, default_language)
    for clean in ROW_CLEANERS:
        clean(row)
    return row.data, row.errors


def _duplicates_in_database(rows: list[tuple[ImportRow, dict]]) -> dict[int, tuple[int | None, str]]:
    """Row id → (profile id, reason code of ImportRow.DUPLICATE_REASONS) for rows that look like someone already in
    the skills bank."""
    found: dict[int, tuple[int | None, str]] = {}
    emails = {data["email"]: row.pk for row, data in rows if data.get("email")}
    if emails:
        for email, profile_id in User.objects.filter(email__in=list(emails)).values_list("email", "profile__id"):
            found[emails[email]] = (profile_id, "email")
    phones = {data["phone"]: row.pk for row, data in rows if data.get("phone") and row.pk not in found}
    if phones:
        query = DiasporaProfile.objects.filter(phone__in=list(phones), erased_at__isnull=True)
        for phone, profile_id in query.values_list("phone", "id"):
            found.setdefault(phones[phone], (profile_id, "phone"))
    candidates = [
        (row.pk, _names(data), data["date_of_birth"])
        for row, data in rows
        if row.pk not in found and data.get("date_of_birth") and _names(data)
    ]
    if candidates:
        for row_id, profile_id, reason in _same_name_and_birth(candidates):
            found[row_id] = (profile_id, reason)
    return found


# The people born the same day as a row, closest spelling first; few per day, so the names are compared in Python
# by the one name matcher as well (the same name in the other script, another transcription).
_BORN_THE_SAME_DAY_SQL = """
SELECT r.row_id, m.id, m.close, m.names
  FROM unnest(%s::bigint[], %s::text[], %s::date[]) AS r(row_id, names, born)
  CROSS JOIN LATERAL (
      SELECT p.id, similarity(p.search_names, unaccent(lower(r.names))) >= %s AS close,
             concat_ws(' ', p.first_name, p.last_name, p.first_name_ar, p.last_name_ar) AS names
        FROM skills_diasporaprofile p
       WHERE p.date_of_birth = r.born AND p.erased_at IS NULL
       ORDER BY similarity(p.search_names, unaccent(lower(r.names))) DESC, p.id
       LIMIT %s
  ) AS m
"""
BORN_THE_SAME_DAY_COMPARED = 50


def _same_name_and_birth(candidates: list[tuple[int, str, object]]) -> list[tuple[int, int, str]]:
    """(row id, profile id, reason) for the rows whose names are those of a profile born the same day: a close
    spelling (trigram similarity), or the same name in another script or transcription (apps.core.names)."""
    names_of = {row_id: names for row_id, names, _born in candidates}
    with connection.cursor() as cursor:
        # similarity() rather than the % operator: the few people born that day (birth-date index) are compared,
        # instead of every profile sharing a trigram with the name (the trigram index).
        cursor.execute(
            _BORN_THE_SAME_DAY_SQL,
            [
                [c[0] for c in candidates],
                [c[1] for c in candidates],
                [c[2] for c in candidates],
                NAME_SIMILARITY,
                BORN_THE_SAME_DAY_COMPARED,
            ],
        )
        rows = cursor.fetchall()
    out, done = [], set()
    for row_id, profile_id, close, names in rows:
        if row_id in done:
            continue
        if close:
            reason = "name"
        elif name_match(names_of[row_id], names):
            # The names themselves: the reader's page says why they match, in the reader's language.
            reason = f"script:{names_of[row_id]}|{names}"[:200]
        else:
            continue
        done.add(row_id)
        out.append((row_id, profile_id, reason))
    return out


def _rows_update(rows: list[ImportRow]) -> None:
    """Write what checking or applying found for each row, in one statement (``bulk_update`` builds one CASE
    per field and row, which grows with the square of the chunk size)."""
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE skills_importrow r
               SET status = v.status, errors = v.errors::jsonb, duplicate_of_id = v.duplicate_of,
                   duplicate_reason = v.reason, profile_id = v.profile
              FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::bigint[], %s::text[], %s::bigint[])
                   AS v(id, status, errors, duplicate_of, reason, profile)
             WHERE r.id = v.id
            """,
            [
                [row.pk for row in rows],
                [row.status for row in rows],
                [json.dumps(row.errors or {}) for row in rows],
                [row.duplicate_of_id for row in rows],
                [str(row.duplicate_reason) for row in rows],
                [row.profile_id for row in rows],
            ],
        )


def _names(data: dict) -> str:
    return " ".join(
        part for part in (data.get(k, "") for k in ("first_name", "last_name", "first_name_ar", "last_name_ar")) if part
    )


def import_batch_check_run(*, batch_id: int) -> None:
    """The dry run: validate every row, find likely duplicates, record the result per row. Idempotent."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportBatch.Status.CHECKING:
        return
    lookups = Lookups.load()
    seen_emails: dict[str, int] = {}
    seen_phones: dict[str, int] = {}
    processed = 0
    last_number = 0
    while True:
        chunk = list(batch.rows.filter(number__gt=last_number).order_by("number")[:CHUNK])
        if not chunk:
            break
        last_number = chunk[-1].number
        cleaned = []
        for row in chunk:
            data, errors = clean_row(row_values(row.raw, batch.mapping), lookups, batch.default_language)
            row.errors, row.duplicate_of_id, row.duplicate_reason = errors, None, ""
            row.status = ImportRow.Status.INVALID if errors else ImportRow.Status.VALID
            if not errors:
                cleaned.append((row, data))
        for row, data in cleaned:
            earlier = seen_emails.get(data["email"]) or (seen_phones.get(data["phone"]) if data.get("phone") else None)
            if earlier:
                row.status = ImportRow.Status.DUPLICATE
                row.duplicate_reason = f"row:{earlier}"
            seen_emails.setdefault(data["email"], row.number)
            if data.get("phone"):
                seen_phones.setdefault(data["phone"], row.number)
        in_database = _duplicates_in_database([(row, data) for row, data in cleaned])
        for row, _data in cleaned:
            if row.pk in in_database and row.status == ImportRow.Status.VALID:
                row.status = ImportRow.Status.DUPLICATE
                row.duplicate_of_id, row.duplicate_reason = in_database[row.pk]
        processed += len(chunk)
        with transaction.atomic():
            _rows_update(chunk)
            ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=processed)
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.CHECKING).update(
        status=ImportBatch.Status.CHECKED, processed_rows=processed, finished_at=timezone.now()
    )


# Applying rows ----------------------------------------------------------------------------------------------


def _insert_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """Plain values into ``model``'s table with one ``COPY`` (link rows need no model instances: at 100,000 rows
    building them was most of the import's Python time). Table and columns come from the model."""
    meta = model._meta
    columns = [connection.ops.quote_name(meta.get_field(name).column) for name in fields]
    with connection.cursor() as cursor:
        copy_rows(cursor, connection.ops.quote_name(meta.db_table), columns, rows)


def _create_members(items: list[tuple[ImportRow, dict]], batch: ImportBatch) -> list[int]:
    """Accounts, memberships and profiles for ``items`` in bulk; returns the new profile ids in order."""
    from allauth.account.models import EmailAddress

    now = timezone.now()
    # No password until the member claims the account (the invitation's reset link); one unusable value per chunk.
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                email=data["email"],
                full_name=f"{data['first_name']} {data['last_name']}".strip()[:200],
                preferred_language=data["preferred_language"],
                password=unusable,
                date_joined=now,
            )
            for _row, data in items
        ]
    )
    member_group = Group.objects.get(name=Role.MEMBER)
    _insert_rows(EmailAddress, ["user", "email", "verified", "primary"], [(u.pk, u.email, False, True) for u in users])
    _insert_rows(User.groups.through, ["user", "group"], [(user.pk, member_group.pk) for user in users])
    _insert_rows(
        Membership, ["user", "role", "is_active", "created_at"], [(u.pk, Role.MEMBER, True, now) for u in users]
    )
    profiles = DiasporaProfile.objects.bulk_create(
        [
            DiasporaProfile(
                user=user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                first_name_ar=data.get("first_name_ar", ""),
                last_name_ar=data.get("last_name_ar", ""),
                date_of_birth=data.get("date_of_birth"),
                gender=data.get("gender", ""),
                origin_country_id=data.get("origin_country"),
                origin_region=data.get("origin_region", ""),
                nationality_id=data.get("nationality"),
                residence_country_id=data.get("residence_country"),
                residence_city=data.get("residence_city", ""),
                phone=data.get("phone", ""),
                job_title=data.get("job_title", ""),
                employer=data.get("employer", ""),
                years_experience=data.get("years_experience"),
                source="import",
            )
            for user, (_row, data) in zip(users, items, strict=True)
        ]
    )
    sectors, occupations, skills, languages = [], [], [], []
    for profile, (_row, data) in zip(profiles, items, strict=True):
        sectors += [(profile.pk, code) for code in data["sectors"]]
        occupations += [(profile.pk, code) for code in data["occupations"]]
        skills += [(profile.pk, code, "", ProfileSkill.Kind.INFORMAL) for code in data["skills"]]
        skills += [(profile.pk, None, text, ProfileSkill.Kind.INFORMAL) for text in data["proposed_skills"]]
        languages += [(profile.pk, code, ProfileLanguage.Level.WORKING) for code in data["languages"]]
    _insert_rows(DiasporaProfile.sectors.through, ["diasporaprofile", "sector"], sectors)
    _insert_rows(DiasporaProfile.occupations.through, ["diasporaprofile", "occupation"], occupations)
    _insert_rows(ProfileSkill, ["profile", "skill", "proposed_text", "kind"], skills)
    _insert_rows(ProfileLanguage, ["profile", "language", "level"], languages)
    ids = [profile.pk for profile in profiles]
    profile_search_refresh(profile_ids=ids)
    return ids


def import_rows_apply(*, batch: ImportBatch, rows: list[ImportRow], lookups: Lookups) -> tuple[int, int]:
    """Apply ready rows: in bulk inside a savepoint, or row by row when the bulk attempt fails.

    Each row is applied entirely or not at all. Returns (imported, failed).
    """
    items = []
    for row in rows:
        data, errors = clean_row(row_values(row.raw, batch.mapping), lookups, batch.default_language)
        if errors:  # reference data changed since the dry run
            row.status, row.errors = ImportRow.Status.FAILED, errors
        else:
            items.append((row, data))
    try:
        with transaction.atomic():
            ids = _create_members(items, batch) if items else []
        for (row, _data), profile_id in zip(items, ids, strict=True):
            row.status, row.profile_id = ImportRow.Status.IMPORTED, profile_id
    except (IntegrityError, DatabaseError, ValidationError):
        for row, data in items:
            try:
                with transaction.atomic():
                    (profile_id,) = _create_members([(row, data)], batch)
                row.status, row.profile_id = ImportRow.Status.IMPORTED, profile_id
            except IntegrityError:
                row.status = ImportRow.Status.FAILED
                row.errors = {"email": [_("An account with this e-mail address already exists.")]}
            except (DatabaseError, ValidationError) as exc:
                row.status = ImportRow.Status.FAILED
                row.errors = {"__all__": [_("This row could not be saved: %(error)s") % {"error": str(exc)[:200]}]}
    _rows_update(rows)
    imported = sum(1 for row in rows if row.status == ImportRow.Status.IMPORTED)
    return imported, len(rows) - imported


def import_batch_apply_run(*, batch_id: int) -> None:
    """Import the ready rows of a checked batch, a chunk per transaction. Idempotent: imported rows stay so."""
    from ..import_tasks import import_invitations_send

    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportBatch.Status.APPLYING:
        return
    lookups = Lookups.load()
    total_imported = total_failed = 0
    processed = batch.rows.exclude(status=ImportRow.Status.VALID).count()
    last_number = 0
    while True:
        with transaction.atomic():
            rows = list(
                batch.rows.select_for_update()
                .filter(status=ImportRow.Status.VALID, number__gt=last_number)
                .order_by("number")[:CHUNK]
            )
            if not rows:
                break
            last_number = rows[-1].number
            imported, failed = import_rows_apply(batch=batch, rows=rows, lookups=lookups)
            total_imported += imported
            total_failed += failed
            processed += len(rows)
            ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=processed)
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.APPLYING).update(
            status=ImportBatch.Status.APPLIED, processed_rows=batch.total_rows, finished_at=timezone.now()
        )
        audit_record(
            actor=batch.uploaded_by,
            action="import.applied",
            obj=batch,
            summary=f"{total_imported} imported, {total_failed} not imported",
            extra={"imported": total_imported, "failed": total_failed},
        )
        import_invitations_send.delay_on_commit(batch.pk)


def import_batch_fail(*, batch_id: int, message: str) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(
        status=ImportBatch.Status.FAILED, error_message=message[:2000], finished_at=timezone.now()
    )


# Invitations ------------------------------------------------------------------------------------------------


def invitation_message(*, user: User, office_name: str, base_url: str):
    """The invitation e-mail to claim an imported profile, in the member's language."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string
    from django.urls import reverse

    with override(user.preferred_language):
        key = default_token_generator.make_token(user)
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
        base = base_url.rstrip("/")
        context = {
            "user": user,
            "office": office_name,
            "claim_url": base + path,
            "reset_url": base + reverse("account_reset_password"),
        }
        subject = render_to_string("skills/staff/email/invitation_subject.txt", context).strip()
        body = render_to_string("skills/staff/email/invitation.txt", context)
    return EmailMultiAlternatives(subject=subject, body=body, to=[user.email])


def import_invitations_send_run(*, batch_id: int, limit: int = 1000) -> int:
    """Send the invitations not sent yet for a batch (a chunk at a time); returns how many were sent."""
    from django.core.mail import get_connection

    batch = ImportBatch.objects.select_related("organisation").get(pk=batch_id)
    office = batch.organisation.name if batch.organisation_id else ""
    sent = 0
    while True:
        with transaction.atomic():
            rows = list(
                batch.rows.select_for_update(skip_locked=True, of=("self",))
                .filter(status=ImportRow.Status.IMPORTED, invited_at__isnull=True, profile__isnull=False)
                .select_related("profile__user")
                .order_by("number")[:limit]
            )
            if not rows:
                return sent
            messages = [
                invitation_message(user=row.profile.user, office_name=office, base_url=batch.base_url) for row in rows
            ]
            with get_connection() as mail:
                mail.send_messages(messages)
            now = timezone.now()
            ImportRow.objects.filter(pk__in=[row.pk for row in rows]).update(invited_at=now)
            sent += len(rows)
