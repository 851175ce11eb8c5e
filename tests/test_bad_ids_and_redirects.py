"""Malformed ids are 404s, never 500s; a form's `next` never leads outside the portal."""

import pytest
from rest_framework.test import APIClient

from apps.core.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "method", "path"),
    [
        (Role.OFFICE_STAFF, "get", "/api/v1/return-plans/abc/"),
        (Role.OFFICE_STAFF, "post", "/api/v1/return-plans/abc/stage/"),
        (Role.MEMBER, "post", "/api/v1/events/abc/registration/"),
        (Role.OFFICE_STAFF, "get", "/api/v1/persons/abc/"),
        (Role.OUTREACH_MANAGER, "get", "/api/v1/campaigns/abc/"),
        (Role.FOCAL_POINT, "get", "/api/v1/exchange-requests/abc/"),
    ],
)
def test_a_non_numeric_id_in_the_api_is_a_404_in_the_error_shape(role, method, path):
    client = APIClient()
    client.force_authenticate(user_with_role(role))
    response = getattr(client, method)(path, {}, format="json")
    assert response.status_code == 404
    assert set(response.json()) == {"error"}


def test_the_follow_up_done_form_does_not_redirect_off_site(client):
    import datetime

    from tests.factories.offices import ContactFactory, OfficeFactory, PersonFactory, counsellor

    office = OfficeFactory()
    staff = counsellor(office, full_name="Moussa Ndiaye")
    contact = ContactFactory(
        person=PersonFactory(office=office), staff=staff, follow_up_due=datetime.date.today(), follow_up_assignee=staff
    )
    client.force_login(staff)
    response = client.post(f"/offices/follow-ups/{contact.pk}/done/", {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")
