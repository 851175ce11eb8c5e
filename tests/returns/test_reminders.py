import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.core.roles import Role
from apps.returns.services import stale_sheet_reminders_send
from apps.returns.tasks import remind_stale_sheets
from tests.factories import user_with_role
from tests.factories.returns import InfoSheetFactory
from tests.notifications import notifications_deliver

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def stale_sheet(**kwargs):
    return InfoSheetFactory(reviewed_on=TODAY - datetime.timedelta(days=400), review_interval_months=12, **kwargs)


def test_each_editor_gets_one_reminder_a_week_in_their_language():
    english = user_with_role(Role.CONTENT_EDITOR, preferred_language="en")
    arabic = user_with_role(Role.CONTENT_EDITOR, preferred_language="ar")
    user_with_role(Role.OFFICE_STAFF)  # not an editor
    sheet = stale_sheet()
    InfoSheetFactory(reviewed_on=TODAY)  # fresh
    assert stale_sheet_reminders_send(today=TODAY) == 2
    assert stale_sheet_reminders_send(today=TODAY + datetime.timedelta(days=2)) == 0  # same week
    by_recipient = {message.to[0]: message for message in notifications_deliver()}
    assert set(by_recipient) == {english.email, arabic.email}
    assert "1 information sheet is due for review" == by_recipient[english.email].subject
    assert sheet.title_en in by_recipient[english.email].body
    assert sheet.title_ar in by_recipient[arabic.email].body
    assert "information sheet" not in by_recipient[arabic.email].subject


def test_the_next_week_reminds_again_while_the_sheet_is_still_stale():
    user_with_role(Role.CONTENT_EDITOR)
    stale_sheet()
    stale_sheet_reminders_send(today=TODAY)
    assert stale_sheet_reminders_send(today=TODAY + datetime.timedelta(days=7)) == 1


def test_no_reminder_when_nothing_is_stale():
    user_with_role(Role.CONTENT_EDITOR)
    InfoSheetFactory(reviewed_on=timezone.localdate())
    assert remind_stale_sheets() == 0
    assert notifications_deliver() == []


def test_a_run_that_finds_the_lock_taken_does_nothing():
    user_with_role(Role.CONTENT_EDITOR)
    stale_sheet()
    cache.add("returns:stale-sheets:lock", "other", timeout=60)
    assert stale_sheet_reminders_send(today=TODAY) == 0
    cache.delete("returns:stale-sheets:lock")
    assert stale_sheet_reminders_send(today=TODAY) == 1


def test_a_failed_send_is_retried_by_the_next_run(monkeypatch):
    user_with_role(Role.CONTENT_EDITOR)
    stale_sheet()
    from apps.returns import notifications

    def broken(**kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(notifications, "send_stale_sheet_reminder", broken)
    with pytest.raises(OSError):
        stale_sheet_reminders_send(today=TODAY)
    monkeypatch.undo()
    assert stale_sheet_reminders_send(today=TODAY) == 1


def test_the_task_is_scheduled_weekly():
    from apps.returns.schedule import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["returns-remind-stale-sheets"]
    assert entry["task"] == remind_stale_sheets.name
    assert entry["schedule"].day_of_week == {1}
