"""The name words carry whether their profile is listed (``ProfileNameToken.listed``), on every path that
changes a profile's listing, so the staff name search reads the words alone."""

import pytest
from django.core.management import call_command
from django.db import connection

from apps.core.roles import Role
from apps.skills.models import ConsentPurpose, ConsentRecord, DiasporaProfile, ProfileNameToken
from apps.skills.selectors.search import name_match_ids_sql, profile_search
from apps.skills.services import consent_give, consent_withdraw, member_erase, profile_create
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.skills import member
from tests.factories.skills_staff import listed_profile

pytestmark = pytest.mark.django_db

WEB = ConsentRecord.Method.MY_DATA


@pytest.fixture
def staff():
    return user_with_role(Role.OFFICE_STAFF, organisation=OrganisationFactory(country_id="SN", name="Dakar office"))


def flags(profile) -> set[bool]:
    return set(ProfileNameToken.objects.filter(profile=profile).values_list("listed", flat=True))


def listed_by_words(name: str) -> list[int]:
    """The ids the staff search's name condition reads from the words' flag alone."""
    named, params = name_match_ids_sql([name], listed=True)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT unnest({named})", params)  # noqa: S608 - fixed SQL of the selector
        return sorted(row[0] for row in cursor.fetchall())


def test_a_new_profile_s_words_are_unlisted_until_the_member_consents_and_again_after_withdrawal(staff):
    profile = profile_create(
        user=member(), fields={"first_name": "Khadija", "last_name": "Ouattara", "origin_country": "SN"}
    )
    assert flags(profile) == {False}
    assert listed_by_words("Khadija") == []
    consent_give(profile=profile, purpose=ConsentPurpose.LISTED, method=WEB)
    assert flags(profile) == {True}
    assert listed_by_words("Khadija") == [profile.pk]
    assert [p.pk for p in profile_search(user=staff, params={"q": "Khadija"}).queryset] == [profile.pk]
    consent_withdraw(profile=profile, purpose=ConsentPurpose.LISTED, method=WEB)
    assert flags(profile) == {False}
    assert listed_by_words("Khadija") == []
    assert not profile_search(user=staff, params={"q": "Khadija"}).queryset.exists()


def test_a_profile_saved_with_another_listing_moves_its_words_with_it():
    profile = listed_profile(first_name="Khadija", last_name="Ouattara")
    assert flags(profile) == {True}
    profile.consent_listed = False
    profile.save()
    assert flags(profile) == {False}
    profile.consent_listed = True
    profile.save(update_fields=["consent_listed"])
    assert flags(profile) == {True}


def test_a_change_of_another_consent_or_field_leaves_the_words_alone():
    profile = listed_profile(first_name="Khadija", last_name="Ouattara")
    DiasporaProfile.objects.filter(pk=profile.pk).update(consent_sms=True, job_title="Nurse")
    assert flags(profile) == {True}


def test_a_bulk_update_of_many_profiles_relists_all_their_words():
    people = [listed_profile(first_name="Khadija", last_name=f"Ouattara{n}") for n in range(3)]
    other = listed_profile(first_name="Khadija", last_name="Sy")
    DiasporaProfile.objects.filter(pk__in=[p.pk for p in people]).update(consent_listed=False)
    assert listed_by_words("Khadija") == [other.pk]
    assert all(flags(p) == {False} for p in people)
    DiasporaProfile.objects.update(consent_listed=True)
    assert listed_by_words("Khadija") == sorted([*(p.pk for p in people), other.pk])


def test_an_erased_profile_has_no_words_and_an_erasure_by_sql_unlists_them():
    erased = listed_profile(first_name="Khadija", last_name="Ouattara")
    member_erase(user=erased.user)
    assert not ProfileNameToken.objects.filter(profile=erased).exists()
    kept = listed_profile(first_name="Khadija", last_name="Sy")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE skills_diasporaprofile SET erased_at = now() WHERE id = %s", [kept.pk])
    assert flags(kept) == {False}
    assert listed_by_words("Khadija") == []


def test_imported_profiles_words_are_unlisted_until_they_consent(staff):
    from tests.skills.test_staff_imports import HEADER, apply, check, upload

    apply(check(upload(staff, HEADER + "awa@example.org;Awa;Ouattara;;;;;;;\n"), staff), staff)
    profile = DiasporaProfile.objects.get(last_name="Ouattara")
    assert flags(profile) == {False}
    consent_give(profile=profile, purpose=ConsentPurpose.LISTED, method=WEB)
    assert listed_by_words("Ouattara") == [profile.pk]


def test_the_refill_command_sets_again_flags_that_drifted(capsys):
    listed = listed_profile(first_name="Khadija", last_name="Ouattara")
    unlisted = listed_profile(first_name="Khadija", last_name="Sy", consent_listed=False)
    # As a restore of the words' table alone would leave them.
    ProfileNameToken.objects.filter(profile=listed).update(listed=False)
    ProfileNameToken.objects.filter(profile=unlisted).update(listed=True)
    call_command("names_refill")
    assert "4 listing flags corrected" in capsys.readouterr().out
    assert flags(listed) == {True}
    assert flags(unlisted) == {False}


def test_the_listed_name_search_reads_the_words_by_index_and_never_the_profiles():
    listed_profile(first_name="Khadija", last_name="Ouattara")
    named, params = name_match_ids_sql(["Khadija", "Ouattara"], listed=True)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN SELECT unnest({named})", params)  # noqa: S608 - fixed SQL of the selector
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "skills_diasporaprofile" not in plan
    assert "Seq Scan" not in plan
    # Which index of the words serves it depends on the table's size (the partial one at national scale).
    assert "on skills_profilenametoken" in plan
