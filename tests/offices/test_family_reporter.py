"""A contact reported by a family member keeps who reported it, their phone and whether they may be called back."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.offices import services
from apps.offices.importer import contact_log_import, read_rows
from apps.offices.models import Contact
from tests.factories.offices import PersonFactory

pytestmark = pytest.mark.django_db

FAMILY = {"channel": "family_report", "topics": ["rights_protection"], "summary": "His mother has no news"}


def test_the_reporter_is_recorded_as_data_not_in_the_summary(office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    contact = services.contact_log(
        person=person, actor=staff, **FAMILY, family_relationship="mother", reporter_name="Khady Sow",
        reporter_phone="+221 77 000 11 22", reporter_may_call_back=True,
    )  # fmt: skip
    contact.refresh_from_db()
    assert (contact.reporter_name, contact.reporter_phone, contact.call_back_phone) == (
        "Khady Sow", "+221 77 000 11 22", "+221 77 000 11 22",
    )  # fmt: skip


def test_calling_back_needs_the_reporters_phone(office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    with pytest.raises(ValidationError) as error:
        services.contact_log(
            person=person, actor=staff, **FAMILY, family_relationship="mother", reporter_may_call_back=True
        )
    assert "reporter_phone" in error.value.message_dict


def test_another_channel_keeps_no_reporter(office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    contact = services.contact_log(
        person=person, actor=staff, **{**FAMILY, "channel": "walk_in"}, family_relationship="mother",
        reporter_name="Khady Sow", reporter_phone="+221 1", reporter_may_call_back=True,
    )  # fmt: skip
    assert (contact.family_relationship, contact.reporter_name, contact.reporter_phone) == ("", "", "")
    assert contact.reporter_may_call_back is False


def test_the_quick_log_records_the_reporter_and_the_timeline_and_follow_ups_show_the_call_back(client, office, staff):
    client.force_login(staff)
    due = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("offices:quick-log"),
        {"office": office.pk, "name_latin": "Ali Sow", **FAMILY, "family_relationship": "mother",
         "reporter_name": "Khady Sow", "reporter_phone": "+221 77 000 11 22", "reporter_may_call_back": "on",
         "follow_up_due": due.isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.reporter_name == "Khady Sow" and contact.reporter_may_call_back
    assert "Khady" not in contact.summary
    detail = client.get(response["Location"]).content.decode()
    assert 'data-testid="family-reporter"' in detail and "<bdi>Khady Sow</bdi>, <bdi>mother</bdi>" in detail
    assert 'href="tel:+221 77 000 11 22"' in detail
    follow_ups = client.get(reverse("offices:follow-ups")).content.decode()
    assert "call back on" in follow_ups and "+221 77 000 11 22" in follow_ups


def test_the_api_takes_and_gives_the_reporter(office, staff):
    from rest_framework.test import APIClient

    person = PersonFactory(office=office, counsellor=staff)
    api = APIClient()
    api.force_authenticate(staff)
    response = api.post(
        "/api/v1/contacts/",
        {"person": person.pk, **FAMILY, "family_relationship": "brother", "reporter_phone": "+221 1",
         "reporter_may_call_back": True},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201 and response.json()["reporter_phone"] == "+221 1"
    response = api.post(
        "/api/v1/contacts/",
        {"person": person.pk, **FAMILY, "family_relationship": "brother", "reporter_may_call_back": True},
        format="json",
    )
    assert response.status_code == 400 and "reporter_phone" in str(response.json())


def test_the_import_reads_the_reporter_columns(office, staff):
    csv = (
        "date,name_latin,channel,family_relationship,reporter_name,reporter_phone,reporter_may_call_back,topics,summary\n"
        "2026-03-02,Ali Sow,family_report,mother,Khady Sow,+221 1,oui,other,a\n"
        "2026-03-02,Ali Ba,family_report,father,,,peut-être,other,b\n"
    )
    report = contact_log_import(office=office, actor=staff, rows=read_rows("log.csv", csv.encode()), dry_run=False)
    assert [r.ok for r in report.rows] == [True, False]
    assert "reporter_may_call_back" in report.rows[1].errors[0]
    assert Contact.objects.get().call_back_phone == "+221 1"
