"""One new row written by a statement built once per model.

For the hottest single-row writes (a counsellor's quick-log saves a contact while someone waits at the desk),
building the INSERT through the ORM cost more than the database took to run it. ``insert_new`` writes the same
columns with the same values as ``Model.save()`` on a new instance would (each field's ``pre_save``, so
``auto_now_add`` holds, and its database preparation), and sets the primary key. It sends no signals: use it only
for models without receivers (none in this project has any), concrete and without parents.
"""

from __future__ import annotations

from functools import cache

from django.db import connections, models


@cache
def _insert(model: type[models.Model]) -> tuple[str, tuple[models.Field, ...]]:
    meta = model._meta
    if meta.parents or meta.abstract or meta.proxy:
        raise TypeError(f"{meta.label}: insert_new writes one table of a concrete model without parents")
    fields = tuple(field for field in meta.concrete_fields if not field.primary_key and not field.generated)
    columns = ", ".join(f'"{field.column}"' for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f'INSERT INTO "{meta.db_table}" ({columns}) VALUES ({placeholders}) RETURNING "{meta.pk.column}"'
    return sql, fields


def insert_new(obj: models.Model, *, using: str = "default") -> models.Model:
    """Insert ``obj`` (new: no primary key yet) as ``obj.save()`` would, and return it with its key."""
    if obj.pk is not None or not obj._state.adding:
        raise ValueError("insert_new takes a new instance")
    sql, fields = _insert(type(obj))
    connection = connections[using]
    values = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = using
    return obj
