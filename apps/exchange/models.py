"""South-South expert exchange: requests, participants, selected experts, the decision log, reports."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.validators import validate_clean_text

from .uploads import validate_programme_pdf, validate_report_attachment, validate_terms_of_reference_pdf


class Kind(models.TextChoices):
    STUDY_VISIT = "study_visit", _("Study visit")
    EXPERT_ASSIGNMENT = "expert_assignment", _("Expert assignment")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ENDORSED = "endorsed", _("Endorsed")
    ACCEPTED = "accepted", _("Accepted")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


class Theme(models.TextChoices):
    DIASPORA_ENGAGEMENT = "diaspora_engagement", _("Diaspora engagement")
    CENSUS_PROFILING = "census_profiling", _("Census and profiling")
    SKILLS_NETWORKS = "skills_networks", _("Skills networks")
    REMITTANCES_INVESTMENT = "remittances_investment", _("Remittances and investment")
    SOCIAL_SECURITY = "social_security", _("Social security portability")
    PROTECTION = "protection", _("Protection of migrants")
    PRE_DEPARTURE = "pre_departure", _("Pre-departure information")
    LABOUR_MARKETS = "labour_markets", _("Labour markets and skills recognition")
    RETURN_REINTEGRATION = "return_reintegration", _("Return and reintegration")
    FREE_MOVEMENT = "free_movement", _("Free movement")
    MIGRATION_DATA = "migration_data", _("Migration data")
    HEALTH = "health", _("Health")
    AGRICULTURE = "agriculture", _("Agriculture")
    ENVIRONMENT = "environment", _("Environment")


class DeliveryMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    REMOTE = "remote", _("Remote")
    BLENDED = "blended", _("Remote and on site")


class ExchangeRequest(models.Model):
    """A request by an institution of a partner state for a study visit or an expert assignment."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)

    requesting_institution = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("requesting institution"),
        on_delete=models.PROTECT,
        related_name="exchange_requests",
    )
    # The institution's country, kept on the request so lists filter and index on it.
    requesting_country = models.ForeignKey(
        "core.Country", verbose_name=_("requesting country"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="exchange_requests_drafted",
    )
    host_country = models.ForeignKey(
        "core.Country", verbose_name=_("host country"), on_delete=models.PROTECT, related_name="+"
    )
    host_institution = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("host institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_exchange_requests",
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_clean_text])
    theme = models.CharField(_("theme"), max_length=40, choices=Theme.choices)
    sectors = models.CharField(_("sectors"), max_length=300, blank=True, validators=[validate_clean_text])
    objectives = models.TextField(_("objectives"), blank=True, validators=[validate_clean_text])
    expected_results = models.TextField(_("expected results"), blank=True, validators=[validate_clean_text])
    initiative = models.CharField(
        _("initiative it serves"), max_length=300, blank=True, validators=[validate_clean_text]
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    working_language = models.ForeignKey(
        "core.Language",
        verbose_name=_("working language"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Expert assignment: the expertise sought.
    occupations_sought = models.TextField(_("occupations sought"), blank=True, validators=[validate_clean_text])
    isco_codes = ArrayField(
        models.CharField(max_length=4), verbose_name=_("ISCO-08 codes"), default=list, blank=True, size=20
    )
    skills_sought = models.TextField(_("skills sought"), blank=True, validators=[validate_clean_text])
    languages_sought = models.ManyToManyField(
        "core.Language", verbose_name=_("languages sought"), blank=True, related_name="+"
    )
    # The skills sought as entries of the skills-bank vocabulary: what the matching compares with profiles.
    skills = models.ManyToManyField(
        "skills.Skill", verbose_name=_("skills sought (vocabulary)"), blank=True, related_name="+"
    )
    min_years_experience = models.PositiveSmallIntegerField(
        _("minimum years of experience"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    number_of_experts = models.PositiveSmallIntegerField(
        _("number of experts"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    delivery_mode = models.CharField(_("remote or on site"), max_length=10, choices=DeliveryMode.choices, blank=True)
    terms_of_reference = models.TextField(_("terms of reference"), blank=True, validators=[validate_clean_text])
    terms_of_reference_file = models.FileField(
        _("terms of reference (PDF)"),
        upload_to="exchange/tor/%Y/",
        blank=True,
        validators=[validate_terms_of_reference_pdf],
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    state_changed_at = models.DateTimeField(_("state changed"), auto_now_add=True)
    last_reminder_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    # When the participants and experts who have not evaluated yet were last reminded to.
    evaluation_reminder_at = models.DateTimeField(_("last evaluation reminder"), null=True, blank=True)

    class Meta:
        verbose_name = _("exchange request")
        verbose_name_plural = _("exchange requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="exchange_request_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "requesting_country"], name="exchange_state_req_idx"),
            models.Index(fields=["state", "host_country"], name="exchange_state_host_idx"),
            models.Index(fields=["requesting_country", "host_country"], name="exchange_country_pair_idx"),
            models.Index(fields=["state", "start_date"], name="exchange_state_start_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_study_visit(self) -> bool:
        return self.kind == Kind.STUDY_VISIT

    @property
    def duration_days(self) -> int | None:
        if self.start_date and self.end_date:
            return (self.end_date - self.start_date).days + 1
        return None


class Participant(models.Model):
    """A person taking part in a study visit."""

    request = models.ForeignKey(
        ExchangeRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="participants"
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_clean_text])
    institution = models.CharField(_("institution"), max_length=255, validators=[validate_clean_text])
    position = models.CharField(_("position"), max_length=200, blank=True, validators=[validate_clean_text])
    country = models.ForeignKey("core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(_("e-mail"))
    # The language of the messages to a participant without an account (an account's own language wins);
    # blank: the working language of the exchange when the portal speaks it, else the portal's default.
    language = models.CharField(
        _("language for messages"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the invitation, reminders and evaluation link. By default, the working language."),
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "email"], name="exchange_participant_unique_email"),
        ]

    def __str__(self) -> str:
        return self.name


class ExpertSelection(models.Model):
    """An expert considered for an expert assignment, from shortlist to selection."""

    class Status(models.TextChoices):
        SHORTLISTED = "shortlisted", _("Shortlisted")
        INVITED = "invited", _("Invited")
        INTERESTED = "interested", _("Interested")
        NOT_INTERESTED = "not_interested", _("Not interested")
        SELECTED = "selected", _("Selected")

    request = models.ForeignKey(
        ExchangeRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="expert_selections"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SHORTLISTED)
    provider_country = models.ForeignKey(
        "core.Country", verbose_name=_("provider country"), on_delete=models.PROTECT, related_name="+"
    )
    # When the call went out and when the member answered (or offered themselves from the open calls).
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("expert selection")
        verbose_name_plural = _("expert selections")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "expert"], name="exchange_expert_selection_unique"),
        ]
        indexes = [models.Index(fields=["expert", "status"], name="exchange_selection_expert_idx")]

    def __str__(self) -> str:
        return f"{self.expert} ({self.get_status_display()})"

    @property
    def volunteered(self) -> bool:
        """The member offered themselves from the open calls (no call was sent to them)."""
        return self.invited_at is None and self.answered_at is not None


class CloseReason(models.TextChoices):
    ALL_EVALUATED = "all_evaluated", _("The report is in and every participant and expert has evaluated.")
    DEADLINE_PASSED = "deadline_passed", _("The report is in and the evaluation deadline has passed.")


SYSTEM_ROLE = "system"


class Decision(models.Model):
    """One transition of a request, or a change to its schedule. Append-only: the database refuses UPDATE, DELETE
    (migration 0002) and TRUNCATE (migration 0006). A decision without an actor was taken by the portal itself
    (closing), with its ``reason``."""

    request = models.ForeignKey(
        ExchangeRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="decisions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("by (name)"), max_length=254)
    role = models.CharField(_("role"), max_length=40)
    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices)
    comment = models.TextField(_("comment"), blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=CloseReason.choices, blank=True)
    # A change to the schedule after scheduling: which of its fields changed (names of SCHEDULE_FIELD_LABELS).
    changed_fields = ArrayField(
        models.CharField(max_length=40), verbose_name=_("changed"), default=list, blank=True, size=20
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"], name="exchange_decision_request_idx")]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_state} → {self.to_state}"

    @property
    def by_label(self) -> str:
        """Who took the decision, for pages, sheets and messages (the portal itself when nobody did)."""
        return self.actor_label if self.actor_id else str(_("The portal (automatically)"))

    @property
    def changed_labels(self) -> list[str]:
        return [str(SCHEDULE_FIELD_LABELS.get(name, name)) for name in self.changed_fields]


class Report(models.Model):
    """What happened, written by the requesting focal point after the exchange."""

    request = models.OneToOneField(
        ExchangeRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="report"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT)
    activities = models.TextField(_("activities"), validators=[validate_clean_text])
    results = models.TextField(_("results"), validators=[validate_clean_text])
    follow_up_actions = models.TextField(_("follow-up actions"), blank=True, validators=[validate_clean_text])
    knowledge_sharing = models.TextField(
        _("how the knowledge was shared with the home institution"), validators=[validate_clean_text]
    )
    attachment = models.FileField(
        _("attachment"), upload_to="exchange/reports/%Y/", blank=True, validators=[validate_report_attachment]
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.request_id}"


class Evaluation(models.Model):
    """A participant's or an expert's evaluation of the exchange."""

    class Respondent(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        EXPERT = "expert", _("Expert")

    request = models.ForeignKey(
        ExchangeRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="evaluations"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT)
    respondent = models.CharField(_("answering as"), max_length=20, choices=Respondent.choices)
    usefulness = models.PositiveSmallIntegerField(
        _("usefulness"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    organisation = models.PositiveSmallIntegerField(
        _("organisation"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    would_recommend = models.BooleanField(_("would recommend"))
    comments = models.TextField(_("comments"), blank=True, validators=[validate_clean_text])
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["request", "author"], name="exchange_evaluation_one_per_author"),
            models.CheckConstraint(
                condition=Q(usefulness__gte=1, usefulness__lte=5, organisation__gte=1, organisation__lte=5),
                name="exchange_evaluation_scores_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.author_id}"


class Schedule(models.Model):
    """What the coordinator confirmed when scheduling: where, when, with whom, and the programme."""

    request = models.OneToOneField(
        ExchangeRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="schedule"
    )
    venue = models.CharField(_("venue"), max_length=200, validators=[validate_clean_text])
    city = models.CharField(_("city"), max_length=120, validators=[validate_clean_text])
    host_contact_name = models.CharField(_("host contact person"), max_length=200, validators=[validate_clean_text])
    host_contact_email = models.EmailField(_("host contact's e-mail"))
    host_contact_phone = models.CharField(
        _("host contact's phone"), max_length=40, blank=True, validators=[validate_clean_text]
    )
    logistics_notes = models.TextField(_("logistics notes"), blank=True, validators=[validate_clean_text])
    programme_file = models.FileField(
        _("programme (PDF)"), upload_to="exchange/programmes/%Y/", blank=True, validators=[validate_programme_pdf]
    )
    evaluation_deadline = models.DateField(_("evaluation deadline"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.venue}, {self.city}"


class ProgrammeItem(models.Model):
    """One item of a scheduled exchange's programme (agenda)."""

    schedule = models.ForeignKey(Schedule, verbose_name=_("schedule"), on_delete=models.CASCADE, related_name="items")
    day = models.DateField(_("day"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("to"), null=True, blank=True)
    title = models.CharField(_("item"), max_length=300, validators=[validate_clean_text])

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["day", "start_time", "id"]

    def __str__(self) -> str:
        return f"{self.day} {self.start_time} {self.title}"


# The fields of a schedule (and the request's dates) whose change after scheduling is logged, with their labels.
SCHEDULE_FIELD_LABELS = {
    "start_date": _("start date"),
    "end_date": _("end date"),
    "venue": _("venue"),
    "city": _("city"),
    "host_contact_name": _("host contact person"),
    "host_contact_email": _("host contact's e-mail"),
    "host_contact_phone": _("host contact's phone"),
    "logistics_notes": _("logistics notes"),
    "programme_file": _("programme (PDF)"),
    "evaluation_deadline": _("evaluation deadline"),
    "programme": _("programme"),
}


class Certificate(models.Model):
    """A recognition certificate for one participant or expert of a closed exchange, checked by its code."""

    request = models.ForeignKey(
        ExchangeRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="certificates"
    )
    holder_kind = models.CharField(_("as"), max_length=20, choices=Evaluation.Respondent.choices)
    holder_name = models.CharField(_("name"), max_length=200)
    holder_email = models.EmailField(_("e-mail"))
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=5)
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "holder_email"], name="exchange_certificate_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.holder_name}"
