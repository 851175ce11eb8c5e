"""COPY loading keeps every value as it was: NULL, booleans, backslashes, tabs, line breaks, Arabic script."""

import pytest
from django.db import connection

from apps.core.bulk import copy_rows


@pytest.mark.django_db
def test_copy_rows_loads_every_value_unchanged():
    rows = [
        (1, "C:\\temp\\cv", True, None),
        (2, "tab\there, line\nbreak\r\nand a \\N that is text", False, "محمد بن علي"),
        (3, "", None, "Ouédraogo"),
    ]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bulk_probe (id int, text_value text, flag boolean, name text)")
        copy_rows(cursor, "bulk_probe", ["id", "text_value", "flag", "name"], rows)
        copy_rows(cursor, "bulk_probe", ["id", "text_value", "flag", "name"], [])  # nothing to load: no COPY
        cursor.execute("SELECT id, text_value, flag, name FROM bulk_probe ORDER BY id")
        assert cursor.fetchall() == rows
