"""Load generated people into PostgreSQL: ``COPY`` a chunk at a time, then build the search documents with the
portal's own set-based ``profile_search_refresh`` on several connections. For large loads the secondary indexes of
the profile table are dropped first and rebuilt once at the end (the usual bulk-load practice; the definitions are
read from ``pg_indexes`` and restored even if the load fails)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection, transaction

from apps.core.bulk import copy_rows
from apps.skills.services import profile_search_refresh

from .generator import COLUMNS, TABLES, Generator
from .taxonomy import ensure_taxonomy

CHUNK = 50_000
REFRESH_CHUNK = 20_000
# Below this many profiles, dropping and rebuilding the profile indexes costs more than it saves.
DROP_INDEXES_FROM = 50_000


def seed_bank(
    *, profiles: int, seed: int, listed_share: float, workers: int, say: Callable[[str], object] = print
) -> float:
    """Add ``profiles`` synthetic members (with their skills, languages, education and consents); return seconds."""
    started = time.monotonic()
    ensure_taxonomy()
    generator = Generator(seed)
    generator.load_reference()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            # Generated rows are consistent by construction: skip per-row foreign-key triggers while copying.
            cursor.execute("SET session_replication_role = replica")
        dropped = drop_profile_indexes(cursor) if profiles >= DROP_INDEXES_FROM else []
        refreshed = started
        try:
            ids = copy_people(cursor, generator, profiles, listed_share, say=say)
            loaded = time.monotonic()
            say(f"rows copied in {loaded - started:.1f} s")
            cursor.execute("SET session_replication_role = DEFAULT")
            # Fresh statistics first: planned on the empty tables' figures, the documents' joins would scan.
            for table in TABLES:
                cursor.execute(f"ANALYZE {table}")
            refresh_in_parallel(ids, workers=workers)
            refreshed = time.monotonic()
            say(f"search documents built in {refreshed - loaded:.1f} s")
        finally:
            for definition in dropped:
                cursor.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
        if dropped:
            say(f"{len(dropped)} indexes rebuilt in {time.monotonic() - refreshed:.1f} s")
        # The name words were written by the documents' build: their statistics and visibility map too (the
        # name search reads them by index only).
        for table in [*TABLES, "skills_profilenametoken", "skills_nametoken"]:
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("SET synchronous_commit = on")
    return time.monotonic() - started


def copy_people(
    cursor, generator: Generator, total: int, listed_share: float, *, say: Callable[[str], object]
) -> list[int]:
    """Generate and ``COPY`` ``total`` people a chunk per transaction; return the new profile ids."""
    generator.next_ids = {table: next_id(cursor, table) for table in TABLES}
    ids: list[int] = []
    for start in range(0, total, CHUNK):
        rows = generator.chunk(min(CHUNK, total - start), listed_share=listed_share)
        with transaction.atomic():
            for table in TABLES:
                copy_rows(cursor, table, COLUMNS[table], rows.tables[table])
        ids.extend(row[0] for row in rows.tables["skills_diasporaprofile"])
        say(f"  {start + len(rows)} / {total}")
    for table in TABLES:
        reset_sequence(cursor, table)
    return ids


def drop_profile_indexes(cursor) -> list[str]:
    """Drop the profile table's non-unique indexes; return their definitions to create them again."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
         WHERE i.tablename = 'skills_diasporaprofile' AND i.indexdef NOT LIKE 'CREATE UNIQUE%%'
        """
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    return [definition for _name, definition in found]


def refresh_in_parallel(ids: list[int], *, workers: int) -> None:
    """Build the search documents with ``profile_search_refresh``, a chunk per transaction, on several connections."""
    from concurrent.futures import ThreadPoolExecutor

    chunks = [ids[start : start + REFRESH_CHUNK] for start in range(0, len(ids), REFRESH_CHUNK)]

    def refresh(chunk: list[int]) -> None:
        try:
            with transaction.atomic():
                profile_search_refresh(profile_ids=chunk)
        finally:
            connection.close()

    if workers <= 1:
        for chunk in chunks:
            with transaction.atomic():
                profile_search_refresh(profile_ids=chunk)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(refresh, chunks))


def next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 - table names are constants
    return cursor.fetchone()[0]


def reset_sequence(cursor, table: str) -> None:
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"  # noqa: S608
    )
