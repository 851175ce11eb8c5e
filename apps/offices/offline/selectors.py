"""Reads of the offline intake: the device's picker cache and the reviews waiting for a counsellor."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from apps.core.names import explain

from ..models import Office, Person, ReviewStatus, SyncConflict, SyncDuplicate
from ..permissions import can_read_person, manager_organisation_ids, works_in
from ..selectors import list_read_audit, person_list

PERSONS_CACHE_LIMIT = 500


def offline_office_get(*, user, pk) -> Office:
    """An office the user works in (404 for any other, or for an id that is not one)."""
    office = Office.objects.select_related("organisation").filter(pk=pk).first() if str(pk).isdigit() else None
    if office is None or not works_in(user, office):
        raise Http404
    return office


def offline_persons(*, user, office: Office, request=None) -> list[dict]:
    """The office's clients the user may read, for the device's picker: at most PERSONS_CACHE_LIMIT, the most
    recently contacted or edited first (logging a contact touches the client's ``updated_at``); identity only,
    never flags, phone or e-mail. One audited list read."""
    rows = list(
        person_list(user=user, office=office)
        .select_related(None)
        .values("id", "name_latin", "name_arabic", "birth_year", "version")[:PERSONS_CACHE_LIMIT]
    )
    total = person_list(user=user, office=office).count() if len(rows) == PERSONS_CACHE_LIMIT else len(rows)
    list_read_audit(
        user=user,
        records="person",
        filters={"office": office.pk, "offline": "device cache"},
        shown=len(rows),
        total=total,
        request=request,
    )
    return rows


# Reviews ----------------------------------------------------------------------------------------------------


def _reviews_q(user) -> Q:
    """What the user reviews: what they synced themselves, and everything of the offices they manage."""
    return Q(synced_by=user) | Q(office__organisation_id__in=manager_organisation_ids(user) or [0])


def pending_duplicates(*, user) -> QuerySet[SyncDuplicate]:
    return (
        SyncDuplicate.objects.filter(_reviews_q(user), status=ReviewStatus.PENDING)
        .select_related("person", "office__organisation", "synced_by")
        .order_by("-created_at", "-id")
    )


def pending_conflicts(*, user) -> QuerySet[SyncConflict]:
    return (
        SyncConflict.objects.filter(_reviews_q(user), status=ReviewStatus.PENDING)
        .select_related("person", "office__organisation", "synced_by")
        .order_by("-created_at", "-id")
    )


def pending_review_count(*, user) -> int:
    """How many reviews wait for the user (the link on the quick-log and the offices menu)."""
    return pending_duplicates(user=user).count() + pending_conflicts(user=user).count()


def _review_get(model, *, user, pk: int):
    review = model.objects.select_related("person__office__organisation", "office__organisation").filter(pk=pk).first()
    if review is None or not works_in(user, review.office) or not can_read_person(user, review.person):
        raise Http404
    return review


def sync_duplicate_get(*, user, pk: int) -> SyncDuplicate:
    """A possible duplicate found at sync, for staff of its office who may read the client (404 otherwise)."""
    return _review_get(SyncDuplicate, user=user, pk=pk)


def sync_conflict_get(*, user, pk: int) -> SyncConflict:
    """An edit conflict found at sync, for staff of its office who may read the client (404 otherwise)."""
    return _review_get(SyncConflict, user=user, pk=pk)


def duplicate_candidates(*, user, duplicate: SyncDuplicate) -> list[Person]:
    """The records the new client may match, still unmerged and readable by ``user``, in the order found."""
    ids = [c["id"] for c in duplicate.candidates]
    persons = {
        p.pk: p
        for p in Person.objects.filter(pk__in=ids, merged_into__isnull=True)
        .select_related("office__organisation", "counsellor", "nationality")
        .prefetch_related("languages")
        if can_read_person(user, p)
    }
    out = []
    for pk in ids:
        if pk in persons:
            persons[pk].match_reason = match_reason(duplicate.person, persons[pk])
            out.append(persons[pk])
    return out


def match_reason(person: Person, match: Person) -> str:
    """Why ``match`` may be the same client as ``person``, in the active language ("Latin name Youssef matches
    يوسف; same birth year"): the same rule as selectors.person_duplicates, told in words."""
    if person.phone.strip() and match.phone == person.phone.strip():
        return _("same phone number")
    if person.email.strip() and match.email.lower() == person.email.strip().lower():
        return _("same e-mail address")
    names = f"{match.name_latin} {match.name_arabic}"
    why = next((text for name in (person.name_latin, person.name_arabic) if (text := explain(name, names))), "")
    if why:
        return _("%(why)s; same birth year") % {"why": why}
    return _("similar name; same birth year")
