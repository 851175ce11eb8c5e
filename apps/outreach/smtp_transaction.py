"""One SMTP mail transaction (RFC 5321 §3.3: MAIL, RCPT, DATA) on an open ``smtplib.SMTP`` client, whose end of
data waits for the caller's go-ahead.

A message is delivered only when the server answers the end-of-data dot; a connection lost before the dot aborts
the transaction. The worker sends the content of the next message while the database records the previous one,
and sends the dot once that record is committed (``before_end``), so a killed worker leaves at most one message
delivered and unrecorded. Errors are smtplib's own exceptions, as ``SMTP.sendmail`` raises them.
"""

from __future__ import annotations

import re
import smtplib
import socket
from collections.abc import Callable

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


def smtp_send(
    client: smtplib.SMTP,
    *,
    sender: str,
    recipients: list[str],
    data: bytes,
    before_end: Callable[[], None] | None = None,
) -> None:
    """Send ``data`` (a message with CRLF line ends) to ``recipients``; ``before_end`` runs before the dot."""
    client.ehlo_or_helo_if_needed()
    options = [f"size={len(data)}"] if client.does_esmtp and client.has_extn("size") else []
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
    content = _LINE_STARTING_WITH_DOT.sub(b"..", data)
    if not content.endswith(b"\r\n"):
        content += b"\r\n"
    if before_end is not None and client.sock is not None:
        # The dot goes alone, after the content: without this, Nagle's algorithm holds it until the server
        # acknowledges the content, which it delays (up to 40 ms on Linux) as it has nothing to answer yet.
        client.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    client.send(content)
    if before_end is not None:
        before_end()  # raising here drops the connection mid-data (the caller closes it): nothing is delivered
    client.send(b".\r\n")
    code, reply = client.getreply()
    if code != 250:
        _reset(client, code)
        raise smtplib.SMTPDataError(code, reply)
