"""Writes of the outreach app, one module per part: segments, campaigns and their states, starting a campaign
(deliveries), notifications, consent withdrawn from a message (unsubscribe, SMS STOP), provider events (tracking).

Sending itself (claiming deliveries, talking to SMTP or the SMS gateway) lives in ``sending.py``.
"""

from apps.core.notifications import notification_language

from ._common import LANGUAGE_CODES
from .campaigns import (
    campaign_cancel,
    campaign_check_ready,
    campaign_create,
    campaign_message_set,
    campaign_missing_language_decide,
    campaign_missing_languages,
    campaign_pause,
    campaign_resume,
    campaign_resume_now,
    campaign_schedule,
    campaign_schedule_check,
)
from .consent import (
    UnsubscribeError,
    sms_stop_confirm_send,
    sms_stop_receive,
    unsubscribe_confirm,
    unsubscribe_token_check,
)
from .deliveries import BLOCK_PRIORITY, RECOVERED_PRIORITY, _deliveries_insert, campaign_start, deliveries_enqueue
from .notifications import notification_send
from .segments import segment_create, segment_update
from .tracking import HOLD_EVENTS, delivery_tracking_record, sms_receipt_record

__all__ = [
    "BLOCK_PRIORITY",
    "HOLD_EVENTS",
    "LANGUAGE_CODES",
    "RECOVERED_PRIORITY",
    "UnsubscribeError",
    "_deliveries_insert",
    "campaign_cancel",
    "campaign_check_ready",
    "campaign_create",
    "campaign_message_set",
    "campaign_missing_language_decide",
    "campaign_missing_languages",
    "campaign_pause",
    "campaign_resume",
    "campaign_resume_now",
    "campaign_schedule",
    "campaign_schedule_check",
    "campaign_start",
    "deliveries_enqueue",
    "delivery_tracking_record",
    "notification_language",
    "notification_send",
    "segment_create",
    "segment_update",
    "sms_receipt_record",
    "sms_stop_confirm_send",
    "sms_stop_receive",
    "unsubscribe_confirm",
    "unsubscribe_token_check",
]
