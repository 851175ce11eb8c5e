from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Load demo organisations, users and content from each app's demo module. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="allow outside DEBUG (never in production)")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("demo data is only loaded with DEBUG on (it creates accounts with known passwords)")
        for config in apps.get_app_configs():
            if not config.name.startswith("apps."):
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo":
                    continue
                raise
            with transaction.atomic():
                created = module.load()
            self.stdout.write(f"{config.label}: demo data ready ({created} new)")
