from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load (or refresh) every app's reference data. Idempotent: running it twice changes nothing."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            if not config.name.startswith("apps."):
                continue
            try:
                module = import_module(f"{config.name}.reference")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.reference":
                    continue
                raise
            with transaction.atomic():
                counts = module.load()
            summary = ", ".join(f"{count} {name}" for name, count in counts.items())
            self.stdout.write(f"{config.label}: {summary}")
