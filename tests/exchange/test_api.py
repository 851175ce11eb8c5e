"""The exchange API: status codes, the one error shape, the next actions, the OpenAPI schema."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from apps.exchange.models import State
from tests.factories.exchange import ExchangeRequestFactory, ParticipantFactory

from .conftest import in_state


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def transitions_url(request):
    return f"/api/v1/exchange-requests/{request.pk}/transitions/"


def test_a_transition_answers_the_new_state_and_the_actions_the_caller_may_take_next(cast, study_visit):
    response = client_for(cast.focal).post(transitions_url(study_visit), {"action": "submit"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "submitted"
    assert body["decision"]["from_state"] == "draft"
    assert body["allowed_actions"] == ["withdraw"]

    response = client_for(cast.approver_sn).post(
        transitions_url(study_visit), {"action": "endorse", "comment": "Yes."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["allowed_actions"] == []
    assert client_for(cast.approver_ma).get(f"/api/v1/exchange-requests/{study_visit.pk}/").json()[
        "allowed_actions"
    ] == ["accept", "return", "reject"]


@pytest.mark.parametrize(
    ("actor", "state", "action", "status", "code"),
    [
        ("approver_ma", State.SUBMITTED, "endorse", 403, "permission_denied"),  # host country's approver
        ("approver_ke", State.SUBMITTED, "endorse", 404, "not_found"),  # outside the approver's countries
        ("member", State.SUBMITTED, "endorse", 403, "permission_denied"),  # no exchange role at all
        ("coordinator", State.DRAFT, "submit", 404, "not_found"),  # drafts are the institution's own
        ("approver_sn", State.ENDORSED, "endorse", 409, "conflict"),  # already endorsed
        ("approver_sn", State.SUBMITTED, "reject", 400, "invalid"),  # reason missing
        ("approver_sn", State.SUBMITTED, "fly", 400, "invalid"),  # unknown action
    ],
)
def test_refused_transitions_answer_the_one_error_shape_and_change_nothing(
    cast, study_visit, actor, state, action, status, code
):
    in_state(study_visit, state)
    response = client_for(getattr(cast, actor)).post(transitions_url(study_visit), {"action": action}, format="json")
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert isinstance(error["fields"], dict)
    study_visit.refresh_from_db()
    assert study_visit.state == state
    assert not study_visit.decisions.exists()


def test_a_rule_broken_on_submit_names_the_fields(cast, study_visit):
    study_visit.start_date = timezone.localdate() + timedelta(days=3)
    study_visit.end_date = study_visit.start_date
    study_visit.save()
    response = client_for(cast.focal).post(transitions_url(study_visit), {"action": "submit"}, format="json")
    assert response.status_code == 400
    assert "start_date" in response.json()["error"]["fields"]


def test_the_list_shows_each_user_only_the_requests_they_may_see(cast, study_visit):
    submitted = in_state(
        ExchangeRequestFactory(requesting_institution=cast.institution, created_by=cast.focal), "submitted"
    )
    elsewhere = ExchangeRequestFactory(host_country_id="KE", state="submitted")

    def ids(user):
        return {row["id"] for row in client_for(user).get("/api/v1/exchange-requests/").json()["results"]}

    assert ids(cast.focal) == {study_visit.pk, submitted.pk}
    assert ids(cast.approver_sn) == {submitted.pk, elsewhere.pk}  # both asked from Senegal
    assert ids(cast.approver_ma) == {submitted.pk}
    assert ids(cast.approver_ke) == {elsewhere.pk}
    assert ids(cast.coordinator) == {submitted.pk, elsewhere.pk}
    assert client_for(cast.member).get("/api/v1/exchange-requests/").status_code == 403


def test_a_request_outside_the_users_scope_is_not_found(cast, study_visit):
    in_state(study_visit, State.SUBMITTED)
    assert client_for(cast.approver_ke).get(f"/api/v1/exchange-requests/{study_visit.pk}/").status_code == 404
    assert client_for(cast.other_focal).get(f"/api/v1/exchange-requests/{study_visit.pk}/").status_code == 404


def test_a_focal_point_drafts_through_the_api_and_bad_dates_are_a_400(cast):
    body = {
        "kind": "study_visit",
        "requesting_institution": cast.institution.pk,
        "host_country": "MA",
        "title": "Visit to the Moroccan skills bank",
        "theme": "skills_networks",
        "start_date": str(timezone.localdate() + timedelta(days=60)),
        "end_date": str(timezone.localdate() + timedelta(days=58)),
    }
    response = client_for(cast.focal).post("/api/v1/exchange-requests/", body, format="json")
    assert response.status_code == 400
    assert "end_date" in response.json()["error"]["fields"]

    body["end_date"] = str(timezone.localdate() + timedelta(days=62))
    response = client_for(cast.focal).post("/api/v1/exchange-requests/", body, format="json")
    assert response.status_code == 201
    assert response.json()["state"] == "draft"
    assert response.json()["requesting_country"] == "SN"
    assert client_for(cast.other_focal).post("/api/v1/exchange-requests/", body, format="json").status_code == 403


def _rows(cast, n):
    for _ in range(n):
        request = ExchangeRequestFactory(
            requesting_institution=cast.institution, created_by=cast.focal, state="submitted"
        )
        ParticipantFactory(request=request)


def _count_queries(user, url):
    from apps.accounts.models import User

    client = client_for(User.objects.get(pk=user.pk))  # a fresh user object: nothing cached from a previous call
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_api_list_runs_the_same_number_of_queries_at_10_and_100_rows(cast):
    _rows(cast, 10)
    at_10 = _count_queries(cast.coordinator, "/api/v1/exchange-requests/?page_size=100")
    _rows(cast, 90)
    at_100 = _count_queries(cast.coordinator, "/api/v1/exchange-requests/?page_size=100")
    assert at_10 == at_100


def test_the_transitions_endpoint_is_in_the_openapi_schema(cast):
    response = client_for(cast.coordinator).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/exchange-requests/{id}/transitions/" in text
    assert "409" in text


def test_a_focal_point_edits_a_draft_through_the_api_and_nobody_else_can(cast, study_visit):
    url = f"/api/v1/exchange-requests/{study_visit.pk}/"
    response = client_for(cast.focal).patch(url, {"objectives": "Sharper objectives."}, format="json")
    assert response.status_code == 200
    assert response.json()["objectives"] == "Sharper objectives."
    start = study_visit.start_date
    response = client_for(cast.focal).patch(url, {"end_date": str(start - timedelta(days=1))}, format="json")
    assert response.status_code == 400
    assert "end_date" in response.json()["error"]["fields"]

    in_state(study_visit, State.SUBMITTED)
    assert client_for(cast.focal).patch(url, {"title": "Late"}, format="json").status_code == 409
    assert client_for(cast.approver_sn).patch(url, {"title": "Mine"}, format="json").status_code == 403
    assert client_for(cast.approver_ke).patch(url, {"title": "Mine"}, format="json").status_code == 404
    study_visit.refresh_from_db()
    assert study_visit.objectives == "Sharper objectives."
