"""The rules of an exchange request, checked in the services whatever path calls them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from apps.core.models import Country
from apps.core.roles import Role
from apps.exchange import services
from apps.exchange.models import Decision, ExchangeRequest, ExpertSelection, State
from tests.factories import user_with_role
from tests.factories.exchange import (
    ExchangeRequestFactory,
    ExpertAssignmentFactory,
    ExpertSelectionFactory,
    ParticipantFactory,
)

from .conftest import in_state


def _participant(country="SN", n=0):
    return {
        "name": f"Person {country} {n}",
        "institution": "Institute",
        "position": "Officer",
        "country": Country.objects.get(pk=country),
        "email": f"p{n}.{country.lower()}@example.org",
    }


def test_study_visit_rejects_a_fourth_participant_from_the_same_country(cast, study_visit):
    services.participant_add(exchange_request=study_visit, actor=cast.focal, fields=_participant("SN", 3))
    with pytest.raises(ValidationError) as error:
        services.participant_add(exchange_request=study_visit, actor=cast.focal, fields=_participant("SN", 4))
    assert "country" in error.value.message_dict
    assert study_visit.participants.filter(country_id="SN").count() == 3


def test_study_visit_takes_three_participants_from_each_of_several_countries(cast, study_visit):
    for n in range(3):
        services.participant_add(exchange_request=study_visit, actor=cast.focal, fields=_participant("ML", n))
    assert study_visit.participants.count() == 5


def test_editing_a_participants_country_into_a_full_country_is_refused(cast, study_visit):
    services.participant_add(exchange_request=study_visit, actor=cast.focal, fields=_participant("SN", 3))
    moving = services.participant_add(exchange_request=study_visit, actor=cast.focal, fields=_participant("ML", 1))
    with pytest.raises(ValidationError):
        services.participant_update(
            participant=moving, actor=cast.focal, fields={"country": Country.objects.get(pk="SN")}
        )
    moving.refresh_from_db()
    assert moving.country_id == "ML"


def test_submit_checks_the_participants_per_country_again(cast, study_visit):
    ParticipantFactory.create_batch(2, request=study_visit, country_id="SN")  # 4 from Senegal, past the save check
    with pytest.raises(ValidationError) as error:
        services.exchange_request_submit(exchange_request=study_visit, actor=cast.focal)
    assert "participants" in error.value.message_dict
    study_visit.refresh_from_db()
    assert study_visit.state == State.DRAFT


def test_approval_checks_the_participants_per_country_again(cast, study_visit):
    ParticipantFactory.create_batch(2, request=study_visit, country_id="SN")
    in_state(study_visit, State.ACCEPTED)
    with pytest.raises(ValidationError):
        services.exchange_request_approve(exchange_request=study_visit, actor=cast.coordinator)


def test_dates_reversed_are_refused_on_save(cast, study_visit):
    start = study_visit.start_date
    with pytest.raises(ValidationError) as error:
        services.exchange_request_update(
            exchange_request=study_visit, actor=cast.focal, fields={"end_date": start - timedelta(days=1)}
        )
    assert "end_date" in error.value.message_dict
    study_visit.refresh_from_db()
    assert study_visit.end_date >= study_visit.start_date


def test_the_database_refuses_reversed_dates_too(study_visit):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRequest.objects.filter(pk=study_visit.pk).update(end_date=study_visit.start_date - timedelta(days=1))


def test_submit_refuses_a_start_date_less_than_30_days_ahead(cast, study_visit):
    services.exchange_request_update(
        exchange_request=study_visit,
        actor=cast.focal,
        fields={
            "start_date": timezone.localdate() + timedelta(days=29),
            "end_date": timezone.localdate() + timedelta(days=31),
        },
    )
    with pytest.raises(ValidationError) as error:
        services.exchange_request_submit(exchange_request=study_visit, actor=cast.focal)
    assert "30 days" in error.value.message_dict["start_date"][0]


def test_the_days_ahead_come_from_the_setting(cast, study_visit, settings):
    settings.EXCHANGE_MIN_DAYS_AHEAD = 10
    services.exchange_request_update(
        exchange_request=study_visit,
        actor=cast.focal,
        fields={
            "start_date": timezone.localdate() + timedelta(days=10),
            "end_date": timezone.localdate() + timedelta(days=12),
        },
    )
    services.exchange_request_submit(exchange_request=study_visit, actor=cast.focal)
    assert study_visit.state == State.SUBMITTED


def test_a_study_visit_without_participants_cannot_be_submitted(cast):
    request = ExchangeRequestFactory(requesting_institution=cast.institution, created_by=cast.focal)
    with pytest.raises(ValidationError) as error:
        services.exchange_request_submit(exchange_request=request, actor=cast.focal)
    assert "participants" in error.value.message_dict


@pytest.mark.parametrize("missing", ["skills_sought", "number_of_experts", "delivery_mode", "terms_of_reference"])
def test_an_expert_assignment_needs_its_expertise_and_terms_before_submit(cast, missing):
    request = ExpertAssignmentFactory(requesting_institution=cast.institution, created_by=cast.focal)
    ExchangeRequest.objects.filter(pk=request.pk).update(**{missing: None if missing == "number_of_experts" else ""})
    request.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.exchange_request_submit(exchange_request=request, actor=cast.focal)
    assert missing in error.value.message_dict


def test_an_expert_assignment_with_everything_is_submitted_without_participants(cast):
    request = ExpertAssignmentFactory(requesting_institution=cast.institution, created_by=cast.focal)
    services.exchange_request_submit(exchange_request=request, actor=cast.focal)
    assert request.state == State.SUBMITTED


@pytest.mark.parametrize("field", ["title", "objectives", "expected_results", "start_date"])
def test_common_fields_are_required_before_submit(cast, study_visit, field):
    ExchangeRequest.objects.filter(pk=study_visit.pk).update(**{field: None} if field == "start_date" else {field: ""})
    study_visit.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.exchange_request_submit(exchange_request=study_visit, actor=cast.focal)
    assert field in error.value.message_dict


def test_a_study_visit_cannot_be_approved_without_a_participant(cast):
    request = ExchangeRequestFactory(requesting_institution=cast.institution, created_by=cast.focal)
    in_state(request, State.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        services.exchange_request_approve(exchange_request=request, actor=cast.coordinator)
    assert "participants" in error.value.message_dict
    request.refresh_from_db()
    assert request.state == State.ACCEPTED


def test_an_expert_assignment_cannot_be_approved_with_only_a_shortlisted_expert(cast):
    request = ExpertAssignmentFactory(requesting_institution=cast.institution, created_by=cast.focal)
    ExpertSelectionFactory(request=request, status=ExpertSelection.Status.SHORTLISTED)
    in_state(request, State.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        services.exchange_request_approve(exchange_request=request, actor=cast.coordinator)
    assert "experts" in error.value.message_dict


def test_the_experts_of_an_assignment_all_come_from_one_provider_country(cast):
    """Shortlisting from several countries is allowed (to compare); selecting is not, nor approving."""
    request = ExpertAssignmentFactory(requesting_institution=cast.institution, created_by=cast.focal)
    in_state(request, State.ACCEPTED)
    ExpertSelectionFactory(request=request, provider_country_id="TN", status=ExpertSelection.Status.SELECTED)
    egyptian = ExpertSelectionFactory(
        request=request, provider_country_id="EG", status=ExpertSelection.Status.INTERESTED
    )
    with pytest.raises(ValidationError) as error:
        services.expert_selection_select(selection=egyptian, actor=cast.coordinator)
    assert "provider_country" in error.value.message_dict
    # Even if two countries got selected by another path, approval refuses them.
    ExpertSelection.objects.filter(pk=egyptian.pk).update(status=ExpertSelection.Status.SELECTED)
    with pytest.raises(ValidationError) as error:
        services.exchange_request_approve(exchange_request=request, actor=cast.coordinator)
    assert "experts" in error.value.message_dict


def test_adding_an_unknown_email_as_expert_says_so(cast):
    request = in_state(
        ExpertAssignmentFactory(requesting_institution=cast.institution, created_by=cast.focal), State.SUBMITTED
    )
    with pytest.raises(ValidationError) as error:
        services.expert_selection_add(
            exchange_request=request,
            actor=cast.coordinator,
            email="nobody@example.org",
            provider_country=Country.objects.get(pk="TN"),
        )
    assert "email" in error.value.message_dict


def test_only_a_coordinator_selects_experts(cast):
    request = in_state(
        ExpertAssignmentFactory(requesting_institution=cast.institution, created_by=cast.focal), State.SUBMITTED
    )
    user_with_role(Role.MEMBER, email="tn.expert@example.org")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.expert_selection_add(
            exchange_request=request,
            actor=cast.approver_sn,
            email="tn.expert@example.org",
            provider_country=Country.objects.get(pk="TN"),
        )


@pytest.mark.parametrize(
    ("state", "action", "actor"),
    [
        (State.SUBMITTED, "reject", "approver_sn"),
        (State.ENDORSED, "return", "approver_ma"),
        (State.SCHEDULED, "cancel", "coordinator"),
    ],
)
def test_rejecting_returning_and_cancelling_need_a_reason(cast, study_visit, state, action, actor):
    in_state(study_visit, state)
    with pytest.raises(ValidationError) as error:
        services.exchange_request_transition(
            exchange_request=study_visit, actor=getattr(cast, actor), action=action, comment=" "
        )
    assert "comment" in error.value.message_dict
    study_visit.refresh_from_db()
    assert study_visit.state == state


def test_participants_cannot_change_once_submitted(cast, study_visit):
    services.exchange_request_submit(exchange_request=study_visit, actor=cast.focal)
    with pytest.raises(services.TransitionConflictError):
        services.participant_add(exchange_request=study_visit, actor=cast.focal, fields=_participant("ML", 1))


def test_a_focal_point_of_another_institution_cannot_draft_for_this_one(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.exchange_request_create(
            actor=cast.other_focal,
            institution=cast.institution,
            fields={
                "kind": "study_visit",
                "title": "x",
                "theme": "health",
                "host_country": Country.objects.get(pk="MA"),
            },
        )


def test_the_decision_log_refuses_updates_and_deletes(cast, study_visit):
    decision = services.exchange_request_submit(exchange_request=study_visit, actor=cast.focal)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(comment="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).delete()
    decision.refresh_from_db()
    assert decision.comment == ""


def _completed(cast, study_visit):
    in_state(study_visit, State.COMPLETED)
    return study_visit


REPORT = {"activities": "Visits.", "results": "A plan.", "knowledge_sharing": "A workshop."}


def test_a_report_is_sent_once_and_only_by_the_requesting_focal_point(cast, study_visit):
    from django.core.exceptions import PermissionDenied

    request = _completed(cast, study_visit)
    with pytest.raises(PermissionDenied):
        services.report_submit(exchange_request=request, actor=cast.approver_sn, fields=REPORT)
    services.report_submit(exchange_request=request, actor=cast.focal, fields=REPORT)
    with pytest.raises(services.TransitionConflictError):
        services.report_submit(exchange_request=request, actor=cast.focal, fields=REPORT)


def test_no_report_before_the_exchange_is_completed(cast, study_visit):
    in_state(study_visit, State.SCHEDULED)
    with pytest.raises(services.TransitionConflictError):
        services.report_submit(exchange_request=study_visit, actor=cast.focal, fields=REPORT)


def test_only_participants_and_selected_experts_evaluate_and_only_once(cast, study_visit):
    from django.core.exceptions import PermissionDenied

    request = _completed(cast, study_visit)
    scores = {"usefulness": 4, "organisation": 3, "would_recommend": False}
    with pytest.raises(PermissionDenied):
        services.evaluation_submit(exchange_request=request, actor=cast.approver_ma, fields=scores)
    participant = user_with_role(Role.MEMBER, email=request.participants.first().email)
    evaluation = services.evaluation_submit(exchange_request=request, actor=participant, fields=scores)
    assert evaluation.respondent == "participant"
    with pytest.raises(services.TransitionConflictError):
        services.evaluation_submit(exchange_request=request, actor=participant, fields=scores)
    request.refresh_from_db()
    assert request.state == State.COMPLETED, "an evaluation alone does not close the request"


def test_scores_outside_1_to_5_are_refused(cast, study_visit):
    request = _completed(cast, study_visit)
    participant = user_with_role(Role.MEMBER, email=request.participants.first().email)
    with pytest.raises(ValidationError):
        services.evaluation_submit(
            exchange_request=request,
            actor=participant,
            fields={"usefulness": 6, "organisation": 3, "would_recommend": True},
        )


def test_a_selected_expert_evaluates_an_assignment(cast):
    request = in_state(
        ExpertAssignmentFactory(requesting_institution=cast.institution, created_by=cast.focal), State.COMPLETED
    )
    selection = ExpertSelectionFactory(request=request)
    evaluation = services.evaluation_submit(
        exchange_request=request,
        actor=selection.expert,
        fields={"usefulness": 5, "organisation": 5, "would_recommend": True},
    )
    assert evaluation.respondent == "expert"
