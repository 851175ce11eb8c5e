"""Every list runs the same number of queries at 10 and at 100 rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.roles import Role
from tests.factories import user_with_role
from tests.factories.offices import ContactFactory, OfficeFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def _seed(office, staff, n):
    for _ in range(n):
        person = PersonFactory(office=office, counsellor=staff)
        ContactFactory(person=person, staff=staff, follow_up_due=timezone.localdate() - dt.timedelta(days=1),
                       follow_up_assignee=staff)  # fmt: skip
        ReferralFactory(person=person, created_by=staff)
        OfficeFactory()


def _count(fetch) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
    assert response.status_code == 200
    return len(ctx.captured_queries)


PAGES = ["offices:person-list", "offices:contact-list", "offices:follow-ups", "offices:referral-list",
         "offices:finder", "offices:dashboard"]  # fmt: skip
API = ["/api/v1/offices/", "/api/v1/persons/", "/api/v1/contacts/", "/api/v1/referrals/"]


@pytest.mark.parametrize("target", PAGES + API)
def test_list_query_count_is_the_same_at_10_and_100_rows(client, office, target):
    staff = user_with_role(Role.OFFICE_MANAGER, organisation=office.organisation)
    api = APIClient()
    api.force_authenticate(staff)
    client.force_login(staff)

    def fetch():
        if target.startswith("/api/"):
            api.force_authenticate(type(staff).objects.get(pk=staff.pk))  # no roles cached from a previous call
            return api.get(target, {"page_size": 100})
        return client.get(reverse(target))

    _seed(office, staff, 10)
    small = _count(fetch)
    _seed(office, staff, 90)
    assert _count(fetch) == small


def test_the_timeline_query_count_does_not_grow_with_contacts(client, office):
    staff = user_with_role(Role.OFFICE_STAFF, organisation=office.organisation)
    person = PersonFactory(office=office, counsellor=staff)
    client.force_login(staff)
    url = reverse("offices:person-detail", args=[person.pk])
    for _ in range(10):
        ContactFactory(person=person, staff=staff, notes="n")
        ReferralFactory(person=person, created_by=staff)
    small = _count(lambda: client.get(url))
    for _ in range(90):
        ContactFactory(person=person, staff=staff, notes="n")
    assert _count(lambda: client.get(url)) == small
