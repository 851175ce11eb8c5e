"""The skills import's duplicate check finds a member registered in the other script (real PostgreSQL)."""

import pytest
from django.utils import translation

from apps.core.roles import Role
from apps.skills.services import import_batch_check_start, import_batch_upload
from apps.skills.services.imports import import_batch_check_run
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.skills_staff import listed_profile, taxonomy

pytestmark = pytest.mark.django_db

HEADER = "email;prénom;nom;date de naissance\n"


def test_a_row_in_latin_letters_is_the_member_registered_in_arabic_script_born_the_same_day():
    taxonomy()
    staff = user_with_role(Role.OFFICE_STAFF, organisation=OrganisationFactory(country_id="SN"))
    existing = listed_profile(
        first_name="", last_name="", first_name_ar="محمد", last_name_ar="العمراني", date_of_birth="1980-05-04"
    )
    listed_profile(
        first_name="", last_name="", first_name_ar="محمود", last_name_ar="العمراني", date_of_birth="1979-01-01"
    )
    text = (
        HEADER
        + "a@example.org;Mouhamed;El Amrani;1980-05-04\n"  # the same man
        + "b@example.org;Mahmoud;El Amrani;1980-05-04\n"  # another name, same day
        + "c@example.org;Mohamed;Elamrani;1981-05-04\n"  # another day
    )
    with translation.override("en"):
        batch = import_batch_upload(actor=staff, name="list.csv", content=text.encode(), default_language="fr")
        import_batch_check_start(batch=batch, mapping=batch.mapping, actor=staff)
        import_batch_check_run(batch_id=batch.pk)
    rows = {row.number: row for row in batch.rows.all()}
    assert rows[2].status == "duplicate" and rows[2].duplicate_of_id == existing.pk
    assert "Arabic name \u2068محمد\u2069 matches \u2068Mouhamed\u2069" in rows[2].duplicate_reason_text
    assert rows[3].status == "valid" and rows[4].status == "valid"
