"""A counsellor reviews what the offline sync left for them (issue 21), in a real Chromium: the edit conflict side
by side (value at the start, on the server now, from the device), chosen field by field; the possible duplicate
recorded offline in Arabic script, the two records with their histories, confirmed as the same person. Screenshots
in English, French and Arabic, and at 390 px (a counsellor's phone)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from apps.offices.models import Contact, Person, SyncConflict, SyncDuplicate
from tests.conftest import ARTIFACTS
from tests.factories.offices import ContactFactory, OfficeFactory, PersonFactory, counsellor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    import os

    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def _sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def _sync(user, items):
    api = APIClient()
    api.force_login(user)
    response = api.post("/api/v1/offline/sync/", {"device": str(uuid.uuid4()), "items": items}, format="json")
    return response.json()["results"]


def _item(kind, payload):
    return {"key": str(uuid.uuid4()), "kind": kind, "created_on_device": timezone.now().isoformat(),
            "payload": payload}  # fmt: skip


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"sync-review-{name}.png"), full_page=True)


@pytest.fixture
def field_day():
    office = OfficeFactory(municipality="Tanger")
    staff = counsellor(office, full_name="Moussa Ndiaye")
    youssef = PersonFactory(office=office, name_latin="Youssef El Amrani", birth_year=1988, counsellor=staff)
    ContactFactory(person=youssef, staff=staff, summary="Asked about a work visa",
                   occurred_at=timezone.now() - dt.timedelta(days=30))  # fmt: skip
    awa = PersonFactory(office=office, name_latin="Awa Diallo", counsellor=staff)
    api = APIClient()
    api.force_login(staff)
    api.patch(f"/api/v1/persons/{awa.pk}/", {"phone": "+221 70 000 00 00"}, format="json")  # at the office
    new = _item("person.create", {"office": office.pk, "name_arabic": "يوسف العمراني", "birth_year": 1988})
    results = _sync(staff, [
        new,
        _item("contact.create", {"person": {"ref": new["key"]}, "channel": "home_visit", "topics": ["pre_departure"],
                                 "summary": "Home visit in the village"}),
        _item("person.update", {"id": awa.pk, "base_version": 1, "base": {"phone": "", "sex": ""},
                                "changes": {"phone": "+221 77 999 99 99", "sex": "female"}}),
    ])  # fmt: skip
    assert [r["status"] for r in results] == ["duplicate", "created", "conflict"]
    return {"staff": staff, "youssef": youssef, "awa": awa}


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_review_pages_in_each_language(live_server, page, field_day, language):
    staff = field_day["staff"]
    staff.preferred_language = language
    staff.save(update_fields=["preferred_language"])
    _sign_in(page, live_server, staff)
    prefix = "" if language == "en" else f"/{language}"
    page.goto(f"{live_server.url}{prefix}/offices/offline/review/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.get_by_test_id("offline-review-link").is_visible()
    _shot(page, f"list-{language}")
    page.goto(f"{live_server.url}{prefix}/offices/offline/review/duplicates/{SyncDuplicate.objects.get().pk}/")
    assert page.get_by_test_id("new-record").is_visible() and page.get_by_test_id("existing-record").is_visible()
    _shot(page, f"duplicate-{language}")
    page.goto(f"{live_server.url}{prefix}/offices/offline/review/conflicts/{SyncConflict.objects.get().pk}/")
    assert page.locator('[data-field="phone"] [data-testid="server-value"]').inner_text() == "+221 70 000 00 00"
    _shot(page, f"conflict-{language}")


def test_a_counsellor_on_a_phone_resolves_the_conflict_and_confirms_the_duplicate_in_arabic(
    live_server, browser, field_day
):
    staff, youssef, awa = field_day["staff"], field_day["youssef"], field_day["awa"]
    staff.preferred_language = "ar"
    staff.save(update_fields=["preferred_language"])
    context = browser.new_context(locale="ar", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        _sign_in(page, live_server, staff)
        page.goto(f"{live_server.url}/ar/offices/log/")
        page.get_by_test_id("offline-review-link").click()
        page.locator('[data-testid="review-conflicts"] a').first.click()
        # Saving without a choice for the field changed on both sides keeps the page, with the choice made kept.
        page.locator('input[name="sex"][value="device"]').check()
        page.locator('form button[type="submit"]').last.click()
        assert page.locator(".text-danger").first.is_visible()
        assert page.locator('input[name="sex"][value="device"]').is_checked()
        _shot(page, "conflict-error-ar-390")
        page.locator('input[name="phone"][value="server"]').check()
        page.locator('form button[type="submit"]').last.click()
        page.wait_for_url("**/ar/offices/offline/review/")
        awa.refresh_from_db()
        assert (awa.phone, awa.sex, awa.version) == ("+221 70 000 00 00", "female", 3)  # nothing lost

        page.locator('[data-testid="review-duplicates"] a').first.click()
        assert "Home visit in the village" in page.get_by_test_id("new-record").inner_text()
        assert "Asked about a work visa" in page.get_by_test_id("existing-record").inner_text()
        _shot(page, "duplicate-ar-390")
        page.locator('input[name="decision"][value="same"]').check()
        page.locator('form button[type="submit"]').last.click()
        page.wait_for_url("**/ar/offices/offline/review/")
        assert set(Contact.objects.filter(person=youssef).values_list("summary", flat=True)) == {
            "Asked about a work visa",
            "Home visit in the village",
        }
        assert Person.objects.get(name_arabic="يوسف العمراني", merged_into__isnull=False).merged_into_id == youssef.pk
        assert page.get_by_test_id("offline-review-link").count() == 1  # the list page itself keeps its tab
        _shot(page, "list-done-ar-390")
    finally:
        context.close()
