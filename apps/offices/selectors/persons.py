"""Clients: search by name (across scripts), phone or e-mail, the keyboard picker, one client, likely duplicates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import BooleanField, F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.http import Http404
from django.utils.translation import gettext

from apps.core.audit import audit_record
from apps.core.formatting import format_date
from apps.core.names import explain, lookup_keys, name_words, normalise

from ..models import PHONE_DIGITS, Contact, Person, Referral
from .common import readable_person_q

DUPLICATE_NAME_SIMILARITY = 0.45


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
            # Tested on each of the office's clients, read by the office's index: two or three letters are in
            # hundreds of thousands of names across a national database, and the trigram indexes would read them
            # all (100–190 ms at 5,000,000 clients) to keep the office's few thousand (about 20 ms). So these
            # tests are written as functions no index serves.
            one = Q(GreaterThan(StrIndex("search_name", Value(word)), 0))
            for start in lookup_keys(word, partial=True):  # the start of a key, or of a later key in the text
                one |= Q(Func(F("name_key_text"), Value(start), function="starts_with", output_field=BooleanField()))
                one |= Q(GreaterThan(StrIndex("name_key_text", Value(f" {start}")), 0))
        else:
            one = Q(search_name__trigram_word_similar=word)
            keys = lookup_keys(word)
            if keys:
                one |= Q(name_keys__overlap=keys)
        condition &= one
    return condition


def person_name_rank(query: str):
    """Rank of a person for ``query``: the trigram word similarity of the query to the names as written, so the
    same script ranks above another spelling and that above another script (whose similarity is near 0)."""
    return TrigramWordSimilarity(Value(normalise(query)), "search_name")  # type: ignore[arg-type]  # the stubs take a str only


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
    persons = Person.objects.filter(readable_person_q(user), merged_into__isnull=True)
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
            last_contact=person.last_contact,  # type: ignore[attr-defined]  # annotated by the picker's query
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
            when = format_date(self.last_contact, "short")  # local date, CLDR (day first in English too)
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
    # The matching and ordering read only columns of the office's covering index (offices_person_office_names):
    # the first ``limit`` are found without reading the office's rows from the table, where an office's clients
    # lie scattered among every other office's; only those few rows are then read (same query, a sub-select).
    first = person_list(user=user, office=office, query=query).values("pk")[:limit]
    rows = _picker_rows(user=user, office=office, query=query).filter(pk__in=first)
    return [PersonChoice.of(person) for person in rows]


def person_choice(*, user, office, pk) -> PersonChoice | None:
    """The picker's line for a client already chosen (a posted form shown again), if the user may read them."""
    if not str(pk or "").isdigit():
        return None
    person = _picker_rows(user=user, office=office).filter(pk=int(pk)).first()
    return PersonChoice.of(person) if person is not None else None


def person_get(*, user, pk: int, request=None, audit: bool = True) -> Person:
    """A person the user may read (404 otherwise). Every read is written to the audit log."""
    person = (
        Person.objects.filter(readable_person_q(user), pk=pk)
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
        persons = persons.filter(readable_person_q(user))
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
        candidate.name_match = next(  # type: ignore[attr-defined]
            (text for name in (name_latin, name_arabic) if (text := explain(name, names))), ""
        )
    return candidates
