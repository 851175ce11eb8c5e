"""Rules of the offices app, at the service layer."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.offices import selectors, services
from apps.offices.crypto import decrypt_notes
from apps.offices.models import Contact, Person, Referral
from tests.factories import OrganisationFactory
from tests.factories.offices import ContactFactory, PersonFactory, ReferralFactory
from tests.factories.returns import ReturnPlanFactory

pytestmark = pytest.mark.django_db


def _log(person, actor, **kwargs):
    data = {"channel": "walk_in", "topics": ["pre_departure"], "summary": "Asked about visas"}
    data.update(kwargs)
    return services.contact_log(person=person, actor=actor, **data)


def test_a_counsellor_creates_a_person_and_becomes_their_counsellor(office, staff):
    person = services.person_create(office=office, actor=staff, name_latin="Mamadou Sow", birth_year=1994)
    assert person.counsellor == staff
    assert person.search_name == "mamadou sow"
    assert AuditEvent.objects.filter(action="offices.person.create", object_id=str(person.pk)).exists()


def test_a_person_needs_a_name_in_one_script(office, staff):
    with pytest.raises(ValidationError) as error:
        services.person_create(office=office, actor=staff, name_latin="", name_arabic="")
    assert "name_latin" in error.value.message_dict


def test_a_person_cannot_be_created_in_another_office(other_office, staff):
    with pytest.raises(Http404):
        services.person_create(office=other_office, actor=staff, name_latin="Awa")


def test_restricted_notes_are_not_plaintext_in_the_database(office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    contact = _log(person, staff, notes="Passport held by the employer")
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes_encrypted FROM offices_contact WHERE id = %s", [contact.pk])
        raw = cursor.fetchone()[0]
    assert "Passport" not in raw
    assert raw.startswith("gAAAA")  # a Fernet token
    assert decrypt_notes(raw) == "Passport held by the employer"


def test_a_one_megabyte_note_is_refused_with_a_clear_error_and_nothing_saved(office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    with pytest.raises(ValidationError) as error:
        _log(person, staff, notes="x" * 1_000_000)
    assert "notes" in error.value.message_dict
    assert not Contact.objects.exists()


def test_bidi_control_characters_in_notes_or_summary_are_refused(office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    with pytest.raises(ValidationError) as error:
        _log(person, staff, notes="hidden \u202e text")
    assert "notes" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _log(person, staff, summary="evil \u202e summary")
    assert "summary" in error.value.message_dict


def test_a_topic_outside_the_list_is_refused(office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    with pytest.raises(ValidationError) as error:
        _log(person, staff, topics=["astrology"])
    assert "topics" in error.value.message_dict


def test_a_follow_up_date_in_the_past_is_refused(office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    with pytest.raises(ValidationError) as error:
        _log(person, staff, follow_up_due=timezone.localdate() - dt.timedelta(days=1), follow_up_assignee=staff)
    assert "follow_up_due" in error.value.message_dict


def test_a_follow_up_assignee_outside_the_office_is_refused(office, staff, outsider):
    person = PersonFactory(office=office, counsellor=staff)
    with pytest.raises(ValidationError) as error:
        _log(person, staff, follow_up_due=timezone.localdate(), follow_up_assignee=outsider)
    assert "follow_up_assignee" in error.value.message_dict


def test_a_family_report_needs_the_relationship(office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    with pytest.raises(ValidationError) as error:
        _log(person, staff, channel="family_report")
    assert "family_relationship" in error.value.message_dict
    contact = _log(person, staff, channel="family_report", family_relationship="mother")
    assert contact.family_relationship == "mother"


def test_a_person_of_another_office_is_not_found(other_office, staff):
    person = PersonFactory(office=other_office)
    with pytest.raises(Http404):
        _log(person, staff)


def test_a_referral_needs_the_persons_consent(office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    partner = OrganisationFactory(type="ngo")
    with pytest.raises(ValidationError) as error:
        services.referral_create(
            person=person, actor=staff, organisation=partner, reason="Training", consent_given=False
        )
    assert "consent_given" in error.value.message_dict
    referral = services.referral_create(
        person=person, actor=staff, organisation=partner, reason="Training", consent_given=True
    )
    assert referral.status == Referral.Status.SENT and referral.consent_recorded_at is not None


def test_the_receiving_organisation_moves_a_referral_through_its_states(office, staff):
    from apps.core.roles import Role
    from tests.factories import user_with_role

    referral = ReferralFactory(person=PersonFactory(office=office))
    receiver = user_with_role(Role.FOCAL_POINT, organisation=referral.organisation)
    services.referral_set_status(referral=referral, actor=receiver, status="accepted")
    with pytest.raises(ValidationError):
        services.referral_set_status(referral=referral, actor=receiver, status="sent")
    services.referral_set_status(referral=referral, actor=receiver, status="completed")
    assert Referral.objects.get(pk=referral.pk).status == "completed"
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.referral_set_status(referral=referral, actor=staff, status="declined")


def test_duplicates_are_found_by_phone_email_or_similar_name_and_birth_year(office, other_office):
    same_phone = PersonFactory(office=office, name_latin="Ibrahima Diallo", phone="+221770000001")
    same_mail = PersonFactory(office=office, name_latin="Awa Ndiaye", email="awa@example.org")
    similar = PersonFactory(office=office, name_latin="Mohammed Ould Ahmed", birth_year=1988)
    PersonFactory(office=office, name_latin="Mohamed Ould Ahmed", birth_year=1970)  # other birth year
    PersonFactory(office=other_office, name_latin="Mohamed Ould Ahmed", birth_year=1988)  # other office

    assert selectors.person_duplicates(office=office, phone="+221770000001") == [same_phone]
    assert selectors.person_duplicates(office=office, email="AWA@example.org") == [same_mail]
    assert selectors.person_duplicates(office=office, name_latin="Mohamed Ould Ahmed", birth_year=1988) == [similar]
    assert selectors.person_duplicates(office=office, name_latin="Fatou Sarr", birth_year=1988) == []


def test_an_arabic_spelling_finds_the_latin_record_with_accents_ignored(office):
    latin = PersonFactory(office=office, name_latin="Karim Bénali", birth_year=1980)
    found = selectors.person_duplicates(office=office, name_latin="Karim Benali", birth_year=1980)
    assert found == [latin]
    arabic = PersonFactory(office=office, name_latin="", name_arabic="كريم بنعلي", birth_year=1980)
    assert arabic in selectors.person_duplicates(office=office, name_arabic="كَرِيم بنعلي", birth_year=1980)


def test_a_merge_keeps_both_histories_and_is_audited(office, staff):
    keep = PersonFactory(office=office, counsellor=staff, name_latin="Mamadou Sow")
    duplicate = PersonFactory(office=office, counsellor=staff, name_latin="Mamadou Sow", phone="+221 77")
    ContactFactory(person=keep, staff=staff)
    ContactFactory(person=duplicate, staff=staff)
    ReferralFactory(person=duplicate)
    plan = ReturnPlanFactory(desk=office.organisation, person=duplicate)
    services.person_merge(keep=keep, duplicate=duplicate, actor=staff)
    assert Contact.objects.filter(person=keep).count() == 2
    assert Referral.objects.filter(person=keep).count() == 1
    plan.refresh_from_db()
    assert plan.person == keep
    duplicate.refresh_from_db()
    keep.refresh_from_db()
    assert duplicate.merged_into == keep
    assert keep.phone == "+221 77"
    event = AuditEvent.objects.get(action="offices.person.merge")
    assert event.extra["merged"] == duplicate.pk and event.extra["contacts"] == 1
    assert duplicate not in selectors.person_list(user=staff)


def test_a_merged_record_cannot_receive_new_contacts(office, staff):
    keep = PersonFactory(office=office, counsellor=staff)
    duplicate = PersonFactory(office=office, counsellor=staff)
    services.person_merge(keep=keep, duplicate=duplicate, actor=staff)
    duplicate.refresh_from_db()
    with pytest.raises(ValidationError):
        _log(duplicate, staff)


def test_reading_a_person_writes_an_audit_row(office, staff):
    person = PersonFactory(office=office)
    selectors.person_get(user=staff, pk=person.pk)
    assert (
        AuditEvent.objects.filter(action="offices.person.read", object_id=str(person.pk), actor_id=staff.pk).count()
        == 1
    )


def test_my_follow_ups_put_overdue_items_first(office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    today = timezone.localdate()
    later = ContactFactory(person=person, follow_up_due=today + dt.timedelta(days=3), follow_up_assignee=staff)
    overdue = ContactFactory(person=person, follow_up_due=today - dt.timedelta(days=2), follow_up_assignee=staff)
    ContactFactory(person=person, follow_up_due=today - dt.timedelta(days=5), follow_up_assignee=staff,
                   follow_up_done_at=timezone.now())  # fmt: skip
    assert list(selectors.follow_ups_of(user=staff)) == [overdue, later]


def test_a_manager_sees_the_offices_overdue_items_and_a_counsellor_does_not(office, staff, boss, other_office):
    person = PersonFactory(office=office, counsellor=staff)
    today = timezone.localdate()
    overdue = ContactFactory(person=person, follow_up_due=today - dt.timedelta(days=1), follow_up_assignee=staff)
    ContactFactory(person=person, follow_up_due=today + dt.timedelta(days=1), follow_up_assignee=staff)
    ContactFactory(person=PersonFactory(office=other_office), follow_up_due=today - dt.timedelta(days=1),
                   follow_up_assignee=staff)  # fmt: skip
    assert list(selectors.office_overdue_follow_ups(user=boss)) == [overdue]
    assert list(selectors.office_overdue_follow_ups(user=staff)) == []


def test_the_dashboard_counts_contacts_by_week_channel_topic_and_referrals(office):
    person = PersonFactory(office=office)
    ContactFactory(person=person, channel="hotline", topics=["remittances", "investment"])
    ContactFactory(person=person, channel="hotline", topics=["remittances"])
    ContactFactory(person=PersonFactory(), channel="hotline")  # another office
    ReferralFactory(person=person)
    data = selectors.office_dashboard(office=office)
    assert sum(r["count"] for r in data["by_channel"] if r["channel"] == "hotline") == 2
    topics = {r["topic"]: r["count"] for r in data["by_topic"]}
    assert topics == {"remittances": 2, "investment": 1}
    assert data["referrals"] == [{"status": "sent", "count": 1}]


def test_quick_log_creates_the_person_and_the_contact_in_one_step(office, staff):
    contact = services.contact_quick_log(
        office=office,
        actor=staff,
        new_person={"name_latin": "Awa Sy", "birth_year": 2001},
        channel="hotline",
        topics=["rights_protection"],
        summary="Called from Libya",
    )
    assert Person.objects.get(pk=contact.person_id).name_latin == "Awa Sy"
