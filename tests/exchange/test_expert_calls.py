"""The coordinator's matching page, calls to shortlisted members, their answers, selection, and open calls."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.exchange import services
from apps.exchange.models import ExpertSelection, State
from apps.outreach.models import Delivery
from tests.notifications import notifications_deliver

from .conftest import in_state
from .matching_fixture import build, profile

Status = ExpertSelection.Status


def _url(request, suffix="experts/"):
    return f"/exchange/{request.pk}/{suffix}"


# --- the coordinator's page --------------------------------------------------------------------------------------


def test_the_coordinator_sees_the_ranked_candidates_with_their_reasons(cast, login):
    request, _people = build(cast)
    response = login(cast.coordinator).get(_url(request))
    assert response.status_code == 200
    names = [c.profile.first_name for c in response.context["candidates"]]
    assert names == ["Amina", "Bakary", "Chloe", "Driss", "Emma"]
    assert "Resident in the provider country (Morocco)" in response.content.decode()


@pytest.mark.parametrize("who", ["approver_ma", "focal", "member"])
def test_the_matching_page_is_forbidden_to_other_roles(cast, login, who):
    request, _people = build(cast)
    assert login(getattr(cast, who)).get(_url(request)).status_code == 403


def test_the_matching_page_of_a_request_out_of_scope_is_not_found(cast, login):
    request, _people = build(cast, state=State.DRAFT)  # a draft is its institution's own
    assert login(cast.coordinator).get(_url(request)).status_code == 404


def test_the_matching_page_runs_the_same_number_of_queries_at_10_and_40_candidates(cast, login):
    request, _people = build(cast)
    client = login(cast.coordinator)

    def count(extra):
        for n in range(extra):
            profile(f"More{extra}x{n}", codes=["2511"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(request)).status_code == 200
        return len(queries)

    assert count(5) == count(35)


def test_shortlisting_calling_answering_and_selecting_through_the_pages(
    cast, login, client, django_capture_on_commit_callbacks
):
    request, people = build(cast)
    coordinator = login(cast.coordinator)
    for person in (people.amina, people.driss):
        assert coordinator.post(_url(request), {"op": "shortlist", "target": person.pk}).status_code == 302
    amina = ExpertSelection.objects.get(request=request, expert=people.amina.user)
    assert amina.status == Status.SHORTLISTED and amina.provider_country_id == "MA"
    assert ExpertSelection.objects.get(request=request, expert=people.driss.user).provider_country_id == "FR"

    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(_url(request), {"op": "call"})
    amina.refresh_from_db()
    assert amina.status == Status.INVITED and amina.invited_at is not None
    sent = {message.to[0]: message for message in notifications_deliver()}
    assert set(sent) == {"amina@example.org", "driss@example.org"}
    # Amina reads French: her call is in French, with the address of her calls page in French.
    assert sent["amina@example.org"].subject.startswith("Appel à experts")
    assert "/fr/" in sent["amina@example.org"].body
    assert sent["driss@example.org"].subject.startswith("Call for experts")
    delivery = Delivery.objects.get(user=people.amina.user, kind="exchange_expert_call")
    assert delivery.consent_purpose == "expert_contact"
    assert delivery.idempotency_key == f"exchange:{request.pk}:call:{people.amina.user.pk}"

    member = login(people.amina.user)
    page = member.get("/exchange/calls/", follow=True)  # she reads French: /fr/…
    assert page.status_code == 200 and request.title in page.content.decode()
    assert member.post(f"/fr/exchange/calls/{amina.pk}/answer/", {"answer": "interested"}).status_code == 302
    amina.refresh_from_db()
    assert amina.status == Status.INTERESTED and amina.answered_at is not None

    login(cast.coordinator).post(_url(request), {"op": "select", "target": amina.pk})
    amina.refresh_from_db()
    assert amina.status == Status.SELECTED


def test_a_call_is_sent_once_per_request_and_member(cast, django_capture_on_commit_callbacks):
    from apps.exchange.notifications import notify_expert_call

    request, people = build(cast)
    selection = services.expert_selection_shortlist(
        exchange_request=request, actor=cast.coordinator, profile_id=people.amina.pk
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.expert_calls_send(exchange_request=request, actor=cast.coordinator)
    notify_expert_call(selection_id=selection.pk)  # a repeated callback
    assert Delivery.objects.filter(user=people.amina.user, kind="exchange_expert_call").count() == 1


def test_a_member_who_withdrew_the_consent_is_invited_but_gets_no_message(cast, django_capture_on_commit_callbacks):
    request, people = build(cast)
    services.expert_selection_shortlist(exchange_request=request, actor=cast.coordinator, profile_id=people.amina.pk)
    type(people.amina).objects.filter(pk=people.amina.pk).update(consent_expert_contact=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expert_calls_send(exchange_request=request, actor=cast.coordinator) == 1
    assert notifications_deliver() == []


def test_sending_a_call_without_anyone_shortlisted_says_so(cast):
    request, _people = build(cast)
    with pytest.raises(ValidationError) as error:
        services.expert_calls_send(exchange_request=request, actor=cast.coordinator)
    assert "selections" in error.value.message_dict


def test_a_member_without_consent_cannot_be_shortlisted(cast):
    request, people = build(cast)
    with pytest.raises(ValidationError) as error:
        services.expert_selection_shortlist(
            exchange_request=request, actor=cast.coordinator, profile_id=people.farid.pk
        )
    assert "profile" in error.value.message_dict


def test_only_a_member_who_answered_interested_can_be_selected(cast):
    request, people = build(cast)
    selection = services.expert_selection_shortlist(
        exchange_request=request, actor=cast.coordinator, profile_id=people.amina.pk
    )
    with pytest.raises(ValidationError) as error:
        services.expert_selection_select(selection=selection, actor=cast.coordinator)
    assert "status" in error.value.message_dict
    services.expert_calls_send(exchange_request=request, actor=cast.coordinator)
    services.expert_selection_answer(selection=selection, actor=people.amina.user, interested=False)
    with pytest.raises(ValidationError):
        services.expert_selection_select(selection=selection, actor=cast.coordinator)


def _interested(request, cast, person):
    selection = services.expert_selection_shortlist(
        exchange_request=request, actor=cast.coordinator, profile_id=person.pk
    )
    services.expert_calls_send(exchange_request=request, actor=cast.coordinator)
    return services.expert_selection_answer(selection=selection, actor=person.user, interested=True)


def test_the_selected_experts_all_come_from_one_provider_country(cast):
    request, people = build(cast)
    amina = _interested(request, cast, people.amina)  # Morocco
    driss = _interested(request, cast, people.driss)  # lives in France
    services.expert_selection_select(selection=amina, actor=cast.coordinator)
    with pytest.raises(ValidationError) as error:
        services.expert_selection_select(selection=driss, actor=cast.coordinator)
    message = error.value.message_dict["provider_country"][0]
    assert "Morocco" in message and "France" in message
    driss.refresh_from_db()
    assert driss.status == Status.INTERESTED


def test_the_select_error_shows_on_the_page(cast, login):
    request, people = build(cast)
    amina = _interested(request, cast, people.amina)
    driss = _interested(request, cast, people.driss)
    services.expert_selection_select(selection=amina, actor=cast.coordinator)
    response = login(cast.coordinator).post(_url(request), {"op": "select", "target": driss.pk}, follow=True)
    assert "one provider country" in response.content.decode()


def test_another_approver_cannot_shortlist_and_a_drafted_request_is_not_found(cast):
    request, people = build(cast)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.expert_selection_shortlist(
            exchange_request=request, actor=cast.approver_ma, profile_id=people.amina.pk
        )


# --- the member's side -------------------------------------------------------------------------------------------


def test_only_the_invited_member_answers_and_others_get_not_found(cast, login):
    request, people = build(cast)
    selection = services.expert_selection_shortlist(
        exchange_request=request, actor=cast.coordinator, profile_id=people.amina.pk
    )
    services.expert_calls_send(exchange_request=request, actor=cast.coordinator)
    response = login(people.bakary.user).post(f"/exchange/calls/{selection.pk}/answer/", {"answer": "interested"})
    assert response.status_code == 404
    selection.refresh_from_db()
    assert selection.status == Status.INVITED


@pytest.mark.parametrize("url", ["/exchange/calls/", "/exchange/calls/open/"])
def test_the_member_pages_are_forbidden_to_other_roles(cast, login, url):
    assert login(cast.coordinator).get(url).status_code == 403


def test_an_answer_after_the_selection_closed_is_refused(cast, login):
    request, people = build(cast)
    selection = services.expert_selection_shortlist(
        exchange_request=request, actor=cast.coordinator, profile_id=people.amina.pk
    )
    services.expert_calls_send(exchange_request=request, actor=cast.coordinator)
    in_state(request, State.APPROVED)
    member = login(people.amina.user)
    assert 'value="interested"' not in member.get("/fr/exchange/calls/").content.decode()
    response = member.post(f"/fr/exchange/calls/{selection.pk}/answer/", {"answer": "interested"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    selection.refresh_from_db()
    assert selection.status == Status.INVITED


def test_a_shortlisted_member_not_yet_called_sees_no_call(cast, login):
    request, people = build(cast)
    services.expert_selection_shortlist(exchange_request=request, actor=cast.coordinator, profile_id=people.amina.pk)
    response = login(people.amina.user).get("/exchange/calls/", follow=True)
    assert response.status_code == 200
    assert response.context["calls"] == []


def test_a_member_offers_themselves_for_an_open_call_and_the_coordinator_sees_it(cast, login):
    request, people = build(cast)
    member = login(people.chloe.user)
    page = member.get("/exchange/calls/open/")
    assert page.status_code == 200 and request.title in page.content.decode()
    assert member.post(f"/exchange/calls/open/{request.pk}/interest/").status_code == 302
    selection = ExpertSelection.objects.get(request=request, expert=people.chloe.user)
    assert selection.status == Status.INTERESTED and selection.volunteered
    assert selection.provider_country_id == "MA"
    assert request.title in member.get("/exchange/calls/").content.decode()
    assert member.get("/exchange/calls/open/").context["calls"] == []  # already on the list
    assert "offered from the open calls" in login(cast.coordinator).get(_url(request)).content.decode()


def test_a_member_whose_profile_does_not_fit_cannot_offer_themselves(cast, login):
    request, people = build(cast)
    assert login(people.hassan.user).post(f"/exchange/calls/open/{request.pk}/interest/").status_code == 404
    in_state(request, State.APPROVED)
    assert login(people.chloe.user).post(f"/exchange/calls/open/{request.pk}/interest/").status_code == 404
    assert not ExpertSelection.objects.filter(request=request).exists()
