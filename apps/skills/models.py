"""Skills bank: taxonomy (ISCO-08, sectors, skills vocabulary, ISCED), member profiles and consent records."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.names import MAX_KEY_LENGTH

# Taxonomy ---------------------------------------------------------------------------------------------------


class Occupation(models.Model):
    """An ISCO-08 group: major (1 digit), sub-major (2), minor (3) or unit group (4)."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    level = models.PositiveSmallIntegerField(_("level"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    label = models.CharField(_("label"), max_length=255)

    class Meta:
        verbose_name = _("occupation (ISCO-08)")
        verbose_name_plural = _("occupations (ISCO-08)")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="occupation_level_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Sector(models.Model):
    code = models.SlugField(_("code"), max_length=50, primary_key=True)
    label = models.CharField(_("label"), max_length=150)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Skill(models.Model):
    """An entry of the skills vocabulary, grouped by sector."""

    code = models.SlugField(_("code"), max_length=80, primary_key=True)
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="skills")
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class EducationLevel(models.Model):
    """An ISCED 2011 level (0–8)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    label = models.CharField(_("label"), max_length=150)

    class Meta:
        verbose_name = _("education level (ISCED 2011)")
        verbose_name_plural = _("education levels (ISCED 2011)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label


class EducationField(models.Model):
    """An ISCED-F 2013 broad field."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    label = models.CharField(_("label"), max_length=150)

    class Meta:
        verbose_name = _("field of education (ISCED-F 2013)")
        verbose_name_plural = _("fields of education (ISCED-F 2013)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label


# Profiles ---------------------------------------------------------------------------------------------------


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


NAME_TOKEN_MAX_LENGTH = 100
# What separates the words of a name (a PostgreSQL regular expression): spaces, hyphens, apostrophes, dots.
NAME_SEPARATORS = r"[[:space:]\-'’.]+"


class NameToken(models.Model):
    """Every distinct word of the names in the bank (lowered, unaccented), with a trigram index: a name search
    first finds the words close to each word typed ("mohammed" → mohamed, mohammed), in this small table, then
    the profiles that carry them through :class:`ProfileNameToken`. Words nobody carries any more are removed
    (``name_tokens_prune``), so an erased person's name does not stay here."""

    token = models.CharField(_("word"), max_length=NAME_TOKEN_MAX_LENGTH, primary_key=True)
    # The word's keys across scripts and spellings (apps.core.names.word_keys): "محمد" and "mouhamed" share MHMD.
    keys = ArrayField(models.CharField(max_length=MAX_KEY_LENGTH), default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("name word")
        verbose_name_plural = _("name words")
        indexes = [
            GinIndex(fields=["token"], name="name_token_trgm", opclasses=["gin_trgm_ops"]),
            GinIndex(fields=["keys"], name="name_token_keys"),
        ]

    def __str__(self) -> str:
        return self.token


class ProfileNameToken(models.Model):
    """The words of one profile's names (each name field's words, and the field with its spaces and hyphens
    removed, so "Ben Ali" is also "benali"), kept by ``profile_search_refresh``. The primary key
    ``(token, profile)`` gives the profiles carrying a word from the index alone."""

    pk = models.CompositePrimaryKey("token", "profile")
    token = models.CharField(_("word"), max_length=NAME_TOKEN_MAX_LENGTH)
    profile = models.ForeignKey(DiasporaProfile, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("word of a profile's names")
        verbose_name_plural = _("words of profiles' names")

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


# Consents ---------------------------------------------------------------------------------------------------


class ConsentPurpose(models.TextChoices):
    LISTED = "listed", _("Listed in the skills bank and searchable by authorities")
    EXPERT_CONTACT = "expert_contact", _("Contact for expert missions")
    NEWSLETTER_EMAIL = "newsletter_email", _("Newsletters by e-mail")
    SMS = "sms", _("Messages by SMS")


# The profile column that mirrors each purpose's current state.
CONSENT_FIELDS = {
    ConsentPurpose.LISTED: "consent_listed",
    ConsentPurpose.EXPERT_CONTACT: "consent_expert_contact",
    ConsentPurpose.NEWSLETTER_EMAIL: "consent_newsletter_email",
    ConsentPurpose.SMS: "consent_sms",
}


class ConsentRecord(models.Model):
    """One act of giving or withdrawing consent. Append-only (database trigger); the latest per purpose wins."""

    class Method(models.TextChoices):
        WIZARD = "wizard", _("Registration wizard")
        MY_DATA = "my_data", _("My data page")
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribe link")
        SMS_STOP = "sms_stop", _("SMS opt-out")
        API = "api", _("API")
        IMPORT_CLAIM = "import_claim", _("Claim of an imported profile")
        ERASURE = "erasure", _("Account erasure")

    profile = models.ForeignKey(DiasporaProfile, on_delete=models.PROTECT, related_name="consent_records")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("given"))
    recorded_at = models.DateTimeField(_("when"), auto_now_add=True)
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    text_version = models.CharField(_("text version"), max_length=20)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["profile", "purpose", "-recorded_at"], name="consent_latest_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} {'given' if self.given else 'withdrawn'} {self.recorded_at:%Y-%m-%d}"


# Imports and staff curation ---------------------------------------------------------------------------------


class VerificationCheck(models.TextChoices):
    IDENTITY_DOCUMENT = "identity_document", _("Identity document")
    DIPLOMA = "diploma", _("Diplomas and certificates")
    PROFESSIONAL_REGISTRATION = "professional_registration", _("Professional registration")
    EMPLOYER = "employer", _("Employer or references")
    PHONE = "phone", _("Phone number")
    INTERVIEW = "interview", _("Interview")


class ProfileVerification(models.Model):
    """One act of verifying a profile: who checked what, when. Append-only (database trigger)."""

    profile = models.ForeignKey(DiasporaProfile, on_delete=models.PROTECT, related_name="verifications")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified on"), auto_now_add=True)
    checks = ArrayField(
        models.CharField(max_length=30, choices=VerificationCheck.choices), verbose_name=_("what was checked")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("profile verification")
        verbose_name_plural = _("profile verifications")
        ordering = ["-verified_at", "-id"]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.verified_at:%Y-%m-%d}"


class ImportBatch(models.Model):
    """An uploaded skills list (CSV or XLSX): mapped to profile fields, checked in a dry run, then applied."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        APPLYING = "applying", _("Importing")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Failed")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    headers = ArrayField(models.CharField(max_length=200), verbose_name=_("columns"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    default_language = models.CharField(_("language of invitations"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    # The progress of the step running (dry run or import), counted by the worker a chunk at a time: the rows
    # that step goes through (every row for the dry run, the ready ones for the import), how many it went
    # through, and how many of those it accepted (ready; imported) or rejected (errors or duplicates; not imported).
    rows_to_process = models.PositiveIntegerField(_("rows to process"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    accepted_rows = models.PositiveIntegerField(_("rows accepted"), default=0)
    rejected_rows = models.PositiveIntegerField(_("rows rejected"), default=0)
    error_message = models.TextField(_("error"), blank=True)
    base_url = models.URLField(_("address of the portal for invitation links"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def progress_percent(self) -> int:
        if not self.rows_to_process:
            return 100 if self.status in (self.Status.CHECKED, self.Status.APPLIED) else 0
        return min(100, round(100 * self.processed_rows / self.rows_to_process))

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.APPLYING)

    @property
    def is_import_step(self) -> bool:
        """Importing or imported: the progress counts rows imported and not imported (else rows checked)."""
        return self.status in (self.Status.APPLYING, self.Status.APPLIED)


class ImportRow(models.Model):
    """One row of an import batch, with what the dry run found and what applying it did."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not checked yet")
        VALID = "valid", _("Ready")
        INVALID = "invalid", _("Errors")
        DUPLICATE = "duplicate", _("Likely duplicate")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Not imported")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    raw = models.JSONField(_("values"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    errors = models.JSONField(_("errors"), default=dict, blank=True)
    duplicate_of = models.ForeignKey(
        DiasporaProfile,
        verbose_name=_("likely duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A code ("email", "phone", "name", "row:12", "script:<names in the file>|<names of the profile>"), put into
    # words in the reader's language by duplicate_reason_text:
    # the check runs in a worker, and the report is read in French or Arabic by staff who did not upload it.
    duplicate_reason = models.CharField(_("why it looks like a duplicate"), max_length=200, blank=True)
    profile = models.ForeignKey(
        DiasporaProfile, verbose_name=_("profile"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["batch", "number"]
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="import_row_unique_number")]
        indexes = [models.Index(fields=["batch", "status", "number"], name="import_row_status_idx")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.number}"

    DUPLICATE_REASONS = {
        "email": _("Same e-mail as an existing account"),
        "phone": _("Same phone as an existing profile"),
        "name": _("Close name and same date of birth as an existing profile"),
    }

    @property
    def duplicate_reason_text(self) -> str:
        """Why the row looks like a duplicate, in the active language (rows checked before codes keep their text)."""
        code, _sep, row = self.duplicate_reason.partition(":")
        if code == "row" and row:
            return gettext("Same e-mail or phone as row %(row)s") % {"row": row}
        if code == "script" and "|" in row:
            from apps.core.names import describe, match

            query, _bar, name = row.partition("|")
            why = describe(match(query, name), query=query, name=name)
            return gettext("Same name and date of birth as an existing profile: %(why)s") % {"why": why}
        return str(self.DUPLICATE_REASONS.get(code, self.duplicate_reason))
