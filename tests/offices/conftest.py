import pytest

from tests.factories.offices import OfficeFactory, counsellor, manager


@pytest.fixture
def office(db):
    return OfficeFactory()


@pytest.fixture
def other_office(db):
    return OfficeFactory(municipality="Thiès")


@pytest.fixture
def staff(office):
    return counsellor(office, full_name="Moussa Ndiaye")


@pytest.fixture
def colleague(office):
    return counsellor(office, full_name="Binta Diop")


@pytest.fixture
def boss(office):
    return manager(office, full_name="Fatou Sarr")


@pytest.fixture
def outsider(other_office):
    return counsellor(other_office, full_name="Other Office")
