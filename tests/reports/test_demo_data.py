"""`make run`'s demo data is large enough that every report shows real shapes above the small-count threshold."""

import io
import time

import pytest
from django.core.management import call_command
from django.db.models import Q

from apps.exchange.models import ExchangeRequest
from apps.offices.models import Contact
from apps.outreach.models import Delivery
from apps.reports import framework
from apps.reports.framework import Filters
from apps.reports.selectors import report_run
from apps.reports.services import report_views_refresh
from apps.skills.models import DiasporaProfile

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_volume_gives_every_report_shown_figures_and_loads_once():
    started = time.monotonic()
    call_command("load_demo_data", force=True, volume=1500, stdout=io.StringIO())
    first_load = time.monotonic() - started
    counts = (
        DiasporaProfile.objects.filter(source="synthetic").count(),
        Contact.objects.count(),
        ExchangeRequest.objects.count(),
        Delivery.objects.count(),
    )
    assert counts[0] == 1500 and counts[1] >= 2500 and counts[2] >= 200 and counts[3] >= 1000
    report_views_refresh(concurrently=False)

    for report in framework.reports():
        result = report_run(report=report, filters=Filters())
        for table in result.tables:
            shown = [row for row in table.rows if row.cells[0].shown and (row.cells[0].value or 0) >= 5]
            assert not table.withheld, (report.slug, table.key)
            # A chart with a shape: at least two bars above the threshold (origin regions are free text that
            # the synthetic members leave empty: one row).
            assert len(shown) >= (1 if table.key == "origin_region" else 2), (report.slug, table.key)
        growth = result.table("growth") if report.slug == "profiles" else None
        if growth is not None:
            assert len(growth.rows) >= 12  # registrations spread over months, not all today

    started = time.monotonic()
    call_command("load_demo_data", force=True, volume=1500, stdout=io.StringIO())
    assert DiasporaProfile.objects.filter(source="synthetic").count() == 1500  # nothing added twice
    assert Contact.objects.count() == counts[1] and Delivery.objects.count() == counts[3]
    assert time.monotonic() - started < first_load / 2


def test_the_demo_names_its_organisations_and_office_hours_in_french_and_arabic(client):
    """The demo's offices and organisations read in the page's language (an Arabic page said "Dakar Migration
    Office" before)."""
    from apps.accounts.models import Organisation
    from apps.offices.models import Office

    call_command("load_demo_data", force=True, volume=30, stdout=io.StringIO())
    missing = Q(name_fr__isnull=True) | Q(name_fr="") | Q(name_ar__isnull=True) | Q(name_ar="")
    untranslated = list(Organisation.objects.filter(missing).values_list("name_en", flat=True))
    assert not untranslated
    assert all(office.opening_hours_fr and office.opening_hours_ar for office in Office.objects.all())

    page = client.get("/ar/offices/").content.decode()
    assert "مكتب الهجرة بداكار" in page and "Dakar Migration Office" not in page
    assert "الاثنين–الجمعة 8:30–17:00" in page
    page = client.get("/fr/offices/").content.decode()
    assert "Bureau des migrations de Dakar" in page and "lun.–ven. 8 h 30–17 h" in page
