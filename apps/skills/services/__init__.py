"""Writes to the skills bank. Every write goes through a function here (pages, API, admin, imports, tasks).

One module per concern: ``consents`` (consent records, the search document), ``profiles`` (the member's own
profile: wizard, freshness, data rights), ``staff`` (verification, vocabulary curation), ``imports``.
"""

from .consents import (
    CONSENT_TEXT_VERSION,
    consent_give,
    consent_set,
    consent_withdraw,
    name_tokens_keys_refill,
    name_tokens_listed_refill,
    name_tokens_prune,
    profile_search_refresh,
    profile_touch_confirmed,
)
from .profiles import (
    DATA_EXPORT_SECTIONS,
    cv_validate,
    data_export_section_register,
    member_data_export,
    member_erase,
    phone_normalise,
    profile_confirm,
    profile_consents_set,
    profile_create,
    profile_reminders_send,
    profile_remove_cv,
    profile_replace_rows,
    profile_set_cv,
    profile_set_occupations,
    profile_set_sectors,
    profile_update,
    profile_wizard_mark,
)

__all__ = [
    "CONSENT_TEXT_VERSION",
    "consent_give",
    "consent_set",
    "consent_withdraw",
    "name_tokens_keys_refill",
    "name_tokens_listed_refill",
    "name_tokens_prune",
    "profile_search_refresh",
    "profile_touch_confirmed",
    "DATA_EXPORT_SECTIONS",
    "cv_validate",
    "data_export_section_register",
    "member_data_export",
    "member_erase",
    "phone_normalise",
    "profile_confirm",
    "profile_consents_set",
    "profile_create",
    "profile_reminders_send",
    "profile_remove_cv",
    "profile_replace_rows",
    "profile_set_cv",
    "profile_set_occupations",
    "profile_set_sectors",
    "profile_update",
    "profile_wizard_mark",
]

# Staff side: verification, vocabulary curation, exports, imports.
from .imports import (  # noqa: E402
    import_batch_apply_start,
    import_batch_check_start,
    import_batch_upload,
)
from .staff import (  # noqa: E402
    profile_export,
    profile_search_record,
    profile_verify,
    skill_create,
    skill_proposal_merge,
)

__all__ += [
    "import_batch_apply_start",
    "import_batch_check_start",
    "import_batch_upload",
    "profile_export",
    "profile_search_record",
    "profile_verify",
    "skill_create",
    "skill_proposal_merge",
]
