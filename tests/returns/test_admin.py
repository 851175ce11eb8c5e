"""The administration site writes through the same services as the pages."""

import pytest

from apps.core.models import AuditEvent
from apps.core.roles import Role
from apps.returns.models import FundingOpportunity, InfoSheet
from apps.returns.selectors import info_sheet_public_list
from tests.factories import user_with_role
from tests.factories.returns import FundingOpportunityFactory

pytestmark = pytest.mark.django_db

SHEET = {
    "kind": "first",
    "country": "SN",
    "topic": "housing",
    "title_en": "Renting a flat in Dakar",
    "body_en": "Ask for a written lease.",
    "title_fr": "",
    "body_fr": "",
    "title_ar": "",
    "body_ar": "",
    "sources": "",
    "status": "published",
    "review_interval_months": "12",
}


def test_an_editor_adds_a_sheet_in_the_admin_through_the_service(client):
    editor = user_with_role(Role.CONTENT_EDITOR, is_staff=True)
    client.force_login(editor)
    response = client.post("/admin/returns/infosheet/add/", SHEET)
    assert response.status_code == 302
    sheet = InfoSheet.objects.get()
    assert sheet.reviewed_by == editor and sheet.review_due_on is not None
    assert AuditEvent.objects.filter(action="info_sheet.create", object_id=str(sheet.pk)).exists()
    assert info_sheet_public_list(language="en", filters={"q": "lease"}).get() == sheet


def test_the_admin_shows_the_service_rules_at_the_fields(client):
    client.force_login(user_with_role(Role.CONTENT_EDITOR, is_staff=True))
    response = client.post("/admin/returns/infosheet/add/", SHEET | {"title_fr": "Louer un appartement"})
    assert response.status_code == 200
    assert "Write the text in this language too, or remove its title." in response.content.decode()
    assert InfoSheet.objects.count() == 0


def test_the_admin_publish_action_refuses_an_opportunity_past_its_deadline(client):
    import datetime

    from django.utils import timezone

    client.force_login(user_with_role(Role.CONTENT_EDITOR, is_staff=True))
    late = FundingOpportunityFactory(
        status=FundingOpportunity.Status.DRAFT, deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = client.post(
        "/admin/returns/fundingopportunity/",
        {"action": "publish", "_selected_action": [late.pk]},
        follow=True,
    )
    assert "The deadline is before the publication date." in response.content.decode()
    late.refresh_from_db()
    assert late.status == FundingOpportunity.Status.DRAFT


def test_staff_without_the_editor_role_cannot_use_the_returns_admin(client):
    client.force_login(user_with_role(Role.OFFICE_STAFF, is_staff=True))
    assert client.get("/admin/returns/infosheet/").status_code == 403
