"""Writes to the information library."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record

from ..models import InfoSheet
from ..permissions import can_edit_content
from ._common import LANGUAGE_CODES, SEARCH_CONFIG, add_months, apply, require

TRANSLATED_FIELDS = [f"{name}_{code}" for code in LANGUAGE_CODES for name in ("title", "body")]
FIELDS = ["kind", "country", "topic", *TRANSLATED_FIELDS, "sources", "status", "review_interval_months"]


def _check_languages(sheet: InfoSheet) -> None:
    """Each language is either complete (title and text) or absent; at least one is complete."""
    errors = {}
    for code in LANGUAGE_CODES:
        title = (getattr(sheet, f"title_{code}") or "").strip()
        body = (getattr(sheet, f"body_{code}") or "").strip()
        if title and not body:
            errors[f"body_{code}"] = _("Write the text in this language too, or remove its title.")
        elif body and not title:
            errors[f"title_{code}"] = _("Give a title in this language too, or remove its text.")
    if not errors and not sheet.available_languages():
        errors["title_en"] = _("Write the sheet in at least one language.")
    if errors:
        raise ValidationError(errors)


def _save(sheet: InfoSheet) -> None:
    sheet.review_due_on = add_months(sheet.reviewed_on, sheet.review_interval_months or 1)
    _check_languages(sheet)
    sheet.full_clean(exclude=["title", "body"])
    sheet.save()
    info_sheet_search_refresh(sheet_ids=[sheet.pk])


def info_sheet_search_refresh(*, sheet_ids: list[int]) -> None:
    """Recompute the stored search document of each language (title weighted above text)."""
    InfoSheet.objects.filter(pk__in=sheet_ids).update(
        **{
            f"search_{code}": SearchVector(f"title_{code}", weight="A", config=config)
            + SearchVector(f"body_{code}", weight="B", config=config)
            for code, config in SEARCH_CONFIG.items()
        }
    )


@transaction.atomic
def info_sheet_create(*, actor, data: dict) -> InfoSheet:
    require(can_edit_content(actor))
    sheet = InfoSheet(reviewed_on=timezone.localdate(), reviewed_by=actor)
    apply(sheet, data, FIELDS)
    _save(sheet)
    audit_record(actor=actor, action="info_sheet.create", obj=sheet, summary=str(sheet))
    return sheet


@transaction.atomic
def info_sheet_update(*, sheet: InfoSheet, actor, data: dict) -> InfoSheet:
    require(can_edit_content(actor))
    apply(sheet, data, FIELDS)
    _save(sheet)
    audit_record(actor=actor, action="info_sheet.update", obj=sheet, summary=str(sheet))
    return sheet


@transaction.atomic
def info_sheet_mark_reviewed(*, sheet: InfoSheet, actor) -> InfoSheet:
    """An editor checked the sheet against its sources: it is fresh again for its review interval."""
    require(can_edit_content(actor))
    sheet.reviewed_on = timezone.localdate()
    sheet.reviewed_by = actor
    _save(sheet)
    audit_record(actor=actor, action="info_sheet.review", obj=sheet, summary=str(sheet))
    return sheet
