from django.core.management.base import BaseCommand

from apps.reports.services import report_views_refresh, report_views_refresh_stale


class Command(BaseCommand):
    help = "Compute the report figures now: the views whose data changed (or every view with --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="refresh every view, changed or not")

    def handle(self, *args, all=False, **options):  # noqa: A002 - the option's name
        durations = report_views_refresh() if all else report_views_refresh_stale()
        if not durations:
            self.stdout.write("reports: figures up to date")
        for view, duration in durations.items():
            self.stdout.write(f"reports: {view} refreshed in {duration} ms")
