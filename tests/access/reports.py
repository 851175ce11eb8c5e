"""Reports: analysts, programme coordinators and administrators see every report; office managers only the
reports kept to their own offices (the offices report). Aggregates, no object scope: the own scope is the offices
report (an office manager's), the other the profiles report (national roles only)."""

from __future__ import annotations

from apps.core.roles import Role

from . import LOGIN, OWN, Entry, expect
from .core import API_ANONYMOUS

READERS = {Role.ANALYST.name: 200, Role.COORDINATOR.name: 200, Role.ADMINISTRATOR.name: 200}
REPORT_PAGE = {"anonymous": LOGIN, "default": 403, **READERS, "OFFICE_MANAGER": 200}
# A report that is not kept to offices: refused to the office manager.
NATIONAL_REPORT = {"default": 403, **READERS}


def _report(w, scope):
    return {"slug": "offices" if scope == OWN else "profiles"}


ENTRIES = [
    Entry("reports:dashboard", expect(**REPORT_PAGE)),
    Entry("reports:report-detail", expect(**REPORT_PAGE), other=expect(**NATIONAL_REPORT), kwargs=_report),
    Entry("reports:report-export-csv", expect(**REPORT_PAGE), other=expect(**NATIONAL_REPORT), kwargs=_report),
    Entry("reports:report-export-xlsx", expect(**REPORT_PAGE), other=expect(**NATIONAL_REPORT), kwargs=_report),
    Entry("api-reports:report-list", expect(**{**REPORT_PAGE, "anonymous": API_ANONYMOUS})),
    Entry(
        "api-reports:report-detail",
        expect(**{**REPORT_PAGE, "anonymous": API_ANONYMOUS}),
        other=expect(**NATIONAL_REPORT),
        kwargs=_report,
    ),
]
