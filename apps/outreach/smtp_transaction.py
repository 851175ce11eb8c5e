"""SMTP mail transactions (RFC 5321 §3.3: MAIL, RCPT, DATA) on an open ``smtplib.SMTP`` client, whose end of
data waits for the caller's go-ahead, one after the other and overlapped with the caller's work (``Transactions``).

A message is delivered only when the server answers the end-of-data dot; a connection lost before the dot aborts
the transaction. The worker sends the content of the next message while the database records the previous one,
and sends the dot once that record is committed (``before_end``), so a killed worker leaves at most one message
delivered and unrecorded. Errors are smtplib's own exceptions, as ``SMTP.sendmail`` raises them.

A server that offers PIPELINING (RFC 2920: Postfix, the large providers) gets MAIL, RCPT and DATA in one write and
answers them in order, so a message takes two round trips (envelope, then content and dot) instead of four; a
refusal of any of them is raised as without it. In a run of messages the next envelope follows the dot, and the
server reads each content while the worker composes the next message.
"""

from __future__ import annotations

import functools
import re
import smtplib
import socket
from collections.abc import Callable
from typing import NamedTuple

# RFC 5321 §4.5.2: a line of content starting with a dot gets one more.
_LINE_STARTING_WITH_DOT = re.compile(rb"(?m)^\.")
# A plain addr-spec that needs no quoting nor encoding: Django's ``sanitize_address`` returns it unchanged.
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*"
)


def plain_address(address: str) -> bool:
    return _PLAIN_ADDRESS.fullmatch(address) is not None


def _reset(client: smtplib.SMTP, code: int) -> None:
    """Leave the transaction after a refusal: 421 means the server is closing the connection."""
    if code == 421:
        client.close()
        return
    try:
        client.rset()
    except smtplib.SMTPServerDisconnected:
        pass


def _command_address(address: str) -> str:
    """An address as ``smtplib`` quotes it in MAIL and RCPT (a plain one needs no parsing)."""
    return f"<{address}>" if plain_address(address) else smtplib.quoteaddr(address)


@functools.lru_cache(maxsize=32)
def _sender_address(address: str) -> str:
    """The sender of MAIL, quoted once per value (a block sends everything from one sender)."""
    return _command_address(address)


def _refused(client: smtplib.SMTP, code: int, data_code: int) -> None:
    """Leave a pipelined transaction after a refusal. A DATA the server accepted anyway (354) is ended with a lone
    dot first (RFC 2920 §3.1: the server then refuses the empty message, having no recipient); 421 means the
    server is closing the connection."""
    if 421 in (code, data_code):
        client.close()
        return
    if data_code == 354:
        client.send(b".\r\n")
        client.getreply()
    _reset(client, code)


def _envelope_commands(sender: str, recipients: list[str], options: list[str]) -> bytes:
    """MAIL, every RCPT and DATA, to be written at once (RFC 2920)."""
    mail = f"MAIL FROM:{_sender_address(sender)}" + "".join(f" {option}" for option in options)
    commands = [mail, *(f"RCPT TO:{_command_address(recipient)}" for recipient in recipients), "DATA"]
    return "".join(f"{command}\r\n" for command in commands).encode("ascii")


def _envelope_replies(client: smtplib.SMTP, sender: str, recipients: list[str]) -> None:
    """The replies to a pipelined envelope, in order: one round trip instead of two plus one per recipient.
    Refusals raise what ``_open`` raises for them."""
    mail_code, mail_reply = client.getreply()
    if mail_code == 421:
        client.close()
        raise smtplib.SMTPSenderRefused(mail_code, mail_reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = client.getreply()
        if code not in (250, 251):
            refused[recipient] = (code, reply)
            if code == 421:
                client.close()
                raise smtplib.SMTPRecipientsRefused(refused)
    data_code, data_reply = client.getreply()
    if mail_code != 250:
        _refused(client, mail_code, data_code)
        raise smtplib.SMTPSenderRefused(mail_code, mail_reply, sender)
    if len(refused) == len(recipients):
        _refused(client, 0, data_code)
        raise smtplib.SMTPRecipientsRefused(refused)
    if data_code != 354:
        _refused(client, data_code, data_code)
        raise smtplib.SMTPDataError(data_code, data_reply)


def _open(client: smtplib.SMTP, sender: str, recipients: list[str], options: list[str]) -> None:
    """MAIL, RCPT and DATA one after the other, each waiting for its reply (a server without PIPELINING)."""
    code, reply = client.mail(sender, options)
    if code != 250:
        _reset(client, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = client.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
            if code == 421:
                client.close()
                raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(recipients):
        _reset(client, 0)
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = client.docmd("DATA")
    if code != 354:
        _reset(client, code)
        raise smtplib.SMTPDataError(code, reply)


def _stuffed(data: bytes) -> bytes:
    """The content as it goes between DATA and the dot: dot-stuffed, ending with a line end."""
    content = _LINE_STARTING_WITH_DOT.sub(b"..", data)
    return content if content.endswith(b"\r\n") else content + b"\r\n"


class _Envelope(NamedTuple):
    """An envelope begun and not answered yet; ``written``: it went to the server already (PIPELINING)."""

    sender: str
    recipients: list[str]
    options: list[str]
    written: bool


class Transactions:
    """Successive mail transactions on one open ``smtplib.SMTP`` connection, each in four steps so the caller can
    work while the server does:

    - ``begin``: the envelope. With PIPELINING it is written at once and its replies read by ``content``;
      without, MAIL, RCPT and DATA are sent one after the other by ``content``.
    - ``content``: the envelope's replies (a refusal raises smtplib's error and leaves the connection usable),
      then the content, without the dot. The server reads it while the caller composes the next message.
    - ``end``: ``before_end`` (the previous message's mark committed), then the dot. With PIPELINING the next
      transaction's envelope goes in the same write (RFC 2920 §3.1: content may open a group), so the server
      answers both while the caller records this message.
    - ``result``: the dot's reply; anything but 250 raises ``SMTPDataError``.
    """

    def __init__(self, client: smtplib.SMTP):
        client.ehlo_or_helo_if_needed()
        self.client = client
        self.pipelining = bool(client.does_esmtp and client.has_extn("pipelining"))
        self.sized = bool(client.does_esmtp and client.has_extn("size"))
        self.pending: _Envelope | None = None
        if client.sock is not None:
            # The dot goes alone, after the content: without this, Nagle's algorithm holds it until the server
            # acknowledges the content, which it delays (up to 40 ms on Linux) as it has nothing to answer yet.
            client.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _envelope(self, sender: str, recipients: list[str], size: int) -> bytes:
        """Begin the envelope; the commands to write now (none without PIPELINING: ``content`` sends them)."""
        options = [f"size={size}"] if self.sized else []
        self.pending = _Envelope(sender, recipients, options, written=self.pipelining)
        return _envelope_commands(sender, recipients, options) if self.pipelining else b""

    def begin(self, sender: str, recipients: list[str], size: int) -> None:
        commands = self._envelope(sender, recipients, size)
        if commands:
            self.client.send(commands)

    def content(self, data: bytes, *, before_end: Callable[[], None] | None = None) -> None:
        """With ``before_end``, the dot follows the content in the same write (no next envelope)."""
        assert self.pending is not None, "content() without begin()"
        envelope, self.pending = self.pending, None
        if envelope.written:
            _envelope_replies(self.client, envelope.sender, envelope.recipients)
        else:
            _open(self.client, envelope.sender, envelope.recipients, envelope.options)
        if before_end is None:
            self.client.send(_stuffed(data))
        else:
            before_end()
            self.client.send(_stuffed(data) + b".\r\n")

    def end(self, before_end: Callable[[], None], *, then: tuple[str, list[str], int] | None = None) -> None:
        """``then``: the next message's (sender, recipients, size), whose envelope follows the dot when it can.
        ``before_end`` raising leaves the transaction mid-data: the caller drops the connection, nothing is
        delivered."""
        before_end()
        tail = b".\r\n"
        if then is not None:
            tail += self._envelope(*then)
        self.client.send(tail)

    def result(self) -> None:
        code, reply = self.client.getreply()
        if code != 250:
            if code == 421:
                self.client.close()
            elif self.pending is None or not self.pending.written:
                _reset(self.client, code)
            # else: the next envelope is on its way (a reset would cancel it); the refused transaction is over
            raise smtplib.SMTPDataError(code, reply)


def smtp_send(
    client: smtplib.SMTP,
    *,
    sender: str,
    recipients: list[str],
    data: bytes,
    before_end: Callable[[], None] | None = None,
    end_ready: Callable[[], bool] | None = None,
) -> None:
    """One transaction on its own (a block's messages go through ``Transactions``, overlapped): send ``data`` (a
    message with CRLF line ends) to ``recipients``; ``before_end`` runs before the dot.

    ``end_ready`` says, without waiting, whether ``before_end`` would return at once: then the content and the dot
    go in one write (the server reads them in one go). When the server offers PIPELINING (RFC 2920), the envelope
    and DATA go in one write too."""
    transaction = Transactions(client)
    transaction.begin(sender, recipients, len(data))
    if before_end is None or (end_ready is not None and end_ready()):
        transaction.content(data, before_end=before_end or (lambda: None))
    else:
        transaction.content(data)
        transaction.end(before_end)
    transaction.result()
