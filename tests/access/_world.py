"""The cast shared by the whole matrix: one user per role in Senegal, organisations in Senegal and Morocco."""

from __future__ import annotations

from types import SimpleNamespace

from apps.accounts.models import Organisation
from apps.core.roles import Role
from tests.factories import OrganisationFactory, user_with_role

from . import app_modules


def build_world() -> SimpleNamespace:
    orgs = {
        "sn_institution": OrganisationFactory(name="Matrix Senegalese Institute", country_id="SN"),
        "sn_ministry": OrganisationFactory(name="Matrix Senegal Ministry", country_id="SN"),
        "sn_office": OrganisationFactory(
            name="Matrix Dakar Migration Office", country_id="SN", type=Organisation.Type.MIGRATION_OFFICE
        ),
        "ma_institution": OrganisationFactory(name="Matrix Moroccan Institute", country_id="MA"),
        "ma_ministry": OrganisationFactory(name="Matrix Morocco Ministry", country_id="MA"),
        "ma_office": OrganisationFactory(
            name="Matrix Rabat Migration Office", country_id="MA", type=Organisation.Type.MIGRATION_OFFICE
        ),
    }
    # Each scoped role acts for a Senegalese organisation: the own scope is Senegal, the other Morocco.
    scope_of = {
        Role.OFFICE_STAFF: orgs["sn_office"],
        Role.OFFICE_MANAGER: orgs["sn_office"],
        Role.FOCAL_POINT: orgs["sn_institution"],
        Role.APPROVER: orgs["sn_ministry"],
    }
    users = {
        role.value: user_with_role(role, scope_of.get(role), email=f"matrix.{role.value}@example.org") for role in Role
    }
    world = SimpleNamespace(
        orgs=orgs,
        users=users,
        other_member=user_with_role(Role.MEMBER, email="matrix.other.member@example.org"),
    )
    for module in app_modules():
        build = getattr(module, "build", None)
        if build is not None:
            build(world)
    return world
