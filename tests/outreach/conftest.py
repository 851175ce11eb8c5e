"""Outreach fixtures: a local SMTP sink (aiosmtpd) that counts messages by Message-ID, and an HTTP SMS stub."""

from __future__ import annotations

import json
import os
import socket
import threading
from collections import Counter
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SinkHandler:
    """Keeps every message accepted; ``refuse`` maps an address (sender or recipient) to an SMTP reply to give
    instead, ``refuse_data`` a recipient to the reply its message's end of data gets; with ``pipelining`` the server offers PIPELINING (RFC 2920; aiosmtpd reads pipelined commands in order
    but does not say so by itself)."""

    def __init__(self):
        self.messages = []
        self.refuse: dict[str, str] = {}
        self.refuse_data: dict[str, str] = {}
        self.pipelining = False
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802 - aiosmtpd API
        session.host_name = hostname
        if self.pipelining:
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802 - aiosmtpd API
        if address in self.refuse:
            return self.refuse[address]
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd API
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        for address in envelope.rcpt_tos:
            if address in self.refuse_data:
                return self.refuse_data[address]
        message = message_from_bytes(envelope.content, policy=default_policy)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def message_ids(self) -> Counter:
        with self.lock:
            return Counter(m["Message-ID"] for m in self.messages)

    def to(self, address: str):
        with self.lock:
            return [m for m in self.messages if address in m["To"]]


@pytest.fixture(scope="module")
def smtp_sink():
    """A real SMTP server on localhost. Also exported in the environment, so a worker started after it (the
    module's ``celery_worker_process``, listed after this fixture) sends its outreach mail here."""
    handler = SinkHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {k: os.environ.get(k) for k in ("OUTREACH_EMAIL_BACKEND", "OUTREACH_EMAIL_HOST", "OUTREACH_EMAIL_PORT")}
    os.environ.update(
        OUTREACH_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        OUTREACH_EMAIL_HOST="127.0.0.1",
        OUTREACH_EMAIL_PORT=str(port),
    )
    handler.port = port
    yield handler
    controller.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def sink(smtp_sink, settings):
    """The SMTP sink, emptied, with this process's outreach mail going to it."""
    smtp_sink.messages.clear()
    smtp_sink.refuse.clear()
    smtp_sink.refuse_data.clear()
    smtp_sink.pipelining = False
    settings.OUTREACH_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.OUTREACH_EMAIL_HOST = "127.0.0.1"
    settings.OUTREACH_EMAIL_PORT = smtp_sink.port
    settings.OUTREACH_RATE_LIMITS = {"email": 1000.0, "sms": 1000.0}
    return smtp_sink


class _SmsStubHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server = self.server
        server.requests.append({"body": body, "authorization": self.headers.get("Authorization")})
        status = server.statuses.pop(0) if server.statuses else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"id": f"sms-{len(server.requests)}"}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def sms_stub(settings):
    """A local HTTP server speaking the JSON SMS provider protocol; ``statuses`` queues replies (500, 400…)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SmsStubHandler)
    server.requests, server.statuses = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.OUTREACH_SMS_BACKEND = "apps.outreach.sms.HttpJsonSmsBackend"
    settings.OUTREACH_SMS_HTTP_URL = f"http://127.0.0.1:{server.server_address[1]}/messages"
    settings.OUTREACH_SMS_HTTP_TOKEN = "stub-token"
    settings.OUTREACH_RATE_LIMITS = {"email": 1000.0, "sms": 1000.0}
    yield server
    server.shutdown()
    server.server_close()
