"""Every transition × every role × country scope, through the one service function each path calls."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.core.roles import Role
from apps.exchange import services
from apps.exchange.models import Decision, State
from apps.exchange.permissions import STEPS, allowed_actions
from tests.factories import user_with_role
from tests.factories.exchange import ScheduleFactory

from .conftest import in_state

SCHEDULE = {
    "venue": "Ministry, room 2",
    "city": "Rabat",
    "host_contact_name": "Amina Berrada",
    "host_contact_email": "amina@example.org",
}

# Who takes each party's steps in the cast (a Senegalese institution asks Morocco).
PARTY_ACTOR = {
    "requester": "focal",
    "requesting_approver": "approver_sn",
    "host_approver": "approver_ma",
    "coordinator": "coordinator",
}
ACTORS = ["focal", "other_focal", "approver_sn", "approver_ma", "approver_ke", "coordinator", "member"]
# Who sees a request at all (the rest get 404): its focal points always; approvers of both countries and the
# coordinator once it has left the draft.
SEES_DRAFTS = {"focal"}
SEES_SUBMITTED = {"focal", "approver_sn", "approver_ma", "coordinator"}

CASES = [
    pytest.param(step, actor, id=f"{step.action}-from-{step.source}-by-{actor}") for step in STEPS for actor in ACTORS
]


def _expected(step, actor):
    if actor == PARTY_ACTOR[step.party]:
        return "allowed"
    visible = SEES_DRAFTS if step.source == State.DRAFT else SEES_SUBMITTED
    return "forbidden" if actor in visible else "not_found"


@pytest.mark.parametrize(("step", "actor"), CASES)
def test_each_transition_is_taken_only_by_its_party_and_refused_to_every_other_role_or_country(
    cast, study_visit, step, actor
):
    request = in_state(study_visit, step.source)
    if step.action == "schedule":
        ScheduleFactory(request=request)
    if step.action == "complete":  # on or after the end date
        type(request).objects.filter(pk=request.pk).update(
            start_date=date.today() - timedelta(days=3), end_date=date.today()
        )
        request.refresh_from_db()
    user = getattr(cast, actor)
    expected = _expected(step, actor)

    if expected == "allowed":
        decision = services.exchange_request_transition(
            exchange_request=request, actor=user, action=step.action, comment="ok"
        )
        request.refresh_from_db()
        assert request.state == step.target
        assert (decision.from_state, decision.to_state, decision.actor_id) == (step.source, step.target, user.pk)
        assert step.action in {"submit", "withdraw", "complete"} or decision.role != Role.FOCAL_POINT
    else:
        error = PermissionDenied if expected == "forbidden" else Http404
        with pytest.raises(error):
            services.exchange_request_transition(exchange_request=request, actor=user, action=step.action, comment="no")
        request.refresh_from_db()
        assert request.state == step.source
        assert not Decision.objects.filter(request=request).exists()


@pytest.mark.parametrize(
    ("state", "action", "actor"),
    [
        (State.ENDORSED, "endorse", "approver_sn"),
        (State.SUBMITTED, "accept", "approver_ma"),
        (State.ENDORSED, "approve", "coordinator"),
        (State.APPROVED, "approve", "coordinator"),
        (State.SCHEDULED, "withdraw", "focal"),
        (State.APPROVED, "complete", "focal"),
        (State.CLOSED, "cancel", "coordinator"),
        (State.REJECTED, "submit", "focal"),
    ],
)
def test_an_action_not_allowed_in_the_current_state_is_a_conflict_and_changes_nothing(
    cast, study_visit, state, action, actor
):
    request = in_state(study_visit, state)
    with pytest.raises(services.TransitionConflictError):
        services.exchange_request_transition(
            exchange_request=request, actor=getattr(cast, actor), action=action, comment="x"
        )
    request.refresh_from_db()
    assert request.state == state
    assert not Decision.objects.filter(request=request).exists()


def test_an_approver_cannot_endorse_a_request_they_drafted(cast):
    from tests.factories.exchange import ExchangeRequestFactory, ParticipantFactory

    both = user_with_role(Role.FOCAL_POINT, cast.institution)
    from apps.accounts.services import membership_grant

    membership_grant(user=both, role=Role.APPROVER, organisation=cast.approver_sn.memberships.first().organisation)
    request = ExchangeRequestFactory(requesting_institution=cast.institution, created_by=both, state=State.SUBMITTED)
    ParticipantFactory(request=request)

    assert "endorse" not in allowed_actions(both, request)
    with pytest.raises(PermissionDenied, match="drafted"):
        services.exchange_request_endorse(exchange_request=request, actor=both)
    request.refresh_from_db()
    assert request.state == State.SUBMITTED


def test_a_coordinator_cannot_approve_a_request_they_drafted(cast):
    from apps.accounts.services import membership_grant
    from tests.factories.exchange import ExchangeRequestFactory, ParticipantFactory

    membership_grant(user=cast.coordinator, role=Role.FOCAL_POINT, organisation=cast.institution)
    request = ExchangeRequestFactory(
        requesting_institution=cast.institution, created_by=cast.coordinator, state=State.ACCEPTED
    )
    ParticipantFactory(request=request)
    with pytest.raises(PermissionDenied, match="drafted"):
        services.exchange_request_approve(exchange_request=request, actor=cast.coordinator)


def test_a_study_visit_runs_from_draft_to_closed_and_every_step_is_in_the_log(cast, study_visit):
    from apps.core.models import AuditEvent

    request = study_visit
    services.exchange_request_submit(exchange_request=request, actor=cast.focal)
    services.exchange_request_endorse(exchange_request=request, actor=cast.approver_sn, comment="Fits our priorities.")
    services.exchange_request_accept(exchange_request=request, actor=cast.approver_ma)
    services.exchange_request_approve(exchange_request=request, actor=cast.coordinator)
    services.schedule_save(
        exchange_request=request,
        actor=cast.coordinator,
        fields={
            **SCHEDULE,
            "start_date": request.start_date,
            "end_date": request.end_date,
            "evaluation_deadline": request.end_date + timedelta(days=20),
        },
        items=[{"day": request.start_date, "start_time": time(9), "end_time": time(12), "title": "Opening"}],
    )
    # The visit takes place: its dates are now behind us.
    type(request).objects.filter(pk=request.pk).update(
        start_date=date.today() - timedelta(days=5), end_date=date.today()
    )
    request.refresh_from_db()
    services.exchange_request_complete(exchange_request=request, actor=cast.focal)
    services.report_submit(
        exchange_request=request,
        actor=cast.focal,
        fields={"activities": "Visits.", "results": "A plan.", "knowledge_sharing": "A workshop at home."},
    )
    request.refresh_from_db()
    assert request.state == State.COMPLETED, "the report alone does not close the request"

    first, second = request.participants.all()
    for participant in (first, second):
        request.refresh_from_db()
        assert request.state == State.COMPLETED, "closes only once every participant has evaluated"
        evaluator = user_with_role(Role.MEMBER, email=participant.email)
        services.evaluation_submit(
            exchange_request=request,
            actor=evaluator,
            fields={"usefulness": 5, "organisation": 4, "would_recommend": True},
        )
    request.refresh_from_db()
    assert request.state == State.CLOSED
    log = list(request.decisions.values_list("from_state", "to_state", "role"))
    assert log == [
        (State.DRAFT, State.SUBMITTED, Role.FOCAL_POINT),
        (State.SUBMITTED, State.ENDORSED, Role.APPROVER),
        (State.ENDORSED, State.ACCEPTED, Role.APPROVER),
        (State.ACCEPTED, State.APPROVED, Role.COORDINATOR),
        (State.APPROVED, State.SCHEDULED, Role.COORDINATOR),
        (State.SCHEDULED, State.COMPLETED, Role.FOCAL_POINT),
        (State.COMPLETED, State.CLOSED, "system"),
    ]
    closing = request.decisions.last()
    assert closing.actor_id is None and closing.reason == "all_evaluated"
    assert (
        AuditEvent.objects.filter(object_type="exchange.exchangerequest", object_id=str(request.pk))
        .filter(action__in=["exchange.endorse", "exchange.close"])
        .count()
        == 2
    )


def test_a_returned_request_is_edited_and_resubmitted(cast, study_visit):
    services.exchange_request_submit(exchange_request=study_visit, actor=cast.focal)
    services.exchange_request_return(
        exchange_request=study_visit, actor=cast.approver_sn, comment="Add the objectives."
    )
    assert study_visit.state == State.RETURNED
    services.exchange_request_update(exchange_request=study_visit, actor=cast.focal, fields={"objectives": "Clearer."})
    services.exchange_request_submit(exchange_request=study_visit, actor=cast.focal)
    study_visit.refresh_from_db()
    assert study_visit.state == State.SUBMITTED
    assert study_visit.objectives == "Clearer."


def test_an_expert_assignment_is_approved_once_an_expert_is_selected(cast):
    from tests.factories.exchange import ExpertAssignmentFactory

    expert = user_with_role(Role.MEMBER, email="expert@example.org")
    request = ExpertAssignmentFactory(requesting_institution=cast.institution, created_by=cast.focal)
    services.exchange_request_submit(exchange_request=request, actor=cast.focal)
    selection = services.expert_selection_add(
        exchange_request=request, actor=cast.coordinator, email="Expert@example.org", provider_country=_country("TN")
    )
    services.exchange_request_endorse(exchange_request=request, actor=cast.approver_sn)
    services.exchange_request_accept(exchange_request=request, actor=cast.approver_ma)
    services.expert_calls_send(exchange_request=request, actor=cast.coordinator)
    services.expert_selection_answer(selection=selection, actor=expert, interested=True)
    services.expert_selection_select(selection=selection, actor=cast.coordinator)
    services.exchange_request_approve(exchange_request=request, actor=cast.coordinator)
    request.refresh_from_db()
    assert request.state == State.APPROVED
    assert selection.expert == expert


def _country(code):
    from apps.core.models import Country

    return Country.objects.get(pk=code)
