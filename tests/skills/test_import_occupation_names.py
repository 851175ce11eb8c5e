"""Skills import: the occupation column takes ISCO-08 codes or occupation names in English, French or Arabic, as
people's spreadsheets have them, read by the wizard's forgiving vocabulary search; a name that fits no unit group,
or several equally, is a row error that names the value, in the language of whoever checks it."""

import pytest
from django.utils import translation

from apps.core.roles import Role
from apps.skills import reference
from apps.skills.models import ImportBatch, Occupation
from apps.skills.services import import_batch_check_start, import_batch_upload
from apps.skills.services.imports import import_batch_check_run
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db

HEADER = "email;prénom;nom;métier\n"


@pytest.fixture
def staff():
    reference.load()  # the whole ISCO-08 and its everyday titles, as in production
    return user_with_role(Role.OFFICE_STAFF, organisation=OrganisationFactory(country_id="SN", name="Dakar office"))


def checked(staff, body: str) -> ImportBatch:
    batch = import_batch_upload(
        actor=staff, name="liste.csv", content=(HEADER + body).encode("utf-8"), default_language="fr"
    )
    import_batch_check_start(batch=batch, mapping=batch.mapping, actor=staff)
    import_batch_check_run(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


def occupations_of(batch, number: int) -> list[str]:
    from apps.skills.services.imports import Lookups, clean_row, row_values

    row = batch.rows.get(number=number)
    data, errors = clean_row(row_values(row.raw, batch.mapping), Lookups.load(), batch.default_language)
    assert not errors, errors
    return data["occupations"]


def test_a_metier_column_is_recognised_as_the_occupations(staff):
    batch = checked(staff, "awa@example.org;Awa;Diop;infirmière\n")
    assert batch.mapping["occupations"] == 3


def test_occupation_names_in_english_french_and_arabic_become_their_isco_codes(staff):
    batch = checked(
        staff,
        "awa@example.org;Awa;Diop;Infirmières | plombier\n"
        "kofi@example.org;Kofi;Mensah;nurse | Electrcian\n"
        "salma@example.org;Salma;Idrissi;ممرضة\n"
        "omar@example.org;Omar;Fall;2211 Médecins généralistes|sage-femme\n",
    )
    assert set(batch.rows.values_list("status", flat=True)) == {"valid"}
    assert occupations_of(batch, 2) == ["2221", "7126"]
    assert occupations_of(batch, 3) == ["2221", "7411"]
    assert occupations_of(batch, 4) == ["2221"]
    assert occupations_of(batch, 5) == ["2211", "2222"]


def test_an_unknown_or_ambiguous_occupation_name_is_a_row_error_naming_the_value(staff):
    batch = checked(staff, "awa@example.org;Awa;Diop;xyzzy\nkofi@example.org;Kofi;Mensah;engineer\n")
    unknown = batch.rows.get(number=2)
    ambiguous = batch.rows.get(number=3)
    assert unknown.status == ambiguous.status == "invalid"
    assert unknown.error_messages() == {"occupations": ["Unknown occupation: xyzzy"]}
    (message,) = ambiguous.error_messages()["occupations"]
    assert message.startswith("Several occupations match “engineer”: ") and "Give the ISCO-08 code." in message
    assert "2142 Civil engineers" in message or "2141" in message


@pytest.mark.parametrize("checked_in", ["en", "fr", "ar"])
def test_the_occupation_errors_read_in_the_readers_language_whoever_started_the_check(staff, checked_in):
    # The check runs in the language of whoever started it; a colleague reads the report in theirs.
    with translation.override(checked_in):
        batch = checked(staff, "awa@example.org;Awa;Diop;xyzzy\nkofi@example.org;Kofi;Mensah;engineer\n")
    for reader, unknown, ambiguous in (
        ("en", "Unknown occupation: xyzzy", "Several occupations match “engineer”"),
        ("fr", "Profession inconnue : xyzzy", "Plusieurs professions correspondent à « engineer »"),
        ("ar", "مهنة غير معروفة: xyzzy", "تطابق عدة مهن «engineer»"),
    ):
        with translation.override(reader):
            assert batch.rows.get(number=2).error_messages()["occupations"] == [unknown]
            (message,) = batch.rows.get(number=3).error_messages()["occupations"]
        assert message.startswith(ambiguous)
        # the occupations it could be are named in the reader's language too
        label = getattr(Occupation.objects.get(code="2142"), f"label_{reader}")
        assert label and f"2142 {label}" in message


def test_a_code_that_is_not_in_isco_is_still_refused_as_a_code(staff):
    batch = checked(staff, "awa@example.org;Awa;Diop;9999\n")
    assert batch.rows.get(number=2).error_messages() == {"occupations": ["Unknown ISCO-08 code: 9999"]}
