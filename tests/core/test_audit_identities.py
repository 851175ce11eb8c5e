"""The audit log names people only through pseudonyms that erasure blanks; the log itself is never rewritten."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from apps.accounts.services import membership_grant
from apps.core.audit import audit_identity, audit_record
from apps.core.models import AuditEvent, AuditIdentity
from apps.core.roles import Role
from apps.skills.models import ConsentPurpose
from apps.skills.services import consent_give, member_erase
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.skills import ProfileFactory, member

pytestmark = pytest.mark.django_db

EMAIL = "amina.tall@example.org"
NAMES = ("Amina", "Tall", "أمينة")


def the_log_as_text() -> str:
    """Every column of every audit row, with the labels its pseudonyms show today."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT row_to_json(event)::text || coalesce(actor.label, '') || coalesce(subject.label, '')
            FROM core_auditevent AS event
            LEFT JOIN core_auditidentity AS actor ON actor.id = event.actor_identity_id
            LEFT JOIN core_auditidentity AS subject ON subject.id = event.subject_identity_id
            """
        )
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def amina(client):
    user = member(email=EMAIL, full_name="Amina Tall")
    profile = ProfileFactory(user=user, first_name="Amina", last_name="Tall", first_name_ar="أمينة")
    consent_give(profile=profile, purpose=ConsentPurpose.LISTED, method="wizard")
    client.force_login(user)
    assert client.get(reverse("skills:my-data-export")).status_code == 200  # her own read, audited
    staff = UserFactory(email="counsellor@example.org")
    membership_grant(user=user, role=Role.FOCAL_POINT, organisation=OrganisationFactory(), actor=staff)
    audit_record(actor=staff, action="profile.read", obj=profile, subject=user, request=None)
    return user


def test_before_erasure_the_log_can_say_who_acted_and_whom_it_concerned(amina):
    assert EMAIL in the_log_as_text()
    event = AuditEvent.objects.filter(action="profile.read").get()
    assert str(event.subject_identity) == EMAIL
    assert event.actor_name == "counsellor@example.org"
    assert event.actor_label == ""  # the row itself names nobody, even now


def test_no_audit_row_names_an_erased_member_and_no_row_is_rewritten_or_lost(amina):
    before = list(AuditEvent.objects.order_by("id").values_list("id", "action", "summary", "actor_identity_id"))
    member_erase(user=amina)
    after = list(AuditEvent.objects.order_by("id").values_list("id", "action", "summary", "actor_identity_id"))
    assert after[: len(before)] == before  # the same rows, untouched
    assert after[-1][1] == "profile.erase"
    text = the_log_as_text()
    for personal in (EMAIL, *NAMES):
        assert personal not in text
    identity = AuditIdentity.objects.get(user_id=amina.pk)
    assert identity.label == "" and identity.erased_at is not None
    assert all(event.actor_name.endswith("(erased)") for event in AuditEvent.objects.filter(actor_id=amina.pk))
    # her events still belong to one pseudonym: what she did can still be counted, not named
    assert (
        AuditEvent.objects.filter(actor_identity=identity).count()
        == AuditEvent.objects.filter(actor_id=amina.pk).count()
    )


def test_the_log_stays_append_only_and_an_erased_pseudonym_is_never_named_again(amina):
    member_erase(user=amina)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(actor_id=amina.pk).update(summary="rewritten")
    amina.refresh_from_db()
    audit_record(actor=amina, action="test.after_erasure", subject=amina)
    assert AuditIdentity.objects.get(user_id=amina.pk).label == ""


def test_a_pseudonym_follows_a_change_of_address_until_erasure():
    user = UserFactory(email="old@example.org")
    audit_record(actor=user, action="test.write")
    user.email = "new@example.org"
    user.save()
    audit_record(actor=user, action="test.write")
    assert audit_identity(user).label == "new@example.org"
    assert AuditIdentity.objects.filter(user_id=user.pk).count() == 1


def test_an_actor_with_a_current_pseudonym_is_recorded_in_one_statement():
    """The usual event (a known actor, no subject) reads nothing first: one INSERT finds the pseudonym."""
    from django.test.utils import CaptureQueriesContext

    user = UserFactory(email="counsellor@example.org")
    audit_record(actor=user, action="test.first")  # makes the pseudonym
    with CaptureQueriesContext(connection) as ctx:
        event = audit_record(actor=user, action="test.second", object_type="x", object_id=7, extra={"n": 1})
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["INSERT"]
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.object_id, stored.extra) == ("test.second", "7", {"n": 1})
    assert stored.actor_id == user.pk
    assert stored.actor_identity_id == event.actor_identity_id == audit_identity(user).pk


def test_the_one_statement_path_gives_way_to_a_new_actor_a_new_label_and_an_erased_actor(amina):
    newcomer = UserFactory(email="newcomer@example.org")
    event = audit_record(actor=newcomer, action="test.first")  # no pseudonym yet: made, then used
    assert AuditEvent.objects.get(pk=event.pk).actor_identity.label == "newcomer@example.org"
    newcomer.email = "renamed@example.org"
    newcomer.save()
    audit_record(actor=newcomer, action="test.renamed")  # the label is out of date: brought up to date
    assert AuditIdentity.objects.get(user_id=newcomer.pk).label == "renamed@example.org"
    assert AuditEvent.objects.filter(actor_identity__user_id=newcomer.pk).count() == 2
    member_erase(user=amina)
    amina.refresh_from_db()
    event = audit_record(actor=amina, action="test.after_erasure")
    assert AuditEvent.objects.get(pk=event.pk).actor_identity.label == ""
