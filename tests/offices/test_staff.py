"""Staff management: the office's managers (and administrators) add, re-role and end memberships, audited, with
history, and the office always keeps a manager."""

import factory
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant
from apps.core.models import AuditEvent
from apps.core.permissions import clear_permission_cache
from apps.core.roles import Role
from apps.offices import selectors, services
from apps.offices.models import Office, StaffPeriod
from apps.offices.permissions import manages, works_in
from tests.factories import UserFactory, user_with_role
from tests.factories.offices import OfficeFactory

pytestmark = pytest.mark.django_db


def _membership(user, office):
    return Membership.objects.get(user=user, organisation=office.organisation, is_active=True)


def test_a_manager_adds_an_existing_account_by_email_and_it_is_audited(office, boss):
    newcomer = UserFactory(email="Aissatou@example.org")
    membership = services.office_staff_add(office=office, actor=boss, email="aissatou@EXAMPLE.org", role="office_staff")
    assert membership.role == Role.OFFICE_STAFF and membership.is_active
    clear_permission_cache(newcomer)
    assert works_in(newcomer, office) and not manages(newcomer, office)
    assert newcomer.groups.filter(name=Role.OFFICE_STAFF).exists()
    event = AuditEvent.objects.get(action="offices.staff.add")
    assert event.actor_id == boss.pk and event.extra == {"user": newcomer.pk, "role": "office_staff"}
    assert StaffPeriod.objects.get(user=newcomer, ended_at__isnull=True).started_by == boss


def test_adding_an_unknown_address_or_someone_already_there_is_refused(office, boss, staff):
    with pytest.raises(ValidationError) as error:
        services.office_staff_add(office=office, actor=boss, email="nobody@example.org", role="office_staff")
    assert "email" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.office_staff_add(office=office, actor=boss, email=staff.email, role="office_manager")
    assert "email" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.office_staff_add(office=office, actor=boss, email=UserFactory().email, role="administrator")
    assert "role" in error.value.message_dict


def test_a_role_change_ends_one_period_and_starts_the_other(office, boss, staff):
    services.office_staff_set_role(office=office, membership=_membership(staff, office), actor=boss,
                                   role="office_manager")  # fmt: skip
    clear_permission_cache(staff)
    assert manages(staff, office)
    assert _membership(staff, office).role == Role.OFFICE_MANAGER
    assert not staff.groups.filter(name=Role.OFFICE_STAFF).exists()
    ended = StaffPeriod.objects.get(user=staff, ended_at__isnull=False)
    assert ended.role == Role.OFFICE_STAFF and ended.ended_by == boss
    assert AuditEvent.objects.get(action="offices.staff.role").extra == {
        "user": staff.pk,
        "from": "office_staff",
        "to": "office_manager",
    }


def test_the_last_manager_can_neither_leave_nor_step_down(office, boss, staff):
    with pytest.raises(ValidationError):
        services.office_staff_end(office=office, membership=_membership(boss, office), actor=boss)
    with pytest.raises(ValidationError):
        services.office_staff_set_role(office=office, membership=_membership(boss, office), actor=boss,
                                       role="office_staff")  # fmt: skip
    assert manages(boss, office)
    services.office_staff_set_role(office=office, membership=_membership(staff, office), actor=boss,
                                   role="office_manager")  # fmt: skip
    services.office_staff_end(office=office, membership=_membership(boss, office), actor=boss)
    assert not Membership.objects.filter(user=boss, is_active=True, organisation=office.organisation).exists()


def test_ending_a_membership_keeps_it_in_the_history_and_removes_access(office, boss, staff):
    services.office_staff_end(office=office, membership=_membership(staff, office), actor=boss)
    clear_permission_cache(staff)
    assert not works_in(staff, office)
    period = StaffPeriod.objects.get(user=staff)
    assert period.ended_by == boss and period.started_at <= period.ended_at
    assert list(selectors.office_staff_history(office=office)) == [period]
    assert [m.user for m in selectors.office_staff_memberships(office=office)] == [boss]
    assert AuditEvent.objects.filter(action="offices.staff.end").count() == 1
    with pytest.raises(ValidationError):  # already ended
        services.office_staff_end(office=office, membership=Membership.objects.get(user=staff), actor=boss)


def test_who_may_manage_staff(office, other_office, boss, staff):
    other_manager = user_with_role(Role.OFFICE_MANAGER, organisation=other_office.organisation)
    membership = _membership(staff, office)
    with pytest.raises(PermissionDenied):
        services.office_staff_end(office=office, membership=membership, actor=staff)
    with pytest.raises(Http404):
        services.office_staff_end(office=office, membership=membership, actor=other_manager)
    with pytest.raises(Http404):  # a membership of another office, through this office
        services.office_staff_end(office=office, membership=_membership(other_manager, other_office), actor=boss)
    admin = user_with_role(Role.ADMINISTRATOR)
    services.office_staff_end(office=office, membership=membership, actor=admin)
    assert not Membership.objects.get(pk=membership.pk).is_active


# Page -------------------------------------------------------------------------------------------------------


def test_the_staff_page_lists_adds_changes_and_ends(client, office, boss, staff):
    newcomer = UserFactory(email="new.counsellor@example.org", full_name="Néné Camara")
    client.force_login(boss)
    url = reverse("offices:staff") + f"?office={office.pk}"
    body = client.get(url).content.decode()
    assert staff.email in body and boss.email in body
    response = client.post(
        reverse("offices:staff"), {"office": office.pk, "email": newcomer.email, "role": "office_staff"}
    )
    assert response.status_code == 302
    membership = _membership(newcomer, office)
    client.post(reverse("offices:staff-role", args=[membership.pk]), {"role": "office_manager"})
    assert _membership(newcomer, office).role == Role.OFFICE_MANAGER
    client.post(reverse("offices:staff-end", args=[_membership(staff, office).pk]))
    body = client.get(url).content.decode()
    history = body[body.index('data-testid="staff-history"') :]
    assert staff.email not in body[: body.index('data-testid="staff-history"')]
    assert str(staff) in history


def test_the_staff_page_shows_errors_in_arabic_and_keeps_the_address(client, office, boss):
    client.force_login(boss)
    response = client.post("/ar" + reverse("offices:staff"),
                           {"office": office.pk, "email": "nobody@example.org", "role": "office_staff"})  # fmt: skip
    assert response.status_code == 200 and "email" in response.context["form"].errors
    body = response.content.decode()
    assert 'dir="rtl"' in body and "nobody@example.org" in body
    assert "لا يوجد حساب نشط بعنوان البريد الإلكتروني هذا." in body


def test_ending_the_last_manager_on_the_page_is_refused_with_a_message(client, office, boss):
    client.force_login(boss)
    response = client.post(reverse("offices:staff-end", args=[_membership(boss, office).pk]), follow=True)
    assert _membership(boss, office).is_active
    assert "always keeps a manager" in response.content.decode()


def test_an_administrator_manages_any_office_and_a_manager_only_their_own(client, office, other_office, boss):
    admin = user_with_role(Role.ADMINISTRATOR)
    client.force_login(admin)
    assert client.get(reverse("offices:staff") + f"?office={office.pk}").status_code == 200
    client.force_login(boss)
    assert client.get(reverse("offices:staff") + f"?office={other_office.pk}").status_code == 404
    assert client.get(reverse("offices:staff") + "?office=abc").status_code == 404
    assert client.get(reverse("offices:staff")).context["office"] == office


# Choosing the office ----------------------------------------------------------------------------------------


def _offices_listed(response) -> list[str]:
    return [o.name for o in response.context["page"]]


def test_an_administrator_without_an_office_picks_one_and_then_sees_its_staff(client, office, other_office, boss):
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    response = client.get(reverse("offices:staff"))
    assert response.status_code == 200 and response.context["office"] is None
    assert sorted(_offices_listed(response)) == sorted([office.name, other_office.name])
    body = response.content.decode()
    assert 'data-testid="staff-offices"' in body and "Thiès" in body and str(other_office.country) in body
    assert f'?office={other_office.pk}"' in body
    assert 'data-testid="staff-add"' not in body
    response = client.get(reverse("offices:staff") + f"?office={office.pk}")
    assert response.status_code == 200 and response.context["office"] == office
    assert boss.email in response.content.decode()


def test_the_administrators_office_list_is_searched_by_name_and_paginated(client, office):
    from apps.offices.views import PAGE_SIZE

    OfficeFactory.create_batch(PAGE_SIZE, organisation__name=factory.Sequence(lambda n: f"Bureau {n:03}"))
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    first = client.get(reverse("offices:staff"))
    assert len(_offices_listed(first)) == PAGE_SIZE and first.context["page"].paginator.num_pages == 2
    assert len(_offices_listed(client.get(reverse("offices:staff") + "?page=2"))) == 1
    found = client.get(reverse("offices:staff"), {"q": f"  {office.name.upper()} "})
    assert _offices_listed(found) == [office.name]
    assert found.context["query"] == office.name.upper()
    assert f'value="{office.name.upper()}"' in found.content.decode()
    client.force_login(user_with_role(Role.ADMINISTRATOR, preferred_language="fr"))
    nothing = client.get(reverse("offices:staff"), {"q": "nowhere"}, follow=True)
    assert _offices_listed(nothing) == [] and "Aucun bureau trouvé." in nothing.content.decode()


def test_the_office_list_is_in_arabic(client, office):
    client.force_login(user_with_role(Role.ADMINISTRATOR, preferred_language="ar"))
    body = client.get(reverse("offices:staff"), follow=True).content.decode()
    assert 'dir="rtl"' in body and "اختر المكتب الذي تريد إدارة موظفيه." in body and "البلدية" in body


def test_a_manager_of_one_office_goes_straight_to_it(client, office, other_office, boss):
    client.force_login(boss)
    response = client.get(reverse("offices:staff"))
    assert response.status_code == 200 and response.context["office"] == office
    assert 'data-testid="staff-add"' in response.content.decode()


def test_a_manager_of_several_offices_picks_among_their_own(client, office, other_office, boss):
    third = OfficeFactory(municipality="Saint-Louis")
    membership_grant(user=boss, role=Role.OFFICE_MANAGER, organisation=other_office.organisation)
    client.force_login(boss)
    response = client.get(reverse("offices:staff"))
    assert response.status_code == 200 and response.context["office"] is None
    assert sorted(_offices_listed(response)) == sorted([office.name, other_office.name])
    assert third.name not in response.content.decode()
    assert client.get(reverse("offices:staff") + f"?office={other_office.pk}").context["office"] == other_office
    assert client.get(reverse("offices:staff") + f"?office={third.pk}").status_code == 404
    # Adding staff names its office: without one, nothing is added anywhere.
    newcomer = UserFactory()
    assert client.post(reverse("offices:staff"), {"email": newcomer.email, "role": "office_staff"}).status_code == 404
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_counsellor_is_refused_the_staff_page_with_or_without_an_office(client, office, staff):
    client.force_login(staff)
    assert client.get(reverse("offices:staff")).status_code == 403
    assert client.get(reverse("offices:staff") + f"?office={office.pk}").status_code == 403


def test_the_office_list_runs_the_same_number_of_queries_at_10_and_100_rows(client):
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    counts = []
    for total in (10, 100):
        OfficeFactory.create_batch(total - Office.objects.count(), organisation__country_id="MA")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("offices:staff") + "?page=1").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
