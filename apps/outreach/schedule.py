BEAT_SCHEDULE = {
    "outreach-campaigns-start-due": {"task": "outreach.campaigns_start_due", "schedule": 30.0},
    "outreach-deliveries-recover": {"task": "outreach.deliveries_recover", "schedule": 60.0},
}
