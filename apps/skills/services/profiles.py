"""The member's own profile: the wizard's writes, the CV, freshness reminders and data rights (export, erasure).

Validation that both the pages and the API need (phone, birth date, availability, CV content) lives here too, so
both paths refuse the same input with the same message.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CheckConstraint, ForeignKey, Model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import audit_identity_erase, audit_record
from apps.core.locks import held_lock
from apps.core.validators import phone_normalise, validate_birth_date, validate_clean_text

from ..models import (
    CONSENT_FIELDS,
    AssociationMembership,
    ConsentPurpose,
    ConsentRecord,
    DiasporaProfile,
    ProfessionalRegistration,
    ProfileEducation,
    ProfileLanguage,
    ProfileSkill,
)
from ..selectors.profiles import FRESHNESS_PERIOD, REMINDERS_BEFORE_STALE
from .consents import CONSENT_TEXT_VERSION, consent_set, profile_search_refresh, profile_touch_confirmed

logger = logging.getLogger(__name__)

# Fields whose change alters the stored search document.
SEARCH_FIELDS = frozenset({"first_name", "last_name", "first_name_ar", "last_name_ar", "job_title", "employer"})

# Scalar fields the member may write on their own profile (pages and API).
MEMBER_FIELDS = (
    "first_name",
    "last_name",
    "first_name_ar",
    "last_name_ar",
    "date_of_birth",
    "gender",
    "origin_country",
    "origin_region",
    "nationality",
    "residence_country",
    "residence_city",
    "generation",
    "phone",
    "job_title",
    "employer",
    "years_experience",
    "engagement_interests",
    "available_from",
    "available_to",
    "days_per_year",
    "availability_mode",
)

# Free-text fields checked for invisible direction and control characters.
TEXT_FIELDS = (
    "first_name",
    "last_name",
    "first_name_ar",
    "last_name_ar",
    "origin_region",
    "residence_city",
    "job_title",
    "employer",
)

CV_MAX_BYTES = 5 * 1024 * 1024
REMINDER_INTERVAL = timedelta(days=30)
CONFIRM_LINK_MAX_AGE = timedelta(days=60)
CONFIRM_SALT = "skills.profile-confirm"
REMINDER_LOCK_KEY = "skills:confirmation-reminders:lock"


# Validation shared by forms and the API ---------------------------------------------------------------------


def validate_availability(available_from: date | None, available_to: date | None) -> None:
    if available_from and available_to and available_to < available_from:
        raise ValidationError(
            {"available_to": _("The end of your availability must be on or after its start.")},
            code="availability_order",
        )


def cv_validate(upload) -> None:
    """A CV must be a real PDF of at most 5 MB: checked by its content (magic bytes and a parse), not its name."""
    size = getattr(upload, "size", None)
    if size is not None and size > CV_MAX_BYTES:
        raise ValidationError(_("The CV is larger than 5 MB. Upload a smaller PDF."), code="cv_too_large")
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        raise ValidationError(_("The CV must be a PDF document."), code="cv_not_pdf")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        data = upload.read(CV_MAX_BYTES + 1)
        if len(data) > CV_MAX_BYTES:
            raise ValidationError(_("The CV is larger than 5 MB. Upload a smaller PDF."), code="cv_too_large")
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(_("The CV is protected by a password. Upload it without one."), code="cv_encrypted")
        if len(reader.pages) < 1:
            raise ValidationError(_("The CV has no pages."), code="cv_empty")
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError, AttributeError):
        raise ValidationError(_("The CV could not be read as a PDF document."), code="cv_unreadable") from None
    finally:
        upload.seek(0)


# The profile ----------------------------------------------------------------------------------------------


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise ValueError(f"not a member-writable field: {sorted(unknown)}")


@transaction.atomic
def profile_create(*, user, fields: dict[str, Any], request=None) -> DiasporaProfile:
    """Start the member's skills profile (the first wizard step)."""
    _check_fields(fields)
    if DiasporaProfile.objects.filter(user=user).exists():
        raise ValidationError(_("You already have a skills profile."), code="profile_exists")
    profile = DiasporaProfile(user=user, source="self", **_fk_ids(fields))
    _clean(profile)
    profile.save()
    profile_search_refresh(profile_ids=[profile.pk])
    audit_record(actor=user, action="profile.create", obj=profile, request=request)
    return profile


def _fk_ids(fields: dict[str, Any]) -> dict[str, Any]:
    """Accept model instances or codes for the country fields."""
    out = {}
    for name, value in fields.items():
        if name in ("origin_country", "nationality", "residence_country") and not hasattr(value, "pk"):
            out[f"{name}_id"] = value or None
        else:
            out[name] = value
    return out


def _clean(profile: DiasporaProfile) -> None:
    errors: dict[str, list] = {}
    try:
        profile.full_clean(exclude=["user", "cv"], validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for name in TEXT_FIELDS:
        try:
            validate_clean_text(getattr(profile, name) or "")
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
    try:
        validate_birth_date(profile.date_of_birth)
    except ValidationError as exc:
        errors.setdefault("date_of_birth", []).extend(exc.messages)
    try:
        validate_availability(profile.available_from, profile.available_to)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if profile.phone:
        region = profile.residence_country_id
        try:
            profile.phone = phone_normalise(profile.phone, region=region)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def profile_update(*, profile: DiasporaProfile, fields: dict[str, Any], actor, request=None) -> DiasporaProfile:
    """Change scalar fields of the profile; the search document follows when names, title or employer change."""
    _check_fields(fields)
    if profile.erased_at:
        raise ValidationError(_("This profile has been erased."), code="erased")
    changed = {}
    for name, value in _fk_ids(fields).items():
        if getattr(profile, name) != value:
            changed[name] = getattr(profile, name)
            setattr(profile, name, value)
    if not changed:
        return profile
    try:
        _clean(profile)
    except ValidationError:
        for name, old in changed.items():  # leave the caller's object as it was
            setattr(profile, name, old)
        raise
    profile.save()
    if SEARCH_FIELDS.intersection(changed):
        profile_search_refresh(profile_ids=[profile.pk])
    audit_record(actor=actor, action="profile.update", obj=profile, summary=", ".join(sorted(changed)), request=request)
    return profile


@transaction.atomic
def profile_set_occupations(*, profile: DiasporaProfile, occupations: Iterable, actor, request=None) -> None:
    codes = sorted({getattr(o, "pk", o) for o in occupations})
    if sorted(profile.occupations.values_list("pk", flat=True)) == codes:
        return
    profile.occupations.set(codes)
    profile_search_refresh(profile_ids=[profile.pk])
    audit_record(actor=actor, action="profile.update", obj=profile, summary="occupations", request=request)


@transaction.atomic
def profile_set_sectors(*, profile: DiasporaProfile, sectors: Iterable, actor, request=None) -> None:
    codes = sorted({getattr(s, "pk", s) for s in sectors})
    if sorted(profile.sectors.values_list("pk", flat=True)) == codes:
        return
    profile.sectors.set(codes)
    profile_search_refresh(profile_ids=[profile.pk])
    audit_record(actor=actor, action="profile.update", obj=profile, summary="sectors", request=request)


# Child tables written as a whole list: the member's list replaces the stored one.
CHILD_MODELS: dict[str, tuple[type[Model], tuple[str, ...]]] = {
    "languages": (ProfileLanguage, ("language", "level")),
    "education": (ProfileEducation, ("level", "field", "institution", "country", "year")),
    "skills": (ProfileSkill, ("skill", "proposed_text", "kind")),
    "registrations": (ProfessionalRegistration, ("body", "number", "country")),
    "associations": (AssociationMembership, ("organisation", "name")),
}


@transaction.atomic
def profile_replace_rows(
    *, profile: DiasporaProfile, kind: str, rows: list[dict[str, Any]], actor, request=None
) -> None:
    """Replace the profile's ``kind`` rows (languages, education, skills, registrations, associations)."""
    model, field_names = CHILD_MODELS[kind]
    objects = []
    errors = []
    seen = set()
    for index, row in enumerate(rows):
        values = {name: row.get(name) for name in field_names}
        obj = model(profile=profile)
        for name, value in values.items():
            field = model._meta.get_field(name)
            if isinstance(field, ForeignKey):
                setattr(obj, field.attname, getattr(value, "pk", value) or None)
            else:
                setattr(obj, name, value if value is not None else ("" if field.empty_strings_allowed else None))
        try:
            # Unique constraints are checked below against the new list (the stored rows are being replaced).
            obj.full_clean(exclude=["profile"], validate_constraints=False)
            for constraint in model._meta.constraints:
                if isinstance(constraint, CheckConstraint):
                    constraint.validate(model, obj)
            for name in field_names:
                value = getattr(obj, name)
                if isinstance(value, str):
                    validate_clean_text(value)
        except ValidationError as exc:
            errors.append((index, exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}))
            continue
        key = _row_key(kind, obj)
        if key is not None and key in seen:
            errors.append((index, {"__all__": [_("This entry appears twice.")]}))
            continue
        seen.add(key)
        objects.append(obj)
    if errors:
        raise ValidationError(
            {kind: [_("Row %(row)s: %(errors)s") % {"row": i + 1, "errors": _join(e)} for i, e in errors]}
        )
    model._default_manager.filter(profile=profile).delete()
    model._default_manager.bulk_create(objects)
    if kind == "skills":
        profile_search_refresh(profile_ids=[profile.pk])
    audit_record(actor=actor, action="profile.update", obj=profile, summary=kind, request=request)


def _row_key(kind: str, obj) -> tuple | None:
    if kind == "languages":
        return (obj.language_id,)
    if kind == "skills":
        return (obj.skill_id,) if obj.skill_id else ("text", obj.proposed_text.strip().lower())
    return None


def _join(errors: dict[str, list]) -> str:
    return " ".join(str(m) for messages in errors.values() for m in messages)


@transaction.atomic
def profile_set_cv(*, profile: DiasporaProfile, upload, actor, request=None) -> None:
    """Store the member's CV (validated by content) under MEDIA_ROOT; the previous file is removed."""
    cv_validate(upload)
    old_name = profile.cv.name if profile.cv else ""
    upload.name = f"cv-{profile.pk}-{get_random_string(12)}.pdf"  # never the member's own file name
    profile.cv.save(upload.name, upload, save=False)
    DiasporaProfile.objects.filter(pk=profile.pk).update(cv=profile.cv.name)
    if old_name:
        transaction.on_commit(lambda: profile.cv.storage.delete(old_name))
    audit_record(actor=actor, action="profile.cv_upload", obj=profile, request=request)


@transaction.atomic
def profile_remove_cv(*, profile: DiasporaProfile, actor, request=None) -> None:
    if not profile.cv.name:
        return
    name = profile.cv.name
    storage = profile.cv.storage
    DiasporaProfile.objects.filter(pk=profile.pk).update(cv="")
    profile.cv = ""
    transaction.on_commit(lambda: storage.delete(name))
    audit_record(actor=actor, action="profile.cv_remove", obj=profile, request=request)


def profile_wizard_mark(*, profile: DiasporaProfile, step: str, steps: list[str]) -> None:
    """Remember the furthest wizard step completed, so the member can leave and come back later."""
    current = steps.index(profile.wizard_step) if profile.wizard_step in steps else -1
    if steps.index(step) > current:
        DiasporaProfile.objects.filter(pk=profile.pk).update(wizard_step=step)
        profile.wizard_step = step


@transaction.atomic
def profile_consents_set(
    *, profile: DiasporaProfile, choices: dict[str, bool], method: str, actor, request=None
) -> list[ConsentRecord]:
    """Give or withdraw each purpose as chosen; a purpose never given and left unticked writes nothing."""
    records = []
    for purpose, given in choices.items():
        current = getattr(profile, CONSENT_FIELDS[ConsentPurpose(purpose)])
        if given == current:
            continue
        record = consent_set(profile=profile, purpose=purpose, given=given, method=method, actor=actor, request=request)
        if record is not None:
            records.append(record)
    return records


@transaction.atomic
def profile_confirm(*, profile: DiasporaProfile, actor=None, request=None) -> None:
    """The member says the profile is still correct (from the profile page or the signed e-mail link)."""
    if profile.erased_at:
        raise ValidationError(_("This profile has been erased."), code="erased")
    profile_touch_confirmed(profile=profile)
    audit_record(actor=actor or profile.user, action="profile.confirm", obj=profile, request=request)


# Freshness --------------------------------------------------------------------------------------------------


def confirmation_token_make(*, profile: DiasporaProfile) -> str:
    return signing.dumps({"p": profile.pk}, salt=CONFIRM_SALT, compress=True)


def confirmation_token_profile(token: str) -> DiasporaProfile | None:
    """The profile a "still correct" link was made for, or None if it is forged, expired or erased."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    return DiasporaProfile.objects.filter(pk=data.get("p"), erased_at__isnull=True).select_related("user").first()


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _send_reminder(profile: DiasporaProfile) -> None:
    """Queue the yearly "is your profile still correct?" e-mail through the outreach pipeline."""
    from apps.core.notifications import notification_language, notification_send

    user = profile.user
    with translation.override(notification_language(user)):
        context = {
            "profile": profile,
            "confirm_url": _absolute(
                reverse("skills:confirm", kwargs={"token": confirmation_token_make(profile=profile)})
            ),
            "edit_url": _absolute(reverse("skills:profile")),
        }
    notification_send(
        user=user,
        kind="skills_confirm_reminder",
        template="skills/email/confirm_reminder",
        context=context,
        idempotency_key=f"skills:reminder:{profile.pk}:{profile.confirmation_reminders_sent + 1}",
    )


def profiles_due_for_reminder(*, now=None):
    """Profiles last confirmed (or, never confirmed, created) over 12 months ago, not reminded in 30 days."""
    from django.db.models import Q
    from django.db.models.functions import Coalesce

    now = now or timezone.now()
    return (
        DiasporaProfile.objects.filter(erased_at__isnull=True, user__is_active=True)
        .annotate(confirmed_or_created=Coalesce("last_confirmed_at", "created_at"))
        .filter(confirmed_or_created__lt=now - FRESHNESS_PERIOD)
        .filter(Q(last_reminder_at__isnull=True) | Q(last_reminder_at__lte=now - REMINDER_INTERVAL))
        .filter(confirmation_reminders_sent__lt=REMINDERS_BEFORE_STALE)
        .select_related("user")
        .order_by("pk")
    )


def profile_reminders_send(*, now=None, batch_size: int = 500) -> int | None:
    """E-mail every member whose profile is due a confirmation reminder. Returns how many were sent.

    Guarded by a Redis lock (two beats never send twice); returns None when another run holds the lock. A
    repeat on the same day sends nothing more: each profile is reminded at most once per 30 days.
    """
    with held_lock(REMINDER_LOCK_KEY, timeout=3600) as held:
        if not held:
            return None
        return _profile_reminders_send(now=now, batch_size=batch_size)


def _profile_reminders_send(*, now, batch_size: int) -> int:
    sent = 0
    now = now or timezone.now()
    last_pk = 0
    while True:
        batch = list(profiles_due_for_reminder(now=now).filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            break
        for profile in batch:
            last_pk = profile.pk
            with transaction.atomic():
                # Claim the profile first: a crash after this line skips one reminder, never sends two.
                claimed = (
                    profiles_due_for_reminder(now=now)
                    .filter(pk=profile.pk)
                    .update(
                        last_reminder_at=now,
                        confirmation_reminders_sent=profile.confirmation_reminders_sent + 1,
                    )
                )
            if not claimed:
                continue
            try:
                _send_reminder(profile)
            except Exception:  # noqa: BLE001 - one failing address must not stop the others
                logger.exception("confirmation reminder to profile %s failed", profile.pk)
                continue
            audit_record(
                actor=None,
                action="profile.reminder",
                obj=profile,
                summary=f"confirmation reminder {profile.confirmation_reminders_sent + 1}",
            )
            sent += 1
    return sent


# Data rights ------------------------------------------------------------------------------------------------

# Other apps add what they hold about a member to the "download my data" file: a name and a function
# ``(user) -> JSON-serialisable data``. Offices (contacts) and outreach (deliveries) register theirs here.
DATA_EXPORT_SECTIONS: dict[str, Callable[[Any], Any]] = {}

# What the export should hold once the app that keeps it registers its section.
EXPECTED_EXPORT_SECTIONS = {
    "contacts": gettext_lazy("Contacts logged by migration offices that concern you"),
    "deliveries": gettext_lazy("Messages sent to you (e-mail, SMS) and their delivery status"),
}


def data_export_section_register(name: str, build: Callable[[Any], Any]) -> None:
    DATA_EXPORT_SECTIONS[name] = build


def member_data_export(*, user, request=None) -> dict[str, Any]:
    """Everything the portal holds about ``user``, as JSON-ready data. The export itself is audited."""
    from ..selectors.profiles import member_data

    data = member_data(user=user)
    for name, build in sorted(DATA_EXPORT_SECTIONS.items()):
        data[name] = build(user)
    data["not_yet_included"] = {
        name: str(description) for name, description in EXPECTED_EXPORT_SECTIONS.items() if name not in data
    }
    audit_record(actor=user, action="profile.export", object_type="accounts.user", object_id=user.pk, request=request)
    return data


@transaction.atomic
def member_erase(*, user, request=None) -> None:
    """Erase the member's personal data: anonymise, withdraw every consent, remove from search at once.

    Kept for aggregate statistics: countries (origin, nationality, residence), generation, sectors. The account
    is deactivated and its e-mail replaced; the erasure is audited. Confirm the password before calling this.
    """
    from allauth.account.models import EmailAddress

    now = timezone.now()
    profile = DiasporaProfile.objects.select_for_update().filter(user=user).first()
    cv_name = ""
    if profile is not None and profile.erased_at is None:
        cv_name = profile.cv.name or ""
        storage = profile.cv.storage
        for purpose in ConsentPurpose:
            ConsentRecord.objects.create(
                profile=profile,
                purpose=purpose,
                given=False,
                method=ConsentRecord.Method.ERASURE,
                text_version=CONSENT_TEXT_VERSION,
            )
        for model, _fields in CHILD_MODELS.values():
            model._default_manager.filter(profile=profile).delete()
        profile.occupations.clear()
        DiasporaProfile.objects.filter(pk=profile.pk).update(
            first_name="",
            last_name="",
            first_name_ar="",
            last_name_ar="",
            date_of_birth=None,
            gender="",
            origin_region="",
            residence_city="",
            phone="",
            job_title="",
            employer="",
            years_experience=None,
            engagement_interests=[],
            available_from=None,
            available_to=None,
            days_per_year=None,
            availability_mode="",
            cv="",
            verification_note="",
            wizard_step="",
            search_vector=None,
            search_names="",
            erased_at=now,
            **{field: False for field in CONSENT_FIELDS.values()},
        )
        profile_search_refresh(profile_ids=[profile.pk])  # the name words go, and the words nobody else carries
        if cv_name:
            transaction.on_commit(lambda: storage.delete(cv_name))
    EmailAddress.objects.filter(user=user).delete()
    user.email = f"erased-{user.pk}@erased.invalid"
    user.full_name = ""
    user.is_active = False
    user.erased_at = now
    user.password = make_password(None)
    user.save(update_fields=["email", "full_name", "is_active", "erased_at", "password"])
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    audit_record(
        actor=user,
        action="profile.erase",
        object_type="accounts.user",
        object_id=user.pk,
        summary="personal data erased at the member's request",
        request=request,
        extra={"profile_id": profile.pk if profile else None, "cv_removed": bool(cv_name)},
    )
    audit_identity_erase(user=user)  # the log's pseudonym for them names nobody from now on
