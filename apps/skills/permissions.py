"""Who may do what in the staff side of the skills bank. Plain functions, reused by views, API, templates, admin.

| action                              | roles                                                     |
|-------------------------------------|-----------------------------------------------------------|
| search consenting profiles, view one| office staff, office manager, programme coordinator       |
| export a result list (CSV, XLSX)    | office manager, programme coordinator                     |
| verify a profile                    | office staff, office manager, programme coordinator, admin|
| import skills lists                 | office staff, office manager (their office's imports)     |
| merge proposed skills (vocabulary)  | office manager, programme coordinator, administrator      |

Office roles see the profiles of people from the countries of their offices (country of origin); the programme
coordinator sees every listed profile. Analysts and members see none.
"""

from __future__ import annotations

from apps.core.permissions import has_role, scoped_country_codes, scoped_organisation_ids
from apps.core.roles import OFFICE_ROLES, Role

SEARCH_ROLES = (Role.OFFICE_STAFF, Role.OFFICE_MANAGER, Role.COORDINATOR)
EXPORT_ROLES = (Role.OFFICE_MANAGER, Role.COORDINATOR)
VERIFY_ROLES = (*SEARCH_ROLES, Role.ADMINISTRATOR)
IMPORT_ROLES = (Role.OFFICE_STAFF, Role.OFFICE_MANAGER)
CURATE_ROLES = (Role.OFFICE_MANAGER, Role.COORDINATOR, Role.ADMINISTRATOR)


def can_search_profiles(user) -> bool:
    return has_role(user, *SEARCH_ROLES)


def sees_all_listed_profiles(user) -> bool:
    return has_role(user, Role.COORDINATOR)


def searchable_origin_countries(user) -> set[str] | None:
    """Countries of origin whose listed profiles ``user`` may see; None means every country."""
    if sees_all_listed_profiles(user):
        return None
    return scoped_country_codes(user, *OFFICE_ROLES)


def can_view_profile(user, profile) -> bool:
    if not can_search_profiles(user) or not profile.consent_listed or profile.erased_at is not None:
        return False
    countries = searchable_origin_countries(user)
    return countries is None or profile.origin_country_id in countries


def can_export_profiles(user) -> bool:
    return has_role(user, *EXPORT_ROLES)


def can_verify_profile(user, profile) -> bool:
    if has_role(user, Role.ADMINISTRATOR):
        return profile.erased_at is None
    return can_view_profile(user, profile)


def can_import(user) -> bool:
    return has_role(user, *IMPORT_ROLES)


def import_organisation_ids(user) -> set[int]:
    return scoped_organisation_ids(user, *IMPORT_ROLES)


def can_view_import(user, batch) -> bool:
    return can_import(user) and batch.organisation_id in import_organisation_ids(user)


def can_curate_taxonomy(user) -> bool:
    return has_role(user, *CURATE_ROLES)
