import pytest

from apps.core.roles import Role
from tests.factories import user_with_role


@pytest.fixture
def editor(db):
    return user_with_role(Role.CONTENT_EDITOR, full_name="Kwame Asante")


@pytest.fixture
def member(db):
    return user_with_role(Role.MEMBER)


@pytest.fixture
def staff(db):
    return user_with_role(Role.OFFICE_STAFF)


@pytest.fixture
def reference_data(transactional_db):
    """Reference data for a test that commits: a previous committing test may have flushed it."""
    reload_reference_data()


def reload_reference_data() -> None:
    import io

    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())


@pytest.fixture(scope="module")
def reference_data_after_module(django_db_blocker):
    """Put reference data back once the module's committing tests have flushed the database, so the tests that
    follow find countries and role groups (the shared after-flush reload runs before pytest-django's flush)."""
    yield
    with django_db_blocker.unblock():
        reload_reference_data()
