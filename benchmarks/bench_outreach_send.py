"""Speed of outreach sending.

    RECIPIENTS=100000 .venv/bin/python scripts/devenv.py bench bench_outreach_send.py

1. Enqueueing: one INSERT … SELECT of the deliveries plus one task per block of ``OUTREACH_BLOCK_SIZE`` ids,
   against the same INSERT plus one task per recipient (target: blocks at least 10× faster).
2. Delivery rate into a local SMTP sink (aiosmtpd, its own process) by two workers, against a bare smtplib loop
   (one connection, plain ``sendmail``) sending the campaign's own messages, composed beforehand (at most 20,000),
   into the same sink just before and just after the workers' run; the ratio is against the mean of the two
   (target: ≥ 0.8×, the issue's baseline). For comparison, not a target: the same against as many bare loops as
   workers, each over its own connection (``rate_ratio_one_loop_per_worker``).
3. Where a worker's time goes: BREAKDOWN_SAMPLE (2,000) deliveries sent in this process by the workers' code, each
   step timed (composing, SMTP, the mark, the claim, loading, heartbeat). The mark's share of the loop — what the
   loop spends sending marks and waiting for them — is the target (≤ 10 %). For comparison, the cost of one mark
   as a synchronous statement (on MARK_SAMPLE rows), of one UPDATE per claim batch of 50 (what it replaced) and of
   one UPDATE per message whose commit waits for the disk.
4. Worker peak RSS for this campaign and for one a tenth of its size (target: flat, within 10 %).
Prints one JSON line; exits 1 when a target it prints is missed. Uses the helpers of reliability_outreach.py (own
Redis, own sink, benchmark members).
"""

from __future__ import annotations

import json
import os
import smtplib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reliability_outreach as harness  # noqa: E402


def send_campaign(campaign, sink, redis, workers_count: int) -> dict:
    from django.db import close_old_connections

    from apps.outreach.models import Campaign
    from apps.outreach.services import deliveries_enqueue

    env = harness.worker_env(redis.url, sink.port)
    workers = [harness.Worker(f"bench-{i}", env) for i in range(workers_count)]
    try:
        time.sleep(3)  # workers up
        before = sink.stats()["raw"]
        started = time.monotonic()
        deliveries_enqueue(campaign_id=campaign.pk)
        while True:
            time.sleep(0.2)
            close_old_connections()
            if Campaign.objects.get(pk=campaign.pk).state == "sent":
                break
        elapsed = time.monotonic() - started
        sent = sink.wait_quiet(0.5)["raw"] - before
        return {
            "messages": sent,
            "seconds": round(elapsed, 2),
            "rate": round(sent / elapsed, 1),
            "peak_rss_mb": [round(w.peak_rss_kb() / 1024, 1) for w in workers],
        }
    finally:
        for worker in workers:
            worker.stop()


def _bare_loop(port: int, messages: list[bytes], ready, go, done) -> None:
    server = smtplib.SMTP("127.0.0.1", port)
    ready.set()
    go.wait()
    for i, data in enumerate(messages):
        server.sendmail("bench@bench-outreach.invalid", [f"m{i}@bench-outreach.invalid"], data)
    done.put(time.monotonic())
    server.quit()


def bare_smtplib(sink, messages: list[bytes], loops: int = 2) -> dict:
    """The fastest simple client, as many of them as there are workers: each a plain ``sendmail`` loop over one
    connection, sending its share of the campaign's own messages (composed beforehand) into the same sink."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    go, done = context.Event(), context.Queue()
    shares = [messages[i::loops] for i in range(loops)]
    readies = [context.Event() for _ in shares]
    processes = [context.Process(target=_bare_loop, args=(sink.port, share, ready, go, done))
                 for share, ready in zip(shares, readies, strict=True)]  # fmt: skip
    for process in processes:
        process.start()
    for ready in readies:
        ready.wait(30)
    started = time.monotonic()
    go.set()
    finished = max(done.get(timeout=3600) for _ in processes)
    for process in processes:
        process.join(30)
    elapsed = finished - started
    return {"messages": len(messages), "loops": loops, "seconds": round(elapsed, 2),
            "rate": round(len(messages) / elapsed, 1)}  # fmt: skip


def compose_all(campaign, count: int) -> list[bytes]:
    """The campaign's first ``count`` messages as the workers send them (the bare loops send these)."""
    from apps.outreach.mail import build_email
    from apps.outreach.models import Delivery

    messages = {m.language: m for m in campaign.messages.all()}
    layouts: dict = {}
    deliveries = Delivery.objects.select_related("profile", "campaign").filter(campaign=campaign).order_by("id")
    return [build_email(d, messages, layouts).message().as_bytes(linesep="\r\n") for d in deliveries[:count]]


SMTP_LABEL = "SMTP transaction (less the mark's wait)"


def worker_breakdown(campaign, sample: int) -> dict:
    """Where a worker's time goes: one block after another of ``sample`` deliveries sent in this process by the
    workers' own code (``deliveries_send_block``, outside a transaction as in a task) into the same sink, each step
    timed. Microseconds per message and share of the loop's time; the mark is what the loop waits for it."""
    from collections import defaultdict

    from django.conf import settings

    from apps.outreach import mail, marks, sending
    from apps.outreach.models import Delivery

    spent: dict[str, float] = defaultdict(float)
    originals = []

    def timed(owner, name: str, label: str) -> None:
        function = getattr(owner, name)
        originals.append((owner, name, function))

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - started

        setattr(owner, name, wrapper)

    timed(sending, "campaign_message_bytes", "compose: the block's prepared message filled in")
    timed(sending, "build_email", "compose: standard (each block's first message, checked)")
    timed(mail.DeliveryEmail, "message", "compose: MIME message (the check)")
    for step in ("begin", "content", "end", "result"):
        timed(sending.Transactions, step, SMTP_LABEL)
    timed(marks.SentMarks, "record", "mark: send")
    timed(marks.SentMarks, "settle", "mark: wait for the answer")
    timed(sending, "deliveries_claim", f"claim (per batch of {settings.OUTREACH_CLAIM_BATCH})")
    timed(sending, "_deliveries_load", "load the claimed rows")
    timed(sending.Heartbeat, "beat", "heartbeat")
    ids = list(Delivery.objects.filter(campaign=campaign).order_by("id").values_list("id", flat=True)[:sample])
    started = time.perf_counter()
    cpu_before = os.times()
    try:
        for start in range(0, len(ids), settings.OUTREACH_BLOCK_SIZE):
            sending.deliveries_send_block(delivery_ids=ids[start : start + settings.OUTREACH_BLOCK_SIZE],
                                          campaign_id=campaign.pk)  # fmt: skip
    finally:
        for owner, name, function in originals:
            setattr(owner, name, function)
    total = time.perf_counter() - started
    cpu_after = os.times()
    n = max(1, len(ids))
    # The SMTP transaction contains the wait for the previous mark (before its end-of-data dot): count it once.
    spent[SMTP_LABEL] -= spent["mark: wait for the answer"]
    spent["the rest (rate limiter, block bookkeeping, Python)"] = total - sum(spent.values())
    parts = {label: {"us_per_message": round(seconds / n * 1e6, 1), "share": round(seconds / total, 3)}
             for label, seconds in sorted(spent.items(), key=lambda kv: -kv[1])}  # fmt: skip
    mark_share = (spent["mark: send"] + spent["mark: wait for the answer"]) / total
    cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
    return {"messages": len(ids), "seconds": round(total, 2), "rate": round(len(ids) / total, 1),
            "cpu_us_per_message": round(cpu / n * 1e6, 1), "parts": parts,
            "mark_share_of_the_loop": round(mark_share, 3)}  # fmt: skip


def mark_costs(campaign_id: int, sample: int) -> dict:
    """Microseconds per message to record it sent: per message without waiting for the disk (today: an insert
    into the marks table, folded per claim batch of 50 — both counted), the delivery's own UPDATE per message
    without waiting for the disk (before this round), one UPDATE per claim batch of 50 (before that: resends up to
    50 after a kill), per message waiting for the disk. On rows of the campaign, put back to pending after."""
    from django.db import connection, transaction

    from apps.outreach.sending import delivery_mark_sent, marks_fold

    with connection.cursor() as c:
        c.execute("SELECT id FROM outreach_delivery WHERE campaign_id = %s ORDER BY id LIMIT %s", [campaign_id, sample])
        ids = [row[0] for row in c.fetchall()]

    def claimed() -> None:
        with connection.cursor() as c:
            c.execute("UPDATE outreach_delivery SET state = 'sending' WHERE id = ANY(%s)", [ids])

    def per_message_no_wait() -> None:
        for pk in ids:
            delivery_mark_sent(delivery_id=pk, provider_message_id=f"<{pk}>")
        for start in range(0, len(ids), 50):
            marks_fold(ids[start : start + 50])

    def per_message_update_no_wait() -> None:
        with connection.cursor() as c:
            for pk in ids:
                c.execute(
                    "WITH no_wait AS (SELECT set_config('synchronous_commit', 'off', true)) UPDATE outreach_delivery "
                    "SET state = 'sent', sent_at = now(), updated_at = now(), provider_message_id = %s "
                    "WHERE id = %s AND state = 'sending' AND EXISTS (SELECT 1 FROM no_wait)",
                    [f"<{pk}>", pk],
                )

    def per_batch() -> None:
        for start in range(0, len(ids), 50):
            chunk = ids[start : start + 50]
            values = ", ".join(["(%s::bigint, %s)"] * len(chunk))
            params = [v for pk in chunk for v in (pk, f"<{pk}>")]
            with transaction.atomic(), connection.cursor() as c:
                c.execute("SET LOCAL synchronous_commit TO OFF")
                c.execute(
                    "UPDATE outreach_delivery d SET state = 'sent', sent_at = now(), updated_at = now(), "
                    f"provider_message_id = v.pid FROM (VALUES {values}) AS v(id, pid) "
                    "WHERE d.id = v.id AND d.state = 'sending'",
                    params,
                )

    def per_message_waiting() -> None:
        with connection.cursor() as c:
            for pk in ids:
                c.execute(
                    "UPDATE outreach_delivery SET state = 'sent', sent_at = now(), updated_at = now(), "
                    "provider_message_id = %s WHERE id = %s AND state = 'sending'",
                    [f"<{pk}>", pk],
                )

    result = {"rows": len(ids)}
    for name, run in (("per_message_no_wait_us", per_message_no_wait),
                      ("per_message_own_update_no_wait_us", per_message_update_no_wait), ("per_batch_of_50_us", per_batch),
                      ("per_message_waiting_for_disk_us", per_message_waiting)):  # fmt: skip
        claimed()
        started = time.monotonic()
        run()
        result[name] = round((time.monotonic() - started) / max(1, len(ids)) * 1e6, 1)
    with connection.cursor() as c:
        c.execute("DELETE FROM outreach_sentmark WHERE delivery_id = ANY(%s)", [ids])
        c.execute(
            "UPDATE outreach_delivery SET state = 'pending', sent_at = NULL, provider_message_id = '' "
            "WHERE id = ANY(%s)",
            [ids],
        )
    return result


def main() -> int:
    n = int(os.environ.get("RECIPIENTS", "100000"))
    per_task_sample = int(os.environ.get("PER_TASK_SAMPLE", str(min(n, 20000))))
    redis = harness.Redis()
    sink = harness.Sink()
    # This process sends too (the breakdown), into the same sink as the workers.
    os.environ.update({k: v for k, v in harness.worker_env(redis.url, sink.port).items() if k.startswith("OUTREACH_")})
    harness.django_setup(redis.url)
    from django.conf import settings
    from django.db import connection

    from apps.outreach.models import Delivery
    from apps.outreach.services import _deliveries_insert, deliveries_enqueue
    from apps.outreach.tasks import deliveries_send_task

    result: dict = {
        "recipients": n,
        "block_size": settings.OUTREACH_BLOCK_SIZE,
        "machine": harness.machine(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    try:
        harness.clean()
        harness.recipients_ensure(n)
        with connection.cursor() as c:  # fresh rows: plan the claims on current statistics
            c.execute("ANALYZE skills_diasporaprofile, accounts_user")
        actor, campaign = harness.campaign_create("speed")
        campaign.state, campaign.scheduled_at = "sending", campaign.created_at
        campaign.save()

        # 1. Enqueueing
        t0 = time.monotonic()
        created = _deliveries_insert(campaign)
        t_insert = time.monotonic() - t0
        t0 = time.monotonic()
        blocks = deliveries_enqueue(campaign_id=campaign.pk)
        t_blocks = time.monotonic() - t0
        ids = list(Delivery.objects.filter(campaign=campaign).values_list("id", flat=True)[:per_task_sample])
        t0 = time.monotonic()
        for pk in ids:
            deliveries_send_task.delay([pk], campaign.pk)
        t_per_task = (time.monotonic() - t0) * (created / max(1, len(ids)))
        redis_client = __import__("redis").Redis.from_url(redis.url)
        redis_client.flushall()  # nothing consumed those tasks; the delivery run below queues its own blocks
        result["enqueue"] = {
            "deliveries_inserted": created,
            "insert_seconds": round(t_insert, 2),
            "blocks": blocks,
            "blocks_enqueue_seconds": round(t_blocks, 3),
            "per_recipient_enqueue_seconds": round(t_per_task, 2),
            "per_recipient_measured_on": len(ids),
            "speedup_total": round((t_insert + t_per_task) / (t_insert + t_blocks), 1),
            "speedup_enqueue_only": round(t_per_task / max(t_blocks, 1e-6), 1),
        }
        print(json.dumps({"enqueue": result["enqueue"]}), flush=True)

        # 3. (measured first, on rows not yet sent) the cost of recording each message at once
        result["mark"] = mark_costs(campaign.pk, int(os.environ.get("MARK_SAMPLE", str(min(created, 5000)))))
        print(json.dumps({"mark": result["mark"]}), flush=True)

        # 2. Where a worker's time goes (in this process, on the campaign's first rows; the workers send the rest)
        result["breakdown"] = worker_breakdown(campaign, int(os.environ.get("BREAKDOWN_SAMPLE", "2000")))
        print(json.dumps({"breakdown": result["breakdown"]}, ensure_ascii=False), flush=True)

        # 2. Delivery rate against bare smtplib loops into the same sink, sending the campaign's own messages: one
        # loop (the baseline: "two workers >= 0.8x a bare smtplib loop"; its 0.60x was measured so), and as
        # many loops as workers (stricter, printed for comparison). They run just before and just after the workers,
        # and each ratio is taken against the mean of the two: on a shared machine the rate drifts over minutes, and
        # one side must not get the quiet moment.
        workers_count = 2
        composed = compose_all(campaign, min(created, 20000))
        before_one = bare_smtplib(sink, composed, 1)
        before = bare_smtplib(sink, composed, workers_count)
        print(json.dumps({"bare_before": {"one_loop": before_one, "loops": before}}), flush=True)
        result["workers"] = send_campaign(campaign, sink, redis, workers_count)
        print(json.dumps({"workers": result["workers"]}), flush=True)
        after = bare_smtplib(sink, composed, workers_count)
        after_one = bare_smtplib(sink, composed, 1)
        one_rate = round((before_one["rate"] + after_one["rate"]) / 2, 1)
        loops_rate = round((before["rate"] + after["rate"]) / 2, 1)
        result["bare_smtplib"] = {"before": before_one, "after": after_one, "mean_rate": one_rate}
        result["bare_smtplib_one_per_worker"] = {"before": before, "after": after, "mean_rate": loops_rate}
        result["rate_ratio"] = round(result["workers"]["rate"] / one_rate, 2)
        result["rate_ratio_one_loop_per_worker"] = round(result["workers"]["rate"] / loops_rate, 2)
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]

        # 3. Peak RSS with a campaign a tenth of the size (same workers' code, fresh processes)
        with connection.cursor() as c:
            c.execute(
                "UPDATE skills_diasporaprofile p SET consent_newsletter_email = (p.id %% 10 = 0) FROM accounts_user u "
                "WHERE u.id = p.user_id AND u.email LIKE %s",
                [f"%@{harness.BENCH_DOMAIN}"],
            )
        _actor, small = harness.campaign_create("speed small")
        small.state, small.scheduled_at = "sending", small.created_at
        small.save()
        _deliveries_insert(small)
        result["small_campaign"] = send_campaign(small, sink, redis, workers_count)

        # Targets
        per_worker_message_us = 1e6 * 2 / max(result["workers"]["rate"], 1e-6)  # two workers share the rate
        # Before the marks were pipelined, the benchmark took a synchronous mark's round trip for the worker's cost;
        # printed for comparison. The target is what the send loop actually waits for (measured in the breakdown).
        result["mark"]["synchronous_round_trip_share_of_a_workers_message"] = round(
            result["mark"]["per_message_no_wait_us"] / per_worker_message_us, 3
        )
        result["mark"]["share_of_a_workers_time_per_message"] = result["breakdown"]["mark_share_of_the_loop"]
        big_rss = max(result["workers"].get("peak_rss_mb") or [0])
        small_rss = max(result["small_campaign"].get("peak_rss_mb") or [0])
        targets = {
            "enqueue_speedup_at_least_10x": result["enqueue"]["speedup_total"] >= 10,
            "delivery_at_least_0.8x_bare_smtplib": result["rate_ratio"] >= 0.8,
            "mark_at_most_10pct_of_a_message": result["mark"]["share_of_a_workers_time_per_message"] <= 0.10,
            "worker_rss_flat_within_10pct": bool(small_rss) and big_rss <= small_rss * 1.10,
        }
        result["targets"] = targets
        result["passed"] = all(targets.values())
        print(json.dumps(result, ensure_ascii=False), flush=True)
        return 0 if result["passed"] else 1
    finally:
        sink.stop()
        redis.stop()
        harness.clean()


if __name__ == "__main__":
    sys.exit(main())
