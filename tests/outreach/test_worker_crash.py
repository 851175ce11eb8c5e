"""A real worker killed (SIGKILL) in the middle of a claim batch: the only message that may go twice is the one
whose SMTP transaction was in flight, and the rows it held are back in the queue as soon as its heartbeat stops."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from apps.outreach import services
from apps.outreach.models import Campaign, Delivery, SentMark
from apps.outreach.sending import deliveries_recover
from tests.conftest import ARTIFACTS, ROOT, _test_database_url
from tests.factories.outreach import CampaignFactory, member

from .conftest import free_port

pytestmark = pytest.mark.django_db(transaction=True)

DEAD_SECONDS = 4


class SlowSink:
    """An SMTP server taking 20 ms per message, so a claim batch of 50 lasts about a second."""

    def __init__(self):
        self.ids: Counter = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        await asyncio.sleep(0.02)
        message = message_from_bytes(envelope.content, policy=default_policy)
        with self.lock:
            self.ids[message["Message-ID"]] += 1
        return "250 OK"

    def total(self) -> int:
        with self.lock:
            return sum(self.ids.values())


def start_worker(name: str, port: int) -> subprocess.Popen:
    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "diaspora_portal.settings.test",
        "DATABASE_URL": _test_database_url(),
        "TEST_RUN_PREFIX": settings.TEST_RUN_PREFIX,
        "OUTREACH_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OUTREACH_EMAIL_HOST": "127.0.0.1",
        "OUTREACH_EMAIL_PORT": str(port),
        "OUTREACH_EMAIL_RATE": "0",
        "OUTREACH_HEARTBEAT_SECONDS": "1",
        "OUTREACH_WORKER_DEAD_SECONDS": str(DEAD_SECONDS),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"celery-{name}.log", "w")  # noqa: SIM115 - the child keeps it
    command = [sys.executable, "-m", "celery", "-A", "diaspora_portal", "worker", "-P", "solo", "-Q", "outreach",
               "-n", f"{name}-{os.getpid()}@%h", "--without-gossip", "--without-mingle", "-l", "info"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_for(condition, timeout=60.0, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


@pytest.fixture
def slow_sink():
    handler = SlowSink()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


@pytest.fixture
def workers():
    from diaspora_portal.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("outreach")
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
    # The killed worker's task stays unacknowledged in the broker (until its visibility timeout): forget it, so
    # that later tests waiting for an idle worker do not wait for it.
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        channel.queue_purge("outreach")
        channel.client.delete(channel.unacked_key, channel.unacked_index_key)
    call_command("load_reference_data", verbosity=0)


def test_a_worker_killed_mid_batch_sends_at_most_one_message_twice_and_its_rows_resume_at_once(slow_sink, workers):
    for index in range(150):
        member(("en", "fr", "ar")[index % 3])
    first = start_worker("crash-a", slow_sink.port)
    workers.append(first)
    campaign = CampaignFactory()
    services.campaign_schedule(actor=campaign.created_by, campaign=campaign)

    # Kill in the middle of a claim batch: some of its messages accepted, others still claimed.
    def mid_batch() -> bool:
        # Accepted messages: recorded (a mark, folded into the rows at the batch's end) or folded already.
        recorded = SentMark.objects.filter(delivery_id__in=Delivery.objects.filter(campaign=campaign).values("id"))
        sent = Delivery.objects.filter(campaign=campaign, state="sent").count() + recorded.count()
        return sent >= 20 and sent % 50 not in (0, 49) and Delivery.objects.filter(state="sending").exists()

    assert wait_for(mid_batch, timeout=90, step=0.01), "the worker never started sending"
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(10)
    killed_at = time.monotonic()
    held = list(Delivery.objects.filter(campaign=campaign, state="sending").values_list("id", flat=True))
    assert held, "the worker was killed between batches, not in one"

    workers.append(start_worker("crash-b", slow_sink.port))

    # The sweep (beat's job), every second here: the dead worker's rows come back once its heartbeat is stale.
    def resumed() -> bool:
        deliveries_recover()
        return Delivery.objects.filter(pk__in=held, state="sent").count() == len(held)

    assert wait_for(resumed, timeout=DEAD_SECONDS + 60, step=1.0)
    resumed_after = time.monotonic() - killed_at
    assert wait_for(lambda: Campaign.objects.get(pk=campaign.pk).state == Campaign.State.SENT, timeout=60)

    assert set(Delivery.objects.filter(campaign=campaign).values_list("state", flat=True)) == {"sent"}
    assert len(slow_sink.ids) == 150  # nothing lost
    duplicates = slow_sink.total() - len(slow_sink.ids)
    assert duplicates <= 1, f"{duplicates} messages went twice"
    # Heartbeat stale after DEAD_SECONDS, then the worker's next poll: well inside the 60 s bound.
    assert resumed_after < DEAD_SECONDS + 30
