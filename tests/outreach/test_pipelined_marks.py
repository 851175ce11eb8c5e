"""The mark of an accepted message travels while the next message is composed and its SMTP transaction opened;
the next message's end of data waits for it. Against a real SMTP server (aiosmtpd) and PostgreSQL."""

from __future__ import annotations

import smtplib
import time

import pytest
from django.core.mail.message import sanitize_address
from django.db import connection

from apps.outreach.marks import MarkError, SentMarks
from apps.outreach.models import Delivery
from apps.outreach.smtp_transaction import plain_address, smtp_send
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
    first.refresh_from_db()
    assert first.state == Delivery.State.SENT
    assert first.provider_message_id == "<1@test>"
    marks.record(delivery_id=second.pk, provider_message_id="<2@test>")
    marks.close()  # unsettled: what a worker killed right after sending the mark leaves
    marks = SentMarks()
    marks.record(delivery_id=second.pk, provider_message_id="<2@test>")
    marks.settle()
    marks.close()
    second.refresh_from_db()
    assert second.state == Delivery.State.SENT


@pytest.mark.django_db
def test_inside_a_transaction_the_mark_is_part_of_it():
    (delivery,) = _claimed_deliveries(1)
    marks = SentMarks()
    assert not marks.pipelined
    marks.record(delivery_id=delivery.pk, provider_message_id="<3@test>")
    assert connection.in_atomic_block
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
