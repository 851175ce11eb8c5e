"""The mark of an accepted message travels while the next message is composed and its SMTP transaction opened;
the next message's end of data waits for it. Against a real SMTP server (aiosmtpd) and PostgreSQL."""

from __future__ import annotations

import smtplib
import time

import pytest
from django.core.mail.message import sanitize_address
from django.db import connection

from apps.outreach.marks import MarkError, SentMarks, marks_fold
from apps.outreach.models import Delivery, SentMark
from apps.outreach.smtp_transaction import Transactions, plain_address, smtp_send
from tests.factories.outreach import MemberProfileFactory

MESSAGE = b"Message-ID: <%d@test>\r\nSubject: hello\r\n\r\n.a line starting with a dot\r\nbody\r\n"


@pytest.fixture
def client(sink):
    smtp = smtplib.SMTP("127.0.0.1", sink.port, timeout=10)
    yield smtp
    try:
        smtp.quit()
    except smtplib.SMTPServerDisconnected:
        pass


def test_a_message_is_delivered_only_after_its_end_of_data_and_lines_starting_with_a_dot_survive(sink, client):
    seen_before_the_dot = []
    smtp_send(client, sender="a@example.org", recipients=["b@example.org"], data=MESSAGE % 1,
              before_end=lambda: seen_before_the_dot.append(len(sink.messages)))  # fmt: skip
    assert seen_before_the_dot == [0]
    assert len(sink.messages) == 1
    assert ".a line starting with a dot" in sink.messages[0].get_content()


def test_a_failure_before_the_end_of_data_delivers_nothing(sink, client):
    def mark_lost():
        raise MarkError("database gone")

    with pytest.raises(MarkError):
        smtp_send(client, sender="a@example.org", recipients=["b@example.org"], data=MESSAGE % 2, before_end=mark_lost)
    client.close()  # what the sender does: the transaction is dropped mid-data
    time.sleep(0.3)
    assert sink.messages == []


def test_the_end_of_data_is_not_held_back_by_delayed_acknowledgements(sink, client):
    # Sent alone after the content, the dot waited up to 40 ms per message for the server's delayed ACK (Nagle).
    started = time.monotonic()
    for i in range(50):
        smtp_send(
            client, sender="a@example.org", recipients=["b@example.org"], data=MESSAGE % i, before_end=lambda: None
        )
    elapsed = time.monotonic() - started
    assert len(sink.messages) == 50
    assert elapsed < 1.5, f"50 messages took {elapsed:.2f} s"


def test_a_refused_recipient_raises_smtplibs_error_and_leaves_the_connection_usable(sink, client):
    sink.refuse["nobody@example.org"] = "550 no such user"
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        smtp_send(client, sender="a@example.org", recipients=["nobody@example.org"], data=MESSAGE % 3)
    smtp_send(client, sender="a@example.org", recipients=["b@example.org"], data=MESSAGE % 4)
    assert len(sink.messages) == 1


@pytest.mark.parametrize(
    "address", ["m1@bench-outreach.invalid", "first.last+tag@example.org", "o'neil@example.co.uk", "a_b-c@x-y.org"]
)
def test_plain_addresses_are_those_django_leaves_unchanged(address):
    assert plain_address(address)
    assert sanitize_address(address, "utf-8") == address


@pytest.mark.parametrize("address", ["Zoë <z@example.org>", "zoë@example.org", "z@exämple.org", "a b@example.org"])
def test_other_addresses_go_through_djangos_sanitising(address):
    assert not plain_address(address)


def _claimed_deliveries(count: int) -> list[Delivery]:
    deliveries = []
    for _ in range(count):
        profile = MemberProfileFactory()
        deliveries.append(
            Delivery.objects.create(
                user=profile.user,
                profile=profile,
                channel="email",
                kind="test",
                address=profile.user.email,
                state=Delivery.State.SENDING,
            )  # fmt: skip
        )
    return deliveries


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_marks_go_on_their_own_connection_and_settle_commits_them():
    first, second = _claimed_deliveries(2)
    marks = SentMarks()
    assert marks.pipelined
    marks.record(delivery_id=first.pk, provider_message_id="<1@test>")
    marks.settle()
    assert SentMark.objects.get(delivery_id=first.pk).provider_message_id == "<1@test>"  # committed, seen here
    assert marks_fold([first.pk]) == 1
    first.refresh_from_db()
    assert first.state == Delivery.State.SENT
    assert first.provider_message_id == "<1@test>"
    assert first.sent_at is not None
    assert not SentMark.objects.filter(delivery_id=first.pk).exists()
    marks.record(delivery_id=second.pk, provider_message_id="<2@test>")
    marks.close()  # unsettled: what a worker killed right after sending the mark leaves
    marks = SentMarks()
    marks.record(delivery_id=second.pk, provider_message_id="<2@test>")
    marks.settle()
    marks.close()
    assert marks_fold() == 1
    second.refresh_from_db()
    assert second.state == Delivery.State.SENT


@pytest.mark.django_db
def test_inside_a_transaction_the_mark_is_part_of_it():
    (delivery,) = _claimed_deliveries(1)
    marks = SentMarks()
    assert not marks.pipelined
    marks.record(delivery_id=delivery.pk, provider_message_id="<3@test>")
    assert connection.in_atomic_block
    assert SentMark.objects.filter(delivery_id=delivery.pk).exists()
    marks_fold([delivery.pk])
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT


class _CountingSocket:
    """The client's socket, counting its writes."""

    def __init__(self, sock):
        self.sock, self.writes = sock, []

    def sendall(self, data):
        self.writes.append(bytes(data))
        return self.sock.sendall(data)

    def __getattr__(self, name):
        return getattr(self.sock, name)


def test_with_pipelining_the_envelope_and_data_go_in_one_write_and_content_and_dot_in_another(sink, client):
    sink.pipelining = True
    client.ehlo()
    assert client.has_extn("pipelining")
    client.sock = counting = _CountingSocket(client.sock)
    smtp_send(client, sender="a@example.org", recipients=["b@example.org", "c@example.org"], data=MESSAGE % 5,
              before_end=lambda: None, end_ready=lambda: True)  # fmt: skip
    assert counting.writes[0].startswith(b"MAIL FROM:<a@example.org>")
    assert counting.writes[0].endswith(b"RCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n")
    assert len(counting.writes) == 2 and counting.writes[1].endswith(b"body\r\n.\r\n")
    assert len(sink.messages) == 1
    assert ".a line starting with a dot" in sink.messages[0].get_content()


def test_without_pipelining_each_command_waits_for_its_reply(sink, client):
    client.ehlo()
    client.sock = counting = _CountingSocket(client.sock)
    smtp_send(client, sender="a@example.org", recipients=["b@example.org"], data=MESSAGE % 6)
    assert [w.split(b":")[0] for w in counting.writes[:3]] == [b"mail FROM", b"rcpt TO", b"DATA\r\n"]
    assert len(sink.messages) == 1


def test_the_dot_waits_for_the_previous_mark_when_it_is_not_committed_yet(sink, client):
    sink.pipelining = True
    order = []
    client.sock = counting = _CountingSocket(client.sock)
    smtp_send(client, sender="a@example.org", recipients=["b@example.org"], data=MESSAGE % 7,
              before_end=lambda: order.append(len(counting.writes)), end_ready=lambda: False)  # fmt: skip
    assert counting.writes[-1] == b".\r\n"
    assert order == [len(counting.writes) - 1]  # after the content, before the dot
    assert len(sink.messages) == 1


@pytest.mark.parametrize(
    ("refused", "code", "error"),
    [
        ("nobody@example.org", 550, smtplib.SMTPRecipientsRefused),
        ("nobody@example.org", 450, smtplib.SMTPRecipientsRefused),
        ("a@example.org", 553, smtplib.SMTPSenderRefused),
        ("a@example.org", 451, smtplib.SMTPSenderRefused),
    ],
)
def test_with_pipelining_a_refusal_raises_what_it_raises_without_and_the_connection_stays_usable(
    sink, client, refused, code, error
):
    sink.pipelining = True
    sink.refuse[refused] = f"{code} refused"
    with pytest.raises(error) as raised:
        smtp_send(client, sender="a@example.org", recipients=["nobody@example.org"], data=MESSAGE % 8,
                  before_end=lambda: None, end_ready=lambda: True)  # fmt: skip
    codes = (
        [c for c, _ in raised.value.recipients.values()]
        if isinstance(raised.value, smtplib.SMTPRecipientsRefused)
        else [raised.value.smtp_code]
    )
    assert codes == [code]
    assert sink.messages == []
    sink.refuse.clear()
    smtp_send(client, sender="a@example.org", recipients=["b@example.org"], data=MESSAGE % 9)
    assert len(sink.messages) == 1


def test_with_pipelining_a_server_closing_at_the_envelope_is_a_temporary_refusal(sink, client):
    sink.pipelining = True
    sink.refuse["nobody@example.org"] = "421 closing"
    with pytest.raises(smtplib.SMTPRecipientsRefused) as raised:
        smtp_send(client, sender="a@example.org", recipients=["nobody@example.org"], data=MESSAGE % 10)
    assert [c for c, _ in raised.value.recipients.values()] == [421]
    assert client.sock is None  # closed, as without pipelining


def test_with_pipelining_a_sender_with_a_name_is_quoted_as_smtplib_quotes_it(sink, client):
    sink.pipelining = True
    client.ehlo()
    client.sock = counting = _CountingSocket(client.sock)
    for index in range(2):
        smtp_send(client, sender="Portal team <no-reply@example.org>", recipients=["b@example.org"],
                  data=MESSAGE % (20 + index))  # fmt: skip
    assert [w.split(b" size=")[0] for w in counting.writes[::2]] == [b"MAIL FROM:<no-reply@example.org>"] * 2
    assert len(sink.messages) == 2


def _run(client, recipients: list[str], order: list) -> list[tuple[str, object]]:
    """Send one message to each recipient as a worker does: the next envelope with the dot, each dot after the
    previous message's result. Returns (recipient, "sent" or the error raised)."""
    transactions = Transactions(client)
    outcomes = []
    begun = False
    for index, recipient in enumerate(recipients):
        following = recipients[index + 1] if index + 1 < len(recipients) else None
        data = MESSAGE % (100 + index)
        try:
            if not begun:
                transactions.begin(sender="a@example.org", recipients=[recipient], size=len(data))
            begun = False
            transactions.content(data)
            then = ("a@example.org", [following], len(MESSAGE % (101 + index))) if following else None
            transactions.end(lambda recipient=recipient: order.append(("dot", recipient)), then=then)
            begun = following is not None
            transactions.result()
            outcomes.append((recipient, "sent"))
            order.append(("result", recipient))
        except smtplib.SMTPException as exc:
            outcomes.append((recipient, exc))
    return outcomes


def test_in_a_run_the_next_envelope_goes_with_the_dot_and_each_content_alone(sink, client):
    sink.pipelining = True
    client.ehlo()
    client.sock = counting = _CountingSocket(client.sock)
    order: list = []
    outcomes = _run(client, ["b@example.org", "c@example.org", "d@example.org"], order)
    assert [outcome for _r, outcome in outcomes] == ["sent"] * 3
    writes = counting.writes
    assert writes[0].startswith(b"MAIL FROM:<a@example.org>") and writes[0].endswith(b"DATA\r\n")
    assert writes[1].endswith(b"body\r\n") and b"\r\n.\r\n" not in writes[1]  # content, no dot
    assert writes[2].startswith(b".\r\nMAIL FROM:<a@example.org>")
    assert writes[2].endswith(b"RCPT TO:<c@example.org>\r\nDATA\r\n")
    assert writes[4].startswith(b".\r\nMAIL FROM") and b"<d@example.org>" in writes[4]
    assert writes[-1] == b".\r\n" and len(writes) == 7  # 3 contents, 2 dots with the next envelope, the last dot
    # each dot only after the previous message's reply was read (there the worker records it)
    assert order == [("dot", "b@example.org"), ("result", "b@example.org"), ("dot", "c@example.org"),
                     ("result", "c@example.org"), ("dot", "d@example.org"), ("result", "d@example.org")]  # fmt: skip
    assert len(sink.messages) == 3


@pytest.mark.parametrize("pipelining", [True, False])
@pytest.mark.parametrize("code", [554, 452])
def test_in_a_run_a_refused_end_of_data_fails_that_message_alone_and_the_next_envelope_still_stands(
    sink, client, pipelining, code
):
    sink.pipelining = pipelining
    sink.refuse_data["c@example.org"] = f"{code} content refused"
    outcomes = _run(client, ["b@example.org", "c@example.org", "d@example.org"], [])
    assert outcomes[0] == ("b@example.org", "sent") and outcomes[2] == ("d@example.org", "sent")
    assert isinstance(outcomes[1][1], smtplib.SMTPDataError) and outcomes[1][1].smtp_code == code
    assert len(sink.messages) == 2


@pytest.mark.parametrize("pipelining", [True, False])
def test_in_a_run_a_refused_recipient_is_raised_at_its_content_and_the_connection_stays_usable(
    sink, client, pipelining
):
    sink.pipelining = pipelining
    sink.refuse["c@example.org"] = "550 no such user"
    transactions = Transactions(client)
    transactions.begin(sender="a@example.org", recipients=["b@example.org"], size=10)
    transactions.content(MESSAGE % 200)
    transactions.end(lambda: None, then=("a@example.org", ["c@example.org"], 10))
    transactions.result()
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        transactions.content(MESSAGE % 201)
    transactions.begin(sender="a@example.org", recipients=["d@example.org"], size=10)
    transactions.content(MESSAGE % 202)
    transactions.end(lambda: None)
    transactions.result()
    assert len(sink.messages) == 2


@pytest.mark.django_db(transaction=True)
def test_the_marks_connection_is_kept_from_one_block_to_the_next_and_replaced_when_the_server_ended_it():
    first, second, third = _claimed_deliveries(3)
    marks = SentMarks()
    marks.record(delivery_id=first.pk, provider_message_id="<k1@test>")
    marks.settle()
    kept = marks.conn
    marks.release()  # the block's end
    marks = SentMarks()
    marks.record(delivery_id=second.pk, provider_message_id="<k2@test>")
    marks.settle()
    assert marks.conn is kept
    with connection.cursor() as cursor:  # the server ends it between two blocks (a restart, an idle timeout)
        cursor.execute("SELECT pg_terminate_backend(%s)", [kept.info.backend_pid])
    marks.release()
    time.sleep(0.2)
    marks = SentMarks()
    marks.record(delivery_id=third.pk, provider_message_id="<k3@test>")
    marks.settle()
    assert marks.conn is not kept
    marks.release()
    assert SentMark.objects.filter(delivery_id__in=[first.pk, second.pk, third.pk]).count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("pooled", [False, True])
def test_straight_to_postgresql_the_mark_is_prepared_once_and_through_pgbouncer_it_is_one_plain_statement(
    monkeypatch, pooled
):
    from apps.outreach import marks as marks_module

    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", pooled)
    first, second = _claimed_deliveries(2)
    marks = SentMarks()
    for delivery in (first, second):
        marks.record(delivery_id=delivery.pk, provider_message_id=f"<p{delivery.pk}@test>")
        marks.settle()
    if pooled:  # PgBouncer in transaction mode lends another server connection to the next statement
        assert marks.statement == marks_module._MARK_SENT_SQL
    else:
        assert marks.statement.startswith("EXECUTE outreach_mark")
        marks.cursor.execute("SHOW synchronous_commit")
        marks_module._wait(marks.conn, 5)
        assert marks.cursor.fetchone() == ("off",)
    marks.close()
    assert SentMark.objects.filter(delivery_id__in=[first.pk, second.pk]).count() == 2
