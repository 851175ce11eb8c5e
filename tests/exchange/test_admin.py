"""Admin actions take the same path as pages and API: the same checks, the same log."""

from apps.accounts.services import membership_grant
from apps.core.roles import Role
from apps.exchange.models import State
from tests.factories import UserFactory

from .conftest import in_state


def test_an_admin_action_endorses_through_the_service_and_refuses_what_the_role_may_not_do(cast, client, study_visit):
    in_state(study_visit, State.SUBMITTED)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = "/admin/exchange/exchangerequest/"

    response = client.post(url, {"action": "take_endorse", "_selected_action": [study_visit.pk]}, follow=True)
    assert response.status_code == 200
    study_visit.refresh_from_db()
    assert study_visit.state == State.SUBMITTED, "an administrator is not a Senegalese approver"
    assert not study_visit.decisions.exists()

    membership_grant(user=admin, role=Role.APPROVER, organisation=cast.approver_sn.memberships.first().organisation)
    client.post(url, {"action": "take_endorse", "_selected_action": [study_visit.pk]}, follow=True)
    study_visit.refresh_from_db()
    assert study_visit.state == State.ENDORSED
    assert study_visit.decisions.get().actor == admin


def test_the_decision_log_cannot_be_changed_or_deleted_in_the_admin(cast, client, study_visit):
    from apps.exchange import services

    decision = services.exchange_request_submit(exchange_request=study_visit, actor=cast.focal)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.post(f"/admin/exchange/decision/{decision.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"/admin/exchange/decision/{decision.pk}/change/").status_code == 200  # view only
    decision.refresh_from_db()
