"""SMS gateways: one small interface, a console backend for development and an HTTP (JSON) provider adapter."""

from __future__ import annotations

import abc
import json
import sys
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string


class SmsTemporaryError(Exception):
    """The gateway could not take the message now; try again later."""


class SmsPermanentError(Exception):
    """The gateway refused the message; trying again will not help."""


class SmsBackend(abc.ABC):
    """The gateway interface: console and HTTP adapters below."""

    @abc.abstractmethod
    def send(self, *, to: str, text: str, reference: str) -> str:
        """Send one message; return the provider's message id. Raise SmsTemporaryError or SmsPermanentError."""

    def close(self) -> None:  # noqa: B027 - optional hook: most gateways hold no connection
        """Release the connection to the gateway, if the backend holds one."""


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
