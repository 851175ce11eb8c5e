from django.conf import settings

BEAT_SCHEDULE = {
    "outreach-campaigns-start-due": {"task": "outreach.campaigns_start_due", "schedule": 30.0},
    # Short: a dead worker's rows are back in the queue within its dead threshold plus this interval.
    "outreach-deliveries-recover": {
        "task": "outreach.deliveries_recover",
        "schedule": settings.OUTREACH_RECOVER_SECONDS,
    },
}
