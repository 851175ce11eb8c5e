"""Reads, already scoped to what the user may see, with a constant number of queries."""

# Callers use ``selectors.<name>``; the permissions' organisation sets are offered here too, as they always were.
from ..permissions import manager_organisation_ids, member_organisation_ids, staff_organisation_ids
from .common import LIST_READ_RECORDS, list_read_audit, office_ids, readable_person_q
from .contacts import contact_get, contact_list, follow_ups_due_by_assignee, follow_ups_of, office_overdue_follow_ups
from .dashboard import Unnest, office_dashboard
from .member_data import contacts_concerning_member, persons_with_contacts
from .offices import office_staff, office_staff_history, office_staff_memberships, offices_of, public_office_list
from .persons import (
    DUPLICATE_NAME_SIMILARITY,
    PHONE_MIN_DIGITS,
    PICKER_LIMIT,
    PICKER_MIN_LENGTH,
    PersonChoice,
    person_choice,
    person_duplicates,
    person_get,
    person_list,
    person_name_explanations,
    person_name_q,
    person_name_rank,
    person_picker,
    referred_person_get,
)
from .referrals import referral_get, referral_list
from .timeline import TIMELINE_SQL, TimelineContact, TimelineReferral, person_timeline

__all__ = [
    "DUPLICATE_NAME_SIMILARITY",
    "LIST_READ_RECORDS",
    "PHONE_MIN_DIGITS",
    "PICKER_LIMIT",
    "PICKER_MIN_LENGTH",
    "PersonChoice",
    "TIMELINE_SQL",
    "TimelineContact",
    "TimelineReferral",
    "Unnest",
    "contact_get",
    "contact_list",
    "contacts_concerning_member",
    "follow_ups_due_by_assignee",
    "follow_ups_of",
    "list_read_audit",
    "manager_organisation_ids",
    "member_organisation_ids",
    "office_dashboard",
    "office_ids",
    "office_overdue_follow_ups",
    "office_staff",
    "office_staff_history",
    "office_staff_memberships",
    "offices_of",
    "person_choice",
    "person_duplicates",
    "person_get",
    "person_list",
    "person_name_explanations",
    "person_name_q",
    "person_name_rank",
    "person_picker",
    "person_timeline",
    "persons_with_contacts",
    "public_office_list",
    "readable_person_q",
    "referral_get",
    "referral_list",
    "referred_person_get",
    "staff_organisation_ids",
]
