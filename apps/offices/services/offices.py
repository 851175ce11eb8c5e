"""Offices: opened from the portal, created for an organisation, edited."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from apps.accounts.models import Organisation
from apps.core.audit import audit_record

from ..models import (
    Office,
)
from ..permissions import (
    can_create_office,
    can_edit_office,
    works_in,
)


@transaction.atomic
def office_create(*, organisation, type: str, country=None, municipality: str, actor=None, **fields) -> Office:  # noqa: A002
    languages = fields.pop("languages", None)
    office = Office(organisation=organisation, type=type, country=country or organisation.country, **fields)
    office.municipality = municipality
    office.full_clean()
    office.save()
    if languages is not None:
        office.languages.set(languages)
    audit_record(actor=actor, action="offices.office.create", obj=office, summary=str(office))
    return office


OFFICE_FIELDS = ("type", "country", "municipality", "address", "hotline", "email", "is_public",
                 *(f"opening_hours_{code}" for code, _name in settings.LANGUAGES))  # fmt: skip


@transaction.atomic
def office_open(*, actor, name: str, languages=(), **fields) -> Office:
    """A new office from the portal (administrators): its organisation, then the office."""
    if not can_create_office(actor):
        raise PermissionDenied
    unknown = set(fields) - set(OFFICE_FIELDS)
    if unknown:
        raise TypeError(f"unknown office fields: {sorted(unknown)}")
    if not name.strip():
        raise ValidationError({"name": _("Give the office's name.")})
    organisation = Organisation(name=name.strip(), type=Organisation.Type.MIGRATION_OFFICE, country=fields["country"])
    organisation.full_clean()
    organisation.save()
    return office_create(organisation=organisation, actor=actor, languages=list(languages), **fields)


@transaction.atomic
def office_update(*, office: Office, actor, name: str | None = None, languages=None, **changes) -> list[str]:
    """Edit an office (administrators, its managers); returns the names of the fields that changed."""
    if not can_edit_office(actor, office):
        raise Http404 if not works_in(actor, office) else PermissionDenied
    unknown = set(changes) - set(OFFICE_FIELDS)
    if unknown:
        raise TypeError(f"unknown office fields: {sorted(unknown)}")
    changed = [field for field, value in changes.items() if getattr(office, field) != value]
    for field in changed:
        setattr(office, field, changes[field])
    office.full_clean()
    office.save()
    if name is not None and name.strip() and name.strip() != office.organisation.name:
        office.organisation.name = name.strip()
        office.organisation.full_clean()
        office.organisation.save(update_fields=["name"])
        changed.append("name")
    if languages is not None and set(languages) != set(office.languages.all()):
        office.languages.set(languages)
        changed.append("languages")
    if changed:
        audit_record(actor=actor, action="offices.office.update", obj=office, extra={"fields": sorted(changed)})
    return changed
