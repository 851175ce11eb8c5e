"""The portal's Celery app with a single job every second, for the two-beat test.

The job is sent to a queue no worker reads, so the test counts how many times it was scheduled. Redis keys live
under ``BEAT_PROBE_PREFIX`` so that each test run has its own schedule and leader lock.
"""

import os

from diaspora_portal.celery import _collect_beat_schedules, app

# Only the probe: none of the portal's own jobs.
app.on_after_configure.disconnect(_collect_beat_schedules)

app.conf.beat_schedule = {
    "beat-probe": {"task": "core.heartbeat", "schedule": 1.0, "options": {"queue": os.environ["BEAT_PROBE_QUEUE"]}},
}
app.conf.redbeat_key_prefix = os.environ["BEAT_PROBE_PREFIX"]
