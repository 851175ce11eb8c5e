"""Two beat processes against one Redis schedule every periodic job once, and the second takes over when the first dies.

Real processes (``celery beat`` with the portal's settings and scheduler) against the real Redis; the job is sent to a
queue nobody reads, so its length is the number of times the job was scheduled.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest

from tests.conftest import ARTIFACTS, ROOT

pytestmark = pytest.mark.worker

LOCK_TIMEOUT = 6


def _queue_length(name: str) -> int:
    """Jobs waiting in the queue, read from Redis (the broker keeps a queue as a list under the run's prefix)."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.REDIS_URL)
    return client.llen(f"{settings.TEST_RUN_PREFIX}:{name}")


def _start_beat(label: str, env: dict) -> subprocess.Popen:
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"beat-{label}.log", "w")  # noqa: SIM115 - the process owns it until the test ends
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tests.beat_probe", "beat", "-l", "info",
         "--pidfile", "", "-s", str(ARTIFACTS / f"beat-{label}.schedule")],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def _wait_for_growth(queue: str, above: int, seconds: float) -> float:
    """Seconds until the queue holds more than ``above`` jobs (fails after ``seconds``)."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if _queue_length(queue) > above:
            return time.monotonic() - start
        time.sleep(0.2)
    pytest.fail(f"no job was scheduled within {seconds} s")


def _scheduled_during(queue: str, seconds: float) -> int:
    before = _queue_length(queue)
    time.sleep(seconds)
    return _queue_length(queue) - before


def test_two_beats_schedule_each_job_once_per_period_and_the_second_takes_over_when_the_leader_dies():
    from django.conf import settings

    queue = f"beat-probe-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "diaspora_portal.settings.test",
        "TEST_RUN_PREFIX": settings.TEST_RUN_PREFIX,
        "BEAT_PROBE_QUEUE": queue,
        "BEAT_PROBE_PREFIX": f"{settings.TEST_RUN_PREFIX}:{queue}:",
        "CELERY_BEAT_MAX_LOOP_INTERVAL": "1",
        "CELERY_REDBEAT_LOCK_TIMEOUT": str(LOCK_TIMEOUT),
    }
    leader = _start_beat("a", env)
    follower = None
    try:
        _wait_for_growth(queue, 0, 60)
        follower = _start_beat("b", env)
        time.sleep(8)  # the follower has started and is waiting for the lock
        assert follower.poll() is None, "the second beat must wait, not exit"

        window = 10
        scheduled = _scheduled_during(queue, window)
        # A job every second: one beat sends about `window` (fewer on a loaded machine), two beats twice that.
        assert window // 2 <= scheduled <= window + 2, scheduled

        leader.send_signal(signal.SIGKILL)
        leader.wait(10)
        current = _queue_length(queue)
        took_over_after = _wait_for_growth(queue, current, LOCK_TIMEOUT + 20)
        assert took_over_after <= LOCK_TIMEOUT + 5

        scheduled = _scheduled_during(queue, window)
        assert window // 2 <= scheduled <= window + 2, scheduled
    finally:
        for process in (leader, follower):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        keys = list(client.scan_iter(f"{settings.TEST_RUN_PREFIX}:*{queue}*"))
        if keys:
            client.delete(*keys)
