"""django-anymail tracking events (delivered, bounced, …) → the delivery's state, through one service."""

from .services import delivery_tracking_record


def anymail_tracking_received(sender, event, esp_name, **kwargs) -> None:
    metadata = event.metadata or {}
    delivery_tracking_record(
        event_type=event.event_type,
        provider_message_id=event.message_id or "",
        delivery_id=metadata.get("delivery_id"),
        recipient=event.recipient or "",
        description=(event.description or event.reject_reason or "")[:300],
    )
