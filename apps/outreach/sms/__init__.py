"""SMS gateways: one small interface, chosen by ``OUTREACH_SMS_BACKEND``.

Adapters: ``ConsoleSmsBackend`` (development), ``HttpJsonSmsBackend`` (a generic JSON provider),
``twilio.TwilioSmsBackend`` and ``africastalking.AfricasTalkingSmsBackend`` (their documented HTTP APIs, with
delivery receipts and inbound messages posted back to the portal). A gateway that calls back says whether a
request is really its own (``webhook_verify``) and reads receipts and inbound messages into the two small
records below, so the views and services stay the same for every gateway.
"""

from __future__ import annotations

import abc
import json
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


class SmsTemporaryError(Exception):
    """The gateway could not take the message now; try again later."""


class SmsPermanentError(Exception):
    """The gateway refused the message; trying again will not help."""


@dataclass(frozen=True)
class SmsReceipt:
    """A delivery receipt: the gateway's message id, ``delivered`` / ``failed`` / ``""`` (still on its way)."""

    provider_message_id: str
    outcome: str
    reason: str = ""


@dataclass(frozen=True)
class SmsInbound:
    """A message a person sent to the portal's number."""

    sender: str
    text: str
    provider_message_id: str = ""


class SmsWebhookError(Exception):
    """A callback the gateway's protocol does not allow (missing fields): answered 400."""


class SmsBackend(abc.ABC):
    """The gateway interface: console and HTTP adapters below, Twilio and Africa's Talking in their modules."""

    # The name in the callback URLs (/api/v1/outreach/sms/<name>/…) and the key of its rate limit; "" : no callbacks.
    name = ""

    @abc.abstractmethod
    def send(self, *, to: str, text: str, reference: str) -> str:
        """Send one message; return the provider's message id. Raise SmsTemporaryError or SmsPermanentError."""

    def close(self) -> None:  # noqa: B027 - optional hook: most gateways hold no connection
        """Release the connection to the gateway, if the backend holds one."""

    def rate_limit(self) -> float:
        """Messages per second this gateway accepts from the portal (``OUTREACH_SMS_GATEWAY_RATES``, else
        ``OUTREACH_SMS_RATE``), shared by every worker."""
        rates = settings.OUTREACH_SMS_GATEWAY_RATES
        return float(rates.get(self.name) or settings.OUTREACH_RATE_LIMITS.get("sms") or 0)

    def webhook_verify(self, request) -> bool:
        """Whether a callback really comes from this gateway. Gateways without callbacks accept none."""
        return False

    def receipt_read(self, data) -> SmsReceipt:
        raise SmsWebhookError("this gateway sends no receipts")

    def inbound_read(self, data) -> SmsInbound:
        raise SmsWebhookError("this gateway forwards no messages")

    def inbound_answer(self):
        """What the gateway expects in answer to an inbound message (most: an empty 200)."""
        from django.http import HttpResponse

        return HttpResponse(status=200)


def http_post(url: str, data: bytes, headers: dict, timeout: float) -> tuple[int, bytes]:
    """POST to a gateway: (status, body) for any HTTP answer; SmsTemporaryError when none came (network)."""
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - configured URL
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise SmsTemporaryError(str(exc)) from exc


def form_value(data, key: str) -> str:
    """A required field of a gateway's callback."""
    value = data.get(key)
    if value in (None, ""):
        raise SmsWebhookError(f"missing {key}")
    return str(value)


class ConsoleSmsBackend(SmsBackend):
    """Writes each message to standard output (development)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, *, to: str, text: str, reference: str) -> str:
        self.stream.write(f"SMS to {to} [{reference}]\n{text}\n{'-' * 40}\n")
        self.stream.flush()
        return reference


class HttpJsonSmsBackend(SmsBackend):
    """A provider taking ``POST {"from", "to", "text", "reference"}`` with a bearer token, answering
    ``{"id": ...}``. 5xx and network errors are temporary; 4xx are permanent."""

    def __init__(self, url: str | None = None, token: str | None = None, sender: str | None = None, timeout=10):
        self.url = url or settings.OUTREACH_SMS_HTTP_URL
        self.token = token if token is not None else settings.OUTREACH_SMS_HTTP_TOKEN
        self.sender = sender or settings.OUTREACH_SMS_SENDER
        self.timeout = timeout

    def send(self, *, to: str, text: str, reference: str) -> str:
        payload = json.dumps({"from": self.sender, "to": to, "text": text, "reference": reference}).encode()
        request = urllib.request.Request(
            self.url,
            data=payload,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                body = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            if exc.code >= 500 or exc.code == 429:
                raise SmsTemporaryError(f"HTTP {exc.code}") from exc
            raise SmsPermanentError(f"HTTP {exc.code}: {exc.read()[:200].decode(errors='replace')}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsTemporaryError(str(exc)) from exc
        except ValueError as exc:
            raise SmsTemporaryError("the gateway answered something that is not JSON") from exc
        return str(body.get("id") or reference)


def get_sms_backend() -> SmsBackend:
    return import_string(settings.OUTREACH_SMS_BACKEND)()
