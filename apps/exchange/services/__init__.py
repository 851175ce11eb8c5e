"""Every write to exchange requests. Pages, the API and admin actions all call these functions.

Each transition is one function (``exchange_request_<action>``) that locks the request row, checks the caller's
role and country scope, the state and the rules, then writes the new state, one append-only decision row and
an audit row, and queues the notifications for after the commit.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Organisation, User
from apps.core.audit import audit_record
from apps.core.formatting import format_date
from apps.core.roles import Role

from .. import notifications
from ..fields import PARTICIPANT_FIELDS, REQUEST_FIELDS
from ..models import Decision, ExchangeRequest, ExpertSelection, Kind, Participant, State
from ..permissions import (
    ACTION_LABELS,
    COMMENT_REQUIRED,
    PARTY_ROLE,
    REQUESTER,
    can_edit,
    can_view,
    has_schedule,
    is_drafter,
    is_party,
    step_from,
    steps_for,
    waiting_party,
)

MAX_PARTICIPANTS_PER_COUNTRY = 3
REMINDER_INTERVAL = timedelta(days=7)
# States in which a decider (not the requester) has to act; they get reminders.
WAITING_FOR_DECIDER = tuple(state for state in State.values if waiting_party(state) not in (None, REQUESTER))


class TransitionConflictError(Exception):
    """The request is no longer in a state that allows the action (another decision came first)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def min_days_ahead() -> int:
    return int(getattr(settings, "EXCHANGE_MIN_DAYS_AHEAD", 30))


# --- rules -------------------------------------------------------------------------------------------------------


def _check_dates(exchange_request: ExchangeRequest) -> None:
    if (
        exchange_request.start_date
        and exchange_request.end_date
        and exchange_request.end_date < exchange_request.start_date
    ):
        raise ValidationError({"end_date": [_("The end date must be on or after the start date.")]})


def _participants_per_country_errors(participants) -> list[str]:
    counts: dict[str, list] = {}
    for participant in participants:
        counts.setdefault(participant.country_id, []).append(participant)
    errors = []
    for _country, members in sorted(counts.items()):
        if len(members) > MAX_PARTICIPANTS_PER_COUNTRY:
            errors.append(
                _("A study visit takes at most %(max)d participants from the same country; %(country)s has %(count)d.")
                % {"max": MAX_PARTICIPANTS_PER_COUNTRY, "country": members[0].country, "count": len(members)}
            )
    return errors


def _check_participants_per_country(exchange_request: ExchangeRequest) -> None:
    errors = _participants_per_country_errors(exchange_request.participants.select_related("country"))
    if errors:
        raise ValidationError({"participants": errors})


def _expert_country_errors(exchange_request: ExchangeRequest) -> list[str]:
    selected = [s for s in exchange_request.expert_selections.all() if s.status == ExpertSelection.Status.SELECTED]
    countries = {s.provider_country_id for s in selected}
    if len(countries) > 1:
        return [_("The experts of an assignment all come from one provider country.")]
    return []


def submission_errors(exchange_request: ExchangeRequest, *, today=None) -> dict[str, list[str]]:
    """What is missing or wrong before ``request`` can be submitted, by field."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def missing(field: str) -> None:
        errors.setdefault(field, []).append(_("This field is required before the request is submitted."))

    for field in ("title", "theme", "objectives", "expected_results", "start_date", "end_date"):
        if not getattr(exchange_request, field):
            missing(field)
    if exchange_request.working_language_id is None:
        missing("working_language")
    if exchange_request.host_country_id == exchange_request.requesting_country_id:
        errors.setdefault("host_country", []).append(
            _("The host country must differ from the requesting institution's country.")
        )
    if (
        exchange_request.start_date
        and exchange_request.end_date
        and exchange_request.end_date < exchange_request.start_date
    ):
        errors.setdefault("end_date", []).append(_("The end date must be on or after the start date."))
    days = min_days_ahead()
    if exchange_request.start_date and exchange_request.start_date < today + timedelta(days=days):
        errors.setdefault("start_date", []).append(
            _("The start date must be at least %(days)d days after the day the request is submitted.") % {"days": days}
        )
    if exchange_request.kind == Kind.STUDY_VISIT:
        participants = list(exchange_request.participants.select_related("country"))
        if not participants:
            errors.setdefault("participants", []).append(_("Add at least one participant."))
        per_country = _participants_per_country_errors(participants)
        if per_country:
            errors.setdefault("participants", []).extend(per_country)
    else:
        if not exchange_request.occupations_sought and not exchange_request.isco_codes:
            missing("occupations_sought")
        for field in ("skills_sought", "number_of_experts", "delivery_mode"):
            if not getattr(exchange_request, field):
                missing(field)
        if not exchange_request.terms_of_reference and not exchange_request.terms_of_reference_file:
            missing("terms_of_reference")
    return errors


def approval_errors(exchange_request: ExchangeRequest) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if exchange_request.kind == Kind.STUDY_VISIT:
        participants = list(exchange_request.participants.select_related("country"))
        if not participants:
            errors["participants"] = [_("A study visit cannot be approved without at least one participant.")]
        per_country = _participants_per_country_errors(participants)
        if per_country:
            errors.setdefault("participants", []).extend(per_country)
    else:
        selected = [s for s in exchange_request.expert_selections.all() if s.status == ExpertSelection.Status.SELECTED]
        if not selected:
            errors["experts"] = [_("An expert assignment cannot be approved without at least one selected expert.")]
        country_errors = _expert_country_errors(exchange_request)
        if country_errors:
            errors.setdefault("experts", []).extend(country_errors)
    return errors


# --- drafting ----------------------------------------------------------------------------------------------------


def _lock(exchange_request: ExchangeRequest) -> ExchangeRequest:
    return ExchangeRequest.objects.select_for_update().get(pk=exchange_request.pk)


def _assign(exchange_request: ExchangeRequest, fields: dict) -> None:
    for name, value in fields.items():
        if name not in REQUEST_FIELDS:
            raise ValueError(f"{name} is not an editable field of an exchange request")
        setattr(exchange_request, name, value)


@transaction.atomic
def exchange_request_create(
    *, actor: User, institution: Organisation, fields: dict, languages_sought=None, skills=None
) -> ExchangeRequest:
    """A focal point drafts a request for their institution."""
    if not is_party_institution(actor, institution):
        raise PermissionDenied(_("Only a focal point of the requesting institution can draft its requests."))
    exchange_request = ExchangeRequest(
        requesting_institution=institution,
        requesting_country_id=institution.country_id,
        created_by=actor,
        state=State.DRAFT,
    )
    _save_fields(exchange_request, fields, languages_sought=languages_sought, skills=skills)
    audit_record(actor=actor, action="exchange.create", obj=exchange_request, summary=exchange_request.title)
    return exchange_request


def _save_fields(exchange_request: ExchangeRequest, fields: dict, *, languages_sought, skills) -> None:
    """Assign the fields a requester may write, check them, save; the languages and skills when given."""
    _assign(exchange_request, fields)
    _check_dates(exchange_request)
    exchange_request.full_clean()
    exchange_request.save()
    if languages_sought is not None:
        exchange_request.languages_sought.set(languages_sought)
    if skills is not None:
        exchange_request.skills.set(skills)


def is_party_institution(actor: User, institution: Organisation) -> bool:
    from apps.core.permissions import scoped_organisation_ids

    return institution.pk in scoped_organisation_ids(actor, Role.FOCAL_POINT)


@transaction.atomic
def exchange_request_update(
    *, exchange_request: ExchangeRequest, actor: User, fields: dict, languages_sought=None, skills=None
) -> ExchangeRequest:
    locked = _lock(exchange_request)
    if not can_view(actor, locked):
        raise Http404
    if not is_party(actor, locked, REQUESTER):
        raise PermissionDenied(_("Only a focal point of the requesting institution can edit this request."))
    if not can_edit(actor, locked):
        raise TransitionConflictError(_("This request can only be edited while it is a draft or returned for changes."))
    if "kind" in fields and fields["kind"] != locked.kind and locked.kind == Kind.STUDY_VISIT:
        if locked.participants.exists():
            raise ValidationError({"kind": [_("Remove the participants before changing the kind of request.")]})
    _save_fields(locked, fields, languages_sought=languages_sought, skills=skills)
    audit_record(actor=actor, action="exchange.update", obj=locked, summary=locked.title)
    return locked


def _editable_study_visit(exchange_request: ExchangeRequest, actor: User) -> ExchangeRequest:
    locked = _lock(exchange_request)
    if not can_view(actor, locked):
        raise Http404
    if not is_party(actor, locked, REQUESTER):
        raise PermissionDenied(_("Only a focal point of the requesting institution can change the participants."))
    if not can_edit(actor, locked):
        raise TransitionConflictError(_("Participants can only be changed while the request is a draft or returned."))
    if locked.kind != Kind.STUDY_VISIT:
        raise ValidationError({"participants": [_("Only a study visit has participants.")]})
    return locked


@transaction.atomic
def participant_add(*, exchange_request: ExchangeRequest, actor: User, fields: dict) -> Participant:
    locked = _editable_study_visit(exchange_request, actor)
    participant = Participant(request=locked, **{k: v for k, v in fields.items() if k in PARTICIPANT_FIELDS})
    participant.full_clean()
    _check_country_room(locked, participant)
    participant.save()
    audit_record(actor=actor, action="exchange.participant_add", obj=locked, summary=participant.name)
    return participant


@transaction.atomic
def participant_update(*, participant: Participant, actor: User, fields: dict) -> Participant:
    locked = _editable_study_visit(participant.request, actor)
    participant = Participant.objects.get(pk=participant.pk, request=locked)
    for name, value in fields.items():
        if name in PARTICIPANT_FIELDS:
            setattr(participant, name, value)
    participant.full_clean()
    _check_country_room(locked, participant)
    participant.save()
    audit_record(actor=actor, action="exchange.participant_update", obj=locked, summary=participant.name)
    return participant


@transaction.atomic
def participant_remove(*, participant: Participant, actor: User) -> None:
    locked = _editable_study_visit(participant.request, actor)
    Participant.objects.filter(pk=participant.pk, request=locked).delete()
    audit_record(actor=actor, action="exchange.participant_remove", obj=locked, summary=participant.name)


def _check_country_room(exchange_request: ExchangeRequest, participant: Participant) -> None:
    others = exchange_request.participants.filter(country_id=participant.country_id)
    if participant.pk:
        others = others.exclude(pk=participant.pk)
    if others.count() >= MAX_PARTICIPANTS_PER_COUNTRY:
        raise ValidationError(
            {
                "country": [
                    _("A study visit takes at most %(max)d participants from the same country.")
                    % {"max": MAX_PARTICIPANTS_PER_COUNTRY}
                ]
            }
        )


# --- transitions -------------------------------------------------------------------------------------------------


def _take_step(
    *, exchange_request: ExchangeRequest, actor: User, action: str, comment: str = "", rules=None
) -> Decision:
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = _lock(exchange_request)
        if not can_view(actor, locked):
            raise Http404
        steps = steps_for(action)
        if not any(_holds_role(actor, PARTY_ROLE[step.party]) for step in steps):
            raise PermissionDenied(_("Your role cannot take this action."))
        if locked.state != exchange_request.state:
            raise TransitionConflictError(
                _("This request changed while you were deciding: it is now “%(state)s”. Reload it.")
                % {"state": locked.get_state_display()}
            )
        step = step_from(action, locked.state)
        if step is None:
            raise TransitionConflictError(
                _("This request is now “%(state)s”: “%(action)s” is not possible in that state. Reload it.")
                % {"state": locked.get_state_display(), "action": ACTION_LABELS[action]}
            )
        if not is_party(actor, locked, step.party):
            raise PermissionDenied(_("This step is for another role or another country."))
        if step.party != REQUESTER and is_drafter(actor, locked):
            raise PermissionDenied(_("You cannot decide on a request you drafted."))
        if action in COMMENT_REQUIRED and not comment:
            raise ValidationError({"comment": [_("Give a reason: it is required for this decision.")]})
        if rules is not None:
            errors = rules(locked)
            if errors:
                raise ValidationError(errors)
        decision = _record_step(
            locked,
            actor=actor,
            action=action,
            source=step.source,
            target=step.target,
            role=PARTY_ROLE[step.party],
            comment=comment,
        )
    exchange_request.refresh_from_db()
    return decision


def _record_step(
    exchange_request: ExchangeRequest,
    *,
    actor: User | None,
    action: str,
    source: str,
    target: str,
    role: str,
    comment: str,
    reason: str = "",
    changed_fields: list[str] | None = None,
) -> Decision:
    """Write the new state, the decision row (``actor`` None: the portal took it, with ``reason``) and the audit row,
    and queue the notifications for after the commit."""
    now = timezone.now()
    exchange_request.state = target
    exchange_request.state_changed_at = now
    exchange_request.last_reminder_at = None
    exchange_request.save(update_fields=["state", "state_changed_at", "last_reminder_at", "updated_at"])
    decision = Decision.objects.create(
        request=exchange_request,
        actor=actor,
        actor_label=actor.get_full_name()[:254] if actor else "",
        role=role,
        action=action,
        from_state=source,
        to_state=target,
        comment=comment,
        reason=reason,
        changed_fields=changed_fields or [],
    )
    audit_record(
        actor=actor,
        action=f"exchange.{action}",
        obj=exchange_request,
        summary=f"{source} → {target}",
        extra={"decision": decision.pk, "role": role, **({"reason": reason} if reason else {})},
    )
    request_id, decision_id = exchange_request.pk, decision.pk
    transaction.on_commit(lambda: notifications.notify_requester(request_id=request_id, decision_id=decision_id))
    transaction.on_commit(lambda: notifications.notify_next_deciders(request_id=request_id))
    transaction.on_commit(lambda: notifications.notify_people(request_id=request_id, decision_id=decision_id))
    return decision


def _holds_role(actor: User, role: str) -> bool:
    from apps.core.permissions import has_role

    return has_role(actor, role)


def exchange_request_submit(*, exchange_request: ExchangeRequest, actor: User, comment: str = "") -> Decision:
    return _take_step(
        exchange_request=exchange_request, actor=actor, action="submit", comment=comment, rules=submission_errors
    )


def exchange_request_withdraw(*, exchange_request: ExchangeRequest, actor: User, comment: str = "") -> Decision:
    return _take_step(exchange_request=exchange_request, actor=actor, action="withdraw", comment=comment)


def exchange_request_endorse(*, exchange_request: ExchangeRequest, actor: User, comment: str = "") -> Decision:
    return _take_step(exchange_request=exchange_request, actor=actor, action="endorse", comment=comment)


def exchange_request_accept(*, exchange_request: ExchangeRequest, actor: User, comment: str = "") -> Decision:
    return _take_step(exchange_request=exchange_request, actor=actor, action="accept", comment=comment)


def exchange_request_return(*, exchange_request: ExchangeRequest, actor: User, comment: str = "") -> Decision:
    return _take_step(exchange_request=exchange_request, actor=actor, action="return", comment=comment)


def exchange_request_reject(*, exchange_request: ExchangeRequest, actor: User, comment: str = "") -> Decision:
    return _take_step(exchange_request=exchange_request, actor=actor, action="reject", comment=comment)


def exchange_request_approve(*, exchange_request: ExchangeRequest, actor: User, comment: str = "") -> Decision:
    return _take_step(
        exchange_request=exchange_request, actor=actor, action="approve", comment=comment, rules=approval_errors
    )


def _schedule_errors(exchange_request: ExchangeRequest) -> dict[str, list[str]]:
    if not exchange_request.start_date or not exchange_request.end_date:
        return {"start_date": [_("Set the dates before scheduling the exchange.")]}
    if not has_schedule(exchange_request):
        return {
            "schedule": [
                _("Record the venue, the programme and the host contact before scheduling: use the schedule form.")
            ]
        }
    return {}


def exchange_request_schedule(*, exchange_request: ExchangeRequest, actor: User, comment: str = "") -> Decision:
    """Approved → scheduled, once the schedule is recorded (``schedule_save`` records it and takes this step)."""
    return _take_step(
        exchange_request=exchange_request, actor=actor, action="schedule", comment=comment, rules=_schedule_errors
    )


def exchange_request_cancel(*, exchange_request: ExchangeRequest, actor: User, comment: str = "") -> Decision:
    return _take_step(exchange_request=exchange_request, actor=actor, action="cancel", comment=comment)


def _completion_errors(exchange_request: ExchangeRequest) -> dict[str, list[str]]:
    today = timezone.localdate()
    if exchange_request.end_date and today < exchange_request.end_date:
        return {
            "action": [
                _(
                    "The exchange ends on %(date)s: it can be marked as completed from that day. If it ended earlier, "
                    "the programme coordinator records the early end with the reason."
                )
                % {"date": format_date(exchange_request.end_date, "long")}
            ]
        }
    return {}


def exchange_request_complete(*, exchange_request: ExchangeRequest, actor: User, comment: str = "") -> Decision:
    """Scheduled → completed, on or after the end date (the requester)."""
    return _take_step(
        exchange_request=exchange_request, actor=actor, action="complete", comment=comment, rules=_completion_errors
    )


def exchange_request_end_early(*, exchange_request: ExchangeRequest, actor: User, comment: str = "") -> Decision:
    """Scheduled → completed before the end date (the coordinator, with the reason)."""
    return _take_step(exchange_request=exchange_request, actor=actor, action="end_early", comment=comment)


TRANSITIONS = {
    "submit": exchange_request_submit,
    "withdraw": exchange_request_withdraw,
    "endorse": exchange_request_endorse,
    "accept": exchange_request_accept,
    "return": exchange_request_return,
    "reject": exchange_request_reject,
    "approve": exchange_request_approve,
    "schedule": exchange_request_schedule,
    "cancel": exchange_request_cancel,
    "complete": exchange_request_complete,
    "end_early": exchange_request_end_early,
}


def exchange_request_transition(
    *, exchange_request: ExchangeRequest, actor: User, action: str, comment: str = ""
) -> Decision:
    """Take ``action`` by name (API, pages and admin): the same function as calling it directly."""
    service = TRANSITIONS.get(action)
    if service is None:
        raise ValidationError({"action": [_("Unknown action.")]})
    return service(exchange_request=exchange_request, actor=actor, comment=comment)


# --- reminders ---------------------------------------------------------------------------------------------------


def exchange_request_send_reminders(*, now=None) -> int:
    """Remind the next deciders of requests waiting 7 days or more, then weekly. Safe to run any number of times."""
    now = now or timezone.now()
    threshold = now - REMINDER_INTERVAL
    due = Q(state__in=WAITING_FOR_DECIDER, state_changed_at__lte=threshold) & (
        Q(last_reminder_at__isnull=True) | Q(last_reminder_at__lte=threshold)
    )
    sent = 0
    for request_id in ExchangeRequest.objects.filter(due).values_list("pk", flat=True):
        with transaction.atomic():
            # The guarded update is the idempotency key: a second run in the same week updates nothing.
            if ExchangeRequest.objects.filter(due, pk=request_id).update(last_reminder_at=now) != 1:
                continue
            transaction.on_commit(partial(notifications.notify_next_deciders, request_id=request_id, reminder=True))
            sent += 1
    return sent


# The experts of an assignment (shortlist, calls, answers, selection): services/experts.py.
# After approval (schedule, completion, report, evaluations, closing, certificates, reminders): services/after.py.
from .after import (  # noqa: E402 - needs the helpers above
    certificates_issue,
    evaluation_submit,
    exchange_requests_close_overdue,
    exchange_requests_remind_people,
    report_submit,
    schedule_save,
)
from .experts import (  # noqa: E402 - needs the helpers above
    expert_calls_send,
    expert_selection_add,
    expert_selection_answer,
    expert_selection_offer,
    expert_selection_remove,
    expert_selection_select,
    expert_selection_shortlist,
)

__all__ = [
    "certificates_issue",
    "evaluation_submit",
    "exchange_requests_close_overdue",
    "exchange_requests_remind_people",
    "report_submit",
    "schedule_save",
    "expert_calls_send",
    "expert_selection_add",
    "expert_selection_answer",
    "expert_selection_offer",
    "expert_selection_remove",
    "expert_selection_select",
    "expert_selection_shortlist",
]
