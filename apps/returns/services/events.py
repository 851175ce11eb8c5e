"""Writes to events: editing, registration with a waiting list, attendance and evaluation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record

from ..models import Event, EventEvaluation, EventRegistration
from ..permissions import can_edit_content, can_evaluate, can_register_for_events
from ._common import LANGUAGE_CODES, apply, require

TRANSLATED_FIELDS = [f"{name}_{code}" for code in LANGUAGE_CODES for name in ("title", "description")]
FIELDS = ["kind", "starts_at", "ends_at", "place", "online_link", "country", "language", "capacity"]
FIELDS += TRANSLATED_FIELDS


def _registered_count(event: Event) -> int:
    return event.registrations.filter(status=EventRegistration.Status.REGISTERED).count()


def _check(event: Event) -> None:
    errors = {}
    if not any(getattr(event, f"title_{code}") for code in LANGUAGE_CODES):
        errors["title_en"] = _("Give the event a title.")
    if event.starts_at and event.ends_at and event.ends_at < event.starts_at:
        errors["ends_at"] = _("The event cannot end before it starts.")
    if event.pk and event.capacity is not None:
        registered = _registered_count(event)
        if event.capacity < registered:
            errors["capacity"] = _("%(registered)s people are already registered: the capacity cannot be lower.") % {
                "registered": registered
            }
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["title", "description"])


@transaction.atomic
def event_create(*, actor, data: dict) -> Event:
    require(can_edit_content(actor))
    event = Event()
    apply(event, data, FIELDS)
    _check(event)
    event.save()
    audit_record(actor=actor, action="event.create", obj=event, summary=str(event))
    return event


@transaction.atomic
def event_update(*, event: Event, actor, data: dict) -> Event:
    require(can_edit_content(actor))
    event = Event.objects.select_for_update().get(pk=event.pk)
    apply(event, data, FIELDS)
    _check(event)
    event.save()
    audit_record(actor=actor, action="event.update", obj=event, summary=str(event))
    _promote_waiting(event)
    return event


@transaction.atomic
def event_publish(*, event: Event, actor) -> Event:
    require(can_edit_content(actor))
    errors = {
        f"title_{code}": _("Give the title in this language before publishing.")
        for code in LANGUAGE_CODES
        if not (getattr(event, f"title_{code}") or "").strip()
    }
    if event.starts_at < timezone.now():
        errors["starts_at"] = _("The event has already started.")
    if errors:
        raise ValidationError(errors)
    event.status = Event.Status.PUBLISHED
    event.save(update_fields=["status"])
    audit_record(actor=actor, action="event.publish", obj=event, summary=str(event))
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor) -> Event:
    require(can_edit_content(actor))
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status"])
    audit_record(actor=actor, action="event.cancel", obj=event, summary=str(event))
    return event


def _promote_waiting(event: Event) -> None:
    """Fill free places from the waiting list, first come first served (the event row is locked)."""
    free = event.capacity - _registered_count(event)
    if free <= 0:
        return
    waiting = list(
        event.registrations.filter(status=EventRegistration.Status.WAITLISTED)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:free]
    )
    EventRegistration.objects.filter(pk__in=waiting).update(
        status=EventRegistration.Status.REGISTERED, updated_at=timezone.now()
    )


@transaction.atomic
def event_register(*, event: Event, user) -> EventRegistration:
    """Register a member: a place while there is one, else the waiting list. Registering twice is refused."""
    require(can_register_for_events(user))
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError(_("Registration is not open for this event."))
    if event.starts_at <= timezone.now():
        raise ValidationError(_("This event has already started."))
    registration = EventRegistration.objects.filter(event=event, user=user).first()
    if registration is not None and registration.status != EventRegistration.Status.CANCELLED:
        raise ValidationError(_("You are already registered for this event."))
    status = (
        EventRegistration.Status.REGISTERED
        if _registered_count(event) < event.capacity
        else EventRegistration.Status.WAITLISTED
    )
    if registration is None:
        registration = EventRegistration.objects.create(event=event, user=user, status=status)
    else:
        # Coming back after cancelling: a new place in the queue.
        EventRegistration.objects.filter(pk=registration.pk).update(
            status=status, created_at=timezone.now(), updated_at=timezone.now()
        )
        registration.refresh_from_db()
    audit_record(actor=user, action="event.register", obj=registration, summary=status)
    return registration


@transaction.atomic
def event_registration_cancel(*, registration: EventRegistration, actor) -> EventRegistration:
    if registration.user_id != actor.pk and not can_edit_content(actor):
        raise PermissionDenied
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = EventRegistration.objects.get(pk=registration.pk)
    if registration.status == EventRegistration.Status.CANCELLED:
        return registration
    registration.status = EventRegistration.Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    _promote_waiting(event)
    audit_record(actor=actor, action="event.cancel_registration", obj=registration)
    return registration


@transaction.atomic
def event_attendance_record(*, event: Event, actor, attended_ids: set[int]) -> int:
    """Mark who came: registrations in ``attended_ids`` attended, the other registered ones did not."""
    require(can_edit_content(actor))
    registered = event.registrations.filter(status=EventRegistration.Status.REGISTERED)
    came = registered.filter(pk__in=attended_ids).update(attended=True)
    registered.exclude(pk__in=attended_ids).update(attended=False)
    audit_record(actor=actor, action="event.attendance", obj=event, summary=f"{came} attended")
    return came


@transaction.atomic
def event_evaluation_submit(
    *, registration: EventRegistration, actor, rating: int, would_recommend: bool, comment: str = ""
) -> EventEvaluation:
    if not can_evaluate(actor, registration):
        raise PermissionDenied
    if registration.event.ends_at > timezone.now():
        raise ValidationError(_("The evaluation opens when the event is over."))
    if EventEvaluation.objects.filter(registration=registration).exists():
        raise ValidationError(_("You have already evaluated this event. Thank you!"))
    evaluation = EventEvaluation(
        registration=registration, rating=rating, would_recommend=would_recommend, comment=comment
    )
    evaluation.full_clean()
    evaluation.save()
    return evaluation


def event_evaluation_requests_send() -> int:
    """E-mail the evaluation form to attendees of events that ended, once per registration."""
    from ..notifications import send_evaluation_request

    sent = 0
    due = EventRegistration.objects.filter(
        attended=True,
        evaluation_requested_at__isnull=True,
        event__ends_at__lte=timezone.now(),
        event__status=Event.Status.PUBLISHED,
        user__is_active=True,
        user__erased_at__isnull=True,
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            registration = (
                EventRegistration.objects.select_for_update(skip_locked=True)
                .select_related("event", "user")
                .filter(pk=pk, evaluation_requested_at__isnull=True)
                .first()
            )
            if registration is None:
                continue
            send_evaluation_request(registration=registration)
            registration.evaluation_requested_at = timezone.now()
            registration.save(update_fields=["evaluation_requested_at"])
            sent += 1
    return sent
