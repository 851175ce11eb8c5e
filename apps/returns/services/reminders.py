"""The weekly reminder to content editors about information sheets past their review date."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.utils import timezone

from apps.core.locks import held_lock

LOCK_TIMEOUT = 15 * 60
DONE_TIMEOUT = 8 * 24 * 3600  # longer than a week: the marker outlives the week it is for


def _week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def stale_sheet_reminders_send(*, today: datetime.date | None = None) -> int:
    """E-mail each content editor, once per ISO week, the list of sheets due for review. Returns e-mails sent.

    A lock (``apps.core.locks``) keeps two runs from overlapping; a per-editor, per-week marker claimed before
    sending makes a repeat in the same week send nothing twice (the marker is released if sending fails).
    """
    from ..notifications import send_stale_sheet_reminder
    from ..selectors import content_editors, info_sheet_stale_list

    today = today or timezone.localdate()
    week = _week(today)
    with held_lock("returns:stale-sheets:lock", timeout=LOCK_TIMEOUT) as held:
        if not held:
            return 0
        sheets = list(info_sheet_stale_list(today=today))
        if not sheets:
            return 0
        sent = 0
        for editor in content_editors():
            done_key = f"returns:stale-sheets:{week}:{editor.pk}"
            if not cache.add(done_key, 1, timeout=DONE_TIMEOUT):
                continue
            try:
                send_stale_sheet_reminder(user=editor, sheets=sheets, week=week)
            except Exception:
                cache.delete(done_key)
                raise
            sent += 1
        return sent
