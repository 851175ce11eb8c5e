"""The cast of the exchange tests: a Senegalese institution asks Morocco; approvers of both; a coordinator."""

from types import SimpleNamespace

import pytest

from apps.core.roles import Role
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.exchange import ExchangeRequestFactory, ParticipantFactory


@pytest.fixture
def cast(db):
    from django.core.management import call_command

    from apps.core.models import Country

    if not Country.objects.filter(pk="SN").exists():  # a previous test committed and flushed every table
        call_command("load_reference_data", verbosity=0)
    sn_institution = OrganisationFactory(name="Senegalese Institute", country_id="SN")
    sn_ministry = OrganisationFactory(name="Senegal Ministry", country_id="SN")
    ma_ministry = OrganisationFactory(name="Morocco Ministry", country_id="MA")
    ke_ministry = OrganisationFactory(name="Kenya Ministry", country_id="KE")
    secretariat = OrganisationFactory(name="Secretariat", country_id="SN", type="international_organisation")
    return SimpleNamespace(
        institution=sn_institution,
        focal=user_with_role(Role.FOCAL_POINT, sn_institution, email="focal@example.org"),
        other_focal=user_with_role(
            Role.FOCAL_POINT, OrganisationFactory(country_id="SN"), email="other.focal@example.org"
        ),
        approver_sn=user_with_role(Role.APPROVER, sn_ministry, email="approver.sn@example.org"),
        approver_ma=user_with_role(Role.APPROVER, ma_ministry, email="approver.ma@example.org"),
        approver_ke=user_with_role(Role.APPROVER, ke_ministry, email="approver.ke@example.org"),
        coordinator=user_with_role(Role.COORDINATOR, secretariat, email="coordinator@example.org"),
        member=user_with_role(Role.MEMBER, email="member@example.org"),
    )


@pytest.fixture
def study_visit(cast):
    """A complete draft study visit (Senegal → Morocco) with two Senegalese participants."""
    request = ExchangeRequestFactory(requesting_institution=cast.institution, created_by=cast.focal)
    ParticipantFactory.create_batch(2, request=request)
    return request


def in_state(request, state):
    """Put ``request`` in ``state`` directly (set-up only; the tests of the workflow go through the services)."""
    type(request).objects.filter(pk=request.pk).update(state=state)
    request.refresh_from_db()
    return request


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user
