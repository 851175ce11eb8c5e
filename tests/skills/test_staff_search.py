"""Staff search of the skills bank: who sees what, full-text and name search in three languages, filters."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.core.roles import Role
from apps.skills.models import EngagementInterest, ProfileEducation
from apps.skills.selectors.search import highlight, profile_search
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.skills_staff import listed_profile, taxonomy

pytestmark = pytest.mark.django_db


@pytest.fixture
def tax():
    return taxonomy()


@pytest.fixture
def staff():
    return user_with_role(Role.OFFICE_STAFF, organisation=OrganisationFactory(country_id="SN"))


def found(user, **params) -> list[int]:
    return list(profile_search(user=user, params=params).queryset.values_list("id", flat=True))


def test_mohamed_mohammed_and_arabic_spelling_all_find_the_same_person(staff):
    person = listed_profile(first_name="Mohamed", last_name="Benali", first_name_ar="محمد", last_name_ar="بن علي")
    listed_profile(first_name="Awa", last_name="Ndiaye")
    for query in ("Mohamed", "Mohammed", "mohamed", "محمد", "Mohammed Benali"):
        assert found(staff, q=query) == [person.pk], query


def test_every_word_typed_must_name_the_person_and_run_together_names_find_each_other(staff):
    benali = listed_profile(first_name="Mohamed", last_name="Ben Ali")
    diop = listed_profile(first_name="Mohamed", last_name="Diop")
    ndiaye = listed_profile(first_name="Aminata", last_name="N'Diaye")
    assert sorted(found(staff, q="Mohammed")) == sorted([benali.pk, diop.pk])
    assert found(staff, q="Mohamed Benali") == [benali.pk]  # "ben ali" is also "benali"
    assert found(staff, q="Ben Ali") == [benali.pk]
    assert found(staff, q="Mohamed Diop") == [diop.pk]
    assert found(staff, q="ndiaye") == [ndiaye.pk]
    assert found(staff, q="Mohamed Ndiaye") == []


def test_the_name_words_follow_name_changes_and_erasure_and_unused_words_are_dropped(
    staff, django_capture_on_commit_callbacks
):
    from apps.skills.models import NameToken, ProfileNameToken
    from apps.skills.services import member_erase, profile_search_refresh

    person = listed_profile(first_name="Zeinab", last_name="Ouldbrahim")
    other = listed_profile(first_name="Zeinab", last_name="Sy")
    assert set(ProfileNameToken.objects.filter(profile=person).values_list("token", flat=True)) == {
        "zeinab",
        "ouldbrahim",
    }
    with django_capture_on_commit_callbacks(execute=True):
        type(person).objects.filter(pk=person.pk).update(last_name="Kane")
        profile_search_refresh(profile_ids=[person.pk])
    assert found(staff, q="Ouldbrahim") == []
    assert found(staff, q="Kane") == [person.pk]
    assert not NameToken.objects.filter(token="ouldbrahim").exists()  # nobody carries it any more
    with django_capture_on_commit_callbacks(execute=True):
        member_erase(user=person.user)
    assert not ProfileNameToken.objects.filter(profile=person).exists()
    assert not NameToken.objects.filter(token="kane").exists()
    assert NameToken.objects.filter(token="zeinab").exists()  # still carried by the other Zeinab
    assert found(staff, q="Zeinab") == [other.pk]


def test_accented_and_unaccented_names_find_each_other(staff):
    person = listed_profile(first_name="Aïssatou", last_name="Traoré")
    assert found(staff, q="aissatou traore") == [person.pk]


def test_skills_are_found_in_english_french_and_arabic(staff, tax):
    engineer = listed_profile(skills=["water-treatment"], job_title="Process engineer")
    listed_profile(skills=["surgery"])
    assert found(staff, q="water treatment") == [engineer.pk]
    assert found(staff, q="traitement de l'eau") == [engineer.pk]
    assert found(staff, q="معالجة المياه") == [engineer.pk]


def test_a_name_and_a_skill_together_narrow_the_search(staff, tax):
    surgeon = listed_profile(first_name="Mohamed", last_name="Haddad", skills=["surgery"])
    listed_profile(first_name="Mohamed", last_name="Khalil", skills=["water-treatment"])
    assert found(staff, q="Mohamed chirurgie") == [surgeon.pk]


def test_results_are_ranked_best_match_first(staff, tax):
    weak = listed_profile(first_name="Leila", job_title="Nurse", employer="Water board")
    strong = listed_profile(
        first_name="Water", last_name="Engineer", job_title="Water engineer", skills=["water-treatment"]
    )
    assert found(staff, q="water") == [strong.pk, weak.pk]


def test_staff_see_only_consenting_and_not_erased_profiles(staff):
    listed = listed_profile(first_name="Karim")
    listed_profile(first_name="Karim", consent_listed=False)
    listed_profile(first_name="Karim", erased_at=timezone.now())
    assert found(staff, q="Karim") == [listed.pk]
    assert found(staff) == [listed.pk]


def test_office_staff_see_people_from_their_office_country_and_the_coordinator_everyone():
    senegal = listed_profile(first_name="Karim", origin_country_id="SN")
    morocco = listed_profile(first_name="Karim", origin_country_id="MA")
    staff = user_with_role(Role.OFFICE_STAFF, organisation=OrganisationFactory(country_id="SN"))
    coordinator = user_with_role(Role.COORDINATOR)
    assert found(staff, q="Karim") == [senegal.pk]
    assert sorted(found(coordinator, q="Karim")) == sorted([senegal.pk, morocco.pk])


@pytest.mark.parametrize("role", [Role.ANALYST, Role.MEMBER, Role.OUTREACH_MANAGER])
def test_roles_without_search_rights_find_nobody(role):
    listed_profile(first_name="Karim")
    assert found(user_with_role(role), q="Karim") == []


def test_filters_by_country_sector_occupation_prefix_skill_and_language(staff, tax):
    doctor = listed_profile(
        residence_country_id="BE", sectors=["health"], occupations=["2211"], skills=["surgery"], languages=["ar"]
    )
    engineer = listed_profile(
        residence_country_id="FR", sectors=["water"], occupations=["2142"], skills=["water-treatment"], languages=["fr"]
    )
    assert found(staff, residence_country=["BE"]) == [doctor.pk]
    assert found(staff, sector=["water"]) == [engineer.pk]
    assert found(staff, occupation="22") == [doctor.pk]  # sub-major group: health professionals
    assert set(found(staff, occupation="2")) == {doctor.pk, engineer.pk}
    assert set(found(staff, occupation="214 2211")) == {doctor.pk, engineer.pk}
    assert found(staff, skill=["water-treatment"]) == [engineer.pk]
    assert found(staff, language=["ar"]) == [doctor.pk]
    assert found(staff, origin_country=["MA"]) == []


def test_filters_by_education_interests_availability_verification_and_freshness(staff, tax):
    now = timezone.now()
    ready = listed_profile(
        engagement_interests=[EngagementInterest.MENTORING],
        available_from=date(2027, 1, 1),
        available_to=date(2027, 6, 30),
        verified_at=now,
        last_confirmed_at=now,
    )
    ProfileEducation.objects.create(profile=ready, level_id="7")
    old = listed_profile(last_confirmed_at=now - timedelta(days=500))
    ProfileEducation.objects.create(profile=old, level_id="6")
    assert found(staff, education_level="7") == [ready.pk]
    assert set(found(staff, education_level="6")) == {ready.pk, old.pk}
    assert found(staff, interest=["mentoring"]) == [ready.pk]
    assert found(staff, available_from="2027-03-01", available_to="2027-04-01") == [ready.pk]
    assert found(staff, available_from="2027-07-01") == []
    assert found(staff, verified="yes") == [ready.pk]
    assert found(staff, verified="no") == [old.pk]
    assert found(staff, freshness="fresh") == [ready.pk]
    assert found(staff, freshness="stale") == [old.pk]


def test_bad_filter_values_are_refused_with_field_errors(staff):
    with pytest.raises(ValidationError) as error:
        profile_search(
            user=staff,
            params={
                "occupation": "22x",
                "skill": ["no-such-skill"],
                "available_from": "2027-05-01",
                "available_to": "2027-01-01",
                "q": "Karim\u202e",
            },
        )
    assert set(error.value.message_dict) == {"occupation", "skill", "available_to", "q"}


def test_highlighting_marks_matching_words_and_escapes_everything_else():
    html = highlight("<b>Ingénieure</b> & hydraulicienne", ["ingenieur"])
    assert html == "&lt;b&gt;<mark>Ingénieure</mark>&lt;/b&gt; &amp; hydraulicienne"
    assert highlight("<script>", []) == "&lt;script&gt;"


def test_the_search_page_audits_the_query_and_the_count(client, staff):
    listed_profile(first_name="Karim")
    client.force_login(staff)
    response = client.get(reverse("skills:staff-search"), {"q": "Karim"})
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="profile.search").latest("id")
    assert event.extra["query"] == "Karim" and event.extra["count"] == 1
    assert event.actor_id == staff.pk


def test_the_filter_function_narrows_any_profile_queryset_for_other_apps(tax):
    from apps.skills.filters import profile_filter_queryset
    from apps.skills.models import DiasporaProfile

    water = listed_profile(sectors=["water"], consent_listed=False)
    listed_profile(sectors=["health"])
    narrowed = profile_filter_queryset(DiasporaProfile.objects.all(), {"sector": ["water"]})
    assert list(narrowed) == [water]
    with pytest.raises(ValidationError):
        profile_filter_queryset(DiasporaProfile.objects.all(), {"sector": ["no-such-sector"]})


def test_a_search_lists_at_most_the_cap_and_says_there_are_more(staff, settings, client):
    settings.SKILLS_SEARCH_MAX_RESULTS = 3
    karims = [listed_profile(first_name="Karim", job_title="Nurse") for _ in range(4)]
    listed_profile(first_name="Awa")
    result = profile_search(user=staff, params={"q": "Karim"})
    listed = list(result.queryset.values_list("id", flat=True))
    assert len(listed) == 3 and len(set(listed)) == 3
    assert set(listed) <= {p.pk for p in karims}
    assert result.truncated(len(listed)) is True

    client.force_login(staff)
    response = client.get(reverse("skills:staff-search"), {"q": "Karim"})
    assert "More than 3 profiles match" in response.content.decode()
    event = AuditEvent.objects.filter(action="profile.search").latest("id")
    assert event.extra["count"] == 3 and event.extra["truncated"] is True

    response = client.get("/api/v1/profiles/", {"q": "Karim"})
    assert response.status_code == 200
    assert response.json()["count"] == 3 and response.json()["truncated"] is True


def test_at_the_cap_exactly_nothing_is_said_to_be_missing(staff, settings):
    settings.SKILLS_SEARCH_MAX_RESULTS = 3
    for _ in range(3):
        listed_profile(first_name="Karim")
    for params in ({"q": "Karim"}, {}):
        result = profile_search(user=staff, params=params)
        assert result.queryset.count() == 3
        assert result.truncated(3) is False


def test_a_filter_only_search_lists_the_freshest_confirmations_up_to_the_cap(staff, settings):
    settings.SKILLS_SEARCH_MAX_RESULTS = 2
    now = timezone.now()
    old = listed_profile(first_name="Awa", last_confirmed_at=now - timedelta(days=300))
    newest = listed_profile(first_name="Binta", last_confirmed_at=now - timedelta(days=1))
    newer = listed_profile(first_name="Coumba", last_confirmed_at=now - timedelta(days=10))
    result = profile_search(user=staff, params={})
    assert list(result.queryset.values_list("id", flat=True)) == [newest.pk, newer.pk]
    assert result.truncated(2) is True
    assert old.pk not in result.queryset.values_list("id", flat=True)
