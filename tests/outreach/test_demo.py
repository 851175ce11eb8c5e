import pytest

from apps.outreach import demo
from apps.outreach.models import Campaign

pytestmark = pytest.mark.django_db


def test_demo_data_gives_the_outreach_manager_a_draft_campaign_and_loads_twice_without_duplicates():
    assert demo.load() == 2
    assert demo.load() == 0
    campaign = Campaign.objects.get()
    assert campaign.state == "draft" and campaign.created_by.email == "outreach@demo.example.org"
    assert sorted(campaign.messages.values_list("language", flat=True)) == ["ar", "en", "fr"]
