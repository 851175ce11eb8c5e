"""A multi-host rehearsal on one machine: two web processes, two workers and two beats on one PostgreSQL and Redis.

    .venv/bin/python scripts/devenv.py bench bench_rehearsal_multihost.py      (REHEARSAL_RECIPIENTS=2000)

What stands in for what (each is its own process, sharing only what separate hosts would share):
- two web hosts: two gunicorn servers on two ports;
- two worker hosts: two Celery workers (the outreach harness of reliability_outreach.py);
- two beat hosts: two ``celery beat`` processes with the portal's real schedule;
- shared services: the development PostgreSQL, a Redis of the rehearsal's own, an S3-protocol object store (moto's
  server) and an SMTP sink standing for the mail relay.

Checks (exit 1 when any fails):
1. a CV uploaded through web A downloads, byte for byte, through web B (and is in the bucket, not on a disk);
2. a campaign to REHEARSAL_RECIPIENTS members, sent by both workers, reaches the sink once per recipient (distinct
   Message-IDs = recipients = raw messages) and both workers took part;
3. over REHEARSAL_BEAT_SECONDS (default 130) every periodic job was sent at most once per period, counting the
   sends of both beats together, and exactly one beat sent jobs.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reliability_outreach as harness  # noqa: E402

ROOT = harness.ROOT
PYTHON = harness.PYTHON
RECIPIENTS = int(os.environ.get("REHEARSAL_RECIPIENTS", "2000"))
BEAT_SECONDS = int(os.environ.get("REHEARSAL_BEAT_SECONDS", "130"))
BUCKET = "rehearsal-files"
LOGS = Path(tempfile.mkdtemp(prefix="rehearsal-"))


def start(name: str, command: list[str], env: dict) -> subprocess.Popen:
    log = open(LOGS / f"{name}.log", "w")  # noqa: SIM115 - the process writes it until stopped
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)


def wait_http(url: str, seconds: float = 60) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def s3_server() -> tuple[object, str]:
    from moto.server import ThreadedMotoServer

    port = harness.free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}"


def member_session(email: str) -> tuple[int, str]:
    """A member with a profile, signed in: the profile id and a session key both web hosts accept."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from apps.accounts.models import User
    from apps.accounts.services import membership_grant
    from apps.core.roles import Role
    from apps.skills.models import DiasporaProfile

    user, _ = User.objects.get_or_create(email=email, defaults={"full_name": "Rehearsal Member"})
    membership_grant(user=user, role=Role.MEMBER)
    profile, _ = DiasporaProfile.objects.get_or_create(
        user=user, defaults={"first_name": "Awa", "last_name": "Ndiaye", "origin_country_id": "SN"}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return profile.pk, session.session_key


def a_pdf() -> bytes:
    from apps.core.pdf import html_to_pdf

    return html_to_pdf("<html><body><p>Curriculum vitae — rehearsal</p></body></html>")


def check_files(web_a: str, web_b: str, s3) -> dict:
    import requests

    profile_id, session_key = member_session("rehearsal-member@rehearsal.invalid")
    pdf = a_pdf()
    upload = requests.Session()
    upload.cookies.set("sessionid", session_key)
    page = upload.get(f"{web_a}/skills/me/wizard/cv/", timeout=30)
    token = upload.cookies.get("csrftoken") or re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    posted = upload.post(
        f"{web_a}/skills/me/wizard/cv/",
        data={"csrfmiddlewaretoken": token},
        files={"cv": ("cv.pdf", pdf, "application/pdf")},
        headers={"Referer": f"{web_a}/skills/me/wizard/cv/"},
        allow_redirects=False,
        timeout=60,
    )
    download = requests.Session()
    download.cookies.set("sessionid", session_key)
    got = download.get(f"{web_b}/skills/cv/{profile_id}/", timeout=30)
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    return {
        "upload_status_via_a": posted.status_code,
        "download_status_via_b": got.status_code,
        "same_bytes": got.content == pdf,
        "objects_in_bucket": len(keys),
        "ok": posted.status_code == 302 and got.status_code == 200 and got.content == pdf and len(keys) >= 1,
    }


def check_campaign(workers: list, sink) -> dict:
    from django.db import close_old_connections

    from apps.outreach.models import Campaign
    from apps.outreach.services import campaign_schedule

    harness.recipients_ensure(RECIPIENTS)
    actor, campaign = harness.campaign_create(f"rehearsal {time.time():.0f}")
    before = sink.stats()
    campaign_schedule(actor=actor, campaign=campaign)  # queued at once (autocommit)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        time.sleep(0.5)
        close_old_connections()
        if Campaign.objects.get(pk=campaign.pk).state == "sent":
            break
    after = sink.wait_quiet(1.0)
    raw, distinct = after["raw"] - before["raw"], after["distinct"] - before["distinct"]
    states = harness.counts(campaign.pk)
    busy = [name for name, process in workers if _sent_something(name)]
    return {
        "recipients": RECIPIENTS,
        "sent": states.get("sent", 0),
        "raw_messages": raw,
        "distinct_message_ids": distinct,
        "workers_that_sent": busy,
        "ok": states.get("sent", 0) == RECIPIENTS == raw == distinct and len(busy) == 2,
    }


def _sent_something(worker_name: str) -> bool:
    text = (LOGS / f"{worker_name}.log").read_text(errors="replace")
    return "outreach.deliveries_send" in text and "succeeded" in text


def beat_sends() -> dict[str, dict[str, int]]:
    sends: dict[str, dict[str, int]] = {}
    for name in ("beat-a", "beat-b"):
        for line in (LOGS / f"{name}.log").read_text(errors="replace").splitlines():
            match = re.search(r"Sending due task (\S+)", line)
            if match:
                sends.setdefault(match[1], {}).setdefault(name, 0)
                sends[match[1]][name] += 1
    return sends


def schedule_periods() -> dict[str, float | None]:
    """Each periodic job's period in seconds (None for a calendar schedule such as "every day at 06:00")."""
    from importlib import import_module

    from diaspora_portal.celery import APPS_WITH_SCHEDULES

    periods: dict[str, float | None] = {}
    for app_name in APPS_WITH_SCHEDULES:
        try:
            module = import_module(f"apps.{app_name}.schedule")
        except ModuleNotFoundError:
            continue
        for name, entry in module.BEAT_SCHEDULE.items():
            schedule = entry["schedule"]
            if hasattr(schedule, "total_seconds"):
                periods[name] = schedule.total_seconds()
            elif isinstance(schedule, int | float):
                periods[name] = float(schedule)
            elif hasattr(schedule, "run_every"):
                periods[name] = schedule.run_every.total_seconds()
            else:
                periods[name] = None
    return periods


def check_beats(window: float) -> dict:
    periods = schedule_periods()
    sends = beat_sends()
    over = {}
    for job, by_beat in sends.items():
        period = periods.get(job)
        limit = math.floor(window / period) + 1 if period else 1
        total = sum(by_beat.values())
        if total > limit:
            over[job] = {"sent": total, "at most": limit}
    senders = {beat for by_beat in sends.values() for beat in by_beat}
    return {"sends": sends, "over_the_period": over, "beats_that_sent": sorted(senders),
            "ok": not over and len(senders) == 1 and bool(sends)}  # fmt: skip


def main() -> int:
    redis = harness.Redis()
    redis.start()
    sink = harness.Sink()
    server, s3_url = s3_server()
    storage_env = {
        "S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": s3_url, "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "rehearsal", "S3_SECRET_ACCESS_KEY": "rehearsal-secret",
    }  # fmt: skip
    os.environ.update(storage_env)
    harness.django_setup(redis.url)
    import boto3

    s3 = boto3.client("s3", endpoint_url=s3_url, region_name="us-east-1",
                      aws_access_key_id="rehearsal", aws_secret_access_key="rehearsal-secret")  # fmt: skip
    s3.create_bucket(Bucket=BUCKET)
    harness.clean()

    env = harness.worker_env(redis.url, sink.port, {**storage_env, "LOG_LEVEL": "INFO"})
    web_ports = [harness.free_port(), harness.free_port()]
    processes = []
    try:
        for label, port in zip("ab", web_ports, strict=True):
            processes.append(start(f"web-{label}", [PYTHON, "-m", "gunicorn", "diaspora_portal.wsgi:application",
                                                    "--bind", f"127.0.0.1:{port}", "--workers", "1"], env))  # fmt: skip
        workers = []
        for label in ("worker-1", "worker-2"):
            process = start(label, [PYTHON, "-m", "celery", "-A", "diaspora_portal", "worker", "-P", "solo",
                                    "-Q", "celery,outreach", "-n", f"{label}@%h", "--without-gossip",
                                    "--without-mingle", "-l", "info"], env)  # fmt: skip
            workers.append((label, process))
            processes.append(process)
        beat_env = {
            **env,
            "CELERY_BEAT_MAX_LOOP_INTERVAL": "1",
            "CELERY_REDBEAT_KEY_PREFIX": f"rehearsal-{os.getpid()}",
        }
        beats_started = time.monotonic()
        for label in ("beat-a", "beat-b"):
            processes.append(start(label, [PYTHON, "-m", "celery", "-A", "diaspora_portal", "beat", "-l", "info",
                                           "--pidfile", "", "-s", str(LOGS / f"{label}.schedule")], beat_env))  # fmt: skip
            time.sleep(2)
        web_a, web_b = (f"http://127.0.0.1:{port}" for port in web_ports)
        wait_http(f"{web_a}/livez")
        wait_http(f"{web_b}/livez")

        harness.log("files: upload through web A, download through web B")
        files = check_files(web_a, web_b, s3)
        harness.log(f"campaign: {RECIPIENTS} recipients, two workers")
        campaign = check_campaign(workers, sink)
        remaining = BEAT_SECONDS - (time.monotonic() - beats_started)
        if remaining > 0:
            harness.log(f"beats: watching {remaining:.0f} s more")
            time.sleep(remaining)
        window = time.monotonic() - beats_started
        beats = check_beats(window)
    finally:
        for process in processes:
            stop(process)
        sink.stop()
        redis.stop()
        server.stop()
    result = {"machine": harness.machine(), "files": files, "campaign": campaign, "beats": beats, "logs": str(LOGS)}
    print(json.dumps(result, ensure_ascii=False))
    failed = [name for name in ("files", "campaign", "beats") if not result[name]["ok"]]
    for name in failed:
        print(f"TARGET MISSED: {name}: {result[name]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
