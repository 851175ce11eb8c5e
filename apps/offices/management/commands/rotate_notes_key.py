"""Re-encrypt every contact's restricted notes with the newest key of ``OFFICES_NOTES_KEY`` (see docs/offices.md).

Batched (one transaction per batch, in primary-key order) and resumable: notes already under the newest key are
left as they are, so a run stopped half-way is simply started again (``--after-id`` skips what was done). A note
edited while its batch runs keeps the edit: each row is written only if its token is still the one read.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from apps.offices.crypto import NotesUnreadableError, configured_keys, decrypt_notes, is_current, rotate_notes
from apps.offices.models import Contact

UPDATE_IF_UNCHANGED = """
UPDATE offices_contact c SET notes_encrypted = v.new
FROM (VALUES {values}) AS v(id, old, new)
WHERE c.id = v.id AND c.notes_encrypted = v.old
"""


class Command(BaseCommand):
    help = "Re-encrypt the contacts' restricted notes with the newest notes key (batched, resumable, with counts)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--after-id", type=int, default=0, help="resume after this contact id")

    def handle(self, *args, batch_size: int, after_id: int, **options):
        if len(configured_keys()) < 2:
            self.stderr.write(
                "OFFICES_NOTES_KEY holds one key: put the new key first and keep the old one after it, then run this."
            )
        counts = {"examined": 0, "rotated": 0, "current": 0, "unreadable": 0, "changed meanwhile": 0}
        started = time.monotonic()
        last = after_id
        while True:
            rows = list(
                Contact.objects.filter(pk__gt=last)
                .exclude(notes_encrypted="")
                .order_by("pk")
                .values_list("pk", "notes_encrypted")[:batch_size]
            )
            if not rows:
                break
            self._batch(rows, counts)
            last = rows[-1][0]
            self.stdout.write(
                f"up to contact {last}: {counts['rotated']} re-encrypted, {counts['current']} already current, "
                f"{counts['unreadable']} unreadable"
            )
        self.stdout.write(
            self.style.SUCCESS(
                "notes: "
                + ", ".join(f"{count} {name}" for name, count in counts.items())
                + f" in {time.monotonic() - started:.1f} s"
            )
        )
        if counts["unreadable"]:
            self.stderr.write(
                f"{counts['unreadable']} notes were encrypted with a key that is no longer configured; they are left "
                "as they are (add the key back to OFFICES_NOTES_KEY to re-encrypt them)."
            )

    def _batch(self, rows: list[tuple[int, str]], counts: dict[str, int]) -> None:
        changes = []
        for pk, token in rows:
            counts["examined"] += 1
            if is_current(token):
                counts["current"] += 1
                continue
            try:
                decrypt_notes(token)
            except NotesUnreadableError:
                counts["unreadable"] += 1
                continue
            changes.append((pk, token, rotate_notes(token)))
        if not changes:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            values = ", ".join(["(%s::bigint, %s, %s)"] * len(changes))
            cursor.execute(UPDATE_IF_UNCHANGED.format(values=values), [v for change in changes for v in change])
            written = cursor.rowcount
        counts["rotated"] += written
        counts["changed meanwhile"] += len(changes) - written
