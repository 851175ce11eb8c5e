"""What every write of the offices app checks first: that the user works in the office."""

from __future__ import annotations

from django.http import Http404

from ..permissions import (
    works_in,
)


def require_staff(user, office) -> None:
    if not works_in(user, office):
        raise Http404  # an office outside the user's scope is not acknowledged
