"""Africa's Talking SMS over its documented REST API (no SDK: one form POST per message).

Sending: ``POST {api}/version1/messaging`` with the ``apiKey`` header and form fields ``username``, ``to``,
``message`` and ``from`` (sender id or short code); the answer (201) lists each recipient with a ``statusCode``:
100 (processed), 101 (sent) and 102 (queued) are accepted, 405 (insufficient balance) and 5xx are temporary, the
others (invalid number, blacklisted, do-not-disturb, …) permanent. Delivery reports (``id``, ``status``,
``failureReason``) and incoming messages (``from``, ``text``, ``id``) are form posts to URLs registered in the
account. They carry no signature: the URLs registered there include ``?token=OUTREACH_SMS_WEBHOOK_TOKEN``, which is
checked in constant time.
"""

from __future__ import annotations

import hmac
import json
from urllib.parse import urlencode

from django.conf import settings

from . import SmsBackend, SmsInbound, SmsPermanentError, SmsReceipt, SmsTemporaryError, form_value, http_post

ACCEPTED = {100, 101, 102}
TEMPORARY = {405, 500, 501, 502}
DELIVERED = {"Success"}
FAILED = {"Failed", "Rejected", "AbsentSubscriber", "Expired"}


class AfricasTalkingSmsBackend(SmsBackend):
    name = "africastalking"

    def __init__(self, username=None, api_key=None, sender=None, api_url=None, timeout=None):
        self.username = username or settings.OUTREACH_AFRICASTALKING_USERNAME
        self.api_key = api_key or settings.OUTREACH_AFRICASTALKING_API_KEY
        self.sender = sender if sender is not None else settings.OUTREACH_SMS_SENDER
        self.api_url = (api_url or settings.OUTREACH_AFRICASTALKING_API_URL).rstrip("/")
        self.timeout = timeout or settings.OUTREACH_SEND_TIMEOUT

    def send(self, *, to: str, text: str, reference: str) -> str:
        fields = {"username": self.username, "to": to, "message": text}
        if self.sender:
            fields["from"] = self.sender
        status, body = http_post(
            f"{self.api_url}/version1/messaging",
            urlencode(fields).encode(),
            {"apiKey": self.api_key, "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
            self.timeout,
        )
        if status == 429 or status >= 500:
            raise SmsTemporaryError(f"Africa's Talking HTTP {status}")
        if status >= 400:
            raise SmsPermanentError(f"Africa's Talking HTTP {status}: {body[:200].decode(errors='replace')}")
        try:
            recipients = json.loads(body)["SMSMessageData"]["Recipients"]
            recipient = recipients[0]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise SmsTemporaryError("Africa's Talking answered without a recipient status") from exc
        code = int(recipient.get("statusCode", 0))
        if code in ACCEPTED:
            return str(recipient.get("messageId") or reference)
        message = f"Africa's Talking {code}: {recipient.get('status', '')}"
        if code in TEMPORARY:
            raise SmsTemporaryError(message)
        raise SmsPermanentError(message)

    def webhook_verify(self, request) -> bool:
        expected = settings.OUTREACH_SMS_WEBHOOK_TOKEN
        given = request.GET.get("token", "")
        return bool(expected) and hmac.compare_digest(expected.encode(), given.encode())

    def receipt_read(self, data) -> SmsReceipt:
        status = form_value(data, "status")
        outcome = "delivered" if status in DELIVERED else "failed" if status in FAILED else ""
        reason = f"{status}: {data.get('failureReason')}" if data.get("failureReason") else status
        return SmsReceipt(form_value(data, "id"), outcome, reason)

    def inbound_read(self, data) -> SmsInbound:
        return SmsInbound(form_value(data, "from"), data.get("text", ""), data.get("id", ""))
