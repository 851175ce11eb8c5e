"""Twilio Programmable Messaging over its documented REST API (no SDK: one form POST per message).

Sending: ``POST {api}/2010-04-01/Accounts/{AccountSid}/Messages.json`` with HTTP basic auth (Account SID and
Auth Token), form fields ``To``, ``From`` (or ``MessagingServiceSid``), ``Body`` and ``StatusCallback``; the
answer (201) carries the message ``sid``. 429 and 5xx are temporary; other 4xx carry Twilio's error code and are
permanent. Callbacks (status and inbound messages) are form posts signed with ``X-Twilio-Signature``: base64 of
HMAC-SHA1, keyed with the Auth Token, of the full URL Twilio called followed by each POST parameter, sorted by
name, as name and value with no separator. An inbound message is answered with TwiML (an empty ``<Response/>``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse

from . import SmsBackend, SmsInbound, SmsPermanentError, SmsReceipt, SmsTemporaryError, form_value, http_post

DELIVERED = {"delivered"}
FAILED = {"undelivered", "failed"}


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """The X-Twilio-Signature of a callback to ``url`` with POST ``params``."""
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def callback_url(request) -> str:
    """The URL the gateway called, as it called it: the portal's public address (``OUTREACH_SMS_WEBHOOK_BASE_URL``,
    behind a proxy the host seen here may differ) and the path with its query."""
    base = settings.OUTREACH_SMS_WEBHOOK_BASE_URL.rstrip("/")
    return f"{base}{request.get_full_path()}" if base else request.build_absolute_uri()


class TwilioSmsBackend(SmsBackend):
    name = "twilio"

    def __init__(self, account_sid=None, auth_token=None, sender=None, api_url=None, timeout=None):
        self.account_sid = account_sid or settings.OUTREACH_TWILIO_ACCOUNT_SID
        self.auth_token = auth_token or settings.OUTREACH_TWILIO_AUTH_TOKEN
        self.sender = sender or settings.OUTREACH_SMS_SENDER
        self.api_url = (api_url or settings.OUTREACH_TWILIO_API_URL).rstrip("/")
        self.timeout = timeout or settings.OUTREACH_SEND_TIMEOUT

    def send(self, *, to: str, text: str, reference: str) -> str:
        fields = {"To": to, "Body": text}
        fields["MessagingServiceSid" if self.sender.startswith("MG") else "From"] = self.sender
        base = settings.OUTREACH_SMS_WEBHOOK_BASE_URL.rstrip("/")
        if base:
            fields["StatusCallback"] = f"{base}/api/v1/outreach/sms/{self.name}/receipts/"
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        status, body = http_post(
            f"{self.api_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json",
            urlencode(fields).encode(),
            {
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            self.timeout,
        )
        try:
            answer = json.loads(body or b"{}")
        except ValueError:
            answer = {}
        if status == 429 or status >= 500:
            raise SmsTemporaryError(f"Twilio HTTP {status}")
        if status >= 400:
            raise SmsPermanentError(f"Twilio {answer.get('code', status)}: {answer.get('message', '')}"[:300])
        if not answer.get("sid"):
            raise SmsTemporaryError("Twilio answered without a message sid")
        return str(answer["sid"])

    def webhook_verify(self, request) -> bool:
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not self.auth_token:
            return False
        params = {key: request.POST.get(key) for key in request.POST}
        expected = twilio_signature(self.auth_token, callback_url(request), params)
        return hmac.compare_digest(expected, signature)

    def receipt_read(self, data) -> SmsReceipt:
        status = form_value(data, "MessageStatus")
        outcome = "delivered" if status in DELIVERED else "failed" if status in FAILED else ""
        reason = f"{status} (Twilio error {data.get('ErrorCode')})" if data.get("ErrorCode") else status
        return SmsReceipt(form_value(data, "MessageSid"), outcome, reason)

    def inbound_read(self, data) -> SmsInbound:
        return SmsInbound(form_value(data, "From"), data.get("Body", ""), data.get("MessageSid", ""))

    def inbound_answer(self):
        return HttpResponse('<?xml version="1.0" encoding="UTF-8"?><Response></Response>', content_type="text/xml")
