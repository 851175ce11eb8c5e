"""The daily follow-up digest: one e-mail per counsellor and day, in their language, through a real worker."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.offices.digest import follow_up_digests_send
from apps.offices.models import DigestSent
from apps.offices.tasks import send_follow_up_digests
from tests.factories.offices import ContactFactory, PersonFactory, counsellor
from tests.notifications import notifications_deliver


@pytest.fixture(scope="module", autouse=True)
def _reference_data_after_module(django_db_blocker):
    """The last transactional test's flush runs after the shared per-test reload; reload once more afterwards so
    the tests that follow still find the countries."""
    yield
    import os

    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.mark.django_db
def test_each_counsellor_gets_one_digest_in_their_language_and_a_rerun_sends_nothing(office):
    today = timezone.localdate()
    french = counsellor(office, preferred_language="fr")
    arabic = counsellor(office, preferred_language="ar")
    idle = counsellor(office)
    person = PersonFactory(office=office, name_latin="Mamadou Sow")
    ContactFactory(person=person, follow_up_due=today - dt.timedelta(days=2), follow_up_assignee=french,
                   notes="secret notes")  # fmt: skip
    ContactFactory(person=person, follow_up_due=today, follow_up_assignee=french)
    ContactFactory(person=person, follow_up_due=today + dt.timedelta(days=3), follow_up_assignee=idle)
    ContactFactory(person=person, follow_up_due=today, follow_up_assignee=arabic)

    assert follow_up_digests_send(day=today) == 2
    by_recipient = {m.to[0]: m for m in notifications_deliver()}
    assert set(by_recipient) == {french.email, arabic.email}
    assert "2 suivis" in by_recipient[french.email].subject
    assert "Mamadou Sow" in by_recipient[french.email].body and "en retard" in by_recipient[french.email].body
    assert "secret notes" not in by_recipient[french.email].body
    assert "متابعة" in by_recipient[arabic.email].subject

    assert follow_up_digests_send(day=today) == 0
    assert len(notifications_deliver()) == 2
    assert DigestSent.objects.count() == 2


@pytest.mark.django_db
def test_the_task_skips_when_another_run_holds_the_lock(office):
    today = timezone.localdate()
    ContactFactory(person=PersonFactory(office=office), follow_up_due=today, follow_up_assignee=counsellor(office))
    lock = f"offices:follow-up-digest:{today.isoformat()}"
    cache.add(lock, "running", 60)
    try:
        assert send_follow_up_digests(today.isoformat()) == 0
        assert notifications_deliver() == []
    finally:
        cache.delete(lock)
    assert send_follow_up_digests(today.isoformat()) == 1


@pytest.mark.django_db(transaction=True)
def test_the_digest_task_runs_on_a_real_worker(celery_worker_process):
    import os

    from django.core.management import call_command

    from tests.factories.offices import OfficeFactory

    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115 - see conftest

    office = OfficeFactory()
    today = timezone.localdate()
    user = counsellor(office)
    ContactFactory(person=PersonFactory(office=office), follow_up_due=today, follow_up_assignee=user)
    result = send_follow_up_digests.delay(today.isoformat())
    assert result.get(timeout=30) == 1
    assert DigestSent.objects.filter(user=user, day=today).exists()
