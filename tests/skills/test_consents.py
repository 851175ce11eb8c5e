import pytest
from django.db import DatabaseError, transaction

from apps.skills.models import ConsentPurpose, ConsentRecord, DiasporaProfile
from apps.skills.services import consent_give, consent_withdraw, profile_search_refresh
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def make_profile(**kwargs):
    user = UserFactory()
    return DiasporaProfile.objects.create(user=user, first_name="Mohamed", last_name="Diop", **kwargs)


def test_giving_and_withdrawing_consent_are_records_and_the_profile_mirrors_the_latest():
    profile = make_profile()
    consent_give(profile=profile, purpose=ConsentPurpose.LISTED, method="wizard")
    consent_withdraw(profile=profile, purpose=ConsentPurpose.LISTED, method="my_data")
    profile.refresh_from_db()
    assert profile.consent_listed is False
    history = list(profile.consent_records.values_list("given", "method"))
    assert history == [(False, "my_data"), (True, "wizard")]


def test_repeating_the_same_consent_writes_nothing_new():
    profile = make_profile()
    consent_give(profile=profile, purpose=ConsentPurpose.SMS, method="wizard")
    assert consent_give(profile=profile, purpose=ConsentPurpose.SMS, method="wizard") is None
    assert profile.consent_records.count() == 1


def test_consent_records_cannot_be_rewritten():
    profile = make_profile()
    record = consent_give(profile=profile, purpose=ConsentPurpose.SMS, method="wizard")
    with pytest.raises(DatabaseError), transaction.atomic():
        ConsentRecord.objects.filter(pk=record.pk).update(given=False)


def test_search_document_holds_latin_and_arabic_names():
    profile = make_profile(first_name_ar="محمد", last_name_ar="ديوب", job_title="Ingénieure hydraulique")
    profile_search_refresh(profile_ids=[profile.pk])
    profile.refresh_from_db()
    assert "mohamed" in profile.search_names and "محمد" in profile.search_names
    assert DiasporaProfile.objects.filter(pk=profile.pk, search_vector="hydraulique").exists()
