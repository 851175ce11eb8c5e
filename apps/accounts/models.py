from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.roles import SCOPED_ROLES, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address. Their language follows them across sessions."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_staff = models.BooleanField(_("can use the administration site"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    erased_at = models.DateTimeField(_("erased on"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [
            # Active, not erased accounts by id: matching checks tens of thousands of profiles' accounts at once.
            models.Index(
                fields=["id"], name="user_active_idx", condition=models.Q(is_active=True, erased_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split() or [self.email])[0]


@dataclass(frozen=True)
class ShownName:
    """A translated name as a page shows it: ``language`` is set when it is not in the page's language."""

    text: str
    language: str = ""

    def __str__(self) -> str:
        return self.text


class Organisation(models.Model):
    """A ministry, agency, office, association or partner. Offices and institutions are organisations."""

    class Type(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Government agency")
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        MIGRATION_OFFICE = "migration_office", _("Migration office")
        EMBASSY = "embassy", _("Embassy or consulate")
        DIASPORA_ASSOCIATION = "diaspora_association", _("Diaspora association")
        NGO = "ngo", _("NGO")
        EMPLOYER = "employer", _("Employer")
        MICROFINANCE = "microfinance", _("Microfinance institution or bank")
        CHAMBER = "chamber_of_commerce", _("Chamber of commerce")
        TRAINING_CENTRE = "training_centre", _("Training centre")
        UNIVERSITY = "university", _("University or research institute")
        INTERNATIONAL = "international_organisation", _("International organisation")
        TRADE_UNION = "trade_union", _("Trade union")

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    type = models.CharField(_("type"), max_length=40, choices=Type.choices)
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="organisations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="organisation_unique_name_country"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="organisation_not_own_parent"),
        ]
        indexes = [models.Index(fields=["country", "type"], name="organisation_country_type_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.country_id})"

    @property
    def name_shown(self) -> ShownName:
        """The name in the page's language, else in the first portal language that has one, saying which."""
        current = (get_language() or settings.LANGUAGE_CODE)[:2]
        codes = [current] + [code for code, _label in settings.LANGUAGES if code != current]
        for code in codes:
            value = (getattr(self, f"name_{code}", None) or "").strip()
            if value:
                return ShownName(value, "" if code == current else code)
        return ShownName(self.__dict__.get("name") or "", "")


class Membership(models.Model):
    """A user's role, scoped to an organisation (the office, institution or ministry the role acts for)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique"),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in SCOPED_ROLES)) | Q(organisation__isnull=False),
                name="membership_scoped_role_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        where = f" @ {self.organisation}" if self.organisation_id else ""
        return f"{self.user} — {self.get_role_display()}{where}"


class ApiToken(models.Model):
    """A personal access token with which another system calls the API as one user, within a scope.

    Only a SHA-256 hash of the secret is kept; the secret is shown once, when the token is made. A token acts with
    its user's roles at the time of each call (a role taken away is gone for the token too), never beyond its
    scope, until it expires or is revoked (apps/accounts/api_tokens.py).
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    user = models.ForeignKey("accounts.User", models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=64)
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API access token")
        verbose_name_plural = _("API access tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now
