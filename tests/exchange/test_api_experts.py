"""The exchange API beyond transitions: participants, candidates, expert selections, calls, answers, report,
evaluations — each with the page's permission checks (wrong role 403, out of scope 404) and in the schema."""

import pytest
from django.urls import reverse

from apps.exchange import services
from apps.exchange.models import ExpertSelection, Participant, State
from tests.factories.exchange import ExpertSelectionFactory, ParticipantFactory

from .conftest import in_state
from .matching_fixture import build
from .test_api import client_for


def _base(request):
    return f"/api/v1/exchange-requests/{request.pk}/"


# --- candidates --------------------------------------------------------------------------------------------------


def test_candidates_come_ranked_with_their_reasons(cast):
    request, _people = build(cast)
    response = client_for(cast.coordinator).get(_base(request) + "candidates/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(row["name"], row["score"]) for row in results] == [
        ("Amina Test", 110),
        ("Bakary Test", 75),
        ("Chloe Test", 60),
        ("Driss Test", 40),
        ("Emma Test", 40),
    ]
    assert results[0]["reasons"][0] == "Same occupation (ISCO-08 unit group)"
    assert results[0]["selection_status"] is None


@pytest.mark.parametrize("who", ["focal", "approver_ma", "member"])
def test_candidates_are_for_coordinators_only(cast, who):
    request, _people = build(cast)
    response = client_for(getattr(cast, who)).get(_base(request) + "candidates/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_candidates_of_a_request_out_of_scope_are_not_found(cast):
    request, _people = build(cast, state=State.DRAFT)
    response = client_for(cast.coordinator).get(_base(request) + "candidates/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_candidates_of_a_study_visit_are_not_found_as_on_the_page(cast, study_visit, login):
    in_state(study_visit, State.SUBMITTED)
    response = client_for(cast.coordinator).get(_base(study_visit) + "candidates/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    page = login(cast.coordinator).get(reverse("exchange:request-experts", kwargs={"pk": study_visit.pk}))
    assert page.status_code == 404


# --- expert selections, calls, answers ---------------------------------------------------------------------------


def test_the_whole_expert_flow_through_the_api(cast):
    request, people = build(cast)
    coordinator = client_for(cast.coordinator)
    response = coordinator.post(_base(request) + "expert-selections/", {"profile": people.amina.pk}, format="json")
    assert response.status_code == 201
    selection_id = response.json()["id"]
    assert response.json()["status"] == "shortlisted" and response.json()["provider_country"] == "MA"

    assert coordinator.post(_base(request) + "calls/").json() == {"invited": 1}

    member = client_for(people.amina.user)
    answer = f"{_base(request)}expert-selections/{selection_id}/answer/"
    response = member.post(answer, {"interested": True}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "interested"

    response = coordinator.post(f"{_base(request)}expert-selections/{selection_id}/select/")
    assert response.status_code == 200 and response.json()["status"] == "selected"
    listed = coordinator.get(_base(request) + "expert-selections/").json()
    assert [row["status"] for row in listed] == ["selected"]


def test_shortlisting_by_email_needs_a_country(cast):
    request, people = build(cast)
    response = client_for(cast.coordinator).post(
        _base(request) + "expert-selections/", {"email": people.bakary.user.email}, format="json"
    )
    assert response.status_code == 400
    assert "provider_country" in response.json()["error"]["fields"]
    response = client_for(cast.coordinator).post(
        _base(request) + "expert-selections/",
        {"email": people.bakary.user.email, "provider_country": "MA"},
        format="json",
    )
    assert response.status_code == 201


@pytest.mark.parametrize("path", ["expert-selections/", "calls/"])
def test_coordinator_actions_are_forbidden_to_other_roles(cast, path):
    request, people = build(cast)
    response = client_for(cast.approver_ma).post(_base(request) + path, {"profile": people.amina.pk}, format="json")
    assert response.status_code == 403


def test_coordinator_actions_on_a_request_out_of_scope_are_not_found(cast):
    request, people = build(cast, state=State.DRAFT)
    response = client_for(cast.coordinator).post(
        _base(request) + "expert-selections/", {"profile": people.amina.pk}, format="json"
    )
    assert response.status_code == 404


def test_selecting_a_member_who_did_not_answer_interested_is_refused(cast):
    request, people = build(cast)
    selection = services.expert_selection_shortlist(
        exchange_request=request, actor=cast.coordinator, profile_id=people.amina.pk
    )
    response = client_for(cast.coordinator).post(f"{_base(request)}expert-selections/{selection.pk}/select/")
    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]


def test_only_the_called_member_answers_and_only_while_selection_is_open(cast):
    request, people = build(cast)
    selection = services.expert_selection_shortlist(
        exchange_request=request, actor=cast.coordinator, profile_id=people.amina.pk
    )
    services.expert_calls_send(exchange_request=request, actor=cast.coordinator)
    url = f"{_base(request)}expert-selections/{selection.pk}/answer/"
    # Another member cannot even see the request: 404.
    assert client_for(people.bakary.user).post(url, {"interested": True}, format="json").status_code == 404
    # The coordinator sees it but the call is not theirs: 404 for the selection.
    assert client_for(cast.coordinator).post(url, {"interested": True}, format="json").status_code == 404
    in_state(request, State.APPROVED)
    response = client_for(people.amina.user).post(url, {"interested": True}, format="json")
    assert response.status_code == 409
    assert ExpertSelection.objects.get(pk=selection.pk).status == "invited"


def test_taking_a_shortlisted_member_off_the_list(cast):
    request, people = build(cast)
    selection = services.expert_selection_shortlist(
        exchange_request=request, actor=cast.coordinator, profile_id=people.amina.pk
    )
    url = f"{_base(request)}expert-selections/{selection.pk}/"
    assert client_for(cast.approver_ma).delete(url).status_code == 403
    assert client_for(cast.coordinator).delete(url).status_code == 204
    assert not ExpertSelection.objects.filter(pk=selection.pk).exists()


# --- participants ------------------------------------------------------------------------------------------------


def test_the_requester_adds_changes_and_removes_participants(cast, study_visit):
    client = client_for(cast.focal)
    data = {"name": "Awa Ndiaye", "institution": "Ministry", "country": "SN", "email": "awa@example.org"}
    response = client.post(_base(study_visit) + "participants/", data, format="json")
    assert response.status_code == 201
    participant_id = response.json()["id"]
    response = client.patch(
        f"{_base(study_visit)}participants/{participant_id}/", {"position": "Director"}, format="json"
    )
    assert response.status_code == 200 and response.json()["position"] == "Director"
    assert client.delete(f"{_base(study_visit)}participants/{participant_id}/").status_code == 204
    assert not Participant.objects.filter(pk=participant_id).exists()


def test_a_fourth_participant_from_one_country_is_refused_by_the_api(cast, study_visit):
    ParticipantFactory(request=study_visit)  # three Senegalese now
    data = {"name": "Fourth", "institution": "Ministry", "country": "SN", "email": "fourth@example.org"}
    response = client_for(cast.focal).post(_base(study_visit) + "participants/", data, format="json")
    assert response.status_code == 400
    assert "country" in response.json()["error"]["fields"]


def test_participants_are_the_requesters_and_only_while_draft_or_returned(cast, study_visit):
    data = {"name": "X", "institution": "Y", "country": "SN", "email": "x@example.org"}
    url = _base(study_visit) + "participants/"
    assert client_for(cast.other_focal).post(url, data, format="json").status_code == 404  # not their institution
    in_state(study_visit, State.SUBMITTED)
    assert client_for(cast.approver_sn).post(url, data, format="json").status_code == 403
    assert client_for(cast.focal).post(url, data, format="json").status_code == 409


# --- report and evaluations --------------------------------------------------------------------------------------


REPORT = {"activities": "Visits.", "results": "A plan.", "knowledge_sharing": "A workshop at home."}


def test_three_participants_each_evaluate_and_the_request_closes_only_with_the_last(cast, study_visit):
    from tests.factories import UserFactory
    from tests.factories.exchange import ParticipantFactory

    ParticipantFactory(request=study_visit)  # a third participant
    in_state(study_visit, State.COMPLETED)
    evaluators = [UserFactory(email=p.email) for p in study_visit.participants.all()]
    assert len(evaluators) == 3
    assert client_for(cast.focal).get(_base(study_visit) + "report/").status_code == 404  # not yet written
    response = client_for(cast.focal).post(_base(study_visit) + "report/", REPORT, format="json")
    assert response.status_code == 201
    assert client_for(cast.coordinator).get(_base(study_visit) + "report/").json()["results"] == "A plan."

    for number, evaluator in enumerate(evaluators, start=1):
        study_visit.refresh_from_db()
        assert study_visit.state == State.COMPLETED
        scores = {"usefulness": number, "organisation": 4, "would_recommend": True}
        response = client_for(evaluator).post(_base(study_visit) + "evaluations/", scores, format="json")
        assert response.status_code == 201 and response.json()["respondent"] == "participant"
    study_visit.refresh_from_db()
    assert study_visit.state == State.CLOSED
    assert len(client_for(cast.focal).get(_base(study_visit) + "evaluations/").json()) == 3
    own = client_for(evaluators[0]).get(_base(study_visit) + "evaluations/").json()
    assert [e["usefulness"] for e in own] == [1], "a participant sees their own answers, never the others'"
    again = client_for(evaluators[0]).post(_base(study_visit) + "evaluations/", scores, format="json")
    assert again.status_code == 409


def test_report_and_evaluations_refuse_the_wrong_people(cast, study_visit):
    in_state(study_visit, State.COMPLETED)
    assert client_for(cast.approver_sn).post(_base(study_visit) + "report/", REPORT, format="json").status_code == 403
    assert client_for(cast.approver_ke).post(_base(study_visit) + "report/", REPORT, format="json").status_code == 404
    scores = {"usefulness": 5, "organisation": 4, "would_recommend": True}
    assert client_for(cast.focal).post(_base(study_visit) + "evaluations/", scores, format="json").status_code == 403
    assert client_for(cast.member).get(_base(study_visit) + "evaluations/").status_code == 404
    bad = client_for(cast.focal).post(_base(study_visit) + "report/", {"activities": "x"}, format="json")
    assert bad.status_code == 400


def test_an_expert_evaluates_an_assignment_through_the_api(cast):
    request, people = build(cast, state=State.COMPLETED)
    ExpertSelectionFactory(request=request, expert=people.amina.user, provider_country_id="MA")
    scores = {"usefulness": 4, "organisation": 4, "would_recommend": False}
    response = client_for(people.amina.user).post(_base(request) + "evaluations/", scores, format="json")
    assert response.status_code == 201 and response.json()["respondent"] == "expert"


# --- a wrong role gets 403 whatever the body; the one who may act gets 400 for a bad body ------------------------


def _participant_calls(study_visit):
    participant = study_visit.participants.first()
    one = f"{_base(study_visit)}participants/{participant.pk}/"
    return [("post", _base(study_visit) + "participants/"), ("patch", one), ("delete", one)]


@pytest.mark.parametrize("body", [{}, {"email": "not an address", "country": "ZZ", "name": ""}])
@pytest.mark.parametrize("who", ["approver_sn", "coordinator"])
def test_participants_refuse_a_wrong_role_before_reading_the_body(cast, study_visit, who, body):
    in_state(study_visit, State.RETURNED)  # seen by the approver and the coordinator
    count = study_visit.participants.count()
    for method, url in _participant_calls(study_visit):
        response = getattr(client_for(getattr(cast, who)), method)(url, body, format="json")
        assert response.status_code == 403, (method, response.content)
        assert response.json()["error"]["code"] == "permission_denied"
    assert study_visit.participants.count() == count


def test_the_requester_sending_a_bad_participant_gets_the_field_errors(cast, study_visit):
    in_state(study_visit, State.RETURNED)
    bad = {"email": "not an address", "country": "ZZ"}
    response = client_for(cast.focal).post(_base(study_visit) + "participants/", bad, format="json")
    assert response.status_code == 400
    assert {"name", "email", "country"} <= set(response.json()["error"]["fields"])
    one = f"{_base(study_visit)}participants/{study_visit.participants.first().pk}/"
    response = client_for(cast.focal).patch(one, bad, format="json")
    assert response.status_code == 400
    assert {"email", "country"} <= set(response.json()["error"]["fields"])


@pytest.mark.parametrize("body", [{}, {"activities": "", "results": 12}])
@pytest.mark.parametrize("who", ["approver_sn", "approver_ma", "coordinator"])
def test_the_report_refuses_a_wrong_role_before_reading_the_body(cast, study_visit, who, body):
    in_state(study_visit, State.COMPLETED)
    response = client_for(getattr(cast, who)).post(_base(study_visit) + "report/", body, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_the_requester_sending_an_empty_report_gets_the_field_errors(cast, study_visit):
    in_state(study_visit, State.COMPLETED)
    response = client_for(cast.focal).post(_base(study_visit) + "report/", {}, format="json")
    assert response.status_code == 400
    assert {"activities", "results", "knowledge_sharing"} <= set(response.json()["error"]["fields"])


@pytest.mark.parametrize("body", [{}, {"usefulness": 9, "would_recommend": "perhaps"}])
@pytest.mark.parametrize("who", ["focal", "approver_sn", "coordinator"])
def test_evaluations_refuse_a_wrong_role_before_reading_the_body(cast, study_visit, who, body):
    in_state(study_visit, State.COMPLETED)
    response = client_for(getattr(cast, who)).post(_base(study_visit) + "evaluations/", body, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_a_participant_sending_a_bad_evaluation_gets_the_field_errors(cast, study_visit):
    from tests.factories import UserFactory

    in_state(study_visit, State.COMPLETED)
    evaluator = UserFactory(email=study_visit.participants.first().email)
    bad = {"usefulness": 9, "would_recommend": "perhaps"}
    response = client_for(evaluator).post(_base(study_visit) + "evaluations/", bad, format="json")
    assert response.status_code == 400
    assert {"usefulness", "organisation"} <= set(response.json()["error"]["fields"])


def test_a_request_out_of_scope_is_still_not_found_whatever_the_body(cast, study_visit):
    in_state(study_visit, State.COMPLETED)
    for suffix in ("participants/", "report/", "evaluations/"):
        response = client_for(cast.approver_ke).post(_base(study_visit) + suffix, {}, format="json")
        assert response.status_code == 404, suffix


# --- schema ------------------------------------------------------------------------------------------------------


def test_the_new_endpoints_are_in_the_openapi_schema(cast):
    response = client_for(cast.coordinator).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    base = "/api/v1/exchange-requests/{id}/"
    for suffix in (
        "candidates/",
        "participants/",
        "participants/{participant_pk}/",
        "expert-selections/",
        "expert-selections/{selection_pk}/",
        "expert-selections/{selection_pk}/select/",
        "expert-selections/{selection_pk}/answer/",
        "calls/",
        "report/",
        "evaluations/",
    ):
        assert base + suffix in paths, suffix
    assert "post" in paths[base + "expert-selections/{selection_pk}/answer/"]
