"""The reports app keeps no personal data: only when each pre-aggregated view was last refreshed.

The aggregates themselves are materialized views created by migrations (``reports_profile_cube``, see
``migrations/0001_initial.py``) and refreshed by ``services.report_views_refresh``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ViewRefresh(models.Model):
    """When a materialized view was last refreshed, and how long it took."""

    view_name = models.CharField(_("view"), max_length=63, primary_key=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    # Rows changed in the view's source tables when the refresh started (see services.view_source_changes).
    source_changes = models.BigIntegerField(_("source changes"), default=0)

    class Meta:
        verbose_name = _("view refresh")
        verbose_name_plural = _("view refreshes")

    def __str__(self) -> str:
        return f"{self.view_name} {self.refreshed_at:%Y-%m-%d %H:%M}"
