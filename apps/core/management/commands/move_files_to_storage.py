"""Copy every stored file (CVs, terms of reference, report attachments) from a local folder to the configured storage.

Run it once when a portal that kept its files under ``MEDIA_ROOT`` moves them to object storage (``S3_BUCKET``):

    python manage.py move_files_to_storage --source /srv/portal/media            # copy what is missing
    python manage.py move_files_to_storage --source /srv/portal/media --dry-run  # only count

It finds the files through the models' file fields, so it copies exactly the files the portal refers to, under the
same names. It is resumable: a file already in the target storage is skipped, so an interrupted run is simply run
again. Local files are left in place; remove the folder once the portal reads from the new storage.
"""

from __future__ import annotations

from django.apps import apps
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError
from django.db import models


def file_fields() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) that stores a file, across the installed apps."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                found.append((model, field.name))
    return found


class Command(BaseCommand):
    help = "Copy stored files from a local folder to the configured default storage (resumable)."

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="the local folder the files are in (the old MEDIA_ROOT)")
        parser.add_argument("--dry-run", action="store_true", help="count what would be copied; copy nothing")
        parser.add_argument("--batch", type=int, default=500, help="rows read at a time")

    def handle(self, *args, source: str, dry_run: bool, batch: int, **options):
        local = FileSystemStorage(location=source)
        target = storages["default"]
        if isinstance(target, FileSystemStorage) and target.location == local.location:
            raise CommandError(
                "the source folder is the configured storage itself: set S3_BUCKET (or MEDIA_ROOT) first"
            )
        totals = {"copied": 0, "already there": 0, "missing locally": 0}
        for model, name in file_fields():
            rows = model._default_manager.exclude(**{name: ""}).exclude(**{f"{name}__isnull": True})
            for stored in rows.values_list(name, flat=True).order_by("pk").iterator(chunk_size=batch):
                outcome = self._move(stored, local, target, dry_run=dry_run)
                totals[outcome] += 1
            self.stdout.write(f"{model._meta.label}.{name}: done")
        summary = ", ".join(f"{count} {label}" for label, count in totals.items())
        self.stdout.write(("would copy: " if dry_run else "") + summary)
        if totals["missing locally"]:
            self.stderr.write(f"{totals['missing locally']} file(s) referred to by the database are not in {source}")

    @staticmethod
    def _move(name: str, local, target, *, dry_run: bool) -> str:
        if target.exists(name):
            return "already there"
        if not local.exists(name):
            return "missing locally"
        if not dry_run:
            with local.open(name, "rb") as handle:
                saved = target.save(name, handle)
            if saved != name:  # the name is the key the database holds: never store it under another
                target.delete(saved)
                raise CommandError(f"the storage renamed {name} to {saved}; nothing else was changed for it")
        return "copied"
