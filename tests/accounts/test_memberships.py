import pytest
from django.core.exceptions import ValidationError

from apps.accounts.services import membership_grant, membership_revoke
from apps.core.models import AuditEvent
from apps.core.permissions import has_role, scoped_country_codes, scoped_organisation_ids
from apps.core.roles import Role
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_role_is_scoped_to_the_organisation_and_its_country():
    ministry = OrganisationFactory(country_id="MA")
    user = UserFactory()
    membership_grant(user=user, role=Role.APPROVER, organisation=ministry)
    assert has_role(user, Role.APPROVER)
    assert scoped_organisation_ids(user, Role.APPROVER) == {ministry.pk}
    assert scoped_country_codes(user, Role.APPROVER) == {"MA"}
    assert scoped_country_codes(user, Role.OFFICE_STAFF) == set()
    assert AuditEvent.objects.filter(action="membership.grant", object_id=str(user.memberships.get().pk)).exists()


def test_a_scoped_role_needs_an_organisation():
    with pytest.raises(ValidationError):
        membership_grant(user=UserFactory(), role=Role.OFFICE_STAFF, organisation=None)


def test_granting_twice_is_harmless_and_revoking_removes_the_role():
    user = UserFactory()
    first = membership_grant(user=user, role=Role.ANALYST)
    second = membership_grant(user=user, role=Role.ANALYST)
    assert first.pk == second.pk
    membership_revoke(membership=first)
    user.refresh_from_db()
    assert not has_role(user, Role.ANALYST)
