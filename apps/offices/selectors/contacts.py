"""Contacts and follow-ups."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from ..models import Contact
from ..permissions import manager_organisation_ids
from .common import readable_person_q


def contact_list(*, user, office=None) -> QuerySet[Contact]:
    contacts = Contact.objects.filter(readable_person_q(user, "person__", office_prefix=""))
    if office is not None:
        contacts = contacts.filter(office=office)
    return contacts.select_related("person", "office__organisation", "staff", "follow_up_assignee").order_by(
        "-occurred_at", "-id"
    )


def contact_get(*, user, pk: int) -> Contact:
    contact = contact_list(user=user).filter(pk=pk).first()
    if contact is None:
        raise Http404
    return contact


def follow_ups_of(*, user) -> QuerySet[Contact]:
    """The user's open follow-ups, overdue first (then by due date)."""
    return (
        contact_list(user=user)
        .filter(follow_up_assignee=user, follow_up_done_at__isnull=True, follow_up_due__isnull=False)
        .order_by("follow_up_due", "id")
    )


def office_overdue_follow_ups(*, user, today: dt.date | None = None) -> QuerySet[Contact]:
    """Overdue follow-ups of the offices the user manages."""
    today = today or timezone.localdate()
    return (
        Contact.objects.filter(
            office__organisation_id__in=manager_organisation_ids(user),
            follow_up_done_at__isnull=True,
            follow_up_due__lt=today,
        )
        .select_related("person", "office__organisation", "follow_up_assignee")
        .order_by("follow_up_due", "id")
    )


def follow_ups_due_by_assignee(*, day: dt.date) -> dict[int | None, list[Contact]]:
    """Open follow-ups due on or before ``day``, grouped by assignee (for the daily digest)."""
    grouped: dict[int | None, list[Contact]] = {}
    contacts = (
        Contact.objects.filter(follow_up_done_at__isnull=True, follow_up_due__lte=day)
        .select_related("person", "office__organisation", "follow_up_assignee")
        .order_by("follow_up_assignee_id", "follow_up_due", "id")
    )
    for contact in contacts:
        grouped.setdefault(contact.follow_up_assignee_id, []).append(contact)
    return grouped
