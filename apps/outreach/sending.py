"""Sending a block of deliveries: claim (with the consent re-check), send over one connection, mark each sent.

A delivery is claimed with ``UPDATE … SET state='sending' WHERE state='pending' … RETURNING``, so a block that
runs twice (a redelivered task, a duplicate enqueue) sends nothing twice. Each delivery is marked ``sent`` by its
own statement as soon as the SMTP server or gateway accepted it (committed without waiting for the disk: the
database keeps it when a worker dies), so at most the one message in flight at a crash is sent again, with the
same Message-ID. The rows of a block carry their worker's name (``claimed_by``); the worker renews a heartbeat
while it works, and the sweep gives the rows of a worker whose heartbeat stopped back to the queue at once.
"""

from __future__ import annotations

import logging
import re
import secrets
import smtplib
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from apps.skills.models import CONSENT_FIELDS, ConsentPurpose

from .mail import build_email, build_sms, campaign_message_bytes, campaign_sender, message_bytes, message_id_for
from .marks import NOT_MARKED, MarkError, SentMarks, delivery_mark_sent, marks_fold  # noqa: F401 - delivery_mark_sent: part of the interface
from .models import Campaign, Channel, Delivery
from .rendering import sms_length
from .selectors import consent_purpose_for
from .sms import SmsPermanentError, SmsTemporaryError, get_sms_backend
from .smtp_transaction import Transactions, plain_address
from .workers import Heartbeat, worker_name, workers_gone_on_this_host  # noqa: F401 - worker_name: interface

logger = logging.getLogger(__name__)


class TemporarySendError(Exception):
    """The server or gateway is unavailable: the unsent deliveries go back to pending and the block is retried."""


@dataclass
class BlockResult:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    released: list[int] = field(default_factory=list)
    error: str = ""


def _reachable_sql(*, campaign: Campaign | None) -> str:
    """SQL condition (on delivery ``d``) that the recipient may still receive this message."""
    user_ok = "u.erased_at IS NULL AND u.is_active"
    hold = "NOT EXISTS (SELECT 1 FROM outreach_addresshold h WHERE h.address = d.address)"
    if campaign is None:  # transactional: no newsletter consent, but never to an erased account
        consents = " OR ".join(
            f"(d.consent_purpose = '{purpose.value}' AND p.{column})" for purpose, column in CONSENT_FIELDS.items()
        )
        return (
            f"EXISTS (SELECT 1 FROM accounts_user u WHERE u.id = d.user_id AND {user_ok}) "
            "AND NOT EXISTS (SELECT 1 FROM skills_diasporaprofile p WHERE p.user_id = d.user_id "
            "AND p.erased_at IS NOT NULL) "
            # a notification resting on a consent needs it still given
            "AND (d.consent_purpose = '' OR EXISTS (SELECT 1 FROM skills_diasporaprofile p "
            f"WHERE p.id = d.profile_id AND ({consents}))) "
            f"AND {hold}"
        )
    column = CONSENT_FIELDS[ConsentPurpose(consent_purpose_for(channel=campaign.channel, kind=campaign.kind))]
    address_ok = "TRUE" if campaign.channel == Channel.SMS else hold
    return (
        "EXISTS (SELECT 1 FROM skills_diasporaprofile p JOIN accounts_user u ON u.id = p.user_id "
        f"WHERE p.id = d.profile_id AND p.{column} AND p.erased_at IS NULL AND {user_ok}) "
        f"AND {address_ok}"
    )


def _claim_sql(campaign: Campaign | None) -> str:
    """The claim statement. Parameters: owner, ids, lease seconds and, for a campaign, its key twice."""
    # The campaign's state is checked once, by its key, and the rows are found by theirs ("+ 0" keeps
    # d.campaign_id out of the choice of index: planned on stale statistics, a claim read every delivery of the
    # campaign through it; the statistics are refreshed when a campaign's deliveries are created, too).
    campaign_live = (
        "AND d.campaign_id + 0 = %s AND EXISTS (SELECT 1 FROM outreach_campaign c WHERE c.id = %s AND c.state = 'sending')"
        if campaign is not None
        else "AND d.campaign_id IS NULL"
    )
    ok = _reachable_sql(campaign=campaign)
    return f"""
        WITH no_wait AS (SELECT set_config('synchronous_commit', 'off', true))
        UPDATE outreach_delivery d
           SET state = CASE WHEN {ok} THEN 'sending' ELSE 'skipped' END,
               reason = CASE WHEN {ok} THEN d.reason ELSE 'consent withdrawn or account erased' END,
               claimed_at = now(), claimed_by = %s, updated_at = now(), attempts = d.attempts + 1
         WHERE d.id = ANY(%s)
           AND (d.state = 'pending'
                OR (d.state = 'sending' AND d.claimed_at < now() - make_interval(secs => %s) AND {NOT_MARKED}))
           {campaign_live}
           AND EXISTS (SELECT 1 FROM no_wait)
        RETURNING d.id, d.state
    """


def _claim_params(*, delivery_ids: list[int], campaign: Campaign | None, owner: str) -> list:
    keys = [campaign.pk, campaign.pk] if campaign is not None else []
    return [owner, list(delivery_ids), settings.OUTREACH_CLAIM_LEASE_SECONDS, *keys]


def deliveries_claim(
    *, delivery_ids: list[int], campaign: Campaign | None, owner: str = ""
) -> tuple[list[int], list[int]]:
    """Claim the block's deliveries that are pending (or whose claim lapsed), in one statement.

    Those whose recipient withdrew consent (or was erased, or whose address is on hold) since the campaign
    started become ``skipped`` in the same statement. Its commit does not wait for the disk (as the marks: only a
    crash of the database server could lose it, and then the marks after it too). Returns (claimed ids, skipped ids).
    """
    with connection.cursor() as cursor:
        cursor.execute(_claim_sql(campaign), _claim_params(delivery_ids=delivery_ids, campaign=campaign, owner=owner))
        rows = cursor.fetchall()
    claimed = sorted(pk for pk, state in rows if state == "sending")
    skipped = sorted(pk for pk, state in rows if state == "skipped")
    return claimed, skipped


class RateLimiter:
    """Messages per second per channel (``OUTREACH_RATE_LIMITS``), shared by every worker through a Redis
    counter per one-second window. Tokens are taken a few at a time (a tenth of the limit, at most a claim
    batch) so a fast channel does not pay a Redis round trip per message and a slow one never bursts."""

    def __init__(self, channel: str, *, key: str = "", limit: float | None = None):
        self.channel = f"{channel}:{key}" if key else channel
        self.limit = (settings.OUTREACH_RATE_LIMITS.get(channel) or 0) if limit is None else limit
        self.step = max(1, min(settings.OUTREACH_CLAIM_BATCH, int(self.limit // 10)))
        self.tokens = 0

    def wait(self, units: int = 1) -> None:
        """Take ``units`` (messages, or SMS segments for a gateway that counts those), waiting as needed."""
        if not self.limit:
            return
        for _unit in range(units):
            if self.tokens == 0:
                self.tokens = self._reserve(self.step)
            self.tokens -= 1

    def _reserve(self, want: int) -> int:
        client = cache._cache.get_client(None, write=True)
        while True:
            now = time.time()
            window = int(now)
            key = cache.make_and_validate_key(f"outreach:rate:{self.channel}:{window}")
            pipe = client.pipeline()
            pipe.incrby(key, want)
            pipe.expire(key, 5)
            count, _ok = pipe.execute()
            granted = int(max(0, min(want, self.limit - (count - want))))
            if granted:
                return granted
            time.sleep(max(0.0, window + 1 - now))


def _block_own(ids: list[int], owner: str) -> None:
    """Put this worker's name on the block's pending rows: if it dies, the sweep queues them again at once."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE outreach_delivery SET claimed_by = %s WHERE id = ANY(%s) AND state = 'pending'", [owner, ids]
        )


def _block_disown(ids: list[int], owner: str) -> None:
    """The block is done, or deferred to a retry: rows still pending (a paused campaign, a retry to come) are
    nobody's any more."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE outreach_delivery SET claimed_by = '' WHERE id = ANY(%s) AND claimed_by = %s AND state = 'pending'",
            [ids, owner],
        )


def _mark_failed(delivery: Delivery, reason: str) -> None:
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING).update(
        state=Delivery.State.FAILED, reason=reason[:500], updated_at=timezone.now()
    )


def deliveries_release(ids: list[int]) -> None:
    """Give claimed deliveries back to the queue (a temporary failure); a row marked sent stays as it is."""
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE outreach_delivery d SET state = 'pending', claimed_at = NULL, claimed_by = '', "
                f"updated_at = now() WHERE d.id = ANY(%s) AND d.state = 'sending' AND {NOT_MARKED}",
                [list(ids)],
            )


def deliveries_fail(ids: list[int], reason: str) -> None:
    Delivery.objects.filter(pk__in=ids, state__in=[Delivery.State.PENDING, Delivery.State.SENDING]).update(
        state=Delivery.State.FAILED, reason=reason[:500], updated_at=timezone.now()
    )


def _smtp_is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    try:
        from anymail.exceptions import AnymailRecipientsRefused

        if isinstance(exc, AnymailRecipientsRefused):
            return True
    except ImportError:  # pragma: no cover
        pass
    return False


def deliveries_send_block(*, delivery_ids: list[int], campaign_id: int | None) -> BlockResult:
    """Send one block, claiming ``OUTREACH_CLAIM_BATCH`` deliveries at a time over one connection.

    Claiming in small batches keeps a claim short (well inside the lease), lets a pause take effect within a
    batch, and bounds what a killed worker leaves in flight. A temporary failure releases the unsent deliveries
    of the batch and raises TemporarySendError (the task retries the block; what was sent is not claimed again).
    """
    result = BlockResult()
    campaign = Campaign.objects.filter(pk=campaign_id).first() if campaign_id else None
    if campaign_id and campaign is None:
        return result
    messages = {m.language: m for m in campaign.messages.all()} if campaign else {}
    heartbeat = Heartbeat()
    heartbeat.beat(force=True)
    sender = (
        _SmsSender(heartbeat) if campaign is not None and campaign.channel == Channel.SMS else _EmailSender(heartbeat)
    )
    batch = max(1, settings.OUTREACH_CLAIM_BATCH)
    ids = list(delivery_ids)
    _block_own(ids, heartbeat.name)
    try:
        for start in range(0, len(ids), batch):
            heartbeat.beat()
            with transaction.atomic():
                claimed, skipped = deliveries_claim(
                    delivery_ids=ids[start : start + batch], campaign=campaign, owner=heartbeat.name
                )
            result.skipped.extend(skipped)
            if not claimed:
                continue
            deliveries = _deliveries_load(claimed, campaign)
            remaining = [d.pk for d in deliveries]
            try:
                sender.send(deliveries, messages, result, remaining)
                marks_fold(claimed)  # the batch's marks, committed by now, become its rows' state in one statement
            except TemporarySendError as exc:
                deliveries_release(remaining)
                result.released = remaining
                result.error = str(exc)
                raise
    finally:
        # Done, or waiting for a retry with backoff (this worker holds it and stops beating meanwhile: the sweep
        # must not take that for a death and send the rows at once). A killed worker never gets here.
        sender.close()  # the last mark is committed first
        marks_fold(ids)
        _block_disown(ids, heartbeat.name)
        if campaign is not None:
            campaign_finish_if_done(campaign_id=campaign.pk)
    return result


# What composing a message reads: loading only these keeps a claim batch cheap (a profile has many columns).
_DELIVERY_FIELDS = ("id", "campaign_id", "profile_id", "channel", "language", "address", "subject", "body_text",
                    "body_html", "consent_purpose", "profile__id", "profile__first_name",
                    "profile__last_name", "profile__first_name_ar", "profile__last_name_ar")  # fmt: skip


def _deliveries_load(ids: list[int], campaign: Campaign | None) -> list[Delivery]:
    deliveries = list(
        Delivery.objects.filter(pk__in=ids).select_related("profile").only(*_DELIVERY_FIELDS).order_by("id")
    )
    for delivery in deliveries:
        delivery.campaign = campaign  # the block's campaign, loaded once (None for notifications)
    return deliveries


def outreach_mail_connection():
    options = {}
    if settings.OUTREACH_EMAIL_HOST:
        options["host"] = settings.OUTREACH_EMAIL_HOST
    if settings.OUTREACH_EMAIL_PORT:
        options["port"] = settings.OUTREACH_EMAIL_PORT
    # No SMTP step may block longer than this: the heartbeat is renewed between messages.
    options["timeout"] = settings.OUTREACH_SEND_TIMEOUT
    backend = settings.OUTREACH_EMAIL_BACKEND or settings.EMAIL_BACKEND
    if not backend.endswith("smtp.EmailBackend"):
        options = {}
    return get_connection(backend=backend, **options)


_DATE_LINE = re.compile(rb"^Date: [^\r]*\r\n", re.MULTILINE)


class _Sender:
    """What e-mail and SMS sending share: the heartbeat and the marks of accepted messages (see ``marks.py``)."""

    def __init__(self, heartbeat: Heartbeat):
        self.heartbeat = heartbeat
        self.marks = SentMarks()

    def _settle(self) -> None:
        """The last accepted message is recorded (before the next one may be delivered, and at a batch's end)."""
        try:
            self.marks.settle()
        except MarkError as exc:
            raise TemporarySendError(f"cannot record a sent message: {exc}") from exc

    def _accepted(self, delivery, provider_id, result: BlockResult, remaining: list[int]) -> None:
        try:
            self.marks.record(delivery_id=delivery.pk, provider_message_id=str(provider_id))
        except MarkError as exc:
            raise TemporarySendError(f"cannot record a sent message: {exc}") from exc
        result.sent.append(delivery.pk)
        remaining.remove(delivery.pk)

    def _failed(self, delivery, reason: str, result: BlockResult, remaining: list[int]) -> None:
        _mark_failed(delivery, reason)
        result.failed.append(delivery.pk)
        remaining.remove(delivery.pk)

    def close(self) -> None:
        try:
            self.marks.settle()
        except MarkError:
            logger.warning("outreach: the last sent message of a block could not be recorded", exc_info=True)
        self.marks.release()


class _EmailSender(_Sender):
    """One mail connection for the whole block, opened at the first message."""

    def __init__(self, heartbeat: Heartbeat):
        super().__init__(heartbeat)
        self.backend = None
        self.rate = RateLimiter(Channel.EMAIL)
        self.layouts: dict = {}
        self.senders: dict[str, str] = {}
        self.direct: bool | None = None  # unknown until the block's first message

    def _smtp(self) -> smtplib.SMTP | None:
        """The open SMTP connection when the backend is Django's SMTP backend (messages then go straight to it)."""
        if isinstance(self.backend, SmtpBackend):
            return self.backend.connection
        return None

    def _envelope_sender(self, from_email: str) -> str:
        """The sender's address as Django's SMTP backend gives it, prepared once per block."""
        sender = self.senders.get(from_email)
        if sender is None:
            sender = self.senders[from_email] = sanitize_address(from_email, settings.DEFAULT_CHARSET)
        return sender

    def _envelope(self, from_email: str, recipients: list[str], data: bytes) -> tuple[str, list[str], int]:
        """(sender, recipients, size) of one message as Django's SMTP backend would send it."""
        encoding = settings.DEFAULT_CHARSET
        recipients = [a if plain_address(a) else sanitize_address(a, encoding) for a in recipients]
        return self._envelope_sender(from_email), recipients, len(data)

    def _compose(self, delivery, messages) -> tuple[object | None, bytes | None]:
        """(the EmailMessage, or None) and (the bytes to send over SMTP, or None: the backend sends the message).

        Over SMTP, a campaign's messages are composed directly from what the block prepared once
        (``mail.campaign_message_bytes``), a notification's from its EmailMessage (``mail.message_bytes``). The
        first message of each block is checked against the standard composition (Django's ``message()``); a
        difference sends the block the standard way."""
        if self._smtp() is None:
            return build_email(delivery, messages, self.layouts), None
        if self.direct is None:
            boundary = f"=_{secrets.token_hex(12)}"
            email = build_email(delivery, messages, self.layouts)
            email.boundary = boundary
            standard = email.message().as_bytes(linesep="\r\n")
            direct = (
                campaign_message_bytes(delivery, messages, self.layouts, boundary)
                if delivery.campaign_id
                else message_bytes(email)
            )
            self.direct = direct is not None and _DATE_LINE.sub(b"", direct) == _DATE_LINE.sub(b"", standard)
            if not self.direct:
                logger.error("outreach: the direct composition differs from the standard one; not used")
            return email, standard
        if self.direct and delivery.campaign_id:
            data = campaign_message_bytes(delivery, messages, self.layouts)
            if data is not None:
                return None, data
        email = build_email(delivery, messages, self.layouts)
        return email, message_bytes(email) if self.direct else email.message().as_bytes(linesep="\r\n")

    def send(self, deliveries, messages, result: BlockResult, remaining: list[int]) -> None:
        if self.backend is None:
            backend = outreach_mail_connection()
            try:
                backend.open()
            except (OSError, smtplib.SMTPException) as exc:
                raise TemporarySendError(f"cannot connect: {exc}") from exc
            self.backend = backend
        if self._smtp() is not None:
            self._send_smtp(deque(deliveries), messages, result, remaining)
        else:
            self._send_backend(deliveries, messages, result, remaining)
        self._settle()

    def _composed(self, delivery, messages, result: BlockResult, remaining: list[int]):
        """``_compose``'s (email, bytes), or None when the message cannot be rendered: it fails alone."""
        self.heartbeat.beat()
        try:
            return self._compose(delivery, messages)
        except Exception as exc:  # noqa: BLE001 - a message that cannot be rendered fails alone
            logger.exception("outreach: delivery %s cannot be rendered", delivery.pk)
            self._failed(delivery, f"cannot render: {exc}", result, remaining)
            return None

    def _next(self, queue: deque, messages, result: BlockResult, remaining: list[int]):
        """The next delivery of ``queue`` that can be composed: (delivery, envelope, bytes), or None."""
        while queue:
            delivery = queue.popleft()
            composed = self._composed(delivery, messages, result, remaining)
            if composed is None:
                continue
            email, data = composed
            if email is None:
                return delivery, self._envelope(campaign_sender(delivery), [delivery.address], data), data
            return delivery, self._envelope(email.from_email, email.recipients(), data), data
        return None

    def _send_smtp(self, queue: deque, messages, result: BlockResult, remaining: list[int]) -> None:
        """Straight to the open SMTP connection, each transaction overlapped with the worker's own work: the server
        reads a message's content while the next one is composed, and answers its dot and the next envelope
        (written together) while the mark travels. A message's dot still waits until the one before is recorded."""
        transactions = None
        current = self._next(queue, messages, result, remaining)
        begun = False  # the current message's envelope went with the previous dot
        while current is not None:
            delivery, envelope, data = current
            following = None
            try:
                if transactions is None:
                    transactions = Transactions(self._smtp())
                if not begun:
                    self.rate.wait()
                    transactions.begin(*envelope)
                begun = False
                transactions.content(data)
                following = self._next(queue, messages, result, remaining)  # while the server reads the content
                if following is not None:
                    self.rate.wait()
                transactions.end(self._settle, then=following[1] if following is not None else None)
                begun = following is not None
                transactions.result()
            except TemporarySendError:
                self.close_connection()
                raise
            except Exception as exc:  # noqa: BLE001 - classified below
                if not _smtp_is_permanent(exc):
                    self.close_connection()
                    raise TemporarySendError(str(exc) or exc.__class__.__name__) from exc
                self._failed(delivery, f"refused: {exc}", result, remaining)
            else:
                self._accepted(delivery, message_id_for(delivery), result, remaining)
            current = following if following is not None else self._next(queue, messages, result, remaining)

    def _send_backend(self, deliveries, messages, result: BlockResult, remaining: list[int]) -> None:
        """Through the configured backend (an HTTP provider through anymail, the console, a file): a message at a
        time, each after the previous one is recorded."""
        for delivery in deliveries:
            composed = self._composed(delivery, messages, result, remaining)
            if composed is None:
                continue
            email, _data = composed
            self.rate.wait()
            try:
                self._settle()
                self.backend.send_messages([email])
            except TemporarySendError:
                self.close_connection()
                raise
            except Exception as exc:  # noqa: BLE001 - classified below
                if _smtp_is_permanent(exc):
                    self._failed(delivery, f"refused: {exc}", result, remaining)
                    continue
                self.close_connection()
                raise TemporarySendError(str(exc) or exc.__class__.__name__) from exc
            status = getattr(email, "anymail_status", None)
            provider_id = (status.message_id if status is not None else None) or message_id_for(delivery)
            self._accepted(delivery, provider_id, result, remaining)

    def close_connection(self) -> None:
        if self.backend is not None:
            try:
                self.backend.close()
            except Exception:  # noqa: BLE001 - the connection may already be gone
                logger.debug("outreach: closing the mail connection failed", exc_info=True)
            self.backend = None

    def close(self) -> None:
        super().close()
        self.close_connection()


class _SmsSender(_Sender):
    def __init__(self, heartbeat: Heartbeat):
        super().__init__(heartbeat)
        self.backend = get_sms_backend()
        # Each gateway has its own limit, in segments per second, shared by every worker.
        self.rate = RateLimiter(Channel.SMS, key=self.backend.name, limit=self.backend.rate_limit())

    def send(self, deliveries, messages, result: BlockResult, remaining: list[int]) -> None:
        for delivery in deliveries:
            self.heartbeat.beat()
            text = build_sms(delivery, messages)
            self.rate.wait(max(1, sms_length(text)["segments"]))
            self._settle()  # the previous SMS is recorded before the gateway takes the next
            try:
                provider_id = self.backend.send(to=delivery.address, text=text, reference=str(delivery.pk))
            except SmsPermanentError as exc:
                self._failed(delivery, f"refused: {exc}", result, remaining)
                continue
            except SmsTemporaryError as exc:
                raise TemporarySendError(str(exc)) from exc
            self._accepted(delivery, provider_id, result, remaining)
        self._settle()

    def close(self) -> None:
        super().close()
        self.backend.close()


def campaign_finish_if_done(*, campaign_id: int) -> bool:
    """A sending campaign with nothing pending or in flight is sent."""
    updated = (
        Campaign.objects.filter(pk=campaign_id, state=Campaign.State.SENDING)
        .exclude(deliveries__state__in=[Delivery.State.PENDING, Delivery.State.SENDING])
        .update(state=Campaign.State.SENT, finished_at=timezone.now())
    )
    return bool(updated)


def workers_dead_release() -> list[tuple[int, int | None]]:
    """Rows held by workers whose heartbeat stopped ``OUTREACH_WORKER_DEAD_SECONDS`` ago — or, on this host,
    whose process is gone (``workers.workers_gone_on_this_host``: no need to wait for the heartbeat to age) — go
    back to pending and lose their owner; those workers are forgotten. Returns the (id, campaign id) of the rows
    given back."""
    dead = settings.OUTREACH_WORKER_DEAD_SECONDS
    marks_fold()  # what a dead worker recorded is sent, not given back
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM outreach_sendingworker")
        gone = workers_gone_on_this_host([name for (name,) in cursor.fetchall()])
        stopped = "SELECT name FROM outreach_sendingworker WHERE heartbeat_at < now() - make_interval(secs => %s) OR name = ANY(%s)"
        cursor.execute(
            "UPDATE outreach_delivery d SET state = 'pending', claimed_by = '', claimed_at = NULL, updated_at = now() "
            f"WHERE state IN ('pending', 'sending') AND claimed_by <> '' AND claimed_by IN ({stopped}) AND {NOT_MARKED} "
            "RETURNING id, campaign_id",
            [dead, gone],
        )
        released = cursor.fetchall()
        cursor.execute(
            "DELETE FROM outreach_sendingworker w WHERE (heartbeat_at < now() - make_interval(secs => %s) "
            "OR name = ANY(%s)) AND NOT EXISTS (SELECT 1 FROM outreach_delivery d WHERE d.claimed_by = w.name "
            "AND d.state IN ('pending', 'sending') AND d.claimed_by <> '')",
            [dead, gone],
        )
    return released


def _requeue(rows: list[tuple[int, int | None]]) -> None:
    """Queue rows given back, ahead of the blocks already waiting (they were due first)."""
    from .services import deliveries_enqueue
    from .tasks import deliveries_send_task

    by_campaign: dict = {}
    for pk, campaign_id in rows:
        by_campaign.setdefault(campaign_id, []).append(pk)
    for campaign_id, ids in by_campaign.items():
        if campaign_id is None:
            for pk in ids:
                deliveries_send_task.delay([pk], None)
        else:
            deliveries_enqueue(campaign_id=campaign_id, ids=sorted(ids), first=True)


def deliveries_recover() -> dict:
    """The sweep (every ``OUTREACH_RECOVER_SECONDS``): rows of dead workers and claims that lapsed go back to
    pending and are queued again ahead of the rest; pending deliveries of campaigns that have not moved for a
    lease are queued again; finished campaigns are marked sent. Repeats are harmless (claims are guarded)."""
    from .services import deliveries_enqueue
    from .tasks import deliveries_send_task

    lease = settings.OUTREACH_CLAIM_LEASE_SECONDS
    cutoff = timezone.now() - timedelta(seconds=lease)
    dead = workers_dead_release()
    # Claims with no live owner that lapsed (last resort): back to pending.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE outreach_delivery d SET state = 'pending', claimed_at = NULL, claimed_by = '', updated_at = now() "
            f"WHERE state = 'sending' AND claimed_at < %s AND {NOT_MARKED} RETURNING id, campaign_id",
            [cutoff],
        )
        lapsed = cursor.fetchall()
    _requeue(dead + lapsed)
    requeued = 0
    for campaign_id in Campaign.objects.filter(state=Campaign.State.SENDING).values_list("id", flat=True):
        if campaign_finish_if_done(campaign_id=campaign_id):
            continue
        recently = Delivery.objects.filter(
            Q(updated_at__gte=cutoff) | Q(created_at__gte=cutoff), campaign_id=campaign_id
        ).exists()
        if not recently:
            requeued += deliveries_enqueue(campaign_id=campaign_id)
    stale_notifications = list(
        Delivery.objects.filter(campaign__isnull=True, state=Delivery.State.PENDING, created_at__lt=cutoff).values_list(
            "id", flat=True
        )[:1000]
    )
    if stale_notifications:
        for pk in stale_notifications:
            deliveries_send_task.delay([pk], None)
    return {
        "released": len(dead) + len(lapsed),
        "from_dead_workers": len(dead),
        "blocks_requeued": requeued,
        "notifications_requeued": len(stale_notifications),
    }
