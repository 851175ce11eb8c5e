"""What the rankings from the skills bank share (experts for an exchange request in ``apps/exchange``, profiles
for a vacancy in ``apps/returns``): the SQL they start from, and the paginator-shaped object that runs them.

The people who hold an occupation of the groups sought or a skill sought are found from the indexes of the link
tables and aggregated once (GROUP BY profile).

``HELD_CTES`` ends with the CTE ``found (id, level, held)``: ``level`` is the deepest ISCO-08 level shared with
an occupation sought (4 unit group, 3 minor group, 2 sub-major group; 0 none), ``held`` the number of skills sought
the person has. Bound values: ``level_4``, ``level_3`` (codes by level), ``codes`` (every code sought, levels 2–4)
and ``skills``. A ranking query continues it with ``, candidate AS (…)``.
"""

from ..models import DiasporaProfile

HELD_CTES = """
WITH occupation AS (
    SELECT diasporaprofile_id AS id,
           max(CASE WHEN occupation_id = ANY(%(level_4)s::varchar[]) THEN 4
                    WHEN occupation_id = ANY(%(level_3)s::varchar[]) THEN 3 ELSE 2 END) AS level
    FROM skills_diasporaprofile_occupations
    WHERE occupation_id = ANY(%(codes)s::varchar[])
    GROUP BY diasporaprofile_id
), skill AS (
    SELECT profile_id AS id, count(DISTINCT skill_id) AS held
    FROM skills_profileskill
    WHERE skill_id = ANY(%(skills)s::varchar[])
    GROUP BY profile_id
), found AS MATERIALIZED (
    SELECT coalesce(o.id, s.id) AS id, coalesce(o.level, 0) AS level, coalesce(s.held, 0) AS held
    FROM occupation o FULL JOIN skill s ON s.id = o.id
)"""


class RankedRows:
    """A ranking query as a paginator (Django's or DRF's) wants it: ``count()`` and slices.

    ``sql`` ends with ``LIMIT %(limit)s OFFSET %(offset)s`` and returns profiles in order, each row carrying a
    window count of all the candidates in ``total_column``. Each slice is one run of the SQL. Counting needs the
    whole candidate set, as ranking does, so ``count()`` also keeps the first ``HEAD`` ranked rows from the same
    run: a paginator's count and first page are one query.
    """

    HEAD = 100  # the largest page the API serves
    ordered = True

    def __init__(self, sql: str, params: dict, *, total_column: str):
        self._sql, self._params, self._total_column = sql, params, total_column
        self._head: list[DiasporaProfile] | None = None
        self._total: int | None = None

    def _rows(self, offset: int, limit: int | None) -> list[DiasporaProfile]:
        return list(DiasporaProfile.objects.raw(self._sql, {**self._params, "limit": limit, "offset": offset}))

    def sql_with_params(self) -> tuple[str, dict]:
        """The SQL of the whole ranking and its parameters (for inspection)."""
        return self._sql, {**self._params, "limit": None, "offset": 0}

    @property
    def query(self):
        """The SQL of the whole ranking (for inspection)."""
        return DiasporaProfile.objects.raw(*self.sql_with_params()).query

    def count(self) -> int:
        if self._total is None:
            self._head = self._rows(0, self.HEAD)
            self._total = getattr(self._head[0], self._total_column) if self._head else 0
        return self._total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, int):
            if index < 0:
                raise IndexError("negative indexing is not supported")
            rows = self[index : index + 1]
            if not rows:
                raise IndexError(index)
            return rows[0]
        if index.step not in (None, 1) or (index.start or 0) < 0 or (index.stop is not None and index.stop < 0):
            raise ValueError("only forward slices without a step are supported")
        start = index.start or 0
        if index.stop is not None and index.stop <= start:
            return []
        if self._head is not None and index.stop is not None and index.stop <= self.HEAD:
            return self._head[start : index.stop]
        return self._rows(start, None if index.stop is None else index.stop - start)

    def __iter__(self):
        return iter(self[0:])
