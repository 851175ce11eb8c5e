"""The offices menu's link to the reviews the offline sync left for the user (shown only when some wait)."""

from django import template

from ..offline.selectors import pending_review_count
from ..permissions import is_office_staff

register = template.Library()


@register.simple_tag
def offline_reviews_pending(user) -> int:
    """How many possible duplicates and edit conflicts found at sync wait for ``user`` (0 for non-staff)."""
    return pending_review_count(user=user) if is_office_staff(user) else 0
