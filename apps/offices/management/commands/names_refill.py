"""Recompute what the name matcher stores (apps.core.names): the keys of the skills bank's name words and the
clients' normalised names and keys; and it sets again which name words belong to listed profiles, where that
drifted. Run it after a change of the matching rules; it prints its time."""

import time

from django.core.management.base import BaseCommand

from apps.offices.services import person_names_refill
from apps.skills.services import name_tokens_keys_refill, name_tokens_listed_refill


class Command(BaseCommand):
    help = "Recompute the stored name keys (skills bank name words, office clients) in bulk."

    def handle(self, *args, **options):
        started = time.perf_counter()
        words = name_tokens_keys_refill()
        relisted = name_tokens_listed_refill()
        middle = time.perf_counter()
        persons = person_names_refill()
        done = time.perf_counter()
        self.stdout.write(
            f"name words: {words} ({relisted} listing flags corrected) in {middle - started:.1f} s; clients: {persons} in {done - middle:.1f} s"
        )
