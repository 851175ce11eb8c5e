"""Staff download a listed member's CV; curators add vocabulary entries, also from a member's proposal."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.core.roles import Role
from apps.skills.models import ProfileSkill, Skill
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.skills_staff import listed_profile, taxonomy
from tests.skills.test_member_wizard import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_cv(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def make(**kwargs):
        profile = listed_profile(**kwargs)
        profile.cv.save("cv.pdf", ContentFile(pdf_bytes()), save=True)
        return profile

    return make


def cv_url(profile):
    return reverse("skills:staff-profile-cv", kwargs={"pk": profile.pk})


def test_staff_download_the_cv_of_a_profile_they_can_find_and_the_read_is_audited(client, with_cv):
    profile = with_cv(origin_country_id="SN")
    staff = user_with_role(Role.OFFICE_STAFF, organisation=OrganisationFactory(country_id="SN"))
    client.force_login(staff)
    page = client.get(reverse("skills:staff-profile", kwargs={"pk": profile.pk}))
    assert cv_url(profile) in page.content.decode()
    response = client.get(cv_url(profile))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    event = AuditEvent.objects.get(action="profile.cv_download")
    assert event.actor_id == staff.pk and event.object_id == str(profile.pk)


def test_a_cv_outside_the_staff_members_scope_or_not_listed_is_a_404(client, with_cv):
    other_country = with_cv(origin_country_id="MA")
    unlisted = with_cv(origin_country_id="SN", consent_listed=False)
    no_cv = listed_profile(origin_country_id="SN")
    client.force_login(user_with_role(Role.OFFICE_STAFF, organisation=OrganisationFactory(country_id="SN")))
    for profile in (other_country, unlisted, no_cv):
        assert client.get(cv_url(profile)).status_code == 404
    assert not AuditEvent.objects.filter(action="profile.cv_download").exists()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.MEMBER, Role.CONTENT_EDITOR])
def test_roles_without_search_rights_cannot_download_cvs(client, with_cv, role):
    profile = with_cv(origin_country_id="SN")
    client.force_login(user_with_role(role))
    assert client.get(cv_url(profile)).status_code == 403


NEW = reverse("skills:staff-vocabulary-new")


def entry(**overrides):
    data = {
        "code": "drip-irrigation-design",
        "sector": "water",
        "label_en": "Drip irrigation design",
        "label_fr": "Conception d'irrigation goutte à goutte",
        "label_ar": "تصميم الري بالتنقيط",
    }
    return {**data, **overrides}


@pytest.fixture
def curator(client):
    taxonomy()
    user = user_with_role(Role.COORDINATOR)
    client.force_login(user)
    return user


def test_a_curator_adds_an_entry_from_a_proposal_and_its_profiles_point_to_it(client, curator):
    one, two = listed_profile(), listed_profile()
    for profile, text in ((one, "Goutte à goutte"), (two, " goutte à GOUTTE ")):
        ProfileSkill.objects.create(profile=profile, proposed_text=text, kind=ProfileSkill.Kind.INFORMAL)
    form = client.get(NEW, {"proposed": "Goutte à goutte"})
    assert form.status_code == 200 and "Goutte à goutte" in form.content.decode()
    response = client.post(NEW, entry(proposed_text="Goutte à goutte"))
    assert response.status_code == 302
    skill = Skill.objects.get(code="drip-irrigation-design")
    assert (skill.label_en, skill.label_fr, skill.label_ar) == (
        "Drip irrigation design",
        "Conception d'irrigation goutte à goutte",
        "تصميم الري بالتنقيط",
    )
    assert set(ProfileSkill.objects.filter(skill=skill).values_list("profile_id", flat=True)) == {one.pk, two.pk}
    assert not ProfileSkill.objects.filter(skill__isnull=True).exists()
    assert AuditEvent.objects.filter(action="skill.create", object_id=skill.pk).exists()
    assert AuditEvent.objects.filter(action="skill.merge_proposal").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "Not a slug!"}, "code"),
        ({"code": "water-treatment"}, "code"),
        ({"label_ar": ""}, "label_ar"),
        ({"label_fr": "Goutte\u202e à goutte"}, "label_fr"),
        ({"sector": "no-such-sector"}, "sector"),
    ],
)
def test_bad_entries_are_refused_at_the_field_and_keep_what_was_typed(client, curator, overrides, field):
    response = client.post(NEW, entry(**overrides), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "Drip irrigation design" in response.content.decode() or overrides.get("label_en") == ""
    assert not Skill.objects.filter(code="drip-irrigation-design").exists()


def test_the_errors_speak_the_users_language(client, curator):
    response = client.post("/fr" + NEW, entry(code="water-treatment"))
    text = " ".join(response.context["form"].errors["code"])
    assert "existe déjà" in text


@pytest.mark.parametrize("role", [Role.OFFICE_STAFF, Role.ANALYST, Role.MEMBER])
def test_only_curators_reach_the_new_entry_page(client, role):
    taxonomy()
    client.force_login(user_with_role(role))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, entry()).status_code == 403
    assert not Skill.objects.filter(code="drip-irrigation-design").exists()


def test_office_staff_reach_the_vacancies_that_fit_a_profile_from_it(client):
    profile = listed_profile(origin_country_id="SN")
    page = reverse("skills:staff-profile", kwargs={"pk": profile.pk})
    link = reverse("returns:profile-vacancies", kwargs={"pk": profile.pk})
    client.force_login(user_with_role(Role.OFFICE_STAFF, organisation=OrganisationFactory(country_id="SN")))
    assert link in client.get(page).content.decode()
    assert client.get(link).status_code == 200
    client.force_login(user_with_role(Role.COORDINATOR))
    assert link not in client.get(page).content.decode()
