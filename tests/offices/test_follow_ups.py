"""Follow-ups: mark done, reschedule (never into the past), reassign within the office; page and API alike."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.models import AuditEvent
from apps.core.roles import Role
from apps.offices import services
from apps.offices.models import Contact
from tests.factories import user_with_role
from tests.factories.offices import ContactFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def follow_up(office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    return ContactFactory(person=person, staff=staff, follow_up_due=TODAY() - dt.timedelta(days=2),
                          follow_up_assignee=staff)  # fmt: skip


@pytest.fixture
def api():
    return APIClient()


# Service ----------------------------------------------------------------------------------------------------


def test_an_overdue_follow_up_is_reassigned_keeping_its_date_and_audited(follow_up, staff, colleague):
    changed = services.follow_up_update(contact=follow_up, actor=staff, due=follow_up.follow_up_due, assignee=colleague)
    assert changed == ["follow_up_assignee"]
    follow_up.refresh_from_db()
    assert follow_up.follow_up_assignee == colleague
    event = AuditEvent.objects.get(action="offices.follow_up.update")
    assert event.extra == {"fields": ["follow_up_assignee"], "assignee": colleague.pk}


def test_a_new_due_date_cannot_be_in_the_past(follow_up, staff):
    with pytest.raises(ValidationError) as error:
        services.follow_up_update(contact=follow_up, actor=staff, due=TODAY() - dt.timedelta(days=1))
    assert "follow_up_due" in error.value.message_dict
    services.follow_up_update(contact=follow_up, actor=staff, due=TODAY() + dt.timedelta(days=3))
    assert Contact.objects.get(pk=follow_up.pk).follow_up_due == TODAY() + dt.timedelta(days=3)


def test_a_follow_up_is_reassigned_only_to_staff_of_the_office(follow_up, staff, outsider):
    with pytest.raises(ValidationError) as error:
        services.follow_up_update(contact=follow_up, actor=staff, assignee=outsider)
    assert "follow_up_assignee" in error.value.message_dict


def test_only_the_assignee_or_the_manager_changes_a_follow_up(follow_up, colleague, boss):
    with pytest.raises(PermissionDenied):
        services.follow_up_update(contact=follow_up, actor=colleague, due=TODAY())
    with pytest.raises(PermissionDenied):
        services.follow_up_complete(contact=follow_up, actor=colleague)
    services.follow_up_update(contact=follow_up, actor=boss, assignee=colleague)
    assert Contact.objects.get(pk=follow_up.pk).follow_up_assignee == colleague


def test_a_done_follow_up_or_a_contact_without_one_cannot_be_changed(follow_up, staff, boss, office):
    services.follow_up_complete(contact=follow_up, actor=staff)
    with pytest.raises(ValidationError):
        services.follow_up_update(contact=follow_up, actor=staff, due=TODAY())
    plain = ContactFactory(person=follow_up.person, staff=staff)
    with pytest.raises(ValidationError):
        services.follow_up_complete(contact=plain, actor=boss)
    assert Contact.objects.get(pk=plain.pk).follow_up_done_at is None


# Page -------------------------------------------------------------------------------------------------------


def test_the_page_reschedules_and_reassigns_and_keeps_input_on_error(client, follow_up, staff, colleague):
    client.force_login(staff)
    url = reverse("offices:follow-up-edit", args=[follow_up.pk])
    assert client.get(url).status_code == 200
    past = (TODAY() - dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"follow_up_due": past, "follow_up_assignee": colleague.pk})
    assert response.status_code == 200 and "follow_up_due" in response.context["form"].errors
    assert past in response.content.decode()
    future = (TODAY() + dt.timedelta(days=7)).isoformat()
    response = client.post(url, {"follow_up_due": future, "follow_up_assignee": colleague.pk})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.follow_up_due.isoformat() == future and follow_up.follow_up_assignee == colleague


def test_a_colleague_gets_403_on_someone_elses_follow_up_page(client, follow_up, colleague):
    client.force_login(colleague)
    assert client.get(reverse("offices:follow-up-edit", args=[follow_up.pk])).status_code == 403


def test_the_follow_ups_page_links_to_the_change_page(client, follow_up, staff):
    client.force_login(staff)
    body = client.get(reverse("offices:follow-ups")).content.decode()
    assert reverse("offices:follow-up-edit", args=[follow_up.pk]) in body


# API --------------------------------------------------------------------------------------------------------


def test_the_api_marks_a_follow_up_done_like_the_page(api, follow_up, staff):
    api.force_authenticate(staff)
    response = api.post(f"/api/v1/contacts/{follow_up.pk}/follow-up/done/")
    assert response.status_code == 200 and response.json()["follow_up_done_at"]
    assert AuditEvent.objects.filter(action="offices.follow_up.complete", object_id=str(follow_up.pk)).exists()


def test_the_api_reschedules_and_reassigns_with_the_same_rules(api, follow_up, staff, colleague, outsider):
    api.force_authenticate(staff)
    url = f"/api/v1/contacts/{follow_up.pk}/follow-up/"
    past = (TODAY() - dt.timedelta(days=1)).isoformat()
    response = api.patch(url, {"follow_up_due": past}, format="json")
    assert response.status_code == 400 and "follow_up_due" in response.json()["error"]["fields"]
    response = api.patch(url, {"follow_up_assignee": outsider.pk}, format="json")
    assert response.status_code == 400 and "follow_up_assignee" in response.json()["error"]["fields"]
    future = (TODAY() + dt.timedelta(days=2)).isoformat()
    response = api.patch(url, {"follow_up_due": future, "follow_up_assignee": colleague.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["follow_up_due"] == future and response.json()["follow_up_assignee"] == colleague.pk
    # the follow-up is now the colleague's: the former assignee may no longer change it
    assert api.post(f"/api/v1/contacts/{follow_up.pk}/follow-up/done/").status_code == 403


@pytest.mark.parametrize("method, path", [("post", "follow-up/done/"), ("patch", "follow-up/")])
def test_follow_up_api_permission_matrix(api, follow_up, colleague, boss, method, path):
    """Wrong role 403, another office 404, a colleague 403, the manager may."""
    url = f"/api/v1/contacts/{follow_up.pk}/{path}"
    data = {"follow_up_due": TODAY().isoformat()}
    expected = [
        (user_with_role(Role.MEMBER), 403),
        (user_with_role(Role.OFFICE_MANAGER), 404),
        (user_with_role(Role.OFFICE_STAFF), 404),
        (colleague, 403),
        (boss, 200),
    ]
    for user, status in expected:
        api.force_authenticate(user)
        response = getattr(api, method)(url, data, format="json")
        assert response.status_code == status, (user, response.content)
        assert status == 200 or "error" in response.json()


def test_the_follow_up_endpoints_are_in_the_openapi_schema(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/contacts/{id}/follow-up/done/" in schema and "/api/v1/contacts/{id}/follow-up/" in schema
    assert "/api/v1/persons/{id}/" in schema and "patch" in schema
