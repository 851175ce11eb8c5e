"""Bulk loading of plain rows with PostgreSQL ``COPY`` (the synthetic bank's generator, the skills import)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence


def copy_text(value) -> str:
    """A value in COPY text format (``None`` is NULL; tabs, newlines and backslashes are escaped)."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_rows(cursor, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Load ``rows`` into ``table``'s ``columns`` in one ``COPY … FROM STDIN``. ``table`` and ``columns`` are
    identifiers chosen by the caller, never input; every value goes through :func:`copy_text`."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(copy_text(value) for value in row))
        buffer.write("\n")
    if not buffer.tell():
        return
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def reserve_ids(cursor, table: str, count: int) -> list[int]:
    """``count`` new primary keys from ``table``'s own sequence, so rows copied with them never collide with rows
    the application inserts meanwhile (``table`` is an identifier chosen by the caller, never input)."""
    if count <= 0:
        return []
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, count],
    )
    return [row[0] for row in cursor.fetchall()]
