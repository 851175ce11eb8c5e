"""After approval: the schedule, the report, every participant's evaluation, closing, certificates, reminders.

A request closes by itself (a decision of the portal, with its reason) once the report is in and every participant
and selected expert has evaluated, or once the report is in and the evaluation deadline has passed. Closing issues
one recognition certificate per participant and per selected expert.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.formatting import format_date
from apps.core.roles import Role

from .. import notifications
from ..fields import (
    EVALUATION_FIELDS,
    PROGRAMME_ITEM_FIELDS,
    REPORT_FIELDS,
    SCHEDULE_DATE_FIELDS,
    SCHEDULE_FIELDS,
)
from ..models import (
    SYSTEM_ROLE,
    Certificate,
    CloseReason,
    Evaluation,
    ExchangeRequest,
    ExpertSelection,
    ProgrammeItem,
    Report,
    Schedule,
    State,
)
from ..permissions import (
    REQUESTER,
    can_report,
    can_schedule,
    can_view,
    evaluation_deadline,
    evaluation_open,
    evaluation_respondent,
    has_evaluated,
    has_report,
    has_schedule,
    is_party,
)
from . import TransitionConflictError, _lock, _record_step, exchange_request_schedule

REMINDER_INTERVAL = timedelta(days=7)


def start_reminder_days() -> int:
    return int(getattr(settings, "EXCHANGE_START_REMINDER_DAYS", 7))


# --- the schedule ------------------------------------------------------------------------------------------------


def _schedule_errors(exchange_request: ExchangeRequest, schedule: Schedule, items: list[dict]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    start, end = exchange_request.start_date, exchange_request.end_date
    if not start or not end:
        errors["start_date"] = [_("Give the confirmed dates.")]
        return errors
    if end < start:
        errors["end_date"] = [_("The end date must be on or after the start date.")]
    if not items and not schedule.programme_file:
        errors["programme"] = [_("Give the programme: its items with their times, or the programme as a PDF.")]
    for number, item in enumerate(items, start=1):
        if not start <= item["day"] <= end:
            errors.setdefault("programme", []).append(
                _("Item %(number)d is on a day outside the dates of the exchange.") % {"number": number}
            )
        if item.get("end_time") and item["end_time"] <= item["start_time"]:
            errors.setdefault("programme", []).append(_("Item %(number)d ends before it starts.") % {"number": number})
    if schedule.evaluation_deadline and schedule.evaluation_deadline <= end:
        errors["evaluation_deadline"] = [_("The evaluation deadline must come after the end date.")]
    return errors


def _item_rows(schedule: Schedule) -> list[tuple]:
    return [tuple(getattr(item, name) for name in PROGRAMME_ITEM_FIELDS) for item in schedule.items.all()]


def _changed_fields(
    before: dict, exchange_request: ExchangeRequest, schedule: Schedule, items_before, items
) -> list[str]:
    changed = [name for name in SCHEDULE_DATE_FIELDS if before[name] != getattr(exchange_request, name)]
    changed += [name for name in SCHEDULE_FIELDS if before[name] != getattr(schedule, name)]
    if items is not None and items_before != [
        tuple(item.get(name) for name in PROGRAMME_ITEM_FIELDS) for item in items
    ]:
        changed.append("programme")
    return changed


@transaction.atomic
def schedule_save(
    *, exchange_request: ExchangeRequest, actor: User, fields: dict, items: list[dict] | None, comment: str = ""
) -> Schedule:
    """The coordinator records the schedule: an approved request becomes scheduled; a change to a scheduled one is a
    decision in the log (with the reason and the fields that changed) and is sent to the people taking part.

    ``fields``: the confirmed ``start_date``/``end_date`` and the schedule's fields; ``items``: the programme items
    (None keeps them as they are)."""
    locked = _lock(exchange_request)
    if not can_view(actor, locked):
        raise Http404
    if not can_schedule(actor, locked):
        if locked.state not in (State.APPROVED, State.SCHEDULED):
            raise TransitionConflictError(_("Only an approved or scheduled exchange has a schedule to record."))
        raise PermissionDenied(_("Only a programme coordinator who did not draft the request schedules it."))
    schedule = locked.schedule if has_schedule(locked) else Schedule(request=locked)
    before = {name: getattr(locked, name) for name in SCHEDULE_DATE_FIELDS}
    before.update({name: getattr(schedule, name) for name in SCHEDULE_FIELDS})
    items_before = _item_rows(schedule) if schedule.pk else []
    for name in SCHEDULE_DATE_FIELDS:
        if name in fields:
            setattr(locked, name, fields[name])
    for name in SCHEDULE_FIELDS:
        if name in fields:
            setattr(schedule, name, fields[name] if fields[name] is not False else "")
    new_items = (
        items if items is not None else [dict(zip(PROGRAMME_ITEM_FIELDS, row, strict=True)) for row in items_before]
    )
    errors: dict[str, list[str]] = {}
    try:
        schedule.full_clean(exclude=["request"])
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
    for field, messages in _schedule_errors(locked, schedule, new_items).items():
        errors.setdefault(field, []).extend(messages)
    rescheduling = locked.state == State.SCHEDULED
    changed = _changed_fields(before, locked, schedule, items_before, items) if rescheduling else []
    comment = (comment or "").strip()
    if rescheduling and changed and not comment:
        errors["comment"] = [_("Say why the schedule changes: the participants and experts are told.")]
    if errors:
        raise ValidationError(errors)
    if rescheduling and not changed:
        return schedule
    locked.save(update_fields=[*SCHEDULE_DATE_FIELDS, "updated_at"])
    schedule.save()
    if items is not None:
        schedule.items.all().delete()
        ProgrammeItem.objects.bulk_create(
            ProgrammeItem(schedule=schedule, **{name: item.get(name) for name in PROGRAMME_ITEM_FIELDS})
            for item in items
        )
    audit_record(actor=actor, action="exchange.schedule_save", obj=locked, extra={"changed": changed})
    if rescheduling:
        _record_step(
            locked,
            actor=actor,
            action="reschedule",
            source=State.SCHEDULED,
            target=State.SCHEDULED,
            role=Role.COORDINATOR,
            comment=comment,
            changed_fields=changed,
        )
    else:
        exchange_request_schedule(exchange_request=locked, actor=actor, comment=comment)
    exchange_request.refresh_from_db()
    return schedule


# --- the report and the evaluations ------------------------------------------------------------------------------


@transaction.atomic
def report_submit(*, exchange_request: ExchangeRequest, actor: User, fields: dict) -> Report:
    locked = _lock(exchange_request)
    if not can_view(actor, locked):
        raise Http404
    if not is_party(actor, locked, REQUESTER):
        raise PermissionDenied(_("Only a focal point of the requesting institution reports on the exchange."))
    if not can_report(actor, locked):
        raise TransitionConflictError(_("A report can be sent once, after the exchange is completed."))
    report = Report(request=locked, author=actor, **{k: v for k, v in fields.items() if k in REPORT_FIELDS})
    report.full_clean()
    report.save()
    audit_record(actor=actor, action="exchange.report", obj=locked)
    close_if_due(locked)
    return report


@transaction.atomic
def evaluation_submit(*, exchange_request: ExchangeRequest, actor: User, fields: dict) -> Evaluation:
    """A participant or a selected expert evaluates the exchange, once, between completion and the deadline."""
    locked = _lock(exchange_request)
    if not can_view(actor, locked):
        raise Http404
    respondent = evaluation_respondent(actor, locked)
    if respondent is None:
        raise PermissionDenied(_("Only the participants and the selected experts evaluate the exchange."))
    if has_evaluated(actor, locked):
        raise TransitionConflictError(_("You have already evaluated this exchange: an evaluation is sent once."))
    if not evaluation_open(locked):
        deadline = evaluation_deadline(locked)
        if locked.state == State.COMPLETED and deadline is not None:
            raise TransitionConflictError(
                _("The evaluations closed on %(date)s.") % {"date": format_date(deadline, "long")}
            )
        raise TransitionConflictError(_("An evaluation can be sent after the exchange is completed."))
    evaluation = Evaluation(
        request=locked,
        author=actor,
        respondent=respondent,
        **{k: v for k, v in fields.items() if k in EVALUATION_FIELDS},
    )
    evaluation.full_clean()
    evaluation.save()
    audit_record(actor=actor, action="exchange.evaluation", obj=locked)
    close_if_due(locked)
    return evaluation


# --- closing -----------------------------------------------------------------------------------------------------


def expected_respondents(exchange_request: ExchangeRequest) -> tuple[set[str], set[int]]:
    """Who is to evaluate: the participants' e-mail addresses (lower case) and the selected experts' user ids."""
    emails = {email.lower() for email in exchange_request.participants.values_list("email", flat=True)}
    experts = set(
        exchange_request.expert_selections.filter(status=ExpertSelection.Status.SELECTED).values_list(
            "expert_id", flat=True
        )
    )
    return emails, experts


def everyone_evaluated(exchange_request: ExchangeRequest) -> bool:
    emails, experts = expected_respondents(exchange_request)
    authors = list(exchange_request.evaluations.values_list("author_id", "author__email"))
    evaluated_emails = {(email or "").lower() for _id, email in authors}
    evaluated_ids = {author_id for author_id, _email in authors}
    return emails <= evaluated_emails and experts <= evaluated_ids


def close_reason(exchange_request: ExchangeRequest, *, today=None) -> str | None:
    """Why ``request`` closes now, or None while it stays open."""
    if exchange_request.state != State.COMPLETED or not has_report(exchange_request):
        return None
    if everyone_evaluated(exchange_request):
        return CloseReason.ALL_EVALUATED
    deadline = evaluation_deadline(exchange_request)
    if deadline is not None and (today or timezone.localdate()) > deadline:
        return CloseReason.DEADLINE_PASSED
    return None


def close_if_due(exchange_request: ExchangeRequest, *, today=None):
    """Close a locked, completed request when its time has come: a decision of the portal, with its reason."""
    reason = close_reason(exchange_request, today=today)
    if reason is None:
        return None
    decision = _record_step(
        exchange_request,
        actor=None,
        action="close",
        source=State.COMPLETED,
        target=State.CLOSED,
        role=SYSTEM_ROLE,
        comment="",
        reason=reason,
    )
    certificates_issue(exchange_request=exchange_request)
    return decision


def exchange_requests_close_overdue(*, today=None) -> int:
    """Close the completed requests whose report is in and whose evaluation deadline has passed. Idempotent."""
    closed = 0
    candidates = ExchangeRequest.objects.filter(state=State.COMPLETED, report__isnull=False).values_list(
        "pk", flat=True
    )
    for request_id in candidates:
        with transaction.atomic():
            locked = ExchangeRequest.objects.select_for_update().get(pk=request_id)
            if close_if_due(locked, today=today) is not None:
                closed += 1
    return closed


# --- certificates ------------------------------------------------------------------------------------------------


def _new_code() -> str:
    return secrets.token_hex(8).upper()  # 16 hex digits: unguessable, easy to read out and type


def _account_for(email: str) -> User | None:
    return (
        User.objects.filter(email__iexact=email, is_active=True, erased_at__isnull=True).order_by("pk").first()
        if email
        else None
    )


def _certificate_language(user: User | None, exchange_request: ExchangeRequest) -> str:
    from apps.outreach.services import notification_language

    if user is not None:
        return notification_language(user)
    codes = {code for code, _name in settings.LANGUAGES}
    return (
        exchange_request.working_language_id
        if exchange_request.working_language_id in codes
        else settings.LANGUAGE_CODE
    )


def certificates_issue(*, exchange_request: ExchangeRequest) -> list[Certificate]:
    """One certificate per participant and per selected expert of a closed request, in the person's language.

    Safe to repeat: a person's certificate is issued once (unique per request and address)."""
    if exchange_request.state != State.CLOSED:
        raise TransitionConflictError(_("Certificates are issued once the exchange is closed."))
    holders = [
        (Evaluation.Respondent.PARTICIPANT, p.name, p.email, _account_for(p.email))
        for p in exchange_request.participants.all()
    ]
    for selection in exchange_request.expert_selections.filter(status=ExpertSelection.Status.SELECTED).select_related(
        "expert"
    ):
        expert = selection.expert
        holders.append((Evaluation.Respondent.EXPERT, expert.get_full_name(), expert.email, expert))
    issued = []
    for kind, name, email, user in holders:
        certificate, created = Certificate.objects.get_or_create(
            request=exchange_request,
            holder_email=email.lower(),
            defaults={
                "holder_kind": kind,
                "holder_name": name,
                "holder": user,
                "language": _certificate_language(user, exchange_request),
                "code": _new_code(),
            },
        )
        issued.append(certificate)
        if created and user is not None:
            certificate_id = certificate.pk
            transaction.on_commit(partial(notifications.notify_certificate, certificate_id=certificate_id))
    return issued


# --- reminders to the people taking part -------------------------------------------------------------------------


def exchange_requests_remind_people(*, now=None) -> int:
    """Remind the participants and experts: before the start (once per start date), and weekly after completion
    until they evaluate or the deadline passes. Safe to run any number of times."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    starting = ExchangeRequest.objects.filter(
        state=State.SCHEDULED, start_date__gte=today, start_date__lte=today + timedelta(days=start_reminder_days())
    ).values_list("pk", flat=True)
    for request_id in starting:
        # The message's key (request, person, start date) makes a repeat send nothing.
        transaction.on_commit(partial(notifications.notify_start_reminder, request_id=request_id))
        sent += 1
    threshold = now - REMINDER_INTERVAL
    due = Q(state=State.COMPLETED, state_changed_at__lte=threshold) & (
        Q(evaluation_reminder_at__isnull=True) | Q(evaluation_reminder_at__lte=threshold)
    )
    for exchange_request in ExchangeRequest.objects.filter(due).select_related("schedule"):
        if not evaluation_open(exchange_request, today=today):
            continue
        with transaction.atomic():
            # The guarded update is the idempotency key: a second run in the same week updates nothing.
            if ExchangeRequest.objects.filter(due, pk=exchange_request.pk).update(evaluation_reminder_at=now) != 1:
                continue
            transaction.on_commit(partial(notifications.notify_evaluation_reminder, request_id=exchange_request.pk))
            sent += 1
    return sent
