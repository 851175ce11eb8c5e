"""Writes to vacancies and the network partner directory."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.formatting import format_list
from apps.core.validators import validate_no_control_characters

from ..models import NetworkPartner, Vacancy
from ..permissions import can_edit_partners, can_edit_vacancies
from ._common import apply, require

VACANCY_FIELDS = [
    "title",
    "employer",
    "source",
    "country",
    "region",
    "sector",
    "occupation",
    "description",
    "closing_date",
    "link",
]
# Many-to-many fields, set after the vacancy is saved.
VACANCY_RELATIONS = ["skills", "languages"]
PARTNER_FIELDS = ["organisation", "role", "services", "contact_person", "phone", "notes", "is_active"]


def _check_vacancy(vacancy: Vacancy) -> None:
    if vacancy.closing_date and vacancy.closing_date < timezone.localdate():
        raise ValidationError({"closing_date": _("The closing date has already passed.")})
    vacancy.full_clean()


def _set_relations(vacancy: Vacancy, data: dict) -> None:
    for name in VACANCY_RELATIONS:
        if name in data:
            getattr(vacancy, name).set(data[name] or [])


@transaction.atomic
def vacancy_create(*, actor, data: dict) -> Vacancy:
    require(can_edit_vacancies(actor))
    vacancy = Vacancy(created_by=actor)
    apply(vacancy, data, VACANCY_FIELDS)
    _check_vacancy(vacancy)
    vacancy.save()
    _set_relations(vacancy, data)
    audit_record(actor=actor, action="vacancy.create", obj=vacancy, summary=str(vacancy))
    return vacancy


@transaction.atomic
def vacancy_update(*, vacancy: Vacancy, actor, data: dict) -> Vacancy:
    require(can_edit_vacancies(actor))
    apply(vacancy, data, VACANCY_FIELDS)
    _check_vacancy(vacancy)
    vacancy.save()
    _set_relations(vacancy, data)
    audit_record(actor=actor, action="vacancy.update", obj=vacancy, summary=str(vacancy))
    return vacancy


@transaction.atomic
def network_partner_save(*, actor, data: dict, partner: NetworkPartner | None = None) -> NetworkPartner:
    require(can_edit_partners(actor))
    partner = partner or NetworkPartner()
    apply(partner, data, PARTNER_FIELDS)
    partner.services = sorted(set(partner.services or []))
    partner.full_clean()
    partner.save()
    audit_record(actor=actor, action="network_partner.save", obj=partner, summary=str(partner))
    return partner


IMPORT_COLUMNS = [
    "title",
    "employer",
    "source",
    "country",
    "region",
    "sector",
    "occupation",
    "closing_date",
    "link",
    "description",
    "skills",
    "languages",
]
# Codes in the skills and languages cells are separated by semicolons: "irrigation; soil-analysis".
LIST_SEPARATOR = ";"


@dataclass
class ImportReport:
    created: int = 0
    rejected: list[tuple[int, list[str]]] = field(default_factory=list)


def _import_row(row: dict) -> dict:
    """Turn one CSV row into vacancy data; raises ValidationError naming what is wrong."""
    from apps.core.models import Country
    from apps.skills.models import Occupation, Sector

    errors: dict[str, Any] = {}
    data: dict[str, Any] = {name: (row.get(name) or "").strip() for name in IMPORT_COLUMNS}
    for name, value in data.items():
        # NUL and other control characters cannot be stored (PostgreSQL refuses NUL): the row is reported.
        try:
            validate_no_control_characters(value)
        except ValidationError as exc:
            errors[name] = exc.messages[0]
            data[name] = ""
    for name, model in (("country", Country), ("sector", Sector), ("occupation", Occupation)):
        code = data[name].upper() if name == "country" else data[name]
        if not code:
            data[name] = None
            continue
        data[name] = model.objects.filter(pk=code).first()
        if data[name] is None:
            errors[name] = _("Unknown code “%(code)s”.") % {"code": code}
    from apps.core.models import Language
    from apps.skills.models import Skill

    vocabularies: tuple[tuple[str, type[Skill] | type[Language]], ...] = (("skills", Skill), ("languages", Language))
    for name, vocabulary in vocabularies:
        codes = list(dict.fromkeys(c.strip() for c in data[name].split(LIST_SEPARATOR) if c.strip()))
        if name == "languages":
            codes = [code.lower() for code in codes]
        found = vocabulary._default_manager.in_bulk(codes)
        unknown = [code for code in codes if code not in found]
        if unknown:
            errors[name] = [_("Unknown code “%(code)s”.") % {"code": code} for code in unknown]
        data[name] = [found[code] for code in codes if code in found]
    try:
        data["closing_date"] = datetime.date.fromisoformat(data["closing_date"]) if data["closing_date"] else None
    except ValueError:
        errors["closing_date"] = _("Write the date as YYYY-MM-DD.")
    if errors:
        raise ValidationError(errors)
    return data


def vacancies_import_csv(*, actor, text: str) -> ImportReport:
    """Create one vacancy per valid CSV row (header: IMPORT_COLUMNS). Each row is saved whole or not at all, and
    every rejected row is reported with its line number and reasons."""
    require(can_edit_vacancies(actor))
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text))
    missing = [
        name for name in ("title", "employer", "country", "closing_date") if name not in (reader.fieldnames or [])
    ]
    if missing:
        raise ValidationError(
            {"file": _("The file has no column named: %(columns)s.") % {"columns": format_list(missing)}}
        )
    for row in reader:
        line = reader.line_num
        try:
            with transaction.atomic():
                vacancy_create(actor=actor, data=_import_row(row))
        except ValidationError as exc:
            messages = [
                f"{name}: {message}" if name != "__all__" else message
                for name, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items()
                for message in errors
            ]
            report.rejected.append((line, messages))
        else:
            report.created += 1
    return report
