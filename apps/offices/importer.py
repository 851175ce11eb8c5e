"""Import of an office's existing contact log (CSV or XLSX): a dry run first, a report for every row.

Each row is applied in its own savepoint, so a row is either wholly in (person + contact) or wholly out; a dry
run applies every row the same way and then rolls everything back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.formatting import colon, format_list
from apps.core.names import describe, is_arabic, same_name

from .models import Channel, Person, Topic
from .selectors import office_staff, person_list, person_name_q
from .services import contact_log, person_create, require_staff

COLUMNS = ["date", "name_latin", "name_arabic", "full_name", "birth_year", "sex", "phone", "email", "channel",
           "family_relationship", "reporter_name", "reporter_phone", "reporter_may_call_back", "topics", "summary",
           "outcome", "notes", "follow_up_due", "follow_up_assignee"]  # fmt: skip
# Other headings people's spreadsheets use for the same columns.
COLUMN_ALIASES = {"name": "full_name", "full_names": "full_name", "fullname": "full_name"}
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class RowResult:
    number: int
    ok: bool
    errors: list[str] = field(default_factory=list)
    person_created: bool = False
    # Likely the same person as another row of the file or a client already recorded (the row is imported as
    # a new client all the same: staff merge the records if they are one person).
    duplicates: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    @property
    def rejected(self) -> int:
        return sum(1 for r in self.rows if not r.ok)


class ImportFileError(ValueError):
    pass


def read_rows(name: str, data: bytes) -> list[dict[str, str]]:
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB."))
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception:  # noqa: BLE001 - any unreadable workbook is the same error for the user
            raise ImportFileError(_("This file is not a readable XLSX workbook.")) from None
        values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFileError(_("The CSV file must be encoded in UTF-8.")) from None
        values = list(csv.reader(io.StringIO(text)))
    if not values:
        raise ImportFileError(_("The file is empty."))
    header = [_column(h) for h in values[0]]
    missing = [c for c in ("date", "channel", "topics", "summary") if c not in header]
    if missing or not ({"name_latin", "name_arabic", "full_name"} & set(header)):
        raise ImportFileError(
            _("Missing columns: %(columns)s. Expected: %(expected)s.")
            % {"columns": format_list(missing or ["name_latin/name_arabic"]), "expected": format_list(COLUMNS)}
        )
    rows = [dict(zip(header, (cell.strip() for cell in row), strict=False)) for row in values[1:] if any(row)]
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("At most %(max)d rows per file.") % {"max": MAX_ROWS})
    return rows


def _column(heading: str) -> str:
    name = "_".join(heading.strip().lower().replace("-", " ").split())
    return COLUMN_ALIASES.get(name, name)


def _day(raw: str) -> dt.date | None:
    """A YYYY-MM-DD date, or None when the cell is not one (also when well formed but impossible: 2026-02-30)."""
    try:
        return parse_date(raw[:10]) if raw else None
    except ValueError:
        return None


def _occurred_at(raw: str) -> dt.datetime:
    try:
        value = parse_datetime(raw.replace(" ", "T")) if raw else None
    except ValueError:  # well formed but impossible, e.g. 2026-13-40 10:00
        value = None
    if value is None:
        day = _day(raw)
        if day is None:
            raise ValidationError({"date": _("Give the date as YYYY-MM-DD (optionally with HH:MM).")})
        value = dt.datetime.combine(day, dt.time(12, 0))
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


YES = {"yes", "y", "true", "1", "oui", "o", "vrai", "نعم"}
NO = {"", "no", "n", "false", "0", "non", "faux", "لا"}


def _yes_no(raw: str, name: str) -> bool:
    value = raw.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValidationError({name: _("Write yes or no, not %(value)s.") % {"value": raw}})


def _names(row: dict[str, str]) -> tuple[str, str]:
    """(Latin, Arabic) names: their own columns, else a single full-name column sorted by its script."""
    latin, arabic = row.get("name_latin", ""), row.get("name_arabic", "")
    full = row.get("full_name", "")
    if full and not (latin or arabic):
        if is_arabic(full):
            arabic = full
        else:
            latin = full
    return latin, arabic


def _birth_year(raw: str) -> int | None:
    """A year; a spreadsheet's number cell may come as ``1990.0``."""
    value = raw.removesuffix(".0")
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError({"birth_year": _("The birth year must be a number.")})
    return int(value)


def _choice(raw: str, choices, name: str) -> str:
    value = raw.strip().lower()
    for key, label in choices:
        if value in (key, str(label).lower()):
            return key
    raise ValidationError({name: _("Unknown value: %(value)s") % {"value": raw}})


def _follow_up(row: dict[str, str], staff_by_email: dict) -> tuple[dt.date | None, object]:
    """The optional follow-up columns: a date and the e-mail of a staff member of the office."""
    raw_due, raw_assignee = row.get("follow_up_due", ""), row.get("follow_up_assignee", "")
    due = _day(raw_due)
    if raw_due and due is None:
        raise ValidationError({"follow_up_due": _("Give the follow-up date as YYYY-MM-DD.")})
    assignee = None
    if raw_assignee:
        assignee = staff_by_email.get(raw_assignee.lower())
        if assignee is None:
            raise ValidationError({"follow_up_assignee": _("The follow-up must be assigned to staff of this office.")})
    return due, assignee


# How many records of the office a row's name is compared with (the most recently updated first).
DUPLICATE_CANDIDATES = 20
DUPLICATES_REPORTED = 3


@dataclass
class _Import:
    """What the rows of one import share: the office's staff by e-mail, and the clients created so far by row."""

    office: object
    actor: object
    staff_by_email: dict
    row_of_person: dict[int, int] = field(default_factory=dict)


def _likely_duplicates(state: _Import, latin: str, arabic: str, birth_year: int | None) -> list[str]:
    """Clients of the office (already recorded, or created by an earlier row of this file) with the same name in
    any script or spelling (apps.core.names) and no other birth year: one sentence each naming the other row or
    record and how the names matched."""
    names = [name for name in (latin, arabic) if name.strip()]
    condition = None
    for name in names:
        named = person_name_q(name, prefix=False)
        if named is not None:
            condition = named if condition is None else condition | named
    if condition is None:
        return []
    # The records the importing staff may read (a flagged client's name is not shown to others).
    persons = person_list(user=state.actor, office=state.office).filter(condition)
    if birth_year:
        persons = persons.filter(Q(birth_year=birth_year) | Q(birth_year__isnull=True))
    found = []
    for person in persons[:DUPLICATE_CANDIDATES]:
        theirs = [name for name in (person.name_latin, person.name_arabic) if name.strip()]
        how = next(((m, a, b) for a in names for b in theirs if (m := same_name(a, b))), None)
        if how is None:
            continue
        why = describe(how[0], query=how[1], name=how[2]) or _("the same name")
        row = state.row_of_person.get(person.pk)
        if row is not None:
            found.append(_("Likely the same person as row %(row)d: %(why)s") % {"row": row, "why": why})
        else:
            values = {"name": f"\u2068{person.display_name}\u2069", "why": why}
            found.append(_("Likely the same person as the client %(name)s already recorded: %(why)s") % values)
        if len(found) == DUPLICATES_REPORTED:
            break
    return found


def _apply_row(*, state: _Import, number: int, row: dict[str, str]) -> tuple[bool, list[str]]:
    """Apply one row; returns whether a person was created, and the likely duplicates of a new person."""
    office, actor, staff_by_email = state.office, state.actor, state.staff_by_email
    occurred_at = _occurred_at(row.get("date", ""))
    channel = _choice(row.get("channel", ""), Channel.choices, "channel")
    topics = [_choice(t, Topic.choices, "topics") for t in row.get("topics", "").split(";") if t.strip()]
    follow_up_due, follow_up_assignee = _follow_up(row, staff_by_email)
    phone, email = row.get("phone", ""), row.get("email", "")
    person = None
    if phone or email:
        matches = Person.objects.filter(office=office, merged_into__isnull=True)
        person = (matches.filter(phone=phone) if phone else matches.filter(email__iexact=email)).first()
    created = person is None
    duplicates: list[str] = []
    if person is None:
        name_latin, name_arabic = _names(row)
        birth_year = _birth_year(row.get("birth_year", ""))
        duplicates = _likely_duplicates(state, name_latin, name_arabic, birth_year)
        person = person_create(
            office=office,
            actor=actor,
            name_latin=name_latin,
            name_arabic=name_arabic,
            birth_year=birth_year,
            sex=_choice(row["sex"], [("female", "f"), ("male", "m"), ("undisclosed", "")], "sex")
            if row.get("sex")
            else "",
            phone=phone,
            email=email,
        )
    contact_log(
        person=person,
        actor=actor,
        channel=channel,
        topics=topics,
        summary=row.get("summary", ""),
        occurred_at=occurred_at,
        notes=row.get("notes", ""),
        outcome=row.get("outcome", ""),
        family_relationship=row.get("family_relationship", ""),
        reporter_name=row.get("reporter_name", ""),
        reporter_phone=row.get("reporter_phone", ""),
        reporter_may_call_back=_yes_no(row.get("reporter_may_call_back", ""), "reporter_may_call_back"),
        follow_up_due=follow_up_due,
        follow_up_assignee=follow_up_assignee,
    )
    if created:
        state.row_of_person[person.pk] = number
    return created, duplicates


def contact_log_import(*, office, actor, rows: list[dict[str, str]], dry_run: bool) -> ImportReport:
    require_staff(actor, office)
    report = ImportReport(dry_run=dry_run)
    staff_by_email = {user.email.lower(): user for user in office_staff(office)}
    state = _Import(office=office, actor=actor, staff_by_email=staff_by_email)
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):  # row 1 is the header
            try:
                with transaction.atomic():
                    created, duplicates = _apply_row(state=state, number=number, row=row)
            except ValidationError as exc:
                messages = (
                    [f"{name}{colon()} {'; '.join(errors)}" for name, errors in exc.message_dict.items()]
                    if hasattr(exc, "error_dict")
                    else exc.messages
                )
                report.rows.append(RowResult(number=number, ok=False, errors=messages))
            else:
                report.rows.append(RowResult(number=number, ok=True, person_created=created, duplicates=duplicates))
        if dry_run:
            transaction.set_rollback(True)
        else:
            audit_record(
                actor=actor,
                action="offices.contact.import",
                obj=office,
                extra={"accepted": report.accepted, "rejected": report.rejected},
            )
    return report
