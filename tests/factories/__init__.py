"""factory_boy factories shared by every app's tests."""

import factory
from allauth.account.models import EmailAddress

from apps.accounts.models import Organisation, User
from apps.accounts.services import membership_grant
from apps.core.roles import SCOPED_ROLES


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    preferred_language = "en"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = Organisation.Type.MINISTRY
    country_id = "SN"


def user_with_role(role: str, organisation: Organisation | None = None, **kwargs) -> User:
    """A user holding ``role``; scoped roles get an organisation (a new one in Senegal unless given)."""
    user = UserFactory(**kwargs)
    if organisation is None and role in SCOPED_ROLES:
        organisation = OrganisationFactory()
    membership_grant(user=user, role=role, organisation=organisation)
    return user
