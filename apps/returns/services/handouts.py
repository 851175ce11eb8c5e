"""Information sheets handed out to a person during a contact with the desk."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.offices.permissions import can_read_person

from ..models import InfoSheet, SheetHandout
from ..permissions import can_hand_out_sheets
from ._common import require


@transaction.atomic
def contact_sheets_hand_out(*, contact, actor, sheets: Iterable[InfoSheet]) -> list[SheetHandout]:
    """Record that ``sheets`` were given during ``contact``. Only staff who may read the person do it (others get
    a 404, as in the offices app); only published sheets; a sheet already recorded for the contact is not
    recorded twice. Returns the new records."""
    require(can_hand_out_sheets(actor))
    if not can_read_person(actor, contact.person):
        raise Http404
    sheets = list(dict.fromkeys(sheets))
    if not sheets:
        raise ValidationError({"sheets": _("Choose at least one information sheet.")})
    if any(sheet.status != InfoSheet.Status.PUBLISHED for sheet in sheets):
        raise ValidationError({"sheets": _("Only published information sheets can be handed out.")})
    already = set(SheetHandout.objects.filter(contact=contact).values_list("sheet_id", flat=True))
    new = [
        SheetHandout(contact=contact, sheet=sheet, handed_out_by=actor) for sheet in sheets if sheet.pk not in already
    ]
    SheetHandout.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        audit_record(
            actor=actor,
            action="sheet_handout.create",
            obj=contact,
            extra={"person": contact.person_id, "sheets": [h.sheet_id for h in new]},
        )
    return new
