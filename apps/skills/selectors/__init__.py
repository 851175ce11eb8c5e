"""Reads of the skills bank, already scoped to what the user may see. One module per concern."""

from .profiles import (
    Completeness,
    consent_overview,
    member_data,
    profile_completeness,
    profile_cv_for,
    profile_for_member,
    profile_is_stale,
    profile_needs_confirmation,
    profile_queryset,
    stale_q,
    with_freshness,
)

__all__ = [
    "Completeness",
    "consent_overview",
    "member_data",
    "profile_completeness",
    "profile_cv_for",
    "profile_for_member",
    "profile_is_stale",
    "profile_needs_confirmation",
    "profile_queryset",
    "stale_q",
    "with_freshness",
]
