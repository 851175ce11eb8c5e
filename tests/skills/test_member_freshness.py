"""Freshness: yearly confirmation reminders (signed one-click link), staleness after three, completeness."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from apps.skills.models import DiasporaProfile
from apps.skills.selectors import profile_is_stale, stale_q, with_freshness
from apps.skills.services.profiles import REMINDER_LOCK_KEY, confirmation_token_make
from apps.skills.tasks import send_confirmation_reminders
from tests.factories.skills import ProfileFactory, member
from tests.notifications import notifications_deliver

pytestmark = pytest.mark.django_db


def old_profile(days: int = 400, **kwargs) -> DiasporaProfile:
    profile = ProfileFactory(**kwargs)
    DiasporaProfile.objects.filter(pk=profile.pk).update(created_at=timezone.now() - timedelta(days=days))
    profile.refresh_from_db()
    return profile


@pytest.fixture(autouse=True)
def _no_lock():
    cache.delete(REMINDER_LOCK_KEY)
    yield
    cache.delete(REMINDER_LOCK_KEY)


def test_members_unconfirmed_for_a_year_get_a_reminder_in_their_language():
    profile = old_profile(user=member(preferred_language="fr"))
    ProfileFactory()  # new: no reminder
    recent = old_profile()
    DiasporaProfile.objects.filter(pk=recent.pk).update(last_confirmed_at=timezone.now() - timedelta(days=20))

    assert send_confirmation_reminders() == 1
    assert len(notifications_deliver()) == 1
    message = notifications_deliver()[0]
    assert message.to == [profile.user.email]
    assert message.subject == "Votre profil de compétences est-il toujours exact ?"
    assert "/fr/skills/confirm/" in message.body and "/fr/skills/me/" in message.body
    profile.refresh_from_db()
    assert profile.confirmation_reminders_sent == 1 and profile.last_reminder_at is not None


def test_running_the_task_twice_sends_one_reminder_per_30_days():
    profile = old_profile()
    send_confirmation_reminders()
    assert send_confirmation_reminders() == 0
    assert len(notifications_deliver()) == 1
    DiasporaProfile.objects.filter(pk=profile.pk).update(last_reminder_at=timezone.now() - timedelta(days=31))
    assert send_confirmation_reminders() == 1


def test_the_task_does_nothing_while_another_run_holds_the_redis_lock():
    old_profile()
    assert cache.add(REMINDER_LOCK_KEY, "another-run", timeout=60)
    assert send_confirmation_reminders() is None
    assert notifications_deliver() == []
    assert cache.get(REMINDER_LOCK_KEY) == "another-run"


def test_the_lock_is_released_after_a_run():
    old_profile()
    send_confirmation_reminders()
    assert cache.get(REMINDER_LOCK_KEY) is None


def test_after_three_reminders_the_profile_is_stale_and_no_more_are_sent():
    profile = old_profile()
    for _ in range(3):
        DiasporaProfile.objects.filter(pk=profile.pk).update(last_reminder_at=timezone.now() - timedelta(days=31))
        assert send_confirmation_reminders() == 1
    DiasporaProfile.objects.filter(pk=profile.pk).update(last_reminder_at=timezone.now() - timedelta(days=31))
    assert send_confirmation_reminders() == 0
    profile.refresh_from_db()
    assert profile_is_stale(profile)
    assert list(with_freshness(DiasporaProfile.objects.all()).filter(stale_q()).values_list("pk", flat=True)) == [
        profile.pk
    ]


def test_the_signed_link_confirms_in_one_click_and_starts_over(client):
    profile = old_profile()
    DiasporaProfile.objects.filter(pk=profile.pk).update(confirmation_reminders_sent=3)
    profile.refresh_from_db()
    assert profile_is_stale(profile)
    token = confirmation_token_make(profile=profile)
    response = client.get(reverse("skills:confirm", kwargs={"token": token}))
    assert response.status_code == 200
    profile.refresh_from_db()
    assert profile.confirmation_reminders_sent == 0
    assert profile.last_confirmed_at > timezone.now() - timedelta(minutes=1)
    assert not profile_is_stale(profile)


def test_the_link_from_the_email_works(client):
    profile = old_profile()
    send_confirmation_reminders()
    path = re.search(r"https?://[^/\s]+(/\S*skills/confirm/\S+/)", notifications_deliver()[0].body).group(1)
    client.get(path)
    profile.refresh_from_db()
    assert profile.last_confirmed_at is not None


def test_a_forged_or_expired_link_confirms_nothing(client):
    profile = old_profile()
    token = confirmation_token_make(profile=profile)
    assert client.get(reverse("skills:confirm", kwargs={"token": token[:-2] + "xx"})).status_code == 400
    from django.core import signing

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("time.time", lambda: 0)
        old_token = signing.dumps({"p": profile.pk}, salt="skills.profile-confirm", compress=True)
    assert client.get(reverse("skills:confirm", kwargs={"token": old_token})).status_code == 400
    profile.refresh_from_db()
    assert profile.last_confirmed_at is None


def test_the_member_confirms_from_the_profile_page(client):
    profile = old_profile()
    client.force_login(profile.user)
    client.post(reverse("skills:profile-confirm"))
    profile.refresh_from_db()
    assert profile.last_confirmed_at is not None


def test_erased_and_inactive_members_get_no_reminder():
    from apps.skills.services import member_erase

    member_erase(user=old_profile().user)
    assert send_confirmation_reminders() == 0


def test_the_task_is_scheduled_daily():
    from apps.skills.schedule import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["skills-confirmation-reminders"]
    assert entry["task"] == send_confirmation_reminders.name
