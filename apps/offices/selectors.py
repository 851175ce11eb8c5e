"""Reads, already scoped to what the user may see, with a constant number of queries."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connection
from django.db.models import Count, F, Func, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncWeek
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from apps.core.audit import audit_record
from apps.core.names import explain, name_words, normalise, word_keys
from apps.core.titles import TitleInLanguage

from .models import PHONE_DIGITS, Channel, Contact, ContactDisplay, Office, Person, Referral, StaffPeriod, StaffRole
from .permissions import manager_organisation_ids, member_organisation_ids, staff_organisation_ids  # noqa: F401

DUPLICATE_NAME_SIMILARITY = 0.45


# Audit of list reads ----------------------------------------------------------------------------------------

LIST_READ_RECORDS = ("person", "contact", "referral")


def list_read_audit(*, user, records: str, filters: dict, shown: int, total: int, request=None) -> None:
    """One audit event for one read of a list of personal records (a page of the list, in a page or the API):
    which list, the filter used, how many records were shown and how many matched; never the records."""
    if records not in LIST_READ_RECORDS:
        raise ValueError(f"not a list of personal records: {records}")
    used = {name: str(value) for name, value in filters.items() if value not in ("", None)}
    audit_record(
        actor=user,
        action=f"offices.{records}.list",
        object_type=f"offices.{records}",
        summary=f"{shown} of {total}",
        request=request,
        extra={"filters": used, "count": shown, "total": total},
    )


# Offices ----------------------------------------------------------------------------------------------------


def public_office_list(*, country: str = "", office_type: str = "") -> QuerySet[Office]:
    offices = Office.objects.filter(is_public=True, organisation__is_active=True)
    if country:
        offices = offices.filter(country_id=country)
    if office_type:
        offices = offices.filter(type=office_type)
    return (
        offices.select_related("organisation", "country")
        .prefetch_related("languages")
        .order_by("country__name", "municipality", "organisation__name")
    )


def offices_of(user) -> QuerySet[Office]:
    """Offices in which the user works."""
    return Office.objects.filter(organisation_id__in=staff_organisation_ids(user)).select_related(
        "organisation", "country"
    )


def office_staff(office) -> QuerySet:
    from apps.accounts.models import User

    from .permissions import STAFF_ROLES

    return (
        User.objects.filter(
            memberships__organisation_id=office.organisation_id,
            memberships__role__in=STAFF_ROLES,
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


# Persons ----------------------------------------------------------------------------------------------------


def _readable_person_q(user, prefix: str = "", office_prefix: str | None = None) -> Q:
    """Persons of the user's offices; flagged ones only for their counsellor and the office manager.

    ``office_prefix`` lets a contact or referral be scoped on its own ``office`` column (always the person's
    office), so the planner starts from that row's index rather than from the person.
    """
    p = prefix
    o = p if office_prefix is None else office_prefix
    managed = manager_organisation_ids(user)
    staffed = staff_organisation_ids(user) - managed
    # office ids as a subquery on the small office table: the big tables are filtered on their office_id index
    condition = Q(**{f"{o}office_id__in": _office_ids(managed)})
    if staffed:
        condition |= Q(**{f"{o}office_id__in": _office_ids(staffed)}) & (
            Q(**{f"{p}vulnerabilities": []}) | Q(**{f"{p}counsellor_id": user.pk})
        )
    return condition


def _office_ids(organisation_ids):
    return Office.objects.filter(organisation_id__in=organisation_ids or [0]).values("id")


_BIRTH_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_NOT_PHONE = re.compile(r"[^\d\s+().-]")
PHONE_MIN_DIGITS = 4


def _is_phone(query: str) -> bool:
    """Digits and phone punctuation only."""
    return not _NOT_PHONE.search(query)


def _birth_year_in(query: str) -> tuple[str, int | None]:
    """A birth year typed with a name ("Awa Sy 1990") and the rest of the query; a query of digits and phone
    punctuation alone is a phone number, never a year."""
    if _is_phone(query):
        return query, None
    match = _BIRTH_YEAR.search(query)
    if match is None:
        return query, None
    return (query[: match.start()] + query[match.end() :]).strip(), int(match.group())


def person_name_q(query: str, *, prefix: bool = True) -> Q | None:
    """The persons ``query`` names, in any script or spelling (apps.core.names): every word typed is a word of
    the person's names in the same script (trigram) or has the key of one (any script). With ``prefix`` the last
    word may be the start of one (type-ahead, two letters at least): the names contain it, or a key starts with
    the key of the letters typed (cheap per row, so an office's clients are filtered fast). None when the query
    has no name words."""
    words = name_words(query)
    if not words:
        return None
    condition = Q()
    for index, word in enumerate(words):
        if prefix and index == len(words) - 1 and len(word) >= 2:
            one = Q(search_name__contains=word)
            for start in word_keys(word, partial=True):  # the keys' text, trigram-indexed
                one |= Q(name_key_text__startswith=start) | Q(name_key_text__contains=f" {start}")
        else:
            one = Q(search_name__trigram_word_similar=word)
            keys = word_keys(word)
            if keys:
                one |= Q(name_keys__overlap=keys)
        condition &= one
    return condition


def person_name_rank(query: str):
    """Rank of a person for ``query``: the trigram word similarity of the query to the names as written, so the
    same script ranks above another spelling and that above another script (whose similarity is near 0)."""
    return TrigramWordSimilarity(Value(normalise(query)), "search_name")


def person_name_explanations(persons, query: str) -> dict[int, str]:
    """Why each person matched ``query`` when it was by another spelling or script ("Arabic name محمد matches
    Mohamed"), by primary key; the persons matched word for word are left out."""
    out = {}
    for person in persons:
        text = explain(query, f"{person.name_latin} {person.name_arabic}", prefix=True)
        if text:
            out[person.pk] = text
    return out


def person_list(*, user, office=None, query: str = "") -> QuerySet[Person]:
    """The persons ``user`` may read (of ``office``), most recently updated first. ``query``: a name in any script
    or spelling (see :func:`person_name_q`; the best name match first), a phone however spaced, an e-mail, and
    optionally a birth year typed with a name ("Awa Sy 1990")."""
    persons = Person.objects.filter(_readable_person_q(user), merged_into__isnull=True)
    if office is not None:
        persons = persons.filter(office=office)
    query, birth_year = _birth_year_in(query)
    if birth_year is not None:
        persons = persons.filter(birth_year=birth_year)
    order = ["-updated_at", "-id"]
    digits = re.sub(r"\D", "", query)
    if len(digits) >= PHONE_MIN_DIGITS and _is_phone(query):  # a phone, however it was spaced
        persons = persons.annotate(phone_digits=PHONE_DIGITS).filter(phone_digits__contains=digits)
    elif query:
        # An e-mail address has an @: other queries are names only, so the name indexes serve.
        condition = Q(email__iexact=query) if "@" in query else Q(pk__in=[])
        named = person_name_q(query)
        if named is not None:
            condition |= named
            persons = persons.annotate(name_rank=person_name_rank(query))
            order = ["-name_rank", *order]
        persons = persons.filter(condition)
    return persons.select_related("office__organisation", "counsellor", "nationality").order_by(*order)


PICKER_LIMIT = 8
PICKER_MIN_LENGTH = 2


@dataclass
class PersonChoice:
    """One line of the person picker: enough to tell two namesakes apart."""

    pk: int
    name: str
    birth_year: int | None
    phone_tail: str
    place: str
    last_contact: dt.datetime | None

    @classmethod
    def of(cls, person: Person) -> PersonChoice:
        digits = "".join(ch for ch in person.phone if ch.isdigit())
        country = person.residence_country or person.nationality
        return cls(
            pk=person.pk,
            name=person.display_name,
            birth_year=person.birth_year,
            phone_tail=f"…{digits[-4:]}" if len(digits) >= 4 else "",
            place=country.name if country else "",
            last_contact=person.last_contact,
        )

    @property
    def details(self) -> list[str]:
        """What tells this client from a namesake, in the page's language."""
        parts = []
        if self.birth_year:
            parts.append(gettext("born %(year)s") % {"year": self.birth_year})
        if self.phone_tail:
            parts.append(self.phone_tail)
        if self.place:
            parts.append(self.place)
        if self.last_contact:
            when = date_format(timezone.localtime(self.last_contact).date(), "SHORT_DATE_FORMAT")
            parts.append(gettext("last contact %(date)s") % {"date": when})
        else:
            parts.append(gettext("no contact yet"))
        parts.append(f"#{self.pk}")
        return parts


def _picker_rows(*, user, office, query: str = "") -> QuerySet[Person]:
    last_contact = Contact.objects.filter(person=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")[:1]
    # only what a picker line shows: fewer joins to plan, narrower rows
    return (
        person_list(user=user, office=office, query=query)
        .select_related(None)
        .select_related("residence_country", "nationality")
        .only("name_latin", "name_arabic", "birth_year", "phone", "residence_country__name", "nationality__name")
        .annotate(last_contact=Subquery(last_contact))
    )


def person_picker(*, user, office, query: str, limit: int = PICKER_LIMIT) -> list[PersonChoice]:
    """The quick-log's type-ahead: :func:`person_list`'s matching (name in either script, phone, e-mail, birth
    year) in one office, the first ``limit`` with what tells namesakes apart. One query."""
    query = query.strip()[:100]
    if len(query) < PICKER_MIN_LENGTH:
        return []
    return [PersonChoice.of(person) for person in _picker_rows(user=user, office=office, query=query)[:limit]]


def person_choice(*, user, office, pk) -> PersonChoice | None:
    """The picker's line for a client already chosen (a posted form shown again), if the user may read them."""
    if not str(pk or "").isdigit():
        return None
    person = _picker_rows(user=user, office=office).filter(pk=int(pk)).first()
    return PersonChoice.of(person) if person is not None else None


def person_get(*, user, pk: int, request=None, audit: bool = True) -> Person:
    """A person the user may read (404 otherwise). Every read is written to the audit log."""
    person = (
        Person.objects.filter(_readable_person_q(user), pk=pk)
        .select_related("office__organisation", "office__country", "counsellor", "nationality", "residence_country")
        .prefetch_related("languages")
        .first()
    )
    if person is None:
        raise Http404
    if audit:
        audit_record(actor=user, action="offices.person.read", obj=person, request=request)
    return person


def referred_person_get(*, user, referral: Referral, request=None) -> Person:
    """The receiving side's view of a referred person (identity only), audited."""
    person = referral.person
    audit_record(
        actor=user, action="offices.person.read", obj=person, request=request, extra={"via_referral": referral.pk}
    )
    return person


# The timeline in one statement: a person's contacts (with the sheets handed out at each, as a JSON array) and
# referrals, newest first; at the same instant a contact comes before a referral. Both halves start from the
# ``person`` indexes. Users are named as ``User.__str__`` names them (full name, else e-mail).
TIMELINE_SQL = """
SELECT * FROM (
SELECT 'contact' AS kind, c.id, c.occurred_at AS at, c.channel, c.family_relationship, c.reporter_name,
       c.reporter_phone, c.reporter_may_call_back, c.topics, c.summary,
       c.outcome, c.notes_encrypted, c.follow_up_due, c.follow_up_done_at,
       coalesce(nullif(s.full_name, ''), s.email) AS by_name,
       coalesce(nullif(a.full_name, ''), a.email) AS assignee_name,
       ARRAY(SELECT json_build_object('id', h.sheet_id, {titles})
               FROM returns_sheethandout h JOIN returns_infosheet i ON i.id = h.sheet_id
              WHERE h.contact_id = c.id ORDER BY h.id) AS sheets,
       NULL AS organisation_name, NULL AS status, NULL AS reason
  FROM offices_contact c
  LEFT JOIN accounts_user s ON s.id = c.staff_id
  LEFT JOIN accounts_user a ON a.id = c.follow_up_assignee_id
 WHERE c.person_id = %(person)s
UNION ALL
SELECT 'referral', r.id, r.created_at, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       coalesce(nullif(u.full_name, ''), u.email), NULL, NULL, o.name, r.status, r.reason
  FROM offices_referral r
  JOIN accounts_organisation o ON o.id = r.organisation_id
  LEFT JOIN accounts_user u ON u.id = r.created_by_id
 WHERE r.person_id = %(person)s
) AS timeline
ORDER BY at DESC, kind = 'contact' DESC, id DESC
"""


@dataclass
class TimelineContact(ContactDisplay):
    pk: int
    occurred_at: dt.datetime
    channel: str
    family_relationship: str
    reporter_name: str
    reporter_phone: str
    reporter_may_call_back: bool
    topics: list[str]
    summary: str
    outcome: str
    notes_encrypted: str
    follow_up_due: dt.date | None
    follow_up_done_at: dt.datetime | None
    staff: str
    follow_up_assignee: str
    sheets_handed_out: list[TitleInLanguage]

    def get_channel_display(self) -> str:
        return str(Channel(self.channel).label) if self.channel in Channel.values else self.channel


@dataclass
class TimelineReferral:
    pk: int
    created_at: dt.datetime
    created_by: str
    organisation_name: str
    status: str
    reason: str

    def get_status_display(self) -> str:
        return str(Referral.Status(self.status).label) if self.status in Referral.Status.values else self.status


def person_timeline(*, user, person: Person) -> list[dict]:
    """Contacts and referrals of ``person``, newest first, in one query (:data:`TIMELINE_SQL`); each entry is
    ``{"kind": "contact" | "referral", "when": …, "item": TimelineContact | TimelineReferral}``.

    The caller has already checked that ``user`` may read ``person`` (``person_get``)."""
    titles = ", ".join(f"'{code}', i.title_{code}" for code, _ in settings.LANGUAGES)
    with connection.cursor() as cursor:
        cursor.execute(TIMELINE_SQL.format(titles=titles), {"person": person.pk})
        rows = cursor.fetchall()
    entries = []
    for (
        kind,
        pk,
        at,
        channel,
        relationship,
        reporter_name,
        reporter_phone,
        may_call_back,
        topics,
        summary,
        outcome,
        notes,
        due,
        done,
        by,
        assignee,
        sheets,
        *rest,
    ) in rows:
        if kind == "contact":
            item = TimelineContact(
                pk, at, channel, relationship, reporter_name, reporter_phone, may_call_back, topics, summary,
                outcome, notes, due, done, by or "", assignee or "",
                [TitleInLanguage.pick(sheet["id"], sheet) for sheet in sheets],
            )  # fmt: skip
        else:
            item = TimelineReferral(pk, at, by or "", *rest)
        entries.append({"kind": kind, "when": at, "item": item})
    return entries


def person_duplicates(
    *,
    office,
    name_latin: str = "",
    name_arabic: str = "",
    birth_year: int | None = None,
    phone: str = "",
    email: str = "",
    exclude_id: int | None = None,
    limit: int = 5,
    user=None,
) -> list[Person]:
    """Persons of ``office`` who may be the same: same phone or e-mail, or the same birth year and a similar name
    (a close spelling, or the same name in the other script: :func:`person_name_q`). Each carries
    ``name_match``, why its name matched when in another script or spelling.

    With ``user``, only the records that user may read (a flagged record's name is not shown to others).
    """
    conditions = Q()
    if phone.strip():
        conditions |= Q(phone=phone.strip())
    if email.strip():
        conditions |= Q(email__iexact=email.strip())
    term = normalise(f"{name_latin} {name_arabic}")
    persons = Person.objects.filter(office=office, merged_into__isnull=True)
    if user is not None:
        persons = persons.filter(_readable_person_q(user))
    if exclude_id:
        persons = persons.exclude(pk=exclude_id)
    if term and birth_year:
        # The same name in either script (every word of one of the names typed), or a close spelling.
        persons = persons.annotate(similarity=TrigramSimilarity("search_name", term))
        similar = Q(similarity__gte=DUPLICATE_NAME_SIMILARITY)
        for name in (name_latin, name_arabic):
            named = person_name_q(name, prefix=False)
            if named is not None:
                similar |= named
        conditions |= Q(birth_year=birth_year) & similar
    if not conditions:
        return []
    candidates = list(persons.filter(conditions).order_by("-updated_at")[:limit])
    for candidate in candidates:  # why the name matched, for the warning ("Arabic name محمد matches Mohamed")
        names = f"{candidate.name_latin} {candidate.name_arabic}"
        candidate.name_match = next((text for name in (name_latin, name_arabic) if (text := explain(name, names))), "")
    return candidates


def office_staff_memberships(*, office) -> QuerySet:
    """The office's current counsellors and managers, with the start of their current period."""
    from apps.accounts.models import Membership

    open_period = StaffPeriod.objects.filter(
        office=office, user_id=OuterRef("user_id"), role=OuterRef("role"), ended_at__isnull=True
    ).values("started_at")[:1]
    return (
        Membership.objects.filter(organisation_id=office.organisation_id, role__in=StaffRole.values, is_active=True)
        .select_related("user")
        .annotate(since=Coalesce(Subquery(open_period), "created_at"))
        .order_by("role", "user__full_name", "user__email")
    )


def office_staff_history(*, office, limit: int = 100) -> QuerySet:
    """Ended periods of the office's staff, most recent first."""
    return (
        StaffPeriod.objects.filter(office=office, ended_at__isnull=False)
        .select_related("user", "started_by", "ended_by")
        .order_by("-ended_at", "-id")[:limit]
    )


# Contacts ---------------------------------------------------------------------------------------------------


def contact_list(*, user, office=None) -> QuerySet[Contact]:
    contacts = Contact.objects.filter(_readable_person_q(user, "person__", office_prefix=""))
    if office is not None:
        contacts = contacts.filter(office=office)
    return contacts.select_related("person", "office__organisation", "staff", "follow_up_assignee").order_by(
        "-occurred_at", "-id"
    )


def contact_get(*, user, pk: int) -> Contact:
    contact = contact_list(user=user).filter(pk=pk).first()
    if contact is None:
        raise Http404
    return contact


def follow_ups_of(*, user) -> QuerySet[Contact]:
    """The user's open follow-ups, overdue first (then by due date)."""
    return (
        contact_list(user=user)
        .filter(follow_up_assignee=user, follow_up_done_at__isnull=True, follow_up_due__isnull=False)
        .order_by("follow_up_due", "id")
    )


def office_overdue_follow_ups(*, user, today: dt.date | None = None) -> QuerySet[Contact]:
    """Overdue follow-ups of the offices the user manages."""
    today = today or timezone.localdate()
    return (
        Contact.objects.filter(
            office__organisation_id__in=manager_organisation_ids(user),
            follow_up_done_at__isnull=True,
            follow_up_due__lt=today,
        )
        .select_related("person", "office__organisation", "follow_up_assignee")
        .order_by("follow_up_due", "id")
    )


def follow_ups_due_by_assignee(*, day: dt.date) -> dict[int, list[Contact]]:
    """Open follow-ups due on or before ``day``, grouped by assignee (for the daily digest)."""
    grouped: dict[int, list[Contact]] = {}
    contacts = (
        Contact.objects.filter(follow_up_done_at__isnull=True, follow_up_due__lte=day)
        .select_related("person", "office__organisation", "follow_up_assignee")
        .order_by("follow_up_assignee_id", "follow_up_due", "id")
    )
    for contact in contacts:
        grouped.setdefault(contact.follow_up_assignee_id, []).append(contact)
    return grouped


# Referrals --------------------------------------------------------------------------------------------------


def referral_list(*, user, direction: str = "") -> QuerySet[Referral]:
    """Referrals the user's offices made (``sent``) and those made to the user's organisations (``received``)."""
    sent = _readable_person_q(user, "person__", office_prefix="")
    received = Q(organisation_id__in=member_organisation_ids(user))
    condition = {"sent": sent, "received": received}.get(direction, sent | received)
    return (
        Referral.objects.filter(condition)
        .select_related("person", "office__organisation", "organisation", "created_by")
        .order_by("-created_at", "-id")
    )


def referral_get(*, user, pk: int) -> Referral:
    referral = (
        referral_list(user=user)
        .select_related("person__office__organisation", "person__counsellor", "person__nationality")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


# Dashboard --------------------------------------------------------------------------------------------------


class Unnest(Func):
    function = "unnest"


def office_dashboard(*, office, weeks: int = 12, today: dt.date | None = None) -> dict:
    """Aggregates for one office: contacts per week by topic and by channel, open follow-ups, referrals."""
    today = today or timezone.localdate()
    start = today - dt.timedelta(weeks=weeks)
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))  # a range the index can use
    contacts = Contact.objects.filter(office=office, occurred_at__gte=since)
    by_channel = list(
        contacts.annotate(week=TruncWeek("occurred_at"))
        .values("week", "channel")
        .annotate(count=Count("*"))
        .order_by("week", "channel")
    )
    by_topic = list(
        contacts.annotate(week=TruncWeek("occurred_at"), topic=Unnest(F("topics")))
        .values("week", "topic")
        .annotate(count=Count("*"))
        .order_by("week", "topic")
    )
    open_follow_ups = Contact.objects.filter(
        office=office, follow_up_done_at__isnull=True, follow_up_due__isnull=False
    ).aggregate(open=Count("*"), overdue=Count("follow_up_due", filter=Q(follow_up_due__lt=today)))
    referrals = list(
        Referral.objects.filter(office=office).values("status").annotate(count=Count("*")).order_by("status")
    )
    return {
        "start": start,
        "by_channel": by_channel,
        "by_topic": by_topic,
        "open_follow_ups": open_follow_ups["open"],
        "overdue_follow_ups": open_follow_ups["overdue"],
        "referrals": referrals,
    }


def persons_with_contacts(queryset: QuerySet[Person]) -> QuerySet[Person]:
    return queryset.prefetch_related(Prefetch("contacts", queryset=Contact.objects.order_by("-occurred_at")))


def contacts_concerning_member(user) -> list[dict]:
    """For a member's own data export: the contacts offices logged about the person linked to their profile.

    Restricted notes stay out (they are the counsellors' working notes, readable only by the assigned counsellor
    and the office manager); everything else recorded about the contact is included.
    """
    rows = (
        Contact.objects.filter(person__profile__user=user)
        .select_related("office__organisation")
        .order_by("occurred_at")
        .values(
            "occurred_at",
            "office__organisation__name",
            "channel",
            "family_relationship",
            "topics",
            "summary",
            "outcome",
            "follow_up_due",
        )
    )
    return [
        {
            "when": row["occurred_at"].isoformat(),
            "office": row["office__organisation__name"],
            "channel": row["channel"],
            "reported_by_family_member": row["family_relationship"] or None,
            "topics": row["topics"],
            "summary": row["summary"],
            "outcome": row["outcome"],
            "follow_up_due": row["follow_up_due"].isoformat() if row["follow_up_due"] else None,
        }
        for row in rows
    ]
