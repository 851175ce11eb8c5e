"""SQL of the materialized views. Kept here so the migration and the benchmark's raw queries read the same text.

``reports_profile_cube`` holds, for current (not erased) members, one count per
``(dimension, value, origin country, month of registration)``; ``members``, ``listed`` and ``expert_contact``
count members, members listed in the skills bank, and members who accept contact for expert missions.
Multi-valued dimensions (sector, ISCO major group, language, engagement interest) count a member once per value.
Two dimensions use another population and date: ``registered`` counts every profile ever created (erased or
not: a registration that happened stays counted) by month of registration, and ``erased`` counts erasures by
month of erasure. No column of a person is kept: only codes, a month and counts.
"""

PROFILE_CUBE = "reports_profile_cube"

PROFILE_CUBE_SQL = """
CREATE MATERIALIZED VIEW reports_profile_cube AS
WITH p AS (
    SELECT id,
           COALESCE(origin_country_id, '') AS origin,
           date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS month,
           consent_listed AS listed,
           consent_expert_contact AS expert,
           residence_country_id, origin_region, generation, last_confirmed_at, engagement_interests
    FROM skills_diasporaprofile
    WHERE erased_at IS NULL
), facts AS (
    SELECT 'all'::text AS dimension, ''::text AS value, origin, month, listed, expert FROM p
    UNION ALL
    SELECT 'residence', COALESCE(residence_country_id, ''), origin, month, listed, expert FROM p
    UNION ALL
    SELECT 'origin_region', initcap(lower(btrim(origin_region))), origin, month, listed, expert FROM p
    UNION ALL
    SELECT 'generation', generation, origin, month, listed, expert FROM p
    UNION ALL
    SELECT 'education',
           COALESCE((SELECT max(e.level_id) FROM skills_profileeducation e WHERE e.profile_id = p.id), ''),
           origin, month, listed, expert
    FROM p
    UNION ALL
    SELECT 'confirmed',
           CASE WHEN last_confirmed_at >= now() - interval '12 months' THEN 'yes' ELSE 'no' END,
           origin, month, listed, expert
    FROM p
    UNION ALL
    SELECT 'sector', s.sector_id, origin, month, listed, expert
    FROM p JOIN skills_diasporaprofile_sectors s ON s.diasporaprofile_id = p.id
    UNION ALL
    SELECT 'isco_major', g.major, origin, month, listed, expert
    FROM p JOIN LATERAL (
        SELECT DISTINCT left(o.occupation_id, 1) AS major
        FROM skills_diasporaprofile_occupations o WHERE o.diasporaprofile_id = p.id
    ) g ON true
    UNION ALL
    SELECT 'language', l.language_id, origin, month, listed, expert
    FROM p JOIN skills_profilelanguage l ON l.profile_id = p.id
    UNION ALL
    SELECT 'interest', i.interest, origin, month, listed, expert
    FROM p JOIN LATERAL (SELECT DISTINCT unnest(p.engagement_interests) AS interest) i ON true
    UNION ALL
    SELECT 'registered', '', COALESCE(origin_country_id, ''),
           date_trunc('month', created_at AT TIME ZONE 'UTC')::date, false, false
    FROM skills_diasporaprofile
    UNION ALL
    SELECT 'erased', '', COALESCE(origin_country_id, ''),
           date_trunc('month', erased_at AT TIME ZONE 'UTC')::date, false, false
    FROM skills_diasporaprofile WHERE erased_at IS NOT NULL
)
SELECT dimension, value, origin, month,
       count(*)::bigint AS members,
       count(*) FILTER (WHERE listed)::bigint AS listed,
       count(*) FILTER (WHERE expert)::bigint AS expert_contact
FROM facts
GROUP BY dimension, value, origin, month
"""

PROFILE_CUBE_INDEXES = [
    # REFRESH ... CONCURRENTLY needs a unique index; it also serves the report queries (dimension first).
    "CREATE UNIQUE INDEX reports_profile_cube_key ON reports_profile_cube (dimension, value, origin, month)",
    "CREATE INDEX reports_profile_cube_filter ON reports_profile_cube (dimension, origin, month)",
]

VIEWS = [PROFILE_CUBE]
