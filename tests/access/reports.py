"""Reports: analysts, programme coordinators and administrators only; aggregates, no object scope."""

from __future__ import annotations

from apps.core.roles import Role

from . import LOGIN, Entry, expect

READERS = {Role.ANALYST.name: 200, Role.COORDINATOR.name: 200, Role.ADMINISTRATOR.name: 200}
REPORT = {"slug": "profiles"}

ENTRIES = [
    Entry("reports:dashboard", expect(anonymous=LOGIN, default=403, **READERS)),
    Entry("reports:report-detail", expect(anonymous=LOGIN, default=403, **READERS), kwargs=lambda w, s: REPORT),
    Entry("reports:report-export-csv", expect(anonymous=LOGIN, default=403, **READERS), kwargs=lambda w, s: REPORT),
    Entry("reports:report-export-xlsx", expect(anonymous=LOGIN, default=403, **READERS), kwargs=lambda w, s: REPORT),
    Entry("api-reports:report-list", expect(anonymous=403, default=403, **READERS)),
    Entry("api-reports:report-detail", expect(anonymous=403, default=403, **READERS), kwargs=lambda w, s: REPORT),
]
