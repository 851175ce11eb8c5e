"""Build a synthetic skills bank for development and benchmarks: ``manage.py seed_synthetic --profiles N``.

Profiles are generated in Python and streamed with PostgreSQL ``COPY`` (see :mod:`apps.skills.synthetic`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from apps.skills.synthetic.loader import seed_bank


class Command(BaseCommand):
    help = "Build a synthetic skills bank with COPY: --profiles N (1,000,000 in minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--profiles", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--listed-share", type=float, default=0.8)
        parser.add_argument("--workers", type=int, default=2, help="database connections building search documents")

    def handle(self, *args, profiles: int, seed: int, listed_share: float, workers: int, **options):
        seconds = seed_bank(
            profiles=profiles, seed=seed, listed_share=listed_share, workers=workers, say=self.stdout.write
        )
        self.stdout.write(self.style.SUCCESS(f"{profiles} synthetic profiles in {seconds:.1f} s"))
