"""Offices managed in the portal: administrators create and edit any office, managers edit their own; the opening
hours are written in each language and the public finder shows them in the page's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from apps.core.models import AuditEvent, Language
from apps.core.roles import Role
from apps.offices.models import Office
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {"name": "Bureau des migrants de Kaolack", "type": "migration_office", "country": "SN",
            "municipality": "Kaolack", "hotline": "+221 33 900 00 00", "email": "kaolack@example.org",
            "opening_hours_en": "Mon–Fri 9:00–17:00", "opening_hours_fr": "Du lundi au vendredi, 9 h – 17 h",
            "opening_hours_ar": "من الاثنين إلى الجمعة، 9:00–17:00", "is_public": "on",
            "languages": [Language.objects.get(code="fr").pk, Language.objects.get(code="wo").pk]}  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture
def admin(db):
    return user_with_role(Role.ADMINISTRATOR)


def test_an_administrator_creates_an_office_with_its_hours_in_three_languages(client, admin):
    client.force_login(admin)
    response = client.post(reverse("offices:office-new"), _form())
    assert response.status_code == 302
    office = Office.objects.get(organisation__name="Bureau des migrants de Kaolack")
    assert (office.opening_hours_fr, office.hotline) == ("Du lundi au vendredi, 9 h – 17 h", "+221 33 900 00 00")
    assert {language.code for language in office.languages.all()} == {"fr", "wo"}
    assert AuditEvent.objects.filter(action="offices.office.create", object_id=str(office.pk)).exists()


def test_bad_input_is_refused_at_the_field_and_what_was_typed_stays(client, admin):
    client.force_login(admin)
    response = client.post(reverse("offices:office-new"), _form(name="", email="not an e-mail", type="castle"))
    assert response.status_code == 200
    assert {"name", "email", "type"} <= set(response.context["form"].errors)
    assert "Kaolack" in response.content.decode()
    assert not Office.objects.filter(municipality="Kaolack").exists()


def test_a_manager_edits_their_own_office_but_not_another_nor_creates_one(client, office, other_office, boss):
    client.force_login(boss)
    url = reverse("offices:office-edit", args=[office.pk])
    response = client.post(url, _form(name=office.name, opening_hours_ar="السبت 9:00–13:00"))
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.opening_hours_ar == "السبت 9:00–13:00" and office.municipality == "Kaolack"
    event = AuditEvent.objects.get(action="offices.office.update")
    assert "opening_hours_ar" in event.extra["fields"]
    assert client.get(reverse("offices:office-edit", args=[other_office.pk])).status_code == 404
    assert client.get(reverse("offices:office-new")).status_code == 403
    body = client.get(reverse("offices:office-manage")).content.decode()
    assert office.name in body and other_office.name not in body


def test_counsellors_and_members_cannot_manage_offices(client, office, staff):
    for user in (staff, user_with_role(Role.MEMBER)):
        client.force_login(user)
        for url in (reverse("offices:office-manage"), reverse("offices:office-new"),
                    reverse("offices:office-edit", args=[office.pk])):  # fmt: skip
            assert client.get(url).status_code == 403


def test_the_finder_shows_the_hours_in_the_pages_language_and_says_when_it_falls_back(client, office):
    office.opening_hours_en, office.opening_hours_fr, office.opening_hours_ar = "Mon–Fri", "Du lundi au vendredi", ""
    office.save()
    for language, expected in (("en", "Mon–Fri"), ("fr", "Du lundi au vendredi")):
        with translation.override(language):
            body = client.get(reverse("offices:finder")).content.decode()
        assert f'data-testid="office-hours">{expected}<' in body
    with translation.override("ar"):
        body = client.get(reverse("offices:finder")).content.decode()
    assert 'lang="en">Mon–Fri' in body  # no Arabic hours: the English ones, named as English


def test_the_office_list_runs_the_same_queries_for_10_and_100_offices(client, admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.offices import OfficeFactory

    client.force_login(admin)
    OfficeFactory.create_batch(10)
    client.get(reverse("offices:office-manage"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("offices:office-manage"))
    OfficeFactory.create_batch(90)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("offices:office-manage")).status_code == 200
    assert len(few) == len(many)


def test_hostile_text_in_the_office_form_is_refused_or_kept_escaped_never_a_crash(client, admin):
    script = '<script>alert("x")</script>'
    hostile = f"{script}'; DROP TABLE offices_office; -- \u202eevil\u200b"
    client.force_login(admin)
    text = {name: hostile for name in ("name", "municipality", "hotline", "opening_hours_en", "opening_hours_fr",
                                      "opening_hours_ar", "address")}  # fmt: skip
    for data in (_form(**text), _form(name="A" * 1_000_000)):
        response = client.post(reverse("offices:office-new"), data)
        assert response.status_code in (200, 302)
        shown = client.get(response["Location"]) if response.status_code == 302 else response
        assert script not in shown.content.decode()
