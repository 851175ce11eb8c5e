"""Migration offices: offices, their clients (persons), contacts, referrals and follow-ups."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _

from apps.core.names import MAX_KEY_LENGTH
from apps.core.roles import Role
from apps.core.validators import validate_clean_text


class OfficeType(models.TextChoices):
    MIGRATION_OFFICE = "migration_office", _("Migration office")
    RESOURCE_CENTRE = "resource_centre", _("Migrant resource centre")
    RETURN_DESK = "return_desk", _("Return information desk")
    CONSULAR_DESK = "consular_desk", _("Consular desk")
    DIASPORA_ATTACHE = "diaspora_attache", _("Diaspora attaché")
    FOCAL_POINT = "local_focal_point", _("Local focal point")


class Office(models.Model):
    """An office, backed by an organisation: staff memberships in that organisation carry the office scope."""

    organisation = models.OneToOneField(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="office"
    )
    type = models.CharField(_("type"), max_length=30, choices=OfficeType.choices)
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="offices"
    )
    municipality = models.CharField(_("municipality"), max_length=120, validators=[validate_clean_text])
    address = models.TextField(_("address"), blank=True, validators=[validate_clean_text])
    hotline = models.CharField(_("hotline"), max_length=40, blank=True, validators=[validate_clean_text])
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.ManyToManyField("core.Language", verbose_name=_("languages"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True, validators=[validate_clean_text])
    is_public = models.BooleanField(_("listed in the public office finder"), default=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        indexes = [models.Index(fields=["country", "type"], name="office_country_type_idx")]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name

    def opening_hours_shown(self, language: str) -> tuple[str, str]:
        """The opening hours in ``language``, else in the first language that has them, and which language that
        is (empty when it is ``language``): a fallback is shown as one, never silently."""
        own = getattr(self, f"opening_hours_{language}", "") or ""
        if own:
            return own, ""
        for code, _name in settings.LANGUAGES:
            other = getattr(self, f"opening_hours_{code}", "") or ""
            if other:
                return other, code
        return "", ""


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNDISCLOSED = "undisclosed", _("Not disclosed")


class Vulnerability(models.TextChoices):
    TRAFFICKING = "trafficking_victim", _("Trafficking victim")
    UNACCOMPANIED_MINOR = "unaccompanied_minor", _("Unaccompanied minor")
    MEDICAL = "medical", _("Medical")
    DETAINED = "detained", _("Detained")
    OTHER = "other", _("Other vulnerability")


# A phone number's digits alone, so "+221 77 555 00 00" is found by "775550000" however it was typed; the person
# index on it (trigram) serves the picker's phone search.
PHONE_DIGITS = Func(F("phone"), Value(r"\D"), Value(""), Value("g"), function="regexp_replace")


class Person(models.Model):
    """A client of an office: minimal identity. Vulnerability flags restrict who may read the record."""

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="persons")
    name_latin = models.CharField(
        _("name (Latin script)"), max_length=200, blank=True, validators=[validate_clean_text]
    )
    name_arabic = models.CharField(
        _("name (Arabic script)"), max_length=200, blank=True, validators=[validate_clean_text]
    )
    # The names as apps.core.names normalises them (both scripts), trigram-indexed for other spellings in the
    # same script, and the keys of their words (GIN) for the same name in the other script; written by the
    # services (person_names_set).
    search_name = models.TextField(editable=False, default="")
    name_keys = ArrayField(models.CharField(max_length=MAX_KEY_LENGTH), default=list, blank=True, editable=False)
    # The same keys as words of a text, trigram-indexed, for a type-ahead's partial word ("محم" → MHM…).
    name_key_text = models.TextField(editable=False, blank=True, default="")
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
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
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_clean_text])
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.ManyToManyField("core.Language", verbose_name=_("languages"), blank=True, related_name="+")
    preferred_language = models.CharField(
        _("language for letters"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    profile = models.ForeignKey(
        "skills.DiasporaProfile",
        verbose_name=_("skills bank profile"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="office_persons",
    )
    vulnerabilities = ArrayField(
        models.CharField(max_length=30, choices=Vulnerability.choices),
        verbose_name=_("vulnerability flags"),
        default=list,
        blank=True,
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned counsellor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="office_clients",
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # +1 at every edit (services.person_update): an offline edit says which version it started from.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.CheckConstraint(condition=~Q(name_latin="") | ~Q(name_arabic=""), name="offices_person_has_a_name"),
            models.CheckConstraint(condition=~Q(merged_into=models.F("id")), name="offices_person_not_merged_self"),
        ]
        indexes = [
            models.Index(fields=["office", "-updated_at"], name="offices_person_office_idx"),
            # What the type-ahead's matching, readability and order read (selectors.person_picker), so that it is an
            # index-only scan of the office's entries wherever its rows lie in the table.
            models.Index(
                fields=["office"],
                include=[
                    "id",
                    "merged_into",
                    "updated_at",
                    "search_name",
                    "name_key_text",
                    "vulnerabilities",
                    "counsellor",
                ],
                name="offices_person_office_names",
            ),
            models.Index(fields=["office", "phone"], name="offices_person_phone_idx"),
            models.Index(fields=["office", "email"], name="offices_person_email_idx"),
            GinIndex(fields=["search_name"], name="offices_person_name_trgm", opclasses=["gin_trgm_ops"]),
            GinIndex(OpClass(PHONE_DIGITS, name="gin_trgm_ops"), name="offices_person_phone_trgm"),
            GinIndex(fields=["name_keys"], name="offices_person_name_keys"),
            GinIndex(fields=["name_key_text"], name="offices_person_key_text_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_latin and self.name_arabic:
            return f"{self.name_latin} / {self.name_arabic}"
        return self.name_latin or self.name_arabic

    @property
    def is_vulnerable(self) -> bool:
        return bool(self.vulnerabilities)

    @property
    def vulnerability_labels(self) -> list[str]:
        return [str(Vulnerability(v).label) for v in self.vulnerabilities if v in Vulnerability.values]


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    HOTLINE = "hotline", _("Hotline")
    EMAIL = "email", _("E-mail")
    EVENT = "outreach_event", _("Outreach event")
    HOME_VISIT = "home_visit", _("Home visit")
    ONLINE = "online", _("Online")
    FAMILY = "family_report", _("Reported by a family member")


class Topic(models.TextChoices):
    PRE_DEPARTURE = "pre_departure", _("Pre-departure information")
    LEGAL_CHANNELS = "legal_channels", _("Legal migration channels")
    RIGHTS = "rights_protection", _("Rights and protection")
    TRAFFICKING = "trafficking", _("Trafficking")
    SOCIAL_SECURITY = "social_security", _("Social security portability")
    REMITTANCES = "remittances", _("Remittances and financial literacy")
    INVESTMENT = "investment", _("Investment")
    RETURN = "return_reintegration", _("Return and reintegration")
    EMPLOYMENT = "employment", _("Employment and labour matching")
    EDUCATION = "education", _("Education and children's schooling")
    DOCUMENTS = "documents_consular", _("Documents and consular matters")
    OTHER = "other", _("Other")


NOTES_MAX_LENGTH = 10_000


class ContactDisplay:
    """What a page shows of a contact, for the model and for the timeline's rows (``topics``, ``notes_encrypted``,
    the reporter's phone and consent)."""

    topics: list[str]
    notes_encrypted: str
    reporter_phone: str
    reporter_may_call_back: bool

    @property
    def call_back_phone(self) -> str:
        """The reporting family member's phone when they agreed to be called back (timeline, follow-ups)."""
        return self.reporter_phone if self.reporter_may_call_back else ""

    @property
    def topic_labels(self) -> list[str]:
        return [str(Topic(t).label) for t in self.topics if t in Topic.values]

    @property
    def has_notes(self) -> bool:
        return bool(self.notes_encrypted)


class Contact(ContactDisplay, models.Model):
    """One interaction with a person. ``notes_encrypted`` holds the restricted notes as a Fernet token."""

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="contacts")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="contacts")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    family_relationship = models.CharField(
        _("relationship of the family member"), max_length=80, blank=True, validators=[validate_clean_text]
    )
    # The family member who reported the contact (channel "reported by a family member"), for calling back.
    # Database defaults too, so that bulk loaders writing contacts in SQL need not know these columns.
    reporter_name = models.CharField(
        _("name of the family member"), max_length=200, blank=True, db_default="", validators=[validate_clean_text]
    )
    reporter_phone = models.CharField(
        _("phone of the family member"), max_length=40, blank=True, db_default="", validators=[validate_clean_text]
    )
    reporter_may_call_back = models.BooleanField(
        _("the family member may be called back"), default=False, db_default=False
    )
    occurred_at = models.DateTimeField(_("date and time"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    topics = ArrayField(models.CharField(max_length=30, choices=Topic.choices), verbose_name=_("topics"), default=list)
    summary = models.CharField(_("summary"), max_length=500, validators=[validate_clean_text])
    notes_encrypted = models.TextField(_("restricted notes (encrypted)"), blank=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True, validators=[validate_clean_text])
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follow-up assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="office_follow_ups",
    )
    follow_up_done_at = models.DateTimeField(_("follow-up done"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_due__isnull=True, follow_up_assignee__isnull=True)
                | Q(follow_up_due__isnull=False, follow_up_assignee__isnull=False),
                name="offices_contact_follow_up_complete",
            ),
            models.CheckConstraint(
                condition=~Q(channel="family_report") | ~Q(family_relationship=""),
                name="offices_contact_family_relationship",
            ),
            models.CheckConstraint(
                condition=Q(reporter_may_call_back=False) | ~Q(reporter_phone=""),
                name="offices_contact_call_back_phone",
            ),
        ]
        indexes = [
            # covers the contact list's order and the dashboard's aggregates (index-only scans)
            models.Index(
                fields=["office", "-occurred_at"], include=["channel", "topics"], name="offices_contact_office_idx"
            ),
            models.Index(
                fields=["office", "follow_up_due"],
                condition=Q(follow_up_done_at__isnull=True, follow_up_due__isnull=False),
                name="offices_contact_office_fu_idx",
            ),
            models.Index(fields=["person", "-occurred_at"], name="offices_contact_person_idx"),
            models.Index(
                fields=["follow_up_assignee", "follow_up_due"],
                condition=Q(follow_up_done_at__isnull=True, follow_up_due__isnull=False),
                name="offices_contact_open_fu_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.occurred_at:%Y-%m-%d}"

    @property
    def follow_up_open(self) -> bool:
        return self.follow_up_due is not None and self.follow_up_done_at is None


class Referral(models.Model):
    """A person referred to a partner organisation, which sees the person's record and updates the status."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined")

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="referrals")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="referrals")
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        related_name="office_referrals_received",
    )
    reason = models.TextField(_("reason"), max_length=2000, validators=[validate_clean_text])
    consent_given = models.BooleanField(_("the person consents to the referral"), default=False)
    consent_recorded_at = models.DateTimeField(_("consent recorded"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SENT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("referred by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(condition=Q(consent_given=True), name="offices_referral_requires_consent"),
        ]
        indexes = [
            models.Index(fields=["office", "-created_at"], name="offices_referral_office_idx"),
            models.Index(fields=["organisation", "-created_at"], name="offices_referral_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.organisation.name}"


class DigestSent(models.Model):
    """One row per counsellor and day a follow-up digest went out: a repeated run sends nothing twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="offices_digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class StaffRole(models.TextChoices):
    """The two roles a user holds in an office (the values are the portal's role names)."""

    COUNSELLOR = Role.OFFICE_STAFF.value, _("Counsellor")
    MANAGER = Role.OFFICE_MANAGER.value, _("Manager")


class StaffPeriod(models.Model):
    """One stretch of a user's role in an office, for the staff page's history.

    Access comes from the user's active ``accounts.Membership``; this row says since when and until when, and
    who added or ended it. A membership granted elsewhere (admin, seed data) has no open period: its start is the
    membership's creation.
    """

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("role"), max_length=40, choices=StaffRole.choices)
    started_at = models.DateTimeField(_("start of the period"))
    ended_at = models.DateTimeField(_("end of the period"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("staff period")
        verbose_name_plural = _("staff periods")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "user", "role"], condition=Q(ended_at__isnull=True), name="offices_staff_one_open"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="offices_staff_period_order",
            ),
        ]
        indexes = [models.Index(fields=["office", "-ended_at"], name="offices_staff_period_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} {self.started_at:%Y-%m-%d}"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    MERGED = "merged", _("Same person: merged")
    KEPT_APART = "kept_apart", _("Different people: kept apart")
    RESOLVED = "resolved", _("Resolved")


class SyncReview(models.Model):
    """What an offline sync left for a counsellor to review: who synced it from which device (and the queue item's
    idempotency key), and the review's state."""

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    synced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("synced by"), on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(_("idempotency key"), max_length=100)
    device = models.CharField(_("device"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class SyncDuplicate(SyncReview):
    """A client created offline who likely matches records of the office: created (nothing lost), not merged
    silently; the counsellor confirms (merge) or keeps them apart."""

    person = models.ForeignKey(Person, verbose_name=_("new client"), on_delete=models.CASCADE, related_name="+")
    # [{"id", "reason"}] of the records it may match, as found at sync
    candidates = models.JSONField(_("possible matches"), default=list)
    merged_into = models.ForeignKey(
        Person, verbose_name=_("merged into"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("possible duplicate found at sync")
        verbose_name_plural = _("possible duplicates found at sync")
        indexes = [models.Index(fields=["office", "status", "-created_at"], name="offices_syncdup_office_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.status})"


class SyncConflict(SyncReview):
    """An offline edit of a client not applied because a field it changes was changed on the server since the
    device read it. The edit is kept whole here until the counsellor chooses, field by field."""

    person = models.ForeignKey(Person, verbose_name=_("client"), on_delete=models.CASCADE, related_name="+")
    base_version = models.PositiveIntegerField(_("version the device started from"))
    server_version = models.PositiveIntegerField(_("version on the server at sync"))
    # {field: value}: as the device saw it, as the device changed it, as the server had it at sync
    base = models.JSONField(_("values at the start"), default=dict)
    changes = models.JSONField(_("values from the device"), default=dict)
    server = models.JSONField(_("values on the server"), default=dict)
    fields = ArrayField(models.CharField(max_length=40), verbose_name=_("fields in conflict"), default=list)
    # {field: "device" | "server"} as the counsellor chose
    resolution = models.JSONField(_("choices"), default=dict, blank=True)

    class Meta:
        verbose_name = _("edit conflict found at sync")
        verbose_name_plural = _("edit conflicts found at sync")
        indexes = [models.Index(fields=["office", "status", "-created_at"], name="offices_syncconf_office_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.status})"
