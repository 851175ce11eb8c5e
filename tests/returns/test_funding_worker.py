"""With a real Celery worker: publishing an opportunity gets its alerts sent."""

import time

import pytest

from apps.returns.models import FundingAlert, FundingOpportunity
from apps.returns.services import funding_opportunity_publish
from tests.factories.returns import FundingOpportunityFactory, member_profile

pytestmark = pytest.mark.usefixtures("reference_data_after_module")


def draft(**overrides):
    return FundingOpportunityFactory(status=FundingOpportunity.Status.DRAFT, **overrides)


def test_a_real_worker_sends_the_alerts_when_an_opportunity_is_published(
    celery_worker_process, transactional_db, reference_data
):
    from apps.core.roles import Role
    from tests.factories import user_with_role

    editor = user_with_role(Role.CONTENT_EDITOR)
    opportunity = draft(countries=["SN"])
    profile = member_profile(origin="SN")
    funding_opportunity_publish(opportunity=opportunity, actor=editor)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if FundingAlert.objects.filter(user=profile.user, sent_at__isnull=False).exists():
            break
        time.sleep(0.3)
    assert FundingAlert.objects.filter(opportunity=opportunity, sent_at__isnull=False).count() == 1
