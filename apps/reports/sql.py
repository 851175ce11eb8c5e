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


# Offices: contacts (by office and month of contact, with channel, topic and follow-up status) and referrals (by
# office and month of referral, with partner and status). ``n`` counts contacts or referrals; a contact with
# several topics counts once per topic. The follow-up status is worked out at refresh time: done on or before the
# due date ("on_time"), done after it ("late"), not done and past due ("overdue"), not done and not yet due.
OFFICE_CUBE = "reports_office_cube"

OFFICE_CUBE_SQL = """
CREATE MATERIALIZED VIEW reports_office_cube AS
WITH c AS (
    SELECT c.office_id, o.country_id AS country,
           date_trunc('month', c.occurred_at AT TIME ZONE 'UTC')::date AS month,
           c.channel, c.topics, c.follow_up_due, c.follow_up_done_at
    FROM offices_contact c JOIN offices_office o ON o.id = c.office_id
), r AS (
    SELECT r.office_id, o.country_id AS country,
           date_trunc('month', r.created_at AT TIME ZONE 'UTC')::date AS month,
           r.organisation_id, r.status
    FROM offices_referral r JOIN offices_office o ON o.id = r.office_id
), facts AS (
    SELECT 'contacts'::text AS dimension, ''::text AS value, office_id, country, month FROM c
    UNION ALL
    SELECT 'channel', channel, office_id, country, month FROM c
    UNION ALL
    SELECT 'topic', t.topic, office_id, country, month
    FROM c JOIN LATERAL (SELECT DISTINCT unnest(c.topics) AS topic) t ON true
    UNION ALL
    SELECT 'follow_up',
           CASE WHEN follow_up_done_at IS NOT NULL
                     AND (follow_up_done_at AT TIME ZONE 'UTC')::date <= follow_up_due THEN 'on_time'
                WHEN follow_up_done_at IS NOT NULL THEN 'late'
                WHEN follow_up_due < (now() AT TIME ZONE 'UTC')::date THEN 'overdue'
                ELSE 'pending' END,
           office_id, country, month
    FROM c WHERE follow_up_due IS NOT NULL
    UNION ALL
    SELECT 'referral_partner', organisation_id::text, office_id, country, month FROM r
    UNION ALL
    SELECT 'referral_status', status, office_id, country, month FROM r
)
SELECT dimension, value, office_id, country, month, count(*)::bigint AS n
FROM facts
GROUP BY dimension, value, office_id, country, month
"""

OFFICE_CUBE_INDEXES = [
    "CREATE UNIQUE INDEX reports_office_cube_key ON reports_office_cube (dimension, value, office_id, month)",
    "CREATE INDEX reports_office_cube_filter ON reports_office_cube (dimension, country, month)",
]

# Outreach: campaign messages by campaign, channel, language (of the message), the recipient's country of origin,
# month the message was created (the campaign's start) and outcome. Outcomes split the messages: delivered, sent
# (handed to the provider, no delivery report yet), bounced, failed, not sent (skipped, or still waiting). One
# more outcome, "unsubscribed", counts consents withdrawn through an unsubscribe link or an SMS STOP, each given to
# the latest campaign message the member was sent, before the withdrawal, that rested on that consent (the purpose
# follows ``apps.outreach.selectors.consent_purpose_for``: SMS -> sms, call for experts -> expert_contact,
# otherwise newsletter_email).
DELIVERY_CUBE = "reports_delivery_cube"

DELIVERY_CUBE_SQL = """
CREATE MATERIALIZED VIEW reports_delivery_cube AS
WITH d AS (
    SELECT d.campaign_id, d.channel, d.language, COALESCE(p.origin_country_id, '') AS country,
           date_trunc('month', d.created_at AT TIME ZONE 'UTC')::date AS month,
           CASE WHEN d.state IN ('delivered', 'sent', 'bounced', 'failed') THEN d.state ELSE 'not_sent' END
               AS outcome
    FROM outreach_delivery d LEFT JOIN skills_diasporaprofile p ON p.id = d.profile_id
    WHERE d.campaign_id IS NOT NULL
), u AS (
    SELECT last.campaign_id, last.channel, last.language, last.country, last.month, 'unsubscribed' AS outcome
    FROM skills_consentrecord w
    JOIN LATERAL (
        SELECT d.campaign_id, d.channel, d.language, COALESCE(p.origin_country_id, '') AS country,
               date_trunc('month', d.created_at AT TIME ZONE 'UTC')::date AS month
        FROM outreach_delivery d
        JOIN outreach_campaign c ON c.id = d.campaign_id
        JOIN skills_diasporaprofile p ON p.id = d.profile_id
        WHERE d.profile_id = w.profile_id AND d.sent_at IS NOT NULL AND d.sent_at <= w.recorded_at
          AND CASE WHEN d.channel = 'sms' THEN 'sms'
                   WHEN c.kind = 'call_for_experts' THEN 'expert_contact'
                   ELSE 'newsletter_email' END = w.purpose
        ORDER BY d.sent_at DESC, d.id DESC
        LIMIT 1
    ) last ON true
    WHERE NOT w.given AND w.method IN ('unsubscribe', 'sms_stop')
)
SELECT campaign_id, channel, language, country, month, outcome, count(*)::bigint AS n
FROM (SELECT * FROM d UNION ALL SELECT * FROM u) facts
GROUP BY campaign_id, channel, language, country, month, outcome
"""

DELIVERY_CUBE_INDEXES = [
    "CREATE UNIQUE INDEX reports_delivery_cube_key "
    "ON reports_delivery_cube (campaign_id, channel, language, country, month, outcome)",
    "CREATE INDEX reports_delivery_cube_filter ON reports_delivery_cube (outcome, country, month)",
]

VIEWS = [PROFILE_CUBE, OFFICE_CUBE, DELIVERY_CUBE]
