"""The columns of an import: the profile fields they can be mapped to, guessed from headers, checked."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...models import ImportBatch

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
    "occupations": gettext_lazy("Occupations (ISCO-08 codes or names)"),
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
    "occupations": {
        "isco",
        "occupations",
        "occupation",
        "isco code",
        "code cito",
        "métier",
        "métiers",
        "metier",
        "المهنة",
        "المهن",
    },
    "sectors": {"sectors", "sector", "secteur", "secteurs", "القطاع"},
    "skills": {"skills", "skill", "compétences", "competences", "المهارات"},
    "languages": {"languages", "langues", "اللغات"},
    "preferred_language": {"preferred language", "language", "langue", "اللغة"},
}


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


def check_mapping(batch: ImportBatch, mapping: dict) -> dict[str, int]:
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


def row_values(raw: list[str], mapping: dict[str, int]) -> dict[str, str]:
    return {target: (raw[index] if index < len(raw) else "").strip() for target, index in mapping.items()}
