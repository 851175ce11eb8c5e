"""Staff merge skills members proposed in their own words into the vocabulary."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.core.roles import Role
from apps.skills.models import DiasporaProfile, ProfileSkill, Skill
from apps.skills.services import skill_proposal_merge
from tests.factories import user_with_role
from tests.factories.skills_staff import listed_profile, taxonomy

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    taxonomy()
    return user_with_role(Role.COORDINATOR)


def propose(profile, text):
    return ProfileSkill.objects.create(profile=profile, proposed_text=text, kind=ProfileSkill.Kind.INFORMAL)


def test_merging_maps_every_spelling_of_a_proposal_and_refreshes_search(coordinator):
    one, two, three = listed_profile(), listed_profile(), listed_profile(skills=["water-treatment"])
    propose(one, "Potabilisation de l'eau")
    propose(two, "  potabilisation de l'eau ")
    propose(three, "POTABILISATION DE L'EAU")
    changed = skill_proposal_merge(
        proposed_text="Potabilisation de l'eau", skill=Skill.objects.get(code="water-treatment"), actor=coordinator
    )
    assert changed == 3
    assert not ProfileSkill.objects.filter(skill__isnull=True).exists()
    # The profile that already had the entry keeps one row for it.
    assert three.skills.filter(skill_id="water-treatment").count() == 1
    arabic = SearchQuery("معالجة المياه", config="arabic")
    assert set(DiasporaProfile.objects.filter(search_vector=arabic).values_list("id", flat=True)) == {
        one.pk,
        two.pk,
        three.pk,
    }
    assert AuditEvent.objects.filter(action="skill.merge_proposal").exists()


def test_merging_is_refused_to_office_staff_and_when_nothing_is_proposed(coordinator):
    skill = Skill.objects.get(code="surgery")
    with pytest.raises(PermissionDenied):
        skill_proposal_merge(proposed_text="x", skill=skill, actor=user_with_role(Role.OFFICE_STAFF))
    with pytest.raises(ValidationError):
        skill_proposal_merge(proposed_text="nothing like this", skill=skill, actor=coordinator)


def test_vocabulary_page_lists_proposals_and_merges_them(client, coordinator):
    profile = listed_profile()
    propose(profile, "Chirurgie cardiaque")
    client.force_login(coordinator)
    url = reverse("skills:staff-vocabulary")
    assert "Chirurgie cardiaque" in client.get(url).content.decode()
    response = client.post(url, {"proposed_text": "Chirurgie cardiaque", "skill": "surgery"})
    assert response.status_code == 302
    assert profile.skills.get().skill_id == "surgery"
    client.force_login(user_with_role(Role.ANALYST))
    assert client.get(url).status_code == 403
