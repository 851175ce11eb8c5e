"""Shared by the offices reads: who may read which clients, and the audit of list reads."""

from __future__ import annotations

from django.db.models import Q

from apps.core.audit import audit_record

from ..models import Office
from ..permissions import manager_organisation_ids, staff_organisation_ids

LIST_READ_RECORDS = ("person", "contact", "referral")


def list_read_audit(*, user, records: str, filters: dict, shown: int, total: int, request=None) -> None:
    """One audit event for one read of a list of personal records (a page of the list, in a page or the API):
    which list, the filter used, how many records were shown and how many matched; never the records."""
    if records not in LIST_READ_RECORDS:
        raise ValueError(f"not a list of personal records: {records}")
    used = {name: str(value) for name, value in filters.items() if value not in ("", None)}
    audit_record(
        actor=user,
        action=f"offices.{records}.list",
        object_type=f"offices.{records}",
        summary=f"{shown} of {total}",
        request=request,
        extra={"filters": used, "count": shown, "total": total},
    )


def readable_person_q(user, prefix: str = "", office_prefix: str | None = None) -> Q:
    """Persons of the user's offices; flagged ones only for their counsellor and the office manager.

    ``office_prefix`` lets a contact or referral be scoped on its own ``office`` column (always the person's
    office), so the planner starts from that row's index rather than from the person.
    """
    p = prefix
    o = p if office_prefix is None else office_prefix
    managed = manager_organisation_ids(user)
    staffed = staff_organisation_ids(user) - managed
    # office ids as a subquery on the small office table: the big tables are filtered on their office_id index
    condition = Q(**{f"{o}office_id__in": office_ids(managed)})
    if staffed:
        condition |= Q(**{f"{o}office_id__in": office_ids(staffed)}) & (
            Q(**{f"{p}vulnerabilities": []}) | Q(**{f"{p}counsellor_id": user.pk})
        )
    return condition


def office_ids(organisation_ids):
    return Office.objects.filter(organisation_id__in=organisation_ids or [0]).values("id")
