"""What lets `make run`'s second start skip the work its first start did (``manage.py prepare_dev``).

- Migrations: applied only when the migration plan is not empty.
- Reference and demo data: loaded again only when the code and data files that produce them changed, or when the
  database is not the one they were loaded into (its oid changes when it is dropped and created again), or when
  what they made is gone (a flushed database). What was loaded where is noted in ``var/run/prepared.json``.
- Static files: ``collectstatic`` copies only the files that changed; then only those are compressed (Brotli and
  gzip, as WhiteNoise does), not the 13 MB of JavaScript and source maps on every start (noted in
  ``var/run/compressed-static.json``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.db import connection

STATE_FILE = "prepared.json"
COMPRESSED_FILE = "compressed-static.json"
# Source maps are fetched by a browser's developer tools only; compressing them was half the work.
DEV_SKIP_COMPRESS = ("map",)


def migrations_pending() -> bool:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def fingerprint(paths: Iterable[Path], *extra: object) -> str:
    """A hash of the files' names, sizes and modification times (and of ``extra``)."""
    digest = hashlib.sha256(repr(extra).encode())
    for path in sorted(paths):
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def app_files(*patterns: str) -> list[Path]:
    """The files of the portal's apps matching ``patterns`` (glob, relative to each app's directory)."""
    from django.apps import apps

    found: list[Path] = []
    for config in apps.get_app_configs():
        if config.name.startswith("apps."):
            for pattern in patterns:
                found.extend(path for path in Path(config.path).glob(pattern) if path.is_file())
    return found


class PreparedState:
    """Which steps were done into which database, with the fingerprint of what produced them."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or Path(settings.VAR_DIR) / "run" / STATE_FILE
        try:
            self.state = json.loads(self.path.read_text())
        except (FileNotFoundError, ValueError):
            self.state = {}
        self.database = self._database_key()

    @staticmethod
    def _database_key() -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT oid, datname FROM pg_database WHERE datname = current_database()"  # the oid is new if re-created
            )
            oid, name = cursor.fetchone()
        where = settings.DATABASES["default"]
        return f"{where.get('HOST') or ''}:{where.get('PORT') or ''}/{name}#{oid}"

    def done(self, step: str, signature: str, *, rows: Callable[[], int]) -> bool:
        """True when ``step`` was done into this database from the same files, and the rows it left are still there
        (``rows()`` counts them: a flushed database has none)."""
        saved = self.state.get(self.database, {}).get(step) or {}
        return saved.get("signature") == signature and rows() >= saved.get("rows", 1) > 0

    def mark(self, step: str, signature: str, *, rows: int) -> None:
        self.state.setdefault(self.database, {})[step] = {"signature": signature, "rows": rows}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.state, indent=1, sort_keys=True))
        os.replace(temporary, self.path)


def compress_changed(root: Path) -> tuple[int, int]:
    """Compress the files under ``root`` that changed since the last call (as WhiteNoise's compressed storage would);
    return (compressed now, left as they were)."""
    from whitenoise.compress import Compressor

    compressor = Compressor(extensions=(*Compressor.SKIP_COMPRESS_EXTENSIONS, *DEV_SKIP_COMPRESS), quiet=True)
    stamp = Path(settings.VAR_DIR) / "run" / COMPRESSED_FILE
    try:
        saved = json.loads(stamp.read_text())
    except (FileNotFoundError, ValueError):
        saved = {}
    done: dict[str, list] = saved.get("files", {}) if saved.get("root") == str(root) else {}
    current: dict[str, list] = {}
    todo: list[tuple[str, Path, list]] = []
    for path in root.rglob("*"):
        if not path.is_file() or not compressor.should_compress(path.name):
            continue
        name = path.relative_to(root).as_posix()
        signature = [path.stat().st_size, path.stat().st_mtime_ns]
        previous = done.get(name)
        if previous and previous[:2] == signature and all((root / out).exists() for out in previous[2]):
            current[name] = previous
        else:
            todo.append((name, path, signature))

    def compress(item: tuple[str, Path, list]) -> tuple[str, list]:
        name, path, signature = item
        written = [Path(out).relative_to(root).as_posix() for out in compressor.compress(str(path))]
        return name, [*signature, written]

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        current.update(pool.map(compress, todo))
    stamp.parent.mkdir(parents=True, exist_ok=True)
    temporary = stamp.with_suffix(".tmp")
    temporary.write_text(json.dumps({"root": str(root), "files": current}, sort_keys=True))
    os.replace(temporary, stamp)
    return len(todo), len(current) - len(todo)
