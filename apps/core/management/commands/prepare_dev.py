import time

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "What `make run` does before starting the servers, in one process (each manage.py start costs seconds): "
        "migrate, load the reference data and the demo data (with --volume synthetic members, once), compute "
        "the report figures, and collect the static files compressed (as a phone on a slow line gets them)."
    )

    # The web server runs Django's system checks as it starts; running them here too cost a third of this command.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--volume", type=int, default=0, help="synthetic members for the demo (see load_demo_data)")
        parser.add_argument("--force", action="store_true", help="load the demo data outside DEBUG (tests)")

    def handle(self, *args, volume=0, force=False, **options):
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_reference_data", stdout=self.stdout)
        call_command("load_demo_data", volume=volume, force=force, stdout=self.stdout)
        call_command("refresh_reports", stdout=self.stdout)  # by name: the reports app is imported by nobody
        # The development server sends the static files as production does, compressed (Brotli/gzip): Bootstrap
        # alone is 232 KB as it is and 23 KB compressed. Edit a file under static/, then start again.
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"ready in {time.monotonic() - started:.1f} s")
