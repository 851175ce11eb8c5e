import time
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# What --volume N loads beside N synthetic members, for each app's ``demo_volume.load``: enough that every report
# has rows above the small-count threshold (5) in most cells.
VOLUME_SHARES = {"skills": ("members", 1.0), "offices": ("contacts", 5 / 3), "exchange": ("requests", 2 / 15),
                 "outreach": ("recipients", 2 / 3)}  # fmt: skip


def _module(config, name):
    try:
        return import_module(f"{config.name}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{config.name}.{name}":
            return None
        raise


class Command(BaseCommand):
    help = (
        "Load demo organisations, users and content from each app's demo module, and with --volume N synthetic "
        "activity (N members, contacts, requests, messages) from each app's demo_volume module. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="allow outside DEBUG (never in production)")
        parser.add_argument("--volume", type=int, default=0, help="synthetic members to add (once), with activity")

    def handle(self, *args, force=False, volume=0, **options):
        if not settings.DEBUG and not force:
            raise CommandError("demo data is only loaded with DEBUG on (it creates accounts with known passwords)")
        configs = [config for config in apps.get_app_configs() if config.name.startswith("apps.")]
        for config in configs:
            module = _module(config, "demo")
            if module is None:
                continue
            with transaction.atomic():
                created = module.load()
            self.stdout.write(f"{config.label}: demo data ready ({created} new)")
        if volume > 0:
            self._volume(configs, volume)
        # Last, what depends on every app's data (the demo's organisations named in three languages).
        for config in configs:
            module = _module(config, "demo")
            if module is not None and hasattr(module, "finish"):
                with transaction.atomic():
                    module.finish()

    def _volume(self, configs, volume: int) -> None:
        # Members first: the campaigns are sent to them. Each loader is skipped once its data is there.
        for config in sorted(
            configs, key=lambda c: list(VOLUME_SHARES).index(c.label) if c.label in VOLUME_SHARES else 99
        ):
            module = _module(config, "demo_volume")
            if module is None or config.label not in VOLUME_SHARES:
                continue
            argument, share = VOLUME_SHARES[config.label]
            started = time.monotonic()
            loaded = module.load(**{argument: round(volume * share)})
            if loaded:
                self.stdout.write(
                    f"{config.label}: {loaded} synthetic {argument} in {time.monotonic() - started:.1f} s"
                )
