"""Local HTTP servers speaking Twilio's and Africa's Talking's documented SMS protocols (requests, answers, errors),
and the callbacks each gateway sends back (Twilio's signed with X-Twilio-Signature). Never the real services."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server API
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode(), keep_blank_values=True).items()}
        status, body = self.server.gateway.answer(self.path, self.headers, form)  # names: any case, as in HTTP
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())

    def log_message(self, *args):
        pass


class FakeGateway:
    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []  # HTTP statuses to answer next (429, 500…), then normal answers
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.gateway = self
        self.lock = threading.Lock()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, path, headers, form):
        with self.lock:
            self.requests.append({"path": path, "headers": headers, "form": form})
            forced = self.statuses.pop(0) if self.statuses else None
        return self.respond(path, headers, form, forced)


class FakeTwilio(FakeGateway):
    """``POST /2010-04-01/Accounts/{AccountSid}/Messages.json``, basic auth, form To/From/Body/StatusCallback."""

    def __init__(self, account_sid: str, auth_token: str):
        self.account_sid, self.auth_token = account_sid, auth_token
        self.messages: dict[str, dict] = {}
        super().__init__()

    def respond(self, path, headers, form, forced):
        if path != f"/2010-04-01/Accounts/{self.account_sid}/Messages.json":
            return 404, {"code": 20404, "message": "The requested resource was not found", "status": 404}
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if headers.get("Authorization") != expected:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        if forced == 429:
            return 429, {"code": 20429, "message": "Too Many Requests", "status": 429}
        if forced:
            return forced, {"code": 20500, "message": "Internal Server Error", "status": forced}
        if not form.get("To", "").startswith("+"):
            return 400, {"code": 21211, "message": f"The 'To' number {form.get('To')} is not valid.", "status": 400}
        if not (form.get("From") or form.get("MessagingServiceSid")) or not form.get("Body"):
            return 400, {"code": 21604, "message": "A 'From' phone number and a 'Body' are required.", "status": 400}
        sid = "SM" + secrets.token_hex(16)
        self.messages[sid] = form
        return 201, {"sid": sid, "status": "queued", "to": form["To"], "body": form["Body"], "num_segments": "1"}

    def sign(self, url: str, params: dict) -> str:
        payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
        return base64.b64encode(hmac.new(self.auth_token.encode(), payload.encode(), hashlib.sha1).digest()).decode()

    def status_callback(self, sid: str, status: str, error_code: str = "") -> tuple[str, dict, str]:
        """The status callback Twilio posts for message ``sid``: (path, form, X-Twilio-Signature)."""
        form = self.messages[sid]
        params = {"MessageSid": sid, "SmsSid": sid, "AccountSid": self.account_sid, "MessageStatus": status,
                  "SmsStatus": status, "To": form["To"], "From": form.get("From", ""), "ApiVersion": "2010-04-01"}  # fmt: skip
        if error_code:
            params["ErrorCode"] = error_code
        url = form["StatusCallback"]
        return urlsplit(url).path, params, self.sign(url, params)

    def inbound(self, base_url: str, sender: str, text: str) -> tuple[str, dict, str]:
        """An SMS a person sends to the portal's number, as Twilio posts it to the messaging webhook."""
        path = "/api/v1/outreach/sms/twilio/inbound/"
        params = {"MessageSid": "SM" + secrets.token_hex(16), "AccountSid": self.account_sid, "From": sender,
                  "To": "+15005550006", "Body": text, "NumMedia": "0", "ApiVersion": "2010-04-01"}  # fmt: skip
        return path, params, self.sign(base_url.rstrip("/") + path, params)


class FakeAfricasTalking(FakeGateway):
    """``POST /version1/messaging`` with the ``apiKey`` header, form username/to/message/from."""

    def __init__(self, username: str, api_key: str):
        self.username, self.api_key = username, api_key
        self.recipient_codes: list[int] = []  # statusCode to give the next recipients (403, 405…)
        self.messages: dict[str, dict] = {}
        super().__init__()

    def respond(self, path, headers, form, forced):
        if path != "/version1/messaging":
            return 404, {"error": "not found"}
        if headers.get("apiKey") != self.api_key or form.get("username") != self.username:
            return 401, "The supplied authentication is invalid"
        if forced:
            return forced, "Internal error"
        if not form.get("to") or not form.get("message"):
            return 400, "Request is missing required form field 'to' or 'message'"
        code = self.recipient_codes.pop(0) if self.recipient_codes else 101
        names = {101: "Success", 403: "InvalidPhoneNumber", 405: "InsufficientBalance", 406: "UserInBlacklist"}
        message_id = "ATXid_" + secrets.token_hex(16) if code == 101 else "None"
        if code == 101:
            self.messages[message_id] = form
        recipient = {"statusCode": code, "number": form["to"], "status": names.get(code, "Failed"),
                     "cost": "KES 0.8000" if code == 101 else "0", "messageId": message_id}  # fmt: skip
        sent = 1 if code == 101 else 0
        return 201, {
            "SMSMessageData": {"Message": f"Sent to {sent}/1 Total Cost: KES 0.8000", "Recipients": [recipient]}
        }

    def delivery_report(self, message_id: str, status: str, failure_reason: str = "") -> dict:
        form = {"id": message_id, "status": status, "phoneNumber": self.messages[message_id]["to"],
                "networkCode": "63902", "retryCount": "0"}  # fmt: skip
        if failure_reason:
            form["failureReason"] = failure_reason
        return form

    def inbound(self, sender: str, text: str) -> dict:
        return {"from": sender, "to": "22384", "text": text, "date": "2026-12-06 06:00:00", "id": secrets.token_hex(8),
                "linkId": secrets.token_hex(8)}  # fmt: skip
