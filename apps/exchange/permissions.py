"""Who may see and decide what on an exchange request. Plain functions shared by views, API, templates and admin.

The workflow is data: each :class:`Step` says from which state an action leads where, and which party takes it.
Parties:

- ``requester``: a focal point of the requesting institution;
- ``requesting_approver``: a ministry approver of the requesting country;
- ``host_approver``: a ministry approver of the host country;
- ``coordinator``: a programme coordinator.

Nobody decides on a request they drafted (every step except the requester's own).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from apps.core.permissions import has_role, scoped_country_codes, scoped_organisation_ids
from apps.core.roles import Role

from .models import ExchangeRequest, State

REQUESTER = "requester"
REQUESTING_APPROVER = "requesting_approver"
HOST_APPROVER = "host_approver"
COORDINATOR = "coordinator"

PARTY_ROLE = {
    REQUESTER: Role.FOCAL_POINT,
    REQUESTING_APPROVER: Role.APPROVER,
    HOST_APPROVER: Role.APPROVER,
    COORDINATOR: Role.COORDINATOR,
}


@dataclass(frozen=True)
class Step:
    action: str
    source: str
    target: str
    party: str


ACTION_LABELS = {
    "submit": _("Submit"),
    "withdraw": _("Withdraw"),
    "endorse": _("Endorse"),
    "accept": _("Accept"),
    "return": _("Return for changes"),
    "reject": _("Reject"),
    "approve": _("Approve"),
    "schedule": _("Schedule"),
    "cancel": _("Cancel"),
    "complete": _("Mark as completed"),
    "end_early": _("Record an early end"),
    "reschedule": _("Change the schedule"),
    "close": _("Close"),
}

# Actions whose comment is required (the reason or the changes asked for).
COMMENT_REQUIRED = frozenset({"return", "reject", "cancel", "end_early"})
# Actions that end the request for good: the page asks to confirm them and says what follows.
CONFIRM_REQUIRED = frozenset({"withdraw", "cancel"})

STEPS: tuple[Step, ...] = (
    Step("submit", State.DRAFT, State.SUBMITTED, REQUESTER),
    Step("submit", State.RETURNED, State.SUBMITTED, REQUESTER),
    Step("withdraw", State.DRAFT, State.WITHDRAWN, REQUESTER),
    Step("withdraw", State.RETURNED, State.WITHDRAWN, REQUESTER),
    Step("withdraw", State.SUBMITTED, State.WITHDRAWN, REQUESTER),
    Step("withdraw", State.ENDORSED, State.WITHDRAWN, REQUESTER),
    Step("withdraw", State.ACCEPTED, State.WITHDRAWN, REQUESTER),
    Step("endorse", State.SUBMITTED, State.ENDORSED, REQUESTING_APPROVER),
    Step("return", State.SUBMITTED, State.RETURNED, REQUESTING_APPROVER),
    Step("reject", State.SUBMITTED, State.REJECTED, REQUESTING_APPROVER),
    Step("accept", State.ENDORSED, State.ACCEPTED, HOST_APPROVER),
    Step("return", State.ENDORSED, State.RETURNED, HOST_APPROVER),
    Step("reject", State.ENDORSED, State.REJECTED, HOST_APPROVER),
    Step("approve", State.ACCEPTED, State.APPROVED, COORDINATOR),
    Step("return", State.ACCEPTED, State.RETURNED, COORDINATOR),
    Step("reject", State.ACCEPTED, State.REJECTED, COORDINATOR),
    Step("schedule", State.APPROVED, State.SCHEDULED, COORDINATOR),
    Step("cancel", State.APPROVED, State.CANCELLED, COORDINATOR),
    Step("cancel", State.SCHEDULED, State.CANCELLED, COORDINATOR),
    Step("complete", State.SCHEDULED, State.COMPLETED, REQUESTER),
    # Before the end date, only the coordinator ends an exchange, with the reason.
    Step("end_early", State.SCHEDULED, State.COMPLETED, COORDINATOR),
)

ACTIONS = tuple(dict.fromkeys(step.action for step in STEPS))
# "close" is not in STEPS: the portal closes the request once the report is in and every participant and expert
# has evaluated, or the evaluation deadline has passed (services/closure.py).


# The actions that move a request on. In each state the request waits for the party whose advancing step leaves
# it; the other steps (withdraw, return, reject, cancel, an early end) are choices a party may make, not what the
# request waits for. After completion it waits for the requester's report (not a step: the portal then closes it).
ADVANCING_ACTIONS = frozenset({"submit", "endorse", "accept", "approve", "schedule", "complete"})
AWAITING_REPORT = State.COMPLETED


def waiting_party(state: str) -> str | None:
    """The party a request in ``state`` waits for, or None when it waits for nobody."""
    if state == AWAITING_REPORT:
        return REQUESTER
    for step in STEPS:
        if step.source == state and step.action in ADVANCING_ACTIONS:
            return step.party
    return None


def states_waiting_for(party: str) -> tuple[str, ...]:
    """The states in which a request waits for ``party`` (in the order of the workflow)."""
    states = [step.source for step in STEPS if step.action in ADVANCING_ACTIONS and step.party == party]
    if party == REQUESTER:
        states.append(AWAITING_REPORT)
    return tuple(dict.fromkeys(states))


def steps_for(action: str) -> list[Step]:
    return [step for step in STEPS if step.action == action]


def step_from(action: str, state: str) -> Step | None:
    for step in STEPS:
        if step.action == action and step.source == state:
            return step
    return None


def is_party(user, request: ExchangeRequest, party: str) -> bool:
    """Whether ``user`` acts as ``party`` for ``request`` (role and scope; not the drafter rule)."""
    if party == REQUESTER:
        return request.requesting_institution_id in scoped_organisation_ids(user, Role.FOCAL_POINT)
    if party == REQUESTING_APPROVER:
        return request.requesting_country_id in scoped_country_codes(user, Role.APPROVER)
    if party == HOST_APPROVER:
        return request.host_country_id in scoped_country_codes(user, Role.APPROVER)
    if party == COORDINATOR:
        return has_role(user, Role.COORDINATOR)
    return False


def is_drafter(user, request: ExchangeRequest) -> bool:
    return user.pk is not None and request.created_by_id == user.pk


def may_take(user, request: ExchangeRequest, step: Step) -> bool:
    if not is_party(user, request, step.party):
        return False
    return step.party == REQUESTER or not is_drafter(user, request)


def allowed_actions(user, request: ExchangeRequest) -> list[str]:
    """The actions ``user`` may take on ``request`` now (rules such as required fields are checked on taking)."""
    return [step.action for step in STEPS if step.source == request.state and may_take(user, request, step)]


def has_any_exchange_role(user) -> bool:
    return has_role(user, Role.FOCAL_POINT, Role.APPROVER, Role.COORDINATOR)


def can_view(user, request: ExchangeRequest) -> bool:
    """Coordinators see every submitted request; focal points their institution's; approvers their country's."""
    if is_party(user, request, REQUESTER):
        return True
    if request.state == State.DRAFT:
        return False
    if has_role(user, Role.COORDINATOR):
        return True
    if is_party(user, request, REQUESTING_APPROVER) or is_party(user, request, HOST_APPROVER):
        return True
    if any(s.expert_id == user.pk for s in request.expert_selections.all()):
        return True
    email = (user.email or "").lower()
    return bool(email) and any(p.email.lower() == email for p in request.participants.all())


def can_create(user) -> bool:
    return bool(scoped_organisation_ids(user, Role.FOCAL_POINT))


def can_edit(user, request: ExchangeRequest) -> bool:
    return request.state in (State.DRAFT, State.RETURNED) and is_party(user, request, REQUESTER)


EXPERT_SELECTION_STATES = frozenset({State.SUBMITTED, State.ENDORSED, State.ACCEPTED})


def can_manage_experts(user, request: ExchangeRequest) -> bool:
    return (
        request.kind == "expert_assignment"
        and request.state in EXPERT_SELECTION_STATES
        and has_role(user, Role.COORDINATOR)
        and not is_drafter(user, request)
    )


# The statuses in which the member called can still answer (or change their answer).
ANSWERABLE_STATUSES = frozenset({"invited", "interested", "not_interested"})


def can_answer(user, selection) -> bool:
    """Whether ``user`` may answer this call now: their own, answerable, while the selection is open."""
    return (
        user.pk is not None
        and selection.expert_id == user.pk
        and selection.status in ANSWERABLE_STATUSES
        and selection.request.state in EXPERT_SELECTION_STATES
    )


def can_report(user, request: ExchangeRequest) -> bool:
    return request.state == State.COMPLETED and is_party(user, request, REQUESTER) and not has_report(request)


def has_report(request: ExchangeRequest) -> bool:
    try:
        return request.report is not None
    except ExchangeRequest.report.RelatedObjectDoesNotExist:
        return False


def evaluation_respondent(user, request: ExchangeRequest) -> str | None:
    """As whom ``user`` evaluates ``request``: a participant (by e-mail), a selected expert, or nobody."""
    email = (user.email or "").lower()
    if any(p.email.lower() == email for p in request.participants.all()):
        return "participant"
    if any(s.expert_id == user.pk and s.status == "selected" for s in request.expert_selections.all()):
        return "expert"
    return None


EVALUATION_DAYS_DEFAULT = 30


def evaluation_deadline(request: ExchangeRequest):
    """The last day to evaluate: the one the coordinator set when scheduling, else 30 days after the end."""
    from datetime import timedelta

    if has_schedule(request):
        return request.schedule.evaluation_deadline
    if request.end_date:
        return request.end_date + timedelta(days=EVALUATION_DAYS_DEFAULT)
    return None


def has_schedule(request: ExchangeRequest) -> bool:
    try:
        return request.schedule is not None
    except ExchangeRequest.schedule.RelatedObjectDoesNotExist:
        return False


def evaluation_open(request: ExchangeRequest, *, today=None) -> bool:
    from django.utils import timezone

    deadline = evaluation_deadline(request)
    today = today or timezone.localdate()
    return request.state == State.COMPLETED and (deadline is None or today <= deadline)


def has_evaluated(user, request: ExchangeRequest) -> bool:
    return any(e.author_id == user.pk for e in request.evaluations.all())


def can_evaluate(user, request: ExchangeRequest) -> bool:
    if not evaluation_open(request) or evaluation_respondent(user, request) is None:
        return False
    return not has_evaluated(user, request)


def can_schedule(user, request: ExchangeRequest) -> bool:
    """The coordinator (not the drafter) records the schedule when approving it into "scheduled", or changes it."""
    return (
        request.state in (State.APPROVED, State.SCHEDULED)
        and has_role(user, Role.COORDINATOR)
        and not is_drafter(user, request)
    )
