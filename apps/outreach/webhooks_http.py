"""The e-mail provider's delivery and bounce webhook (django-anymail), mounted for the configured provider only.

Unauthenticated posts are refused: without ANYMAIL_WEBHOOK_SECRET the endpoint answers 403 rather than letting
anyone post bounce events (which would put addresses on hold). A body the provider's parser cannot read is a
400, never a 500.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import JsonResponse
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
