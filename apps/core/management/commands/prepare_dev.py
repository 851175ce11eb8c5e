import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand

from apps.core import dev_prepare


class Command(BaseCommand):
    help = (
        "What `make run` does before starting the servers, in one process (each manage.py start costs seconds): "
        "migrate, load the reference data and the demo data (with --volume synthetic members, once), compute "
        "the report figures, and collect the static files compressed (as a phone on a slow line gets them). "
        "Each step is skipped when its work is already done (see apps/core/dev_prepare.py); --full does them all."
    )

    # The web server runs Django's system checks as it starts; running them here too cost a third of this command.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--volume", type=int, default=0, help="synthetic members for the demo (see load_demo_data)")
        parser.add_argument("--force", action="store_true", help="load the demo data outside DEBUG (tests)")
        parser.add_argument("--full", action="store_true", help="do every step, even those already done")
        parser.add_argument("--logins", help="write the address and the demo logins to this file (for devenv.py)")
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="the address written with --logins")

    def handle(self, *args, volume=0, force=False, full=False, logins=None, url="", **options):
        started = time.monotonic()
        if full or dev_prepare.migrations_pending():
            call_command("migrate", interactive=False, verbosity=0)
        else:
            self.stdout.write("migrations: none to apply")
        state = dev_prepare.PreparedState()
        users = get_user_model().objects
        from apps.core.models import Country

        self._step(
            state,
            "reference",
            dev_prepare.fingerprint(dev_prepare.app_files("reference.py", "data/**/*")),
            rows=Country.objects.count,
            run=lambda: call_command("load_reference_data", stdout=self.stdout),
            full=full,
        )
        self._step(
            state,
            "demo",
            dev_prepare.fingerprint(dev_prepare.app_files("demo.py", "demo_volume.py", "synthetic/*.py"), volume),
            rows=users.count,
            run=lambda: call_command("load_demo_data", volume=volume, force=force, stdout=self.stdout),
            full=full,
        )
        call_command("refresh_reports", stdout=self.stdout)  # by name: the reports app is imported by nobody
        self._static(full=full)
        if logins:
            with open(logins, "w", encoding="utf-8") as out:
                call_command("demo_logins", url=url, stdout=out)
        self.stdout.write(f"ready in {time.monotonic() - started:.1f} s")

    def _step(self, state, name, signature, *, rows, run, full) -> None:
        if not full and state.done(name, signature, rows=rows):
            self.stdout.write(f"{name} data: already loaded")
            return
        run()
        state.mark(name, signature, rows=rows())

    def _static(self, *, full: bool) -> None:
        """The development server sends the static files as production does, compressed (Brotli/gzip): Bootstrap
        alone is 232 KB as it is and 23 KB compressed. Only what changed since the last start is copied and
        compressed again."""
        from whitenoise.storage import CompressedStaticFilesStorage

        compressed = isinstance(staticfiles_storage, CompressedStaticFilesStorage)
        call_command("collectstatic", interactive=False, verbosity=0, post_process=not compressed)
        if compressed:
            root = Path(settings.STATIC_ROOT)
            if full:
                (Path(settings.VAR_DIR) / "run" / dev_prepare.COMPRESSED_FILE).unlink(missing_ok=True)
            changed, kept = dev_prepare.compress_changed(root)
            self.stdout.write(f"static files: {changed} compressed, {kept} unchanged")
