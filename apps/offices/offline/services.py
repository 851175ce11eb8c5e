"""The offline sync: each queued item applied once (idempotency store), in order, in its own transaction.

An item's answer is final and stored under its key, except ``unknown_ref`` (the client it names has not been
synced yet: the device sends it again later). New clients likely matching existing ones are created and put up
for review (SyncDuplicate); an edit that meets a change made on the server since the device read the record is
not applied and kept whole for review (SyncConflict). Each sync request is one audit event.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import serializers

from apps.core.audit import audit_record
from apps.core.idempotency import Answer, KeyReusedError, fingerprint, run_once, stored_answer

from .. import selectors, services
from ..api.serializers import ContactSerializer, PersonSerializer, PersonUpdateSerializer
from ..models import Person, ReviewStatus, SyncConflict, SyncDuplicate
from ..permissions import can_read_person, can_read_restricted
from .conflicts import conflicting_fields, field_label, person_values
from .selectors import match_reason

KINDS = ("person.create", "contact.create", "person.update", "followup.done")
CREATED_STATUSES = ("created", "duplicate")


@dataclass
class Rejected(Exception):  # noqa: N818 (an answer, not an error)
    """An item not applied: ``final`` rejections are stored under the key; the others may be sent again."""

    code: str
    message: str
    errors: dict = field(default_factory=dict)
    final: bool = True


def _messages(detail) -> dict[str, list[str]]:
    """Field → messages, from a serializer's errors or a Django ValidationError."""
    if isinstance(detail, ValidationError):
        detail = detail.message_dict if hasattr(detail, "error_dict") else {"non_field_errors": detail.messages}
    out = {}
    for name, value in dict(detail).items():
        values = value if isinstance(value, list) else [value]
        out[str(name)] = [str(v) for v in values]
    return out


def _invalid(errors: dict) -> Rejected:
    return Rejected("invalid", _("This item is not valid; correct it and enter it again."), _messages(errors))


def _valid(serializer):
    if not serializer.is_valid():
        raise _invalid(serializer.errors)
    return dict(serializer.validated_data)


def _check_age(created_on_device) -> None:
    when = parse_datetime(created_on_device) if isinstance(created_on_device, str) else None
    if when is None or timezone.is_naive(when):
        raise _invalid({"created_on_device": [_("Give the date and time with their offset (ISO 8601).")]})
    days = settings.OFFLINE_MAX_AGE_DAYS
    if timezone.now() - when > dt.timedelta(days=days):
        message = ngettext(
            "This item was recorded on the device more than %(days)d day ago; the server no longer accepts it. "
            "Enter it again if it is still needed.",
            "This item was recorded on the device more than %(days)d days ago; the server no longer accepts it. "
            "Enter it again if it is still needed.",
            days,
        ) % {"days": days}
        raise Rejected("too_old", message)


def _person_data(person: Person, user) -> dict:
    context = {"restricted": {person.pk: can_read_restricted(user, person)}}
    return dict(PersonSerializer(person, context=context).data)


def _current(person: Person) -> Person:
    """The record a merged client now lives in (a device's cache may name the duplicate)."""
    seen = 0
    while person.merged_into_id and seen < 10:
        person = Person.objects.select_related("office").get(pk=person.merged_into_id)
        seen += 1
    return person


# The item kinds ---------------------------------------------------------------------------------------------


def _person_create(*, user, device: str, key: str, payload: dict) -> dict:
    data = _valid(PersonSerializer(data=payload))
    office = data.pop("office")
    person = services.person_create(office=office, actor=user, **data)
    result = {"status": "created", "object": _person_data(person, user)}
    matches = selectors.person_duplicates(
        office=office,
        user=user,
        exclude_id=person.pk,
        name_latin=person.name_latin,
        name_arabic=person.name_arabic,
        birth_year=person.birth_year,
        phone=person.phone,
        email=person.email,
    )
    if not matches:
        return result
    found = [{"id": m.pk, "reason": match_reason(person, m)} for m in matches]
    duplicate = SyncDuplicate.objects.create(
        office=office, person=person, candidates=found, synced_by=user, key=key, device=device
    )
    audit_record(actor=user, action="offline.duplicate.found", obj=duplicate, extra={"person": person.pk})
    return {
        **result,
        "status": "duplicate",
        "possible_duplicates": [
            {
                "id": m.pk,
                "name_latin": m.name_latin,
                "name_arabic": m.name_arabic,
                "birth_year": m.birth_year,
                "reason": f["reason"],
            }
            for m, f in zip(matches, found, strict=True)
        ],  # fmt: skip
        "review_url": reverse("offices:offline-review-duplicate", kwargs={"pk": duplicate.pk}),
    }


def _referenced_person(*, user, value) -> int:
    """A contact's ``person``: an id, or {"ref": key of an earlier person.create item of this user}."""
    if not isinstance(value, dict):
        return value
    ref = str(value.get("ref", ""))
    record = stored_answer(user=user, key=ref) if ref else None
    if record is None:
        raise Rejected(
            "unknown_ref", _("The new client this contact is about has not reached the server yet."), final=False
        )
    body = record.body if isinstance(record.body, dict) else {}
    if record.scope == "offline:person.create" and body.get("status") in CREATED_STATUSES:
        return body["object"]["id"]
    if record.scope == "offline:person.create" and body.get("status") == "rejected":
        raise Rejected("depends_on_rejected", _("The new client this contact is about was refused; see that item."))
    raise _invalid({"person": [_("This reference does not name a new client.")]})


def _contact_create(*, user, device: str, key: str, payload: dict) -> dict:
    payload = {**payload, "person": _referenced_person(user=user, value=payload.get("person"))}
    data = _valid(ContactSerializer(data=payload))
    person = _current(selectors.person_get(user=user, pk=data.pop("person_id"), audit=False))
    contact = services.contact_log(person=person, actor=user, **data)
    return {"status": "created", "object": dict(ContactSerializer(contact).data)}


def _person_update(*, user, device: str, key: str, payload: dict) -> dict:
    request = _valid(_UpdateSerializer(data=payload))
    person = _current(selectors.person_get(user=user, pk=request["id"], audit=False))
    Person.objects.select_for_update().filter(pk=person.pk).first()  # no edit slips in between check and apply
    person.refresh_from_db()
    changes = _valid(PersonUpdateSerializer(person, data=request["changes"], partial=True))
    server = person_values(person, request["changes"])
    device_values = person_values(None, request["changes"], given=request["changes"])
    base = person_values(None, request["changes"], given=request["base"])
    clashes = conflicting_fields(
        server=server, base=base, device=device_values, same_version=request["base_version"] == person.version
    )
    if not clashes:
        services.person_update(person=person, actor=user, **changes)
        return {"status": "updated", "object": _person_data(person, user)}
    conflict = SyncConflict.objects.create(
        office=person.office, person=person, synced_by=user, key=key, device=device,
        base_version=request["base_version"], server_version=person.version,
        base=base, changes=device_values, server=server, fields=clashes,
    )  # fmt: skip
    audit_record(actor=user, action="offline.conflict.found", obj=conflict, extra={"fields": clashes})
    return {
        "status": "conflict",
        "object": _person_data(person, user),
        "conflicts": [
            {
                "field": name,
                "label": field_label(name),
                "base": base.get(name),
                "server": server[name],
                "device": device_values[name],
            }
            for name in clashes
        ],  # fmt: skip
        "review_url": reverse("offices:offline-review-conflict", kwargs={"pk": conflict.pk}),
    }


class _UpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    base_version = serializers.IntegerField(min_value=1)
    base = serializers.DictField(required=False, default=dict)
    changes = serializers.DictField(allow_empty=False)

    def validate_changes(self, value):
        writable = {name for name, f in PersonUpdateSerializer().fields.items() if not f.read_only}
        unknown = sorted(set(value) - writable)
        if unknown:
            raise serializers.ValidationError(_("These fields cannot be edited: %(fields)s") % {"fields": unknown})
        return value


def _followup_done(*, user, device: str, key: str, payload: dict) -> dict:
    contact_id = payload.get("contact")
    if not isinstance(contact_id, int):
        raise _invalid({"contact": [_("Give the contact's id.")]})
    contact = services.follow_up_complete(contact=selectors.contact_get(user=user, pk=contact_id), actor=user)
    return {"status": "done", "object": dict(ContactSerializer(contact).data)}


APPLY = {
    "person.create": _person_create,
    "contact.create": _contact_create,
    "person.update": _person_update,
    "followup.done": _followup_done,
}


# One item, one request ----------------------------------------------------------------------------------------


def _apply(*, user, device: str, item: dict) -> Answer:
    """The item's answer; its writes commit with the stored answer, or roll back when it is rejected."""
    key = item["key"]
    try:
        with transaction.atomic():
            _check_age(item.get("created_on_device"))
            payload = item.get("payload")
            if not isinstance(payload, dict):
                raise _invalid({"payload": [_("The item has no payload.")]})
            result = APPLY[item["kind"]](user=user, device=device, key=key, payload=payload)
        return Answer(200, {"key": key, **result})
    except Rejected as rejected:
        return Answer(200, _rejection(key, rejected), keep=rejected.final)
    except ValidationError as exc:
        return Answer(200, _rejection(key, _invalid(exc)))
    except Http404:
        return Answer(200, _rejection(key, Rejected("not_found", _("This record does not exist or is not yours."))))
    except PermissionDenied:
        return Answer(200, _rejection(key, Rejected("forbidden", _("You may not do this with this record."))))


def _rejection(key: str, rejected: Rejected) -> dict:
    body = {"key": key, "status": "rejected", "code": rejected.code, "message": rejected.message}
    if rejected.code == "invalid":
        body["errors"] = rejected.errors
    return body


def sync_item(*, user, device: str, item: dict) -> dict:
    """One queued item's answer: applied once; its key sent again gives the first answer (``replayed``)."""
    key, kind = item["key"], item.get("kind")
    if kind not in APPLY:
        return _rejection(key, _invalid({"kind": [_("Unknown kind of item.")]}))
    scope = f"offline:{kind}"
    what = {"kind": kind, "created_on_device": item.get("created_on_device"), "payload": item.get("payload")}
    try:
        outcome = run_once(
            user=user,
            key=key,
            scope=scope,
            digest=fingerprint(scope, what),
            action=lambda: _apply(user=user, device=device, item=item),
        )
    except KeyReusedError:
        message = _("This item's key was already used for another item; the device must give it a new key.")
        return _rejection(key, Rejected("key_reused", message))
    if outcome.replayed:
        return {**outcome.body, "status": "replayed", "original_status": outcome.body["status"]}
    return outcome.body


def sync_batch(*, user, device: uuid.UUID | str, items: list[dict], request=None) -> list[dict]:
    """Apply a device's items in order, each in its own transaction; one audit event for the request."""
    device = str(device)
    results = [sync_item(user=user, device=device, item=item) for item in items]
    counts = Counter(result["status"] for result in results)
    audit_record(
        actor=user,
        action="offline.sync",
        object_type="offices.offline",
        summary=", ".join(f"{status} {n}" for status, n in sorted(counts.items())),
        request=request,
        extra={"device": device, "items": len(items), "statuses": dict(counts)},
    )
    return results


# Reviews ----------------------------------------------------------------------------------------------------


def _pending(model, pk: int):
    """The review, locked; a decision already taken is not taken again."""
    review = model.objects.select_for_update().get(pk=pk)
    if review.status != ReviewStatus.PENDING:
        raise ValidationError(_("This has already been decided."))
    return review


@transaction.atomic
def sync_duplicate_decide(*, duplicate: SyncDuplicate, actor, same_as: Person | None) -> SyncDuplicate:
    """The counsellor's decision on a client created offline: the same person as ``same_as`` (the new record is
    merged into it through ``person_merge``, both histories kept), or, with ``same_as`` None, different people."""
    if not can_read_person(actor, duplicate.person):
        raise Http404
    duplicate = _pending(SyncDuplicate, duplicate.pk)
    if same_as is not None:
        if same_as.pk not in {c["id"] for c in duplicate.candidates}:
            raise ValidationError({"candidate": _("Choose one of the records listed.")})
        services.person_merge(keep=same_as, duplicate=duplicate.person, actor=actor)
        duplicate.status, duplicate.merged_into = ReviewStatus.MERGED, same_as
    else:
        duplicate.status = ReviewStatus.KEPT_APART
    duplicate.resolved_at, duplicate.resolved_by = timezone.now(), actor
    duplicate.save(update_fields=["status", "merged_into", "resolved_at", "resolved_by"])
    audit_record(actor=actor, action="offline.duplicate.decide", obj=duplicate,
                 extra={"decision": duplicate.status, "person": duplicate.person_id, "same_as": duplicate.merged_into_id})  # fmt: skip
    return duplicate


@transaction.atomic
def sync_conflict_resolve(*, conflict: SyncConflict, actor, choices: dict[str, str], version: int) -> list[str]:
    """Apply the counsellor's choice for each field of an offline edit ("device": the device's value, "server":
    keep the record's) through ``person_update``. ``version`` is the record's version the counsellor looked at: if
    it changed since, nothing is applied (they look again). Returns the fields that changed."""
    person = Person.objects.select_for_update().select_related("office").get(pk=conflict.person_id)
    if not can_read_person(actor, person):
        raise Http404
    conflict = _pending(SyncConflict, conflict.pk)
    if person.version != version:
        raise ValidationError(_("The record was changed again while you were looking at it: look at it again."))
    missing = [name for name in conflict.changes if choices.get(name) not in ("device", "server")]
    if missing:
        raise ValidationError({name: _("Choose which value to keep.") for name in missing})
    wanted = {name: value for name, value in conflict.changes.items() if choices[name] == "device"}
    changed = []
    if wanted:
        changes = PersonUpdateSerializer(person, data=wanted, partial=True)
        if not changes.is_valid():
            raise ValidationError(_messages(changes.errors))
        changed = services.person_update(person=person, actor=actor, **changes.validated_data)
    conflict.status, conflict.resolution = ReviewStatus.RESOLVED, {name: choices[name] for name in conflict.changes}
    conflict.resolved_at, conflict.resolved_by = timezone.now(), actor
    conflict.save(update_fields=["status", "resolution", "resolved_at", "resolved_by"])
    audit_record(actor=actor, action="offline.conflict.resolve", obj=conflict,
                 extra={"person": person.pk, "choices": conflict.resolution, "changed": changed})  # fmt: skip
    return changed
