"""Return information desk: information library, funding opportunities, network partners, vacancies, events."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.titles import TitleInLanguage
from apps.core.validators import validate_clean_text

# Information library ----------------------------------------------------------------------------------------


class InfoSheet(models.Model):
    """A sheet of first, country or legislative information. Title and body are translated (en/fr/ar).

    A language counts as available when both its title and its body are filled in; the portal never shows
    another language in its place (modeltranslation fallback is off project-wide).
    """

    class Kind(models.TextChoices):
        FIRST = "first", _("First information")
        COUNTRY = "country", _("Country information")
        LEGISLATIVE = "legislative", _("Legislative information")

    class Topic(models.TextChoices):
        MIGRATION = "migration", _("Migration")
        RETURN = "return", _("Return")
        VISA = "visa", _("Visa")
        SOCIAL = "social", _("Social support and social security")
        INSURANCE = "insurance", _("Insurance")
        EDUCATION = "education", _("Children's education")
        INVESTMENT = "investment", _("Investment")
        EMPLOYMENT = "employment", _("Employment")
        HOUSING = "housing", _("Housing")
        HEALTH = "health", _("Health")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey("core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=200, blank=True, validators=[validate_clean_text])
    body = models.TextField(_("text"), blank=True, validators=[validate_clean_text])
    sources = models.TextField(
        _("sources"), blank=True, help_text=_("Laws, official pages or documents the sheet is based on, one a line.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        _("review every (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    # reviewed_on + review_interval_months, kept by the services so stale sheets are found by an index.
    review_due_on = models.DateField(_("review due on"), editable=False)
    # One stored search document per language (title weighted above body), kept by the services.
    search_en = SearchVectorField(null=True, editable=False)
    search_fr = SearchVectorField(null=True, editable=False)
    search_ar = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("information sheet")
        verbose_name_plural = _("information sheets")
        ordering = ["country", "topic", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_interval_months__gte=1, review_interval_months__lte=60),
                name="infosheet_review_interval_range",
            ),
            models.CheckConstraint(condition=Q(review_due_on__gt=F("reviewed_on")), name="infosheet_due_after_review"),
        ]
        indexes = [
            models.Index(fields=["status", "country", "topic"], name="infosheet_public_idx"),
            models.Index(fields=["review_due_on"], name="infosheet_review_due_idx"),
            GinIndex(fields=["search_en"], name="infosheet_search_en"),
            GinIndex(fields=["search_fr"], name="infosheet_search_fr"),
            GinIndex(fields=["search_ar"], name="infosheet_search_ar"),
        ]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    def available_languages(self) -> list[str]:
        """The portal languages this sheet is written in (title and body both present)."""
        return [
            code
            for code, _name in settings.LANGUAGES
            if (getattr(self, f"title_{code}", "") or "").strip() and (getattr(self, f"body_{code}", "") or "").strip()
        ]

    def is_available_in(self, language: str) -> bool:
        return language in self.available_languages()

    def listed_title(self) -> TitleInLanguage:
        """The sheet as a list names it (:class:`apps.core.titles.TitleInLanguage`)."""
        return TitleInLanguage.pick(
            self.pk, {code: getattr(self, f"title_{code}", "") for code, _name in settings.LANGUAGES}
        )


# Funding opportunities --------------------------------------------------------------------------------------


class FundingOpportunity(models.Model):
    """Funding for productive-return projects: a grant, loan, guarantee or matching fund."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant")
        LOAN = "loan", _("Loan")
        GUARANTEE = "guarantee", _("Guarantee")
        MATCHING_FUND = "matching_fund", _("Matching fund")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=200, validators=[validate_clean_text])
    description = models.TextField(_("description"), blank=True, validators=[validate_clean_text])
    funder = models.CharField(_("funder"), max_length=200, validators=[validate_clean_text])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    countries = models.ManyToManyField("core.Country", verbose_name=_("eligible countries"), related_name="+")
    sectors = models.ManyToManyField(
        "skills.Sector",
        verbose_name=_("sectors"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty when every sector is eligible."),
    )
    amount_min = models.DecimalField(
        _("minimum amount"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    amount_max = models.DecimalField(
        _("maximum amount"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    cofunding_percent = models.PositiveSmallIntegerField(
        _("co-funding share (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("The share of the project the applicant must fund."),
    )
    deadline = models.DateField(_("deadline"))
    link = models.URLField(_("link"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("funding opportunity")
        verbose_name_plural = _("funding opportunities")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True) | Q(amount_min__gte=0), name="funding_min_ge_0"
            ),
            models.CheckConstraint(
                condition=Q(amount_max__isnull=True) | Q(amount_max__gte=0), name="funding_max_ge_0"
            ),
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True) | Q(amount_max__isnull=True) | Q(amount_max__gte=F("amount_min")),
                name="funding_amounts_ordered",
            ),
            models.CheckConstraint(
                condition=Q(cofunding_percent__isnull=True) | Q(cofunding_percent__lte=100),
                name="funding_cofunding_le_100",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="funding_public_idx")]

    def __str__(self) -> str:
        return self.title


class FundingAlert(models.Model):
    """One alert about one opportunity to one member: the unique constraint makes sending idempotent."""

    opportunity = models.ForeignKey(FundingOpportunity, on_delete=models.CASCADE, related_name="alerts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("funding alert")
        verbose_name_plural = _("funding alerts")
        constraints = [models.UniqueConstraint(fields=["opportunity", "user"], name="funding_alert_once")]

    def __str__(self) -> str:
        return f"{self.opportunity_id} → {self.user_id}"


# Network partners -------------------------------------------------------------------------------------------


class NetworkRole(models.TextChoices):
    CENTRAL_NODE = "central_node", _("Central node")
    OPERATIONAL_NODE = "operational_node", _("Operational node")
    PARTNER = "partner", _("Network partner")


class PartnerService(models.TextChoices):
    MICROCREDIT = "microcredit", _("Microcredit")
    EMPLOYMENT_CENTRE = "employment_centre", _("Employment centre")
    CHAMBER = "chamber_of_commerce", _("Chamber of commerce")
    PROFESSIONAL_ASSOCIATION = "professional_association", _("Professional association")
    TRAINING = "training", _("Training")
    LEGAL_AID = "legal_aid", _("Legal aid")
    HOUSING = "housing", _("Housing")


class NetworkPartner(models.Model):
    """An organisation's place in the return network and the services it offers (in its country)."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="network_partner",
    )
    role = models.CharField(_("network role"), max_length=20, choices=NetworkRole.choices)
    services = ArrayField(
        models.CharField(max_length=30, choices=PartnerService.choices),
        verbose_name=_("services"),
        default=list,
        blank=True,
    )
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    notes = models.TextField(_("what to know before referring"), blank=True, validators=[validate_clean_text])
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("network partner")
        verbose_name_plural = _("network partners")
        indexes = [GinIndex(fields=["services"], name="partner_services_gin")]

    def __str__(self) -> str:
        return str(self.organisation)

    def get_services_display(self) -> list[str]:
        return [str(PartnerService(s).label) for s in self.services if s in PartnerService.values]


# Vacancies --------------------------------------------------------------------------------------------------


class Vacancy(models.Model):
    """A job offer shared by a public employment service or an employer."""

    title = models.CharField(_("title"), max_length=200, validators=[validate_clean_text])
    employer = models.CharField(_("employer"), max_length=200, validators=[validate_clean_text])
    source = models.CharField(
        _("shared by"), max_length=200, blank=True, help_text=_("The public employment service or employer.")
    )
    country = models.ForeignKey("core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+")
    region = models.CharField(_("region"), max_length=150, blank=True)
    sector = models.ForeignKey(
        "skills.Sector", verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occupation = models.ForeignKey(
        "skills.Occupation",
        verbose_name=_("occupation (ISCO-08)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    skills = models.ManyToManyField(
        "skills.Skill", verbose_name=_("skills required"), blank=True, related_name="vacancies"
    )
    languages = models.ManyToManyField(
        "core.Language", verbose_name=_("languages required"), blank=True, related_name="vacancies"
    )
    description = models.TextField(_("description"), blank=True, validators=[validate_clean_text])
    closing_date = models.DateField(_("closing date"))
    link = models.URLField(_("link"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["closing_date", "id"]
        indexes = [models.Index(fields=["country", "closing_date"], name="vacancy_country_closing_idx")]

    def __str__(self) -> str:
        return f"{self.title} — {self.employer}"


# Events -----------------------------------------------------------------------------------------------------


class Event(models.Model):
    """A job fair, investor or diaspora forum, workshop or webinar, with registration and evaluation."""

    class Kind(models.TextChoices):
        JOB_FAIR = "job_fair", _("Job fair")
        INVESTOR_FORUM = "investor_forum", _("Investor forum")
        DIASPORA_FORUM = "diaspora_forum", _("Diaspora forum")
        WORKSHOP = "workshop", _("Workshop")
        WEBINAR = "webinar", _("Webinar")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200, validators=[validate_clean_text])
    description = models.TextField(_("description"), blank=True, validators=[validate_clean_text])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    language = models.ForeignKey(
        "core.Language", verbose_name=_("language"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="event_public_idx")]

    def __str__(self) -> str:
        return self.title


class EventRegistration(models.Model):
    """A member's place at an event, or on its waiting list. One per member and event."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    evaluation_requested_at = models.DateTimeField(_("evaluation form sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="event_registration_once")]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="event_registration_queue_idx")]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.user_id} ({self.status})"


class EventEvaluation(models.Model):
    """The short form an attendee fills in after the event."""

    registration = models.OneToOneField(EventRegistration, on_delete=models.CASCADE, related_name="evaluation")
    rating = models.PositiveSmallIntegerField(
        _("overall, how useful was the event?"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    would_recommend = models.BooleanField(_("would you recommend it to others?"))
    comment = models.TextField(_("what should we improve?"), blank=True, validators=[validate_clean_text])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event evaluation")
        verbose_name_plural = _("event evaluations")
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="evaluation_rating_1_5")]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.rating}"


# Return plans -----------------------------------------------------------------------------------------------


class ReturnPlan(models.Model):
    """A client's plan to return, followed by a desk (an office organisation) from first idea to reintegration.

    The client is known through the desk's client record (offices.Person), their skills-bank profile, or both.
    The plan's counselling sessions are that person's contacts (offices.Contact).
    """

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Business creation")
        EMPLOYMENT = "employment", _("Employment")
        STUDY = "study", _("Study")
        RETIREMENT = "retirement", _("Retirement")
        TEMPORARY = "temporary", _("Temporary or circular return")
        FROM_ABROAD = "from_abroad", _("Help from abroad")

    class Need(models.TextChoices):
        FINANCING = "financing", _("Financing")
        TRAINING = "training", _("Training")
        LEGAL = "legal", _("Legal advice")
        HOUSING = "housing", _("Housing")
        SCHOOLING = "schooling", _("Children's schooling")

    class Stage(models.TextChoices):
        EXPLORING = "exploring", _("Exploring")
        PREPARING = "preparing", _("Preparing")
        RETURNED = "returned", _("Returned")
        REINTEGRATED = "reintegrated", _("Reintegrated")
        DROPPED = "dropped", _("Dropped")

    desk = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("desk"), on_delete=models.PROTECT, related_name="return_plans"
    )
    profile = models.ForeignKey(
        "skills.DiasporaProfile",
        verbose_name=_("skills-bank profile"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="return_plans",
    )
    person = models.ForeignKey(
        "offices.Person",
        verbose_name=_("client of the desk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="return_plans",
    )
    kind = models.CharField(_("kind of return"), max_length=20, choices=Kind.choices)
    destination_country = models.ForeignKey(
        "core.Country", verbose_name=_("destination country"), on_delete=models.PROTECT, related_name="+"
    )
    destination_region = models.CharField(_("destination region"), max_length=150, blank=True)
    sector = models.ForeignKey(
        "skills.Sector", verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    idea = models.TextField(_("the idea"), blank=True, validators=[validate_clean_text])
    needs = ArrayField(
        models.CharField(max_length=20, choices=Need.choices), verbose_name=_("needs"), default=list, blank=True
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.EXPLORING)
    stage_changed_at = models.DateTimeField(_("stage changed"), auto_now_add=True)
    referrals = models.ManyToManyField(
        NetworkPartner, verbose_name=_("referred to"), blank=True, related_name="return_plans"
    )
    matched_funding = models.ManyToManyField(
        FundingOpportunity, verbose_name=_("matched funding"), blank=True, related_name="matched_plans"
    )
    matched_vacancies = models.ManyToManyField(
        Vacancy, verbose_name=_("matched vacancies"), blank=True, related_name="matched_plans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("return plan")
        verbose_name_plural = _("return plans")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["desk", "stage"], name="returnplan_desk_stage_idx"),
            models.Index(fields=["destination_country", "sector"], name="returnplan_match_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} — {self.destination_country_id}"

    def get_needs_display(self) -> list[str]:
        return [str(self.Need(n).label) for n in self.needs if n in self.Need.values]


# Sheets handed out ------------------------------------------------------------------------------------------


class SheetHandout(models.Model):
    """An information sheet a counsellor handed out during a contact: what each person was told is on record."""

    contact = models.ForeignKey(
        "offices.Contact", verbose_name=_("contact"), on_delete=models.CASCADE, related_name="sheet_handouts"
    )
    sheet = models.ForeignKey(
        InfoSheet, verbose_name=_("information sheet"), on_delete=models.PROTECT, related_name="handouts"
    )
    handed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed out by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("sheet handed out")
        verbose_name_plural = _("sheets handed out")
        ordering = ["contact", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["contact", "sheet"], name="sheet_handout_once")]

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.sheet_id}"
