import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.core.roles import Role
from apps.returns.models import EventEvaluation, EventRegistration
from apps.returns.services import (
    event_attendance_record,
    event_evaluation_requests_send,
    event_evaluation_submit,
    event_register,
    event_registration_cancel,
    event_update,
)
from tests.factories import user_with_role
from tests.factories.returns import EventFactory, EventRegistrationFactory
from tests.notifications import notifications_deliver

pytestmark = pytest.mark.django_db


def members(n):
    return [user_with_role(Role.MEMBER) for _ in range(n)]


def test_a_full_event_puts_the_next_member_on_the_waiting_list():
    event = EventFactory(capacity=2)
    first, second, third = members(3)
    assert event_register(event=event, user=first).status == "registered"
    assert event_register(event=event, user=second).status == "registered"
    assert event_register(event=event, user=third).status == "waitlisted"


def test_registering_twice_is_refused_with_a_clear_message_and_one_registration(member):
    event = EventFactory()
    event_register(event=event, user=member)
    with pytest.raises(ValidationError) as caught:
        event_register(event=event, user=member)
    assert caught.value.messages == ["You are already registered for this event."]
    assert EventRegistration.objects.filter(event=event, user=member).count() == 1


def test_cancelling_a_place_gives_it_to_the_first_on_the_waiting_list():
    event = EventFactory(capacity=1)
    first, second, third = members(3)
    registration = event_register(event=event, user=first)
    event_register(event=event, user=second)
    event_register(event=event, user=third)
    event_registration_cancel(registration=registration, actor=first)
    statuses = dict(EventRegistration.objects.filter(event=event).values_list("user_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "registered", third.pk: "waitlisted"}


def test_a_member_who_cancelled_may_register_again_at_the_end_of_the_queue(member):
    event = EventFactory(capacity=1)
    registration = event_register(event=event, user=member)
    event_registration_cancel(registration=registration, actor=member)
    (other,) = members(1)
    event_register(event=event, user=other)
    assert event_register(event=event, user=member).status == "waitlisted"


def test_capacity_below_current_registrations_is_refused(editor):
    event = EventFactory(capacity=3)
    for user in members(3):
        event_register(event=event, user=user)
    with pytest.raises(ValidationError) as caught:
        event_update(event=event, actor=editor, data={"capacity": 2})
    assert "capacity" in caught.value.message_dict
    event.refresh_from_db()
    assert event.capacity == 3


def test_raising_the_capacity_admits_people_from_the_waiting_list(editor):
    event = EventFactory(capacity=1)
    for user in members(3):
        event_register(event=event, user=user)
    event_update(event=event, actor=editor, data={"capacity": 2})
    assert event.registrations.filter(status="registered").count() == 2


def test_only_members_register_and_not_for_drafts_or_past_events(member, staff):
    with pytest.raises(PermissionDenied):
        event_register(event=EventFactory(), user=staff)
    with pytest.raises(ValidationError):
        event_register(event=EventFactory(status="draft"), user=member)
    past = EventFactory(starts_at=timezone.now() - datetime.timedelta(days=2))
    with pytest.raises(ValidationError):
        event_register(event=past, user=member)


def ended_event_with_attendee(editor, member):
    event = EventFactory(starts_at=timezone.now() - datetime.timedelta(days=1))
    registration = EventRegistrationFactory(event=event, user=member)
    absent = EventRegistrationFactory(event=event)
    event_attendance_record(event=event, actor=editor, attended_ids={registration.pk})
    registration.refresh_from_db()
    absent.refresh_from_db()
    return event, registration, absent


def test_attendance_marks_who_came_and_who_did_not(editor, member):
    _event, registration, absent = ended_event_with_attendee(editor, member)
    assert registration.attended is True and absent.attended is False


def test_attendees_evaluate_once_after_the_event(editor, member):
    _event, registration, absent = ended_event_with_attendee(editor, member)
    event_evaluation_submit(registration=registration, actor=member, rating=4, would_recommend=True)
    with pytest.raises(ValidationError):
        event_evaluation_submit(registration=registration, actor=member, rating=5, would_recommend=True)
    with pytest.raises(PermissionDenied):
        event_evaluation_submit(registration=absent, actor=absent.user, rating=1, would_recommend=False)
    assert EventEvaluation.objects.count() == 1


def test_the_evaluation_form_is_sent_once_to_attendees_in_their_language(editor):
    member = user_with_role(Role.MEMBER, preferred_language="fr")
    event, _registration, _absent = ended_event_with_attendee(editor, member)
    event.ends_at = timezone.now() - datetime.timedelta(hours=1)
    event.save()
    assert event_evaluation_requests_send() == 1
    assert event_evaluation_requests_send() == 0
    assert notifications_deliver()[0].to == [member.email]
    assert event.title_fr in notifications_deliver()[0].subject
    assert "/fr/returns/events/" in notifications_deliver()[0].body


def test_a_member_registers_on_the_page_and_sees_the_waiting_list_message(client):
    event = EventFactory(capacity=1)
    first, second = members(2)
    client.force_login(first)
    client.post(reverse("returns:event-register", args=[event.pk]))
    client.force_login(second)
    response = client.post(reverse("returns:event-register", args=[event.pk]), follow=True)
    assert "waiting list" in response.content.decode()
    response = client.post(reverse("returns:event-register", args=[event.pk]), follow=True)
    assert "You are already registered for this event." in response.content.decode()


def test_results_per_event_show_the_answers(client, editor, member):
    event, registration, _absent = ended_event_with_attendee(editor, member)
    event_evaluation_submit(registration=registration, actor=member, rating=5, would_recommend=True, comment="Great")
    client.force_login(editor)
    html = client.get(reverse("returns:editor-event-registrations", args=[event.pk])).content.decode()
    assert "Great" in html and "5.0 / 5" in html


def test_the_evaluation_page_saves_the_answers(client, editor, member):
    event, registration, _absent = ended_event_with_attendee(editor, member)
    client.force_login(member)
    url = reverse("returns:event-evaluate", args=[event.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"rating": "4", "would_recommend": "yes", "comment": ""})
    assert response.status_code == 302
    assert registration.evaluation.rating == 4 and registration.evaluation.would_recommend is True


def test_publishing_an_event_without_an_arabic_text_asks_the_editor_first(client):
    from apps.returns.models import Event

    editor = user_with_role(Role.CONTENT_EDITOR)
    event = EventFactory(status=Event.Status.DRAFT, description_en="Meet employers.", description_fr="Rencontres.")
    client.force_login(editor)
    page = client.get(f"/returns/events/{event.pk}/").content.decode()
    assert 'data-testid="missing-languages"' in page and "Arabic" in page
    client.post(f"/returns/editor/events/{event.pk}/publish/")
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT
    client.post(f"/returns/editor/events/{event.pk}/publish/", {"publish_incomplete": "1"})
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
