"""The name condition of the expert search (apps.core.names through the staff search's name words): across
scripts and Sahel spellings, with the explanation, within the candidates, refused to the wrong roles."""

import pytest
from django.urls import reverse

from apps.core.roles import Role
from apps.exchange import matching
from tests.factories import user_with_role
from tests.factories.skills import profile_renamed as _named

from .matching_fixture import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts(cast):
    request, people = build(cast)
    _named(people.amina, "Amina", "Test", "محمد", "العمراني")  # a Latin query finds her by her Arabic names
    _named(people.bakary, "Mamadou", "Diallo")
    _named(people.chloe, "Chloe", "Martin")
    return request, people


def _candidates(request, name):
    criteria = matching.criteria_for(request)
    rows = list(matching.candidate_queryset(request, criteria, name=name))
    return matching.candidates_page(rows, request=request, criteria=criteria, name=name)


def test_the_expert_search_finds_a_candidate_named_in_the_other_script_and_says_why(experts):
    request, people = experts
    found = _candidates(request, "Mohamed El Amrani")
    assert [c.profile.pk for c in found] == [people.amina.pk]
    assert found[0].name_match == "Arabic name \u2068محمد\u2069 matches \u2068Mohamed\u2069"
    assert found[0].score == 110  # the name condition narrows the list; it does not change the score


def test_the_expert_search_finds_a_latin_name_from_arabic_script_and_a_sahel_spelling(experts):
    request, people = experts
    assert [c.profile.pk for c in _candidates(request, "محمد")] == [people.amina.pk, people.bakary.pk]
    assert [c.profile.pk for c in _candidates(request, "Mamadou Diallo")] == [people.bakary.pk]
    assert _candidates(request, "Mahmoud") == []


def test_the_expert_search_name_leaves_out_members_who_are_not_candidates(experts):
    request, people = experts
    _named(people.farid, "Mohamed", "Amrani")  # no consent to expert missions
    _named(people.hassan, "Mohamed", "Amrani")  # consents, but nothing in common with the request
    assert [c.profile.pk for c in _candidates(request, "Mohamed Amrani")] == [people.amina.pk]


@pytest.mark.parametrize("text", ["", "  ", "\u064e\u064f", "x" * 200, "Mohamed محمد", "م", "\u200b\u202e"])
def test_the_expert_search_takes_bad_names_without_error(experts, text):
    request, _people = experts
    _candidates(request, text)


def test_the_experts_page_filters_by_name_and_keeps_a_name_too_long_with_its_error(experts, cast, client):
    request, people = experts
    cast.coordinator.preferred_language = "fr"
    cast.coordinator.save()
    client.force_login(cast.coordinator)
    url = reverse("exchange:request-experts", args=[request.pk])
    page = client.get(url, {"name": "Mohamed El Amrani"}, follow=True)
    assert page.status_code == 200
    assert [c.profile.pk for c in page.context["candidates"]] == [people.amina.pk]
    assert "Le nom arabe" in page.content.decode()
    too_long = client.get(url, {"name": "M" * 201}, follow=True)
    assert too_long.status_code == 200
    assert too_long.context["name_form"].errors["name"]
    assert 'value="' + "M" * 201 + '"' in too_long.content.decode()


def test_the_candidates_api_takes_a_name_and_refuses_one_too_long_with_the_error_shape(experts, cast, client):
    request, people = experts
    client.force_login(cast.coordinator)
    url = f"/api/v1/exchange-requests/{request.pk}/candidates/"
    answer = client.get(url, {"name": "محمد"})
    assert answer.status_code == 200
    assert [row["profile"] for row in answer.json()["results"]] == [people.amina.pk, people.bakary.pk]
    assert [row["name_match"] for row in answer.json()["results"]] == [
        "",
        "Latin name \u2068Mamadou\u2069 matches \u2068محمد\u2069",
    ]
    refused = client.get(url, {"name": "M" * 201})
    assert refused.status_code == 400
    assert "name" in refused.json()["error"]["fields"]


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.APPROVER, Role.MEMBER, Role.OUTREACH_MANAGER])
def test_other_roles_cannot_search_candidates_by_name(experts, client, role):
    request, _people = experts
    client.force_login(user_with_role(role))
    assert client.get(reverse("exchange:request-experts", args=[request.pk]), {"name": "Mohamed"}).status_code in (
        403,
        404,
    )
    api = client.get(f"/api/v1/exchange-requests/{request.pk}/candidates/", {"name": "Mohamed"})
    assert api.status_code in (403, 404)
