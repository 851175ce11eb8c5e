"""The registration wizard: each step saves, bad input is refused at the field and nothing typed is lost."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.skills.models import ConsentRecord, DiasporaProfile
from tests.factories import UserFactory
from tests.factories.skills import ProfileFactory, member, taxonomy

pytestmark = pytest.mark.django_db


def step_url(step: str, language: str = "en") -> str:
    url = reverse("skills:wizard-step", kwargs={"step": step})
    return url if language == "en" else f"/{language}{url}"


@pytest.fixture
def client_member(client):
    user = member()
    client.force_login(user)
    client.user = user
    return client


def identity(**overrides):
    data = {"first_name": "Aminata", "last_name": "Diallo", "first_name_ar": "أميناتا", "last_name_ar": "ديالو"}
    data.update(overrides)
    return data


def formset_data(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def pdf_bytes(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_member_without_a_profile_is_sent_to_the_wizard(client_member):
    response = client_member.get(reverse("skills:profile"))
    assert response.status_code == 302
    assert response.url == reverse("skills:wizard")
    response = client_member.get(response.url)
    assert response.url == step_url("identity")


def test_the_dashboard_links_members_to_their_skills_profile(client_member):
    response = client_member.get(reverse("core:dashboard"))
    assert reverse("skills:profile").encode() in response.content


def test_other_steps_wait_until_the_identity_step_is_saved(client_member):
    response = client_member.get(step_url("phone"))
    assert response.url == step_url("identity")


def test_a_user_who_is_not_a_member_cannot_use_the_wizard(client):
    client.force_login(UserFactory())
    assert client.get(step_url("identity")).status_code == 403


def test_the_identity_step_creates_the_profile_and_remembers_the_step(client_member):
    response = client_member.post(step_url("identity"), {**identity(), "action": "next"})
    assert response.status_code == 302 and response.url == step_url("origin")
    profile = DiasporaProfile.objects.get(user=client_member.user)
    assert (profile.first_name, profile.last_name_ar, profile.wizard_step) == ("Aminata", "ديالو", "identity")
    assert "aminata" in profile.search_names and "أميناتا" in profile.search_names


def test_leaving_and_coming_back_resumes_after_the_last_saved_step(client_member):
    client_member.post(step_url("identity"), identity())
    response = client_member.post(
        step_url("origin"),
        {"origin_country": "SN", "residence_country": "FR", "generation": "1", "action": "exit"},
    )
    assert response.url == reverse("skills:profile")
    assert client_member.get(reverse("skills:wizard")).url == step_url("phone")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "A" * 10_000, "at most 100 characters"),
        ("last_name", "Dia\u202ello", "invisible direction"),
        ("first_name_ar", "\u2067محمد\u2069", "invisible direction"),
        ("date_of_birth", (date.today() + timedelta(days=1)).isoformat(), "cannot be in the future"),
    ],
)
def test_bad_identity_input_is_refused_at_the_field_and_what_was_typed_is_kept(client_member, field, value, message):
    data = identity(date_of_birth="1990-04-02")
    data[field] = value
    response = client_member.post(step_url("identity"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'id="id_{field}-errors"' in html
    assert 'value="Diallo"' in html or field == "last_name"
    assert not DiasporaProfile.objects.filter(user=client_member.user).exists()


def test_errors_are_given_in_the_members_language(client_member):
    client_member.user.preferred_language = "fr"
    client_member.user.save()
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = client_member.post(step_url("identity", "fr"), identity(date_of_birth=tomorrow))
    assert "La date de naissance ne peut pas être dans le futur." in response.content.decode()


def test_the_phone_is_stored_in_e164_read_with_the_country_of_residence(client_member):
    profile = ProfileFactory(user=client_member.user, residence_country_id="FR")
    client_member.post(step_url("phone"), {"phone": "06 12 34 56 78"})
    profile.refresh_from_db()
    assert profile.phone == "+33612345678"


def test_an_invalid_phone_is_refused_and_kept(client_member):
    ProfileFactory(user=client_member.user)
    response = client_member.post(step_url("phone"), {"phone": "+221 12"})
    assert "phone number is not valid" in " ".join(response.context["form"].errors["phone"])
    assert 'value="+221 12"' in response.content.decode()


def test_availability_ending_before_it_starts_is_refused(client_member):
    profile = ProfileFactory(user=client_member.user)
    response = client_member.post(
        step_url("availability"),
        {"available_from": "2027-05-01", "available_to": "2027-04-01", "days_per_year": "20"},
    )
    assert "must be on or after its start" in response.content.decode()
    assert 'value="2027-05-01"' in response.content.decode()
    profile.refresh_from_db()
    assert profile.available_from is None


def test_languages_are_saved_from_a_formset_and_replace_the_previous_list(client_member):
    profile = ProfileFactory(user=client_member.user)
    rows = [{"language": "fr", "level": "native"}, {"language": "ar", "level": "fluent"}, {}]
    client_member.post(step_url("languages"), formset_data("languages", rows))
    assert sorted(profile.languages.values_list("language_id", "level")) == [("ar", "fluent"), ("fr", "native")]
    client_member.post(step_url("languages"), formset_data("languages", [{"language": "en", "level": "basic"}]))
    assert list(profile.languages.values_list("language_id", flat=True)) == ["en"]


def test_saving_the_same_languages_again_changes_nothing_and_refuses_duplicates(client_member):
    profile = ProfileFactory(user=client_member.user)
    rows = [{"language": "fr", "level": "native"}]
    client_member.post(step_url("languages"), formset_data("languages", rows))
    response = client_member.post(step_url("languages"), formset_data("languages", rows))
    assert response.status_code == 302
    assert list(profile.languages.values_list("language_id", flat=True)) == ["fr"]
    twice = rows + [{"language": "fr", "level": "basic"}]
    response = client_member.post(step_url("languages"), formset_data("languages", twice))
    assert "appears twice" in " ".join(response.context["form"].non_form_errors())
    assert list(profile.languages.values_list("level", flat=True)) == ["native"]


def test_adding_a_row_keeps_what_was_typed(client_member):
    ProfileFactory(user=client_member.user)
    data = {**formset_data("languages", [{"language": "fr", "level": "native"}]), "action": "add_row"}
    response = client_member.post(step_url("languages"), data)
    formset = response.context["form"]
    assert formset.total_form_count() == 2
    assert re.search(r'<option value="fr"[^>]* selected[ >]', response.content.decode())


def test_skills_are_chosen_from_the_vocabulary_or_proposed_as_text(client_member):
    tax = taxonomy()
    profile = ProfileFactory(user=client_member.user)
    rows = [
        {"skill": tax["skill"].code, "kind": "formal"},
        {"proposed_text": "Tropical medicine teaching", "kind": "informal"},
    ]
    response = client_member.post(step_url("skills"), formset_data("skills", rows))
    assert response.status_code == 302
    assert set(profile.skills.values_list("skill_id", "proposed_text", "kind")) == {
        (None, "Tropical medicine teaching", "informal"),
        (tax["skill"].code, "", "formal"),
    }
    profile.refresh_from_db()
    assert "surgery" in str(DiasporaProfile.objects.filter(pk=profile.pk).values_list("search_vector", flat=True)[0])


def test_an_unknown_skill_id_is_refused_at_the_field(client_member):
    taxonomy()
    profile = ProfileFactory(user=client_member.user)
    response = client_member.post(
        step_url("skills"), formset_data("skills", [{"skill": "no-such-skill", "kind": "formal"}])
    )
    assert "Select a valid choice" in " ".join(response.context["form"].forms[0].errors["skill"])
    assert not profile.skills.exists()


def test_occupations_can_be_searched_without_javascript_keeping_what_was_chosen(client_member):
    tax = taxonomy()
    ProfileFactory(user=client_member.user)
    data = {
        "occupation_search": "civil",
        "occupations": [tax["occupation"].code],
        "job_title": "Chief physician",
        "action": "search",
    }
    response = client_member.post(step_url("work"), data)
    html = response.content.decode()
    choices = {str(code): str(label) for code, label in response.context["form"].fields["occupations"].choices}
    # What was chosen stays; the rest are the matches of the forgiving search, the type-ahead's, best first.
    from apps.skills.selectors.vocabulary import vocabulary_search

    assert {"2142", "2211"} <= set(choices)
    assert set(choices) - {"2211"} == {hit.code for hit in vocabulary_search("occupation", "civil", limit=100)}
    assert next(iter(choices)) == "2142"
    assert 'value="Chief physician"' in html
    assert "is-invalid" not in html


def test_with_htmx_the_search_answers_only_the_occupation_list(client_member):
    taxonomy()
    ProfileFactory(user=client_member.user)
    response = client_member.post(
        step_url("work"), {"occupation_search": "2211", "action": "search"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.strip().startswith('<div class="mb-3" id="occupations-field">')
    assert 'value="2211"' in html and 'value="2142"' not in html


def test_the_work_step_saves_occupations_and_updates_the_search_document(client_member):
    tax = taxonomy()
    profile = ProfileFactory(user=client_member.user)
    client_member.post(
        step_url("work"),
        {"occupations": [tax["occupation2"].code], "job_title": "Hydraulic engineer", "employer": "ONEA"},
    )
    assert list(profile.occupations.values_list("code", flat=True)) == ["2142"]
    assert DiasporaProfile.objects.filter(pk=profile.pk, search_vector="hydraulic").exists()


def test_the_cv_must_be_a_real_pdf_whatever_its_name(client_member):
    ProfileFactory(user=client_member.user)
    fake = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_member.post(step_url("cv"), {"cv": fake})
    assert "must be a PDF document" in " ".join(response.context["form"].errors["cv"])
    broken = SimpleUploadedFile("cv.pdf", b"%PDF-1.7\n garbage without structure", content_type="application/pdf")
    response = client_member.post(step_url("cv"), {"cv": broken})
    assert "could not be read" in " ".join(response.context["form"].errors["cv"])


def test_a_cv_over_5_mb_is_refused(client_member):
    ProfileFactory(user=client_member.user)
    big = SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    response = client_member.post(step_url("cv"), {"cv": big})
    assert "larger than 5 MB" in " ".join(response.context["form"].errors["cv"])


def test_a_pdf_named_otherwise_is_accepted_and_stored_outside_the_web_root(client_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    profile = ProfileFactory(user=client_member.user)
    upload = SimpleUploadedFile("my cv.doc", pdf_bytes(), content_type="application/msword")
    assert client_member.post(step_url("cv"), {"cv": upload}).status_code == 302
    profile.refresh_from_db()
    assert profile.cv.name.startswith("cv/") and profile.cv.name.endswith(".pdf")
    assert "my cv" not in profile.cv.name
    assert (tmp_path / profile.cv.name).exists()
    assert not settings.MEDIA_URL.startswith("/static")


def test_the_cv_is_downloadable_by_its_owner_as_an_attachment(client_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    profile = ProfileFactory(user=client_member.user)
    client_member.post(step_url("cv"), {"cv": SimpleUploadedFile("x.pdf", pdf_bytes())})
    response = client_member.get(reverse("skills:cv-download", kwargs={"profile_id": profile.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_member_never_gets_another_members_cv(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = member()
    client.force_login(owner)
    profile = ProfileFactory(user=owner)
    client.post(step_url("cv"), {"cv": SimpleUploadedFile("x.pdf", pdf_bytes())})
    client.force_login(member())
    assert client.get(reverse("skills:cv-download", kwargs={"profile_id": profile.pk})).status_code == 404
    client.logout()
    response = client.get(reverse("skills:cv-download", kwargs={"profile_id": profile.pk}))
    assert response.status_code == 302 and "login" in response.url


def test_consents_start_unticked_and_ticked_ones_become_records(client_member):
    profile = ProfileFactory(user=client_member.user)
    response = client_member.get(step_url("consents"))
    assert "checked" not in response.content.decode().split('data-testid="wizard-form"')[1]
    client_member.post(step_url("consents"), {"listed": "on", "sms": ""})
    profile.refresh_from_db()
    assert profile.consent_listed and not profile.consent_sms
    records = list(ConsentRecord.objects.filter(profile=profile).values_list("purpose", "given", "method"))
    assert records == [("listed", True, "wizard")]
    assert profile.wizard_step == "consents"


def test_every_wizard_write_is_audited(client_member):
    client_member.post(step_url("identity"), identity())
    profile = DiasporaProfile.objects.get(user=client_member.user)
    client_member.post(step_url("origin"), {"origin_country": "MA", "residence_country": "BE", "generation": "2"})
    actions = list(
        AuditEvent.objects.filter(object_id=str(profile.pk), object_type="skills.diasporaprofile").values_list(
            "action", flat=True
        )
    )
    assert actions.count("profile.create") == 1 and actions.count("profile.update") == 1


def test_the_profile_page_shows_completeness_and_what_is_missing(client_member):
    tax = taxonomy()
    profile = ProfileFactory(user=client_member.user, phone="+33612345678", generation="1", job_title="Doctor")
    profile.occupations.add(tax["occupation"])
    response = client_member.get(reverse("skills:profile"))
    completeness = response.context["completeness"]
    missing = [str(label) for _, label in completeness.missing]
    assert "Your skills" in missing and "Your CV" in missing and "Your occupation" not in missing
    assert 0 < completeness.score < 100
    assert f"{completeness.score} %" in response.content.decode()


def test_the_arabic_wizard_is_right_to_left(client_member):
    client_member.user.preferred_language = "ar"
    client_member.user.save()
    response = client_member.get(step_url("identity", "ar"))
    assert 'dir="rtl"' in response.content.decode()


def test_the_name_typed_at_sign_up_fills_step_one(client):
    user = member(full_name="Awa Marie Konaté")
    client.force_login(user)
    form = client.get(reverse("skills:wizard-step", args=["identity"])).context["form"]
    assert (form.initial["first_name"], form.initial["last_name"]) == ("Awa Marie", "Konaté")


def test_a_name_typed_in_arabic_script_at_sign_up_fills_the_arabic_name_fields(client):
    client.force_login(member(full_name="أمينة الفاسي"))
    form = client.get(reverse("skills:wizard-step", args=["identity"])).context["form"]
    assert (form.initial["first_name_ar"], form.initial["last_name_ar"]) == ("أمينة", "الفاسي")
    assert "first_name" not in form.initial


def test_once_saved_step_one_shows_the_profile_not_the_sign_up_name(client):
    user = member(full_name="Awa Konaté")
    ProfileFactory(user=user, first_name="Awa", last_name="Diallo")
    client.force_login(user)
    form = client.get(reverse("skills:wizard-step", args=["identity"])).context["form"]
    assert form.initial["last_name"] == "Diallo"
