"""Saving a contact from the quick-log is lean: one INSERT … RETURNING of the contact, the person touched, the audit
event (with its actor's pseudonym), and nothing read again that the view already holds — no savepoint of the
service inside the quick-log's transaction, no second read of the office. The rules still hold (see
test_services, test_counsellor_day, test_import); these tests hold the round trips."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User
from apps.core.audit import audit_identity
from apps.core.models import AuditEvent
from apps.core.permissions import active_memberships
from apps.offices import services
from apps.offices.models import Contact, Person
from tests.factories.offices import PersonFactory

pytestmark = pytest.mark.django_db


def as_the_view_holds_them(staff, person):
    """The signed-in user (memberships read by the role check) and the client as the form gives it."""
    actor = User.objects.get(pk=staff.pk)
    active_memberships(actor)
    return actor, Person.objects.get(pk=person.pk)


def statements(ctx) -> list[str]:
    out = []
    for query in ctx.captured_queries:
        verb = query["sql"].split()[0]
        table = re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', query["sql"])
        out.append(f"{verb} {table[1]}" if table else verb)
    return out


def test_a_quick_log_save_is_an_insert_a_touch_and_an_audit_event_nothing_read_again(office, staff):
    person = PersonFactory(office=office)
    audit_identity(staff)  # the actor's pseudonym exists after their first audited act
    actor, client = as_the_view_holds_them(staff, person)
    with CaptureQueriesContext(connection) as ctx:
        contact = services.contact_quick_log(
            office=office, actor=actor, person=client, channel="hotline", topics=["pre_departure"],
            summary="Called about a passport", notes="A restricted note",
        )  # fmt: skip
    # The test runs inside a transaction, so the quick-log's own block is a savepoint here; contact_log adds none.
    assert statements(ctx) == [
        "SAVEPOINT",
        "INSERT offices_contact",
        "UPDATE offices_person",
        "INSERT core_auditevent",  # finds the actor's pseudonym in the same statement
        "RELEASE",
    ]
    assert "RETURNING" in ctx.captured_queries[1]["sql"]
    assert Contact.objects.get(pk=contact.pk).notes_encrypted not in ("", "A restricted note")
    assert AuditEvent.objects.filter(action="offices.contact.log", object_id=str(contact.pk)).count() == 1


def test_a_refused_contact_leaves_the_callers_transaction_usable(office, staff):
    """contact_log keeps its savepoint for callers that go on after a refusal (the import's rows, the API)."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    person = PersonFactory(office=office)
    with transaction.atomic():
        with pytest.raises(ValidationError):
            services.contact_log(person=person, actor=staff, channel="hotline", topics=[], summary="No topic")
        services.contact_log(person=person, actor=staff, channel="hotline", topics=["pre_departure"], summary="Ok")
    assert list(Contact.objects.filter(person=person).values_list("summary", flat=True)) == ["Ok"]


def test_the_quick_log_writes_the_row_that_save_would_write(office, staff):
    """insert_new (the quick-log's one-statement INSERT) and Model.save() write the same columns and values."""
    from django.forms.models import model_to_dict

    from apps.core.inserts import insert_new

    person = PersonFactory(office=office)
    common = dict(
        office=office, person=person, channel="family", family_relationship="Sister", reporter_name="Awa",
        reporter_phone="+221770000000", reporter_may_call_back=True, occurred_at=timezone.now(), staff=staff,
        topics=["pre_departure", "documents"], summary="Called", notes_encrypted="token", outcome="Referred",
        follow_up_due=timezone.localdate(), follow_up_assignee=staff,
    )  # fmt: skip
    saved, inserted = Contact(**common), Contact(**common)
    saved.save()
    insert_new(inserted)
    assert inserted.pk and inserted.pk != saved.pk and not inserted._state.adding
    read = [model_to_dict(Contact.objects.get(pk=c.pk), exclude=["id"]) for c in (saved, inserted)]
    assert read[0] == read[1]
    stored = Contact.objects.get(pk=inserted.pk)
    assert stored.created_at is not None and stored.created_at == inserted.created_at  # auto_now_add, as save()
    with pytest.raises(ValueError):
        insert_new(inserted)  # not new any more
