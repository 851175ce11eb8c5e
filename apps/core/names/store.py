"""Storing the keys: the array literal for a keys column, and a set-based refill of a table's keys (COPY into a
temporary table, then one UPDATE … FROM), for existing rows and whenever the matching rules change."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..bulk import copy_rows


def keys_literal(keys: Sequence[str]) -> str:
    """A PostgreSQL array literal of keys (key letters are A–Z and the marks *, # and ~, so nothing needs quoting)."""
    return "{" + ",".join(keys) + "}"


def keys_refill(
    cursor, *, table: str, id_column: str, columns: dict[str, str], rows: Iterable[Sequence], id_type: str = "text"
) -> int:
    """Write ``rows`` — (id, value per column of ``columns``) — into ``table`` in one UPDATE from a COPY.

    ``columns`` maps a column of ``table`` to its PostgreSQL type (``"varchar(24)[]"``, ``"text"``); ``id_type``
    is the type of ``id_column``, so that the UPDATE joins on its index. ``table``
    and the column names are identifiers chosen by the caller, never input. Returns the number of rows updated.
    """
    names = list(columns)
    definition = ", ".join(f"{name} {kind}" for name, kind in columns.items())
    cursor.execute(f"CREATE TEMPORARY TABLE names_refill (id_value {id_type}, {definition}) ON COMMIT DROP")
    copy_rows(cursor, "names_refill", ["id_value", *names], rows)
    assignments = ", ".join(f"{name} = r.{name}" for name in names)
    cursor.execute(
        f"UPDATE {table} t SET {assignments} FROM names_refill r "  # noqa: S608 - identifiers from the caller
        f"WHERE t.{id_column} = r.id_value"
    )
    count = cursor.rowcount
    cursor.execute("DROP TABLE names_refill")
    return count
