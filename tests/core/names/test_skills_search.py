"""The staff skills search finds a member whatever script or spelling the name was typed in (real PostgreSQL)."""

import pytest
from django.urls import reverse

from apps.core.roles import Role
from apps.skills.models import NameToken
from apps.skills.selectors.search import profile_search
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.skills_staff import listed_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return user_with_role(Role.OFFICE_STAFF, organisation=OrganisationFactory(country_id="SN"))


def found(user, query) -> list[int]:
    return list(profile_search(user=user, params={"q": query}).queryset.values_list("id", flat=True))


def test_a_latin_query_finds_a_member_registered_only_in_arabic_script_and_back(staff):
    arabic = listed_profile(first_name="", last_name="", first_name_ar="محمد", last_name_ar="العمراني")
    latin = listed_profile(first_name="Youssef", last_name="El Amrani")
    listed_profile(first_name="Mahmoud", last_name="Diop", first_name_ar="محمود")
    assert found(staff, "Mohamed") == [arabic.pk]
    assert found(staff, "Mouhamed Elamrani") == [arabic.pk]
    assert found(staff, "يوسف العمراني") == [latin.pk]
    assert sorted(found(staff, "Amrani")) == sorted([arabic.pk, latin.pk])


def test_arabic_spellings_of_one_name_find_each_other(staff):
    joined = listed_profile(first_name="Ali", last_name="Diallo", first_name_ar="عبدالله")
    apart = listed_profile(first_name="Awa", last_name="Sy", first_name_ar="عبد الله")
    hamza = listed_profile(first_name="Ahmed", last_name="Kane", first_name_ar="أحمد")
    assert sorted(found(staff, "عبد الله")) == sorted([joined.pk, apart.pk])
    assert sorted(found(staff, "عبدالله")) == sorted([joined.pk, apart.pk])
    assert sorted(found(staff, "Abdellah")) == sorted([joined.pk, apart.pk])
    assert found(staff, "احمد") == [hamza.pk]
    assert found(staff, "أَحْمَد") == [hamza.pk]


def test_mahmoud_does_not_find_mohamed_in_either_script(staff):
    mohamed = listed_profile(first_name="Mohamed", last_name="Kane", first_name_ar="محمد")
    assert found(staff, "Mahmoud") == []
    assert found(staff, "محمود") == []
    assert found(staff, "Muhammad") == [mohamed.pk]


def test_the_same_script_ranks_above_the_other_script(staff):
    arabic = listed_profile(first_name="", last_name="", first_name_ar="محمد", last_name_ar="كان")
    latin = listed_profile(first_name="Mohamed", last_name="Sy")
    assert found(staff, "Mohamed") == [latin.pk, arabic.pk]
    assert found(staff, "محمد") == [arabic.pk, latin.pk]


def test_the_name_words_carry_their_keys(staff):
    listed_profile(first_name="Mouhamed", last_name="Ben Ali", first_name_ar="محمد")
    keys = dict(NameToken.objects.values_list("token", "keys"))
    # A Latin word stores its keys; an Arabic word its Arabic-script keys (#) and its keys without ع (~).
    assert "MHMD" in keys["mouhamed"] and "~MHMD" in keys["محمد"] and "#MHMD" in keys["محمد"]
    assert "BNLY" in keys["benali"]


@pytest.mark.parametrize("query", ["Mohamed محمد", "ـــ", "\u064e\u064f", "M", "x" * 200, "' - .", "محمد" * 50])
def test_odd_name_queries_answer_without_error(staff, client, query):
    listed_profile(first_name="Mohamed", last_name="Kane", first_name_ar="محمد")
    found(staff, query)
    client.force_login(staff)
    assert client.get(reverse("skills:staff-search"), {"q": query}).status_code == 200


def test_the_result_says_why_a_name_in_another_script_matched(staff, client):
    listed_profile(first_name="", last_name="", first_name_ar="محمد", last_name_ar="العمراني")
    client.force_login(staff)
    page = client.get(reverse("skills:staff-search"), {"q": "Mohamed"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Arabic name \u2068محمد\u2069 matches \u2068Mohamed\u2069" in page.content.decode()


def test_an_old_row_with_invisible_characters_in_its_name_is_still_found(staff, client):
    from apps.skills.services import profile_search_refresh

    person = listed_profile(first_name="Mohamed", last_name="Kane")
    type(person).objects.filter(pk=person.pk).update(first_name="Mo\u200bhamed", first_name_ar="\u202eمحمد\u202c")
    profile_search_refresh(profile_ids=[person.pk])
    assert found(staff, "Mohamed") == [person.pk]
    assert found(staff, "محمد") == [person.pk]
    client.force_login(staff)
    page = client.get(reverse("skills:staff-search"), {"q": "\u200bMohamed"})
    assert page.status_code == 200  # refused at entry with the form's message, nothing lost


def test_the_refill_command_restores_the_keys_of_words_stored_before_them(staff):
    from django.core.management import call_command

    person = listed_profile(first_name="", last_name="", first_name_ar="عثمان", last_name_ar="كان")
    NameToken.objects.update(keys=[])  # words from before the keys
    assert found(staff, "Ousmane") == []
    call_command("names_refill", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert found(staff, "Ousmane") == [person.pk]
    assert "~ASMN" in NameToken.objects.get(token="عثمان").keys


@pytest.mark.django_db
def test_the_name_word_indexes_keep_no_pending_list():
    """A pending list grown by many new words made the planner scan every word for each name searched."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reloptions FROM pg_class c WHERE c.relname IN ('name_token_trgm', 'name_token_keys')"
        )
        options = dict(cursor.fetchall())
    assert options == {"name_token_trgm": ["fastupdate=off"], "name_token_keys": ["fastupdate=off"]}


def test_the_staff_search_keeps_an_arabic_name_with_an_ayn_apart_from_one_without(staff):
    said = listed_profile(first_name="", last_name="", first_name_ar="سعيد", last_name_ar="كان")
    sayed = listed_profile(first_name="", last_name="", first_name_ar="سيد", last_name_ar="با")
    assert found(staff, "سعيد") == [said.pk]
    assert found(staff, "سيد") == [sayed.pk]
    assert sorted(found(staff, "Said")) == sorted([said.pk, sayed.pk])
