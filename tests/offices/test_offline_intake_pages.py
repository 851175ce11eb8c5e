"""The offline intake's pages (issue 21): the intake page is for office staff and names no one (the service worker
keeps it), the manifest speaks the page's language, the service worker's scope is the intake and it keeps only the
page and its static files."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from apps.core.roles import Role
from tests.factories import user_with_role
from tests.factories.offices import OfficeFactory, PersonFactory, counsellor

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client():
    office = OfficeFactory()
    user = counsellor(office, full_name="Moussa Ndiaye", preferred_language="fr")
    PersonFactory(office=office, name_latin="Awa Sy Recent", counsellor=user)
    client = Client()
    client.force_login(user)
    return client


def test_the_intake_page_sends_anonymous_visitors_to_sign_in():
    response = Client().get("/fr/offices/offline/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_intake_page_is_refused_to_a_diaspora_member():
    client = Client()
    client.force_login(user_with_role(Role.MEMBER))
    assert client.get("/offices/offline/").status_code == 403


def test_the_intake_page_names_no_one_so_the_worker_may_keep_it(staff_client):
    response = staff_client.get("/fr/offices/offline/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Moussa Ndiaye" not in body and "Awa Sy Recent" not in body
    assert 'lang="fr"' in body and "Saisie hors ligne" in body
    assert response["Cache-Control"] == "no-cache, private"
    messages = json.loads(body.split('id="offline-messages" type="application/json">')[1].split("</script>")[0])
    assert messages["synced"] == "Synchronisé"


def test_the_arabic_manifest_is_right_to_left_and_scoped_to_the_intake():
    response = Client().get("/ar/offices/offline/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["dir"] == "rtl" and manifest["lang"] == "ar"
    assert manifest["scope"] == manifest["start_url"] == "/ar/offices/offline/"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert "hors" not in manifest["name"] and "Offline" not in manifest["name"]


def test_the_worker_is_scoped_to_the_intake_and_keeps_no_api_answer():
    response = Client().get("/fr/offices/offline/worker.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/fr/offices/offline/"
    config = json.loads(response.content.decode().split("self.OFFLINE_CONFIG = ")[1].split(";\n")[0])
    assert config["page"] == "/fr/offices/offline/"
    assert "/fr/offices/offline/manifest.webmanifest" in config["files"]
    assert "/static/offices/offline/intake.js" in config["files"]
    assert not [url for url in config["files"] if "/api/" in url]


def test_the_intake_pages_language_switch_records_the_choice_so_arabic_stays_arabic(staff_client):
    """A link to /ar/… was sent back to the counsellor's French; the portal's switcher records the choice."""
    page = staff_client.get("/fr/offices/offline/").content.decode()
    assert 'action="/i18n/setlang/"' in page and 'value="ar"' in page
    response = staff_client.post("/i18n/setlang/", {"language": "ar", "next": "/fr/offices/offline/"})
    assert response.status_code == 302 and response["Location"] == "/ar/offices/offline/"
    page = staff_client.get("/ar/offices/offline/")
    assert page.status_code == 200 and 'dir="rtl"' in page.content.decode()
