"""The e-mail provider's delivery and bounce webhook (django-anymail), mounted for the configured provider only.

Unauthenticated posts are refused: without ANYMAIL_WEBHOOK_SECRET the endpoint answers 403 rather than letting
anyone post bounce events (which would put addresses on hold). A body the provider's parser cannot read is a
400, never a 500.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from apps.core.api.errors import error_body

logger = logging.getLogger(__name__)

TRACKING_VIEWS = {
    "brevo": "anymail.webhooks.brevo.BrevoTrackingWebhookView",
    "mailgun": "anymail.webhooks.mailgun.MailgunTrackingWebhookView",
    "mailjet": "anymail.webhooks.mailjet.MailjetTrackingWebhookView",
    "postmark": "anymail.webhooks.postmark.PostmarkTrackingWebhookView",
    "sendgrid": "anymail.webhooks.sendgrid.SendGridTrackingWebhookView",
    "sparkpost": "anymail.webhooks.sparkpost.SparkPostTrackingWebhookView",
}


@csrf_exempt
def provider_tracking_webhook(request, provider: str):
    if provider != settings.OUTREACH_EMAIL_PROVIDER or provider not in TRACKING_VIEWS:
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    if not (getattr(settings, "ANYMAIL", None) or {}).get("WEBHOOK_SECRET"):
        return JsonResponse(
            error_body("not_configured", _("The provider webhook is refused until its shared secret is set.")),
            status=403,
        )
    try:
        return import_string(TRACKING_VIEWS[provider]).as_view()(request)
    except Exception:  # noqa: BLE001 - an unreadable provider payload is the caller's error, not ours
        logger.warning("unreadable %s webhook payload", provider)
        return JsonResponse(error_body("invalid", _("The data sent is not valid.")), status=400)


def _sms_gateway(gateway: str):
    """The configured SMS gateway if ``gateway`` names it (callbacks of any other are 404s)."""
    from .sms import get_sms_backend

    backend = get_sms_backend()
    return backend if backend.name and backend.name == gateway else None


def _sms_callback(request, gateway: str, handle):
    from .sms import SmsWebhookError

    if request.method != "POST":
        return JsonResponse(error_body("method_not_allowed", _("Method not allowed.")), status=405)
    backend = _sms_gateway(gateway)
    if backend is None:
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    if not backend.webhook_verify(request):
        return JsonResponse(
            error_body("permission_denied", _("This request does not come from the SMS gateway.")), status=403
        )
    try:
        return handle(backend)
    except SmsWebhookError as exc:
        logger.warning("unreadable %s SMS callback: %s", gateway, exc)
        return JsonResponse(error_body("invalid", _("The data sent is not valid.")), status=400)


@csrf_exempt
def sms_receipt_webhook(request, gateway: str):
    """A delivery receipt from the SMS gateway (signed or carrying the shared token): updates the delivery."""
    from .services import sms_receipt_record

    def handle(backend):
        sms_receipt_record(receipt=backend.receipt_read(request.POST))
        return HttpResponse(status=200)

    return _sms_callback(request, gateway, handle)


@csrf_exempt
def sms_inbound_webhook(request, gateway: str):
    """An SMS sent to the portal's number: STOP (in the three languages) withdraws SMS consent and is confirmed."""
    from .services import sms_stop_receive

    def handle(backend):
        message = backend.inbound_read(request.POST)
        sms_stop_receive(phone=message.sender, text=message.text)
        return backend.inbound_answer()

    return _sms_callback(request, gateway, handle)
