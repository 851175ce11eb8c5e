"""What offices recorded about a member, for the member's own data export."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from ..models import Contact, Person


def persons_with_contacts(queryset: QuerySet[Person]) -> QuerySet[Person]:
    return queryset.prefetch_related(Prefetch("contacts", queryset=Contact.objects.order_by("-occurred_at")))


def contacts_concerning_member(user) -> list[dict]:
    """For a member's own data export: the contacts offices logged about the person linked to their profile.

    Restricted notes stay out (they are the counsellors' working notes, readable only by the assigned counsellor
    and the office manager); everything else recorded about the contact is included.
    """
    rows = (
        Contact.objects.filter(person__profile__user=user)
        .select_related("office__organisation")
        .order_by("occurred_at")
        .values(
            "occurred_at",
            "office__organisation__name",
            "channel",
            "family_relationship",
            "topics",
            "summary",
            "outcome",
            "follow_up_due",
        )
    )
    return [
        {
            "when": row["occurred_at"].isoformat(),
            "office": row["office__organisation__name"],
            "channel": row["channel"],
            "reported_by_family_member": row["family_relationship"] or None,
            "topics": row["topics"],
            "summary": row["summary"],
            "outcome": row["outcome"],
            "follow_up_due": row["follow_up_due"].isoformat() if row["follow_up_due"] else None,
        }
        for row in rows
    ]
