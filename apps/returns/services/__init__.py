"""Every write of the return information desk (one module per entity)."""

from .events import (
    event_attendance_record,
    event_cancel,
    event_create,
    event_evaluation_requests_send,
    event_evaluation_submit,
    event_publish,
    event_register,
    event_registration_cancel,
    event_update,
)
from .funding import (
    funding_alerts_send,
    funding_opportunity_create,
    funding_opportunity_publish,
    funding_opportunity_update,
    funding_opportunity_withdraw,
)
from .handouts import contact_sheets_hand_out
from .info_sheets import (
    info_sheet_create,
    info_sheet_mark_reviewed,
    info_sheet_search_refresh,
    info_sheet_update,
)
from .plans import (
    return_plan_create,
    return_plan_match_vacancy,
    return_plan_refer,
    return_plan_set_stage,
    return_plan_update,
    return_plans_match_funding,
)
from .reminders import stale_sheet_reminders_send
from .vacancies import network_partner_save, vacancies_import_csv, vacancy_create, vacancy_update

__all__ = [
    "contact_sheets_hand_out",
    "event_attendance_record",
    "event_cancel",
    "event_create",
    "event_evaluation_requests_send",
    "event_evaluation_submit",
    "event_publish",
    "event_register",
    "event_registration_cancel",
    "event_update",
    "funding_alerts_send",
    "funding_opportunity_create",
    "funding_opportunity_publish",
    "funding_opportunity_update",
    "funding_opportunity_withdraw",
    "info_sheet_create",
    "info_sheet_mark_reviewed",
    "info_sheet_search_refresh",
    "info_sheet_update",
    "network_partner_save",
    "return_plan_create",
    "return_plan_match_vacancy",
    "return_plan_refer",
    "return_plan_set_stage",
    "return_plan_update",
    "return_plans_match_funding",
    "stale_sheet_reminders_send",
    "vacancies_import_csv",
    "vacancy_create",
    "vacancy_update",
]
