"""Pages of the offices app. Thin: parse with a form, call a selector or a service, render."""

from .common import PAGE_SIZE
from .contacts import contact_list, follow_up_done, follow_up_edit, follow_ups
from .dashboard import dashboard, dashboard_csv
from .intake import contact_import, person_picker, quick_log
from .persons import person_detail, person_edit, person_list, person_merge
from .public import finder
from .referrals import referral_create, referral_detail, referral_letter, referral_letters_batch, referral_list
from .staff import office_edit, office_manage, office_new, staff, staff_end, staff_role

__all__ = [
    "PAGE_SIZE",
    "contact_import",
    "contact_list",
    "dashboard",
    "dashboard_csv",
    "finder",
    "follow_up_done",
    "follow_up_edit",
    "follow_ups",
    "office_edit",
    "office_manage",
    "office_new",
    "person_detail",
    "person_edit",
    "person_list",
    "person_merge",
    "person_picker",
    "quick_log",
    "referral_create",
    "referral_detail",
    "referral_letter",
    "referral_letters_batch",
    "referral_list",
    "staff",
    "staff_end",
    "staff_role",
]
