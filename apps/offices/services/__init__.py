"""Every write of the offices app. Each function is atomic, checks permission and state, validates and audits.

Restricted notes are encrypted before they reach the model and are never passed to the audit log or a logger.
Callers use ``services.<name>``; the modules below hold them by subject.
"""

from .common import require_staff
from .contacts import contact_log, contact_quick_log, follow_up_complete, follow_up_update
from .offices import OFFICE_FIELDS, office_create, office_open, office_update
from .persons import (
    PERSON_EDITABLE,
    PERSON_FIELDS,
    PERSON_MERGE_HOOKS,
    PERSON_RESTRICTED,
    REFILL_BATCH,
    person_create,
    person_merge,
    person_merge_hook_register,
    person_names_refill,
    person_names_set,
    person_update,
)
from .referrals import REFERRAL_TRANSITIONS, referral_create, referral_set_status
from .staff import office_staff_add, office_staff_end, office_staff_set_role

__all__ = [
    "OFFICE_FIELDS",
    "PERSON_EDITABLE",
    "PERSON_FIELDS",
    "PERSON_MERGE_HOOKS",
    "PERSON_RESTRICTED",
    "REFERRAL_TRANSITIONS",
    "REFILL_BATCH",
    "contact_log",
    "contact_quick_log",
    "follow_up_complete",
    "follow_up_update",
    "office_create",
    "office_open",
    "office_staff_add",
    "office_staff_end",
    "office_staff_set_role",
    "office_update",
    "person_create",
    "person_merge",
    "person_merge_hook_register",
    "person_names_refill",
    "person_names_set",
    "person_update",
    "referral_create",
    "referral_set_status",
    "require_staff",
]
