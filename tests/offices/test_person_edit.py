"""Editing a client record: same rules as creation, same access, audited by field name, duplicate warning."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from rest_framework.test import APIClient

from apps.core.models import AuditEvent
from apps.offices import services
from apps.offices.models import Person
from tests.factories.offices import PersonFactory

pytestmark = pytest.mark.django_db


def _form_data(person, **changes):
    data = {"name_latin": person.name_latin, "name_arabic": person.name_arabic, "sex": person.sex,
            "birth_year": person.birth_year or "", "phone": person.phone, "email": person.email,
            "preferred_language": person.preferred_language, "counsellor": person.counsellor_id or "",
            "vulnerabilities": person.vulnerabilities}  # fmt: skip
    data.update(changes)
    return data


# Service ----------------------------------------------------------------------------------------------------


def test_an_edit_is_audited_with_the_changed_field_names_and_no_personal_values(office, staff):
    person = PersonFactory(office=office, counsellor=staff, name_latin="Awa Sy", phone="+221 77 1")
    changed = services.person_update(person=person, actor=staff, name_latin="Awa Sy Ba", phone="+221 77 1")
    assert changed == ["name_latin"]
    person.refresh_from_db()
    assert person.name_latin == "Awa Sy Ba" and person.search_name == "awa sy ba"
    event = AuditEvent.objects.get(action="offices.person.update")
    assert event.extra == {"fields": ["name_latin"]}
    assert "Awa" not in event.summary and "221" not in event.summary and "name_latin" in event.summary


def test_an_edit_without_a_change_writes_nothing(office, staff):
    person = PersonFactory(office=office, counsellor=staff, phone="+221 77 1")
    assert services.person_update(person=person, actor=staff, phone="+221 77 1") == []
    assert not AuditEvent.objects.filter(action="offices.person.update").exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"name_latin": "", "name_arabic": ""}, "name_latin"),
        ({"email": "not-an-address"}, "email"),
        ({"birth_year": 1800}, "birth_year"),
        ({"phone": "bidi \u202e"}, "phone"),
        ({"vulnerabilities": ["astrology"]}, "vulnerabilities"),
    ],
)
def test_an_edit_meets_the_rules_of_creation_and_saves_nothing_otherwise(office, staff, changes, field):
    person = PersonFactory(office=office, counsellor=staff, name_latin="Awa Sy")
    with pytest.raises(ValidationError) as error:
        services.person_update(person=person, actor=staff, **changes)
    assert field in error.value.message_dict
    assert Person.objects.get(pk=person.pk).name_latin == "Awa Sy"


def test_a_birth_date_sets_the_birth_year_and_a_contradicting_year_is_refused(office, staff):
    import datetime as dt

    person = PersonFactory(office=office, counsellor=staff, birth_year=None)
    services.person_update(person=person, actor=staff, birth_date=dt.date(1991, 4, 2))
    assert Person.objects.get(pk=person.pk).birth_year == 1991
    with pytest.raises(ValidationError) as error:
        services.person_update(person=person, actor=staff, birth_year=1980)
    assert "birth_year" in error.value.message_dict


def test_flags_and_counsellor_are_changed_only_by_the_counsellor_or_the_manager(office, staff, colleague, boss):
    person = PersonFactory(office=office, counsellor=staff)
    with pytest.raises(PermissionDenied):
        services.person_update(person=person, actor=colleague, vulnerabilities=["medical"])
    services.person_update(person=person, actor=boss, vulnerabilities=["medical"], counsellor=colleague)
    person.refresh_from_db()
    assert person.vulnerabilities == ["medical"] and person.counsellor == colleague
    assert AuditEvent.objects.get(action="offices.person.update").extra == {"fields": ["counsellor", "vulnerabilities"]}


def test_the_counsellor_must_work_in_the_office(office, staff, outsider):
    person = PersonFactory(office=office, counsellor=staff)
    with pytest.raises(ValidationError) as error:
        services.person_update(person=person, actor=staff, counsellor=outsider)
    assert "counsellor" in error.value.message_dict


def test_a_flagged_record_is_edited_by_nobody_else_and_another_office_gets_404(office, staff, colleague, outsider):
    flagged = PersonFactory(office=office, counsellor=staff, vulnerabilities=["detained"])
    for user in (colleague, outsider):
        with pytest.raises(Http404):
            services.person_update(person=flagged, actor=user, phone="1")


def test_a_merged_record_cannot_be_edited(office, staff):
    keep = PersonFactory(office=office, counsellor=staff)
    duplicate = PersonFactory(office=office, counsellor=staff)
    services.person_merge(keep=keep, duplicate=duplicate, actor=staff)
    with pytest.raises(ValidationError):
        services.person_update(person=duplicate, actor=staff, phone="1")


# Page -------------------------------------------------------------------------------------------------------


def test_the_edit_page_saves_and_goes_back_to_the_record(client, office, staff):
    person = PersonFactory(office=office, counsellor=staff, name_latin="Awa Sy")
    client.force_login(staff)
    url = reverse("offices:person-edit", args=[person.pk])
    assert b'data-testid="restricted-fields"' in client.get(url).content
    response = client.post(url, _form_data(person, phone="+221 77 9", languages=["fr"]))
    assert response.status_code == 302 and response["Location"] == reverse("offices:person-detail", args=[person.pk])
    person.refresh_from_db()
    assert person.phone == "+221 77 9" and list(person.languages.values_list("code", flat=True)) == ["fr"]
    assert AuditEvent.objects.get(action="offices.person.update").extra == {"fields": ["languages", "phone"]}


def test_a_colleague_edits_the_record_but_not_the_flags(client, office, staff, colleague):
    person = PersonFactory(office=office, counsellor=staff, name_latin="Awa Sy")
    client.force_login(colleague)
    url = reverse("offices:person-edit", args=[person.pk])
    assert b'data-testid="restricted-fields"' not in client.get(url).content
    response = client.post(url, _form_data(person, email="awa@example.org", vulnerabilities=["medical"]))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == "awa@example.org" and person.vulnerabilities == [] and person.counsellor == staff


def test_edit_errors_are_shown_at_the_field_in_french_and_what_was_typed_stays(client, office, staff):
    person = PersonFactory(office=office, counsellor=staff, name_latin="Awa Sy")
    client.force_login(staff)
    url = "/fr" + reverse("offices:person-edit", args=[person.pk])
    response = client.post(url, _form_data(person, name_latin="", name_arabic="", phone="+221 typed"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "name_latin" in form.errors
    body = response.content.decode()
    assert "Indiquez un nom en alphabet latin ou arabe." in body and "+221 typed" in body
    assert Person.objects.get(pk=person.pk).name_latin == "Awa Sy"


def test_a_change_that_matches_another_person_warns_until_confirmed(client, office, staff):
    other = PersonFactory(office=office, counsellor=staff, name_latin="Ibrahima Diallo", phone="+221 77 5")
    hidden = PersonFactory(office=office, counsellor=None, name_latin="Hidden Flagged", phone="+221 77 5",
                           vulnerabilities=["trafficking_victim"])  # fmt: skip
    person = PersonFactory(office=office, counsellor=staff, name_latin="Awa Sy")
    client.force_login(staff)
    url = reverse("offices:person-edit", args=[person.pk])
    response = client.post(url, _form_data(person, phone="+221 77 5"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="duplicates"' in body and "Ibrahima Diallo" in body
    assert "Hidden Flagged" not in body and f"#{hidden.pk}" not in body  # a flagged record's name is not shown
    assert Person.objects.get(pk=person.pk).phone == ""
    response = client.post(url, _form_data(person, phone="+221 77 5", confirm_duplicates="on"))
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).phone == "+221 77 5"
    # an edit that does not touch the identity does not warn again
    response = client.post(url, _form_data(Person.objects.get(pk=person.pk), sex="female"))
    assert response.status_code == 302
    assert other.pk != person.pk


def test_handing_a_flagged_record_to_a_colleague_leaves_the_page(client, office, staff, colleague):
    person = PersonFactory(office=office, counsellor=staff, vulnerabilities=["medical"])
    client.force_login(staff)
    data = _form_data(person, counsellor=colleague.pk, vulnerabilities=["medical"])
    response = client.post(reverse("offices:person-edit", args=[person.pk]), data)
    assert response.status_code == 302 and response["Location"] == reverse("offices:person-list")
    assert Person.objects.get(pk=person.pk).counsellor == colleague


# API --------------------------------------------------------------------------------------------------------


@pytest.fixture
def api():
    return APIClient()


def test_patch_edits_the_record_and_reports_possible_duplicates(api, office, staff):
    other = PersonFactory(office=office, email="awa@example.org")
    person = PersonFactory(office=office, counsellor=staff, name_latin="Awa Sy")
    api.force_authenticate(staff)
    response = api.patch(
        f"/api/v1/persons/{person.pk}/", {"email": "AWA@example.org", "languages": ["ar"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["email"] == "AWA@example.org" and body["languages"] == ["ar"]
    assert body["changed"] == ["email", "languages"] and body["possible_duplicates"] == [other.pk]
    assert AuditEvent.objects.get(action="offices.person.update").extra == {"fields": ["email", "languages"]}


def test_patch_bad_input_gets_the_error_shape_and_the_office_cannot_change(api, office, other_office, staff):
    person = PersonFactory(office=office, counsellor=staff, name_latin="Awa Sy")
    api.force_authenticate(staff)
    response = api.patch(f"/api/v1/persons/{person.pk}/", {"name_latin": "", "name_arabic": ""}, format="json")
    assert response.status_code == 400 and "name_latin" in response.json()["error"]["fields"]
    response = api.patch(f"/api/v1/persons/{person.pk}/", {"office": other_office.pk}, format="json")
    assert response.status_code == 200
    assert Person.objects.get(pk=person.pk).office == office
    assert api.put(f"/api/v1/persons/{person.pk}/", {"name_latin": "x"}, format="json").status_code == 405


def test_patch_access_wrong_role_403_other_office_404_flags_403_for_a_colleague(
    api, office, staff, colleague, outsider
):
    from apps.core.roles import Role
    from tests.factories import user_with_role

    person = PersonFactory(office=office, counsellor=staff)
    flagged = PersonFactory(office=office, counsellor=staff, vulnerabilities=["medical"])
    url = f"/api/v1/persons/{person.pk}/"
    api.force_authenticate(user_with_role(Role.MEMBER))
    assert api.patch(url, {"phone": "1"}, format="json").status_code == 403
    api.force_authenticate(outsider)
    response = api.patch(url, {"phone": "1"}, format="json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    api.force_authenticate(colleague)
    assert api.patch(f"/api/v1/persons/{flagged.pk}/", {"phone": "1"}, format="json").status_code == 404
    assert api.patch(url, {"vulnerabilities": ["medical"]}, format="json").status_code == 403
    assert api.patch(url, {"phone": "1"}, format="json").status_code == 200
    assert Person.objects.get(pk=person.pk).vulnerabilities == []
