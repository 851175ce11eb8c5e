"""What providers and gateways report after sending: delivered, failed, bounced (bounces hold the address)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..marks import marks_fold
from ..models import AddressHold, Delivery
from ..sms import SmsReceipt


def sms_receipt_record(*, receipt: SmsReceipt) -> Delivery | None:
    """A gateway's delivery receipt: delivered, or failed with the gateway's reason; "on its way" changes nothing."""
    if not receipt.outcome:
        return None
    return delivery_tracking_record(
        event_type=receipt.outcome, provider_message_id=receipt.provider_message_id, description=receipt.reason
    )


# Provider events ----------------------------------------------------------------------------------------------

HOLD_EVENTS = {"bounced", "rejected", "complained"}


@transaction.atomic
def delivery_tracking_record(
    *, event_type: str, provider_message_id: str = "", delivery_id=None, recipient: str = "", description: str = ""
) -> Delivery | None:
    """A provider says a message was delivered or bounced: update the delivery; hard bounces hold the address.

    The message's mark may still wait for its claim batch's fold (the row still ``sending``, without its provider
    id): it is folded first."""
    qs = Delivery.objects.select_for_update()
    delivery = None
    if delivery_id and str(delivery_id).isdigit():
        marks_fold([int(delivery_id)])
        delivery = qs.filter(pk=int(delivery_id)).first()
    if delivery is None and provider_message_id:
        marks_fold(provider_message_id=provider_message_id)
        delivery = qs.filter(provider_message_id=provider_message_id).first()
    if delivery is None:
        return None
    now = timezone.now()
    if event_type == "delivered" and delivery.state == Delivery.State.SENT:
        delivery.state = Delivery.State.DELIVERED
    elif event_type == "failed" and delivery.state in (Delivery.State.SENT, Delivery.State.DELIVERED):
        delivery.state = Delivery.State.FAILED  # an SMS gateway could not deliver it (number off, unknown…)
        delivery.reason = (description or event_type)[:500]
    elif event_type in HOLD_EVENTS:
        delivery.state = Delivery.State.BOUNCED
        delivery.reason = (description or event_type)[:500]
        AddressHold.objects.get_or_create(
            address=recipient or delivery.address, defaults={"reason": f"{event_type}: {description}"[:300]}
        )
    else:
        return delivery
    delivery.updated_at = now
    delivery.save(update_fields=["state", "reason", "updated_at"])
    return delivery
