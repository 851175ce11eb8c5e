"""The fields a person writes on each exchange record, defined once.

The services accept exactly these, the page forms show them and the API serializers read and write them, so a
field added here appears everywhere at once (and a field left out is refused everywhere).
"""

from __future__ import annotations

# A request, as its requester drafts it, in the order the form shows them. The requesting institution is chosen
# once, when the request is created; ``REQUEST_RELATIONS`` (many-to-many) are saved after the request itself.
REQUEST_FIELDS = (
    "kind",
    "title",
    "theme",
    "sectors",
    "host_country",
    "host_institution",
    "objectives",
    "expected_results",
    "initiative",
    "start_date",
    "end_date",
    "working_language",
    "occupations_sought",
    "isco_codes",
    "skills_sought",
    "min_years_experience",
    "number_of_experts",
    "delivery_mode",
    "terms_of_reference",
    "terms_of_reference_file",
)
REQUEST_RELATIONS = ("skills", "languages_sought")
# The part of a request that describes the expertise sought (an expert assignment), shown as its own group.
REQUEST_EXPERTISE_FIELDS = (
    "occupations_sought",
    "isco_codes",
    "skills_sought",
    "skills",
    "languages_sought",
    "min_years_experience",
    "number_of_experts",
    "delivery_mode",
    "terms_of_reference",
    "terms_of_reference_file",
)

# A participant of a study visit.
PARTICIPANT_FIELDS = ("name", "institution", "position", "country", "email", "language")

# The schedule the coordinator records (the confirmed dates are the request's own ``SCHEDULE_DATE_FIELDS``), and
# one item of its programme.
SCHEDULE_FIELDS = (
    "venue",
    "city",
    "host_contact_name",
    "host_contact_email",
    "host_contact_phone",
    "logistics_notes",
    "programme_file",
    "evaluation_deadline",
)
SCHEDULE_DATE_FIELDS = ("start_date", "end_date")
PROGRAMME_ITEM_FIELDS = ("day", "start_time", "end_time", "title")

# The requester's report after the exchange, and a participant's or expert's evaluation.
REPORT_FIELDS = ("activities", "results", "follow_up_actions", "knowledge_sharing", "attachment")
EVALUATION_FIELDS = ("usefulness", "organisation", "would_recommend", "comments")
