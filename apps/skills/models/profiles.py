"""A member's entry in the skills bank: identity, origin, work, availability, the words of their names, languages,
education, skills, registrations and associations."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.names import MAX_KEY_LENGTH

from .taxonomy import EducationField, EducationLevel, Occupation, Sector, Skill


class Generation(models.TextChoices):
    FIRST = "1", _("First generation")
    SECOND = "2", _("Second generation")
    THIRD = "3", _("Third generation or later")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class EngagementInterest(models.TextChoices):
    PERMANENT_RETURN = "permanent_return", _("Permanent return")
    TEMPORARY_RETURN = "temporary_return", _("Temporary return")
    HELP_FROM_ABROAD = "help_from_abroad", _("Help from abroad")
    EXPERT_MISSIONS = "expert_missions", _("Expert missions")
    MENTORING = "mentoring", _("Mentoring")
    INVESTMENT = "investment", _("Investment")
    TRAINING = "training", _("Training and workshops")


class AvailabilityMode(models.TextChoices):
    REMOTE = "remote", _("Remote")
    ON_SITE = "on_site", _("On site")
    BOTH = "both", _("Remote or on site")


class DiasporaProfile(models.Model):
    """A diaspora member's entry in the skills bank. One per user.

    The ``consent_*`` columns mirror the latest :class:`ConsentRecord` of each purpose (written together by
    ``consent_give``/``consent_withdraw``) so search and segments filter on an indexed column.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="profile"
    )
    # Identity
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name_ar = models.CharField(_("first name in Arabic script"), max_length=100, blank=True)
    last_name_ar = models.CharField(_("last name in Arabic script"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    # Origin, nationality, residence
    origin_country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country of origin"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    origin_region = models.CharField(_("region or municipality of origin"), max_length=150, blank=True)
    nationality = models.ForeignKey(
        "core.Country",
        verbose_name=_("nationality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    residence_country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    residence_city = models.CharField(_("city of residence"), max_length=150, blank=True)
    generation = models.CharField(_("generation"), max_length=1, choices=Generation.choices, blank=True)
    phone = models.CharField(_("phone (international format)"), max_length=20, blank=True)
    # Work
    occupations = models.ManyToManyField(Occupation, verbose_name=_("occupations"), blank=True, related_name="+")
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    years_experience = models.PositiveSmallIntegerField(
        _("years of experience"), null=True, blank=True, validators=[MaxValueValidator(70)]
    )
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="+")
    engagement_interests = ArrayField(
        models.CharField(max_length=30, choices=EngagementInterest.choices),
        verbose_name=_("engagement interests"),
        default=list,
        blank=True,
    )
    # Availability
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_to = models.DateField(_("available until"), null=True, blank=True)
    days_per_year = models.PositiveSmallIntegerField(
        _("days per year"), null=True, blank=True, validators=[MaxValueValidator(366)]
    )
    availability_mode = models.CharField(
        _("remote or on site"), max_length=10, choices=AvailabilityMode.choices, blank=True
    )
    cv = models.FileField(_("CV (PDF)"), upload_to="cv/%Y/", blank=True)
    # Current consent state (mirrors the latest ConsentRecord per purpose)
    consent_listed = models.BooleanField(_("listed and searchable"), default=False)
    consent_expert_contact = models.BooleanField(_("contact for expert missions"), default=False)
    consent_newsletter_email = models.BooleanField(_("newsletters by e-mail"), default=False)
    consent_sms = models.BooleanField(_("SMS"), default=False)
    # Freshness and verification
    last_confirmed_at = models.DateTimeField(_("last confirmed"), null=True, blank=True)
    confirmation_reminders_sent = models.PositiveSmallIntegerField(_("confirmation reminders sent"), default=0)
    last_reminder_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verification_note = models.TextField(_("what was checked"), blank=True)
    wizard_step = models.CharField(_("last wizard step completed"), max_length=30, blank=True)
    source = models.CharField(_("source"), max_length=20, default="self", help_text=_("self or import"))
    erased_at = models.DateTimeField(_("erased on"), null=True, blank=True)
    # Full-text search: names, job title, employer, skills, occupations and sectors in en/fr/ar
    search_vector = SearchVectorField(null=True, editable=False)
    search_names = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("diaspora profile")
        verbose_name_plural = _("diaspora profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(available_to__isnull=True)
                | Q(available_from__isnull=True)
                | Q(available_to__gte=F("available_from")),
                name="profile_availability_ordered",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="profile_search_gin"),
            GinIndex(fields=["engagement_interests"], name="profile_engagement_gin"),
            models.Index(
                fields=["residence_country", "origin_country"],
                name="profile_listed_country_idx",
                condition=Q(consent_listed=True, erased_at__isnull=True),
            ),
            models.Index(fields=["last_confirmed_at"], name="profile_confirmed_idx"),
            # Expert matching (apps/exchange/matching.py) reads these columns of tens of thousands of consenting
            # profiles: from this index alone, without visiting the table.
            models.Index(
                fields=["id"],
                include=[
                    "user",
                    "years_experience",
                    "available_from",
                    "available_to",
                    "residence_country",
                    "nationality",
                ],
                name="profile_expert_contact_idx",
                condition=Q(consent_expert_contact=True, erased_at__isnull=True),
            ),
            # Labour matching (apps/returns/matching.py) reads these columns of the listed candidates, by id.
            models.Index(
                fields=["id"],
                include=["origin_country", "origin_region", "last_confirmed_at"],
                name="profile_listed_match_idx",
                condition=Q(consent_listed=True, erased_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or str(self.user_id)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def full_name_ar(self) -> str:
        return f"{self.first_name_ar} {self.last_name_ar}".strip()

    def names_in(self, language: str) -> tuple[str, str]:
        """(first name, last name) as a message in ``language`` writes them: an Arabic one with the names the member
        gave in Arabic script (each falling back to its Latin form), any other with the Latin ones."""
        if language == "ar" and (self.first_name_ar or self.last_name_ar):
            return self.first_name_ar or self.first_name, self.last_name_ar or self.last_name
        return self.first_name, self.last_name


NAME_TOKEN_MAX_LENGTH = 100
# What separates the words of a name (a PostgreSQL regular expression): spaces, hyphens, apostrophes, dots.
NAME_SEPARATORS = r"[[:space:]\-'’.]+"


class NameToken(models.Model):
    """Every distinct word of the names in the bank (lowered, unaccented), with a trigram index: a name search
    first finds the words close to each word typed ("mohammed" → mohamed, mohammed), in this small table, then
    the profiles that carry them through :class:`ProfileNameToken`. Words nobody carries any more are removed
    (``name_tokens_prune``), so an erased person's name does not stay here."""

    token = models.CharField(_("word"), max_length=NAME_TOKEN_MAX_LENGTH, primary_key=True)
    # The word's keys across scripts and spellings (apps.core.names.word_keys; looked up by lookup_keys): "محمد"
    # stores ~MHMD, which "mouhamed" is looked up by, and #MHMD, which other Arabic spellings are.
    keys = ArrayField(models.CharField(max_length=MAX_KEY_LENGTH), default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("name word")
        verbose_name_plural = _("name words")
        # No pending list (fastupdate off): new words arrive a few at a time, and a pending list grown by a bulk
        # of them made the planner read the whole table for every name searched (72 ms against 0.1 ms at 20,000
        # words, growing with the bank), until a vacuum.
        indexes = [
            GinIndex(fields=["token"], name="name_token_trgm", opclasses=["gin_trgm_ops"], fastupdate=False),
            GinIndex(fields=["keys"], name="name_token_keys", fastupdate=False),
        ]

    def __str__(self) -> str:
        return self.token


class ProfileNameToken(models.Model):
    """The words of one profile's names (each name field's words, and the field with its spaces and hyphens
    removed, so "Ben Ali" is also "benali"), kept by ``profile_search_refresh``. The primary key
    ``(token, profile)`` gives the profiles carrying a word from the index alone.

    ``listed`` carries what the staff search filters on (the profile consented to be listed and is not erased),
    so that the search's every match of a word is one range of ``profile_name_token_listed`` without a probe
    into the profiles. It is written from the profile when the words are written, and kept in step by the
    database trigger ``skills_profile_listing_sync`` (migration 0013) on every change of ``consent_listed`` or
    ``erased_at``, whatever path makes it (a service, a bulk ``update()``, raw SQL)."""

    pk = models.CompositePrimaryKey("token", "profile")
    token = models.CharField(_("word"), max_length=NAME_TOKEN_MAX_LENGTH)
    profile = models.ForeignKey(DiasporaProfile, on_delete=models.CASCADE, related_name="+")
    listed = models.BooleanField(_("listed and searchable"), default=False, editable=False)

    class Meta:
        verbose_name = _("word of a profile's names")
        verbose_name_plural = _("words of profiles' names")
        indexes = [
            models.Index(fields=["token", "profile"], name="profile_name_token_listed", condition=Q(listed=True))
        ]

    def __str__(self) -> str:
        return self.token


class ProfileLanguage(models.Model):
    class Level(models.TextChoices):
        NATIVE = "native", _("Native")
        FLUENT = "fluent", _("Fluent")
        WORKING = "working", _("Working knowledge")
        BASIC = "basic", _("Basic")

    profile = models.ForeignKey(DiasporaProfile, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey("core.Language", verbose_name=_("language"), on_delete=models.PROTECT)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)

    class Meta:
        verbose_name = _("language of a profile")
        verbose_name_plural = _("languages of profiles")
        constraints = [models.UniqueConstraint(fields=["profile", "language"], name="profile_language_unique")]
        indexes = [models.Index(fields=["language", "profile"], name="profile_language_idx")]

    def __str__(self) -> str:
        return f"{self.language_id} ({self.level})"


class ProfileEducation(models.Model):
    profile = models.ForeignKey(DiasporaProfile, on_delete=models.CASCADE, related_name="education")
    level = models.ForeignKey(EducationLevel, verbose_name=_("level"), on_delete=models.PROTECT)
    field = models.ForeignKey(EducationField, verbose_name=_("field"), null=True, blank=True, on_delete=models.PROTECT)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1940), MaxValueValidator(2100)]
    )

    class Meta:
        verbose_name = _("education")
        verbose_name_plural = _("education")

    def __str__(self) -> str:
        return f"{self.level_id} {self.institution}".strip()


class ProfileSkill(models.Model):
    """A skill from the vocabulary, or proposed as free text that staff can later map to the vocabulary."""

    class Kind(models.TextChoices):
        FORMAL = "formal", _("Formal (diploma or certificate)")
        NON_FORMAL = "non_formal", _("Non-formal (training, course)")
        INFORMAL = "informal", _("Informal (experience)")

    profile = models.ForeignKey(DiasporaProfile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, verbose_name=_("skill"), null=True, blank=True, on_delete=models.PROTECT)
    proposed_text = models.CharField(_("proposed skill"), max_length=200, blank=True)
    kind = models.CharField(_("how it was acquired"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("skill of a profile")
        verbose_name_plural = _("skills of profiles")
        constraints = [
            models.CheckConstraint(
                condition=(Q(skill__isnull=False) & Q(proposed_text=""))
                | (Q(skill__isnull=True) & ~Q(proposed_text="")),
                name="profile_skill_vocabulary_or_proposed",
            ),
            models.UniqueConstraint(
                fields=["profile", "skill"], condition=Q(skill__isnull=False), name="profile_skill_unique"
            ),
        ]
        indexes = [models.Index(fields=["skill", "profile"], name="profile_skill_idx")]

    def __str__(self) -> str:
        return self.skill_id or self.proposed_text


class ProfessionalRegistration(models.Model):
    profile = models.ForeignKey(DiasporaProfile, on_delete=models.CASCADE, related_name="registrations")
    body = models.CharField(_("professional body"), max_length=200)
    number = models.CharField(_("registration number"), max_length=100, blank=True)
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("professional registration")
        verbose_name_plural = _("professional registrations")

    def __str__(self) -> str:
        return f"{self.body} {self.number}".strip()


class AssociationMembership(models.Model):
    """A diaspora association the member belongs to (from the Organisation directory, or named)."""

    profile = models.ForeignKey(DiasporaProfile, on_delete=models.CASCADE, related_name="associations")
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("association"), null=True, blank=True, on_delete=models.PROTECT
    )
    name = models.CharField(_("association name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("association membership")
        verbose_name_plural = _("association memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(name=""), name="association_named_or_linked"
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.organisation_id)
