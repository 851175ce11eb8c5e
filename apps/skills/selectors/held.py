"""SQL the rankings from the skills bank start from (experts for an exchange request in ``apps/exchange``,
profiles for a vacancy in ``apps/returns``): the people who hold an occupation of the groups sought or a skill
sought, found from the indexes of the link tables and aggregated once (GROUP BY profile).

``HELD_CTES`` ends with the CTE ``found (id, level, held)``: ``level`` is the deepest ISCO-08 level shared with
an occupation sought (4 unit group, 3 minor group, 2 sub-major group; 0 none), ``held`` the number of skills sought
the person has. Bound values: ``level_4``, ``level_3`` (codes by level), ``codes`` (every code sought, levels 2–4)
and ``skills``. A ranking query continues it with ``, candidate AS (…)``.
"""

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
