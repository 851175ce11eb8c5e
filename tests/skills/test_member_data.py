"""My data: consents with their history, one-click withdraw and give, the JSON export, erasure."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import AuditEvent
from apps.skills.models import ConsentPurpose, ConsentRecord, DiasporaProfile
from apps.skills.services import consent_give, profile_search_refresh
from tests.factories.skills import ProfileFactory, member, taxonomy

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(client):
    tax = taxonomy()
    user = member(full_name="Mohamed Diop")
    profile = ProfileFactory(
        user=user,
        first_name="Mohamed",
        last_name="Diop",
        first_name_ar="محمد",
        phone="+33612345678",
        job_title="Hydraulic engineer",
        generation="1",
    )
    profile.sectors.add(tax["sector2"])
    profile.languages.create(language_id="fr", level="native")
    profile.skills.create(skill=tax["skill2"], kind="formal")
    profile_search_refresh(profile_ids=[profile.pk])
    consent_give(profile=profile, purpose=ConsentPurpose.LISTED, method="wizard")
    consent_give(profile=profile, purpose=ConsentPurpose.SMS, method="wizard")
    client.force_login(user)
    return profile


def test_my_data_lists_every_consent_with_its_history(client, profile):
    response = client.get(reverse("skills:my-data"))
    consents = {c["purpose"]: c for c in response.context["consents"]}
    assert set(consents) == set(ConsentPurpose.values)
    assert consents["listed"]["given"] and not consents["newsletter_email"]["given"]
    assert [r.given for r in consents["listed"]["history"]] == [True]
    assert 'data-testid="withdraw-listed"' in response.content.decode()


def test_one_click_withdraws_a_consent_and_keeps_the_history(client, profile):
    response = client.post(reverse("skills:consent-change", kwargs={"purpose": "listed", "change": "withdraw"}))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.consent_listed is False
    history = list(profile.consent_records.filter(purpose="listed").values_list("given", "method"))
    assert history == [(False, "my_data"), (True, "wizard")]


def test_consent_can_be_given_from_my_data(client, profile):
    client.post(reverse("skills:consent-change", kwargs={"purpose": "newsletter_email", "change": "give"}))
    profile.refresh_from_db()
    assert profile.consent_newsletter_email is True


def test_consent_changes_need_a_post(client, profile):
    url = reverse("skills:consent-change", kwargs={"purpose": "listed", "change": "withdraw"})
    assert client.get(url).status_code == 405
    profile.refresh_from_db()
    assert profile.consent_listed


def test_the_json_export_holds_profile_consents_and_says_what_is_not_included(client, profile):
    response = client.get(reverse("skills:my-data-export"))
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == profile.user.email
    assert data["profile"]["first_name_ar"] == "محمد"
    assert data["profile"]["languages"] == [{"language": "fr", "level": "native"}]
    assert data["profile"]["skills"][0]["skill"] == "test-irrigation"
    assert {(c["purpose"], c["given"]) for c in data["consents"]} == {("listed", True), ("sms", True)}
    # Offices and outreach add their sections: nothing is left out.
    assert data["not_yet_included"] == {}
    assert data["contacts"] == [] and data["deliveries"] == []
    assert AuditEvent.objects.filter(action="profile.export", actor_id=profile.user.pk).count() == 1


def test_other_apps_can_add_a_section_to_the_export(client, profile):
    from apps.skills.services import DATA_EXPORT_SECTIONS, data_export_section_register

    previous = DATA_EXPORT_SECTIONS.get("contacts")
    data_export_section_register("contacts", lambda user: [{"summary": f"contact of {user.pk}"}])
    try:
        data = json.loads(client.get(reverse("skills:my-data-export")).content)
    finally:
        if previous is None:
            DATA_EXPORT_SECTIONS.pop("contacts")
        else:
            DATA_EXPORT_SECTIONS["contacts"] = previous
    assert data["contacts"] == [{"summary": f"contact of {profile.user.pk}"}]
    assert "contacts" not in data["not_yet_included"]


def test_erasure_needs_the_password(client, profile):
    response = client.post(reverse("skills:erase"), {"password": "wrong", "confirm": "on"})
    assert "password is not correct" in " ".join(response.context["form"].errors["password"])
    profile.refresh_from_db()
    assert profile.erased_at is None


def test_erasure_anonymises_removes_from_search_withdraws_consents_and_is_audited(client, profile):
    user_id = profile.user_id
    old_email = profile.user.email
    response = client.post(reverse("skills:erase"), {"password": "correct-horse-battery", "confirm": "on"})
    assert response.status_code == 302

    profile.refresh_from_db()
    assert profile.erased_at is not None
    assert (profile.first_name, profile.last_name, profile.first_name_ar, profile.phone, profile.job_title) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert profile.search_vector is None and profile.search_names == ""
    assert not DiasporaProfile.objects.filter(search_names__trigram_word_similar="mohamed").exists()
    assert not DiasporaProfile.objects.filter(search_vector="hydraulic").exists()
    assert not profile.languages.exists() and not profile.skills.exists()
    # Aggregates stay
    assert (profile.origin_country_id, profile.residence_country_id, profile.generation) == ("SN", "FR", "1")
    assert list(profile.sectors.values_list("code", flat=True)) == ["water"]
    # Every consent off, with a withdrawal record per purpose
    assert not any(getattr(profile, f) for f in ("consent_listed", "consent_expert_contact", "consent_sms"))
    erasure = ConsentRecord.objects.filter(profile=profile, method="erasure", given=False)
    assert sorted(erasure.values_list("purpose", flat=True)) == sorted(ConsentPurpose.values)
    # The account
    user = User.objects.get(pk=user_id)
    assert not user.is_active and user.erased_at is not None
    assert user.email != old_email and user.full_name == ""
    assert not user.has_usable_password()
    # Audited, without the old address
    event = AuditEvent.objects.get(action="profile.erase", object_id=str(user_id))
    assert old_email not in event.actor_label
    # Signed out, and cannot sign in again
    assert client.get(reverse("skills:my-data")).status_code == 302
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    assert (
        authenticate(RequestFactory().post("/accounts/login/"), email=old_email, password="correct-horse-battery")
        is None
    )


def test_an_erased_profile_cannot_be_refreshed_back_into_search(profile):
    from apps.skills.services import member_erase

    member_erase(user=profile.user)
    profile_search_refresh(profile_ids=[profile.pk])
    profile.refresh_from_db()
    assert profile.search_vector is None and profile.search_names == ""


def test_the_my_data_page_runs_a_constant_number_of_queries(client, profile, django_assert_max_num_queries):
    for _ in range(10):
        client.post(reverse("skills:consent-change", kwargs={"purpose": "sms", "change": "withdraw"}))
        client.post(reverse("skills:consent-change", kwargs={"purpose": "sms", "change": "give"}))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("skills:my-data"))
    for _ in range(40):
        client.post(reverse("skills:consent-change", kwargs={"purpose": "sms", "change": "withdraw"}))
        client.post(reverse("skills:consent-change", kwargs={"purpose": "sms", "change": "give"}))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("skills:my-data"))
    assert len(few) == len(many)
