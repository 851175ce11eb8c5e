"""The field-level conflict rule of an offline edit, in one place (the sync and the review page use it).

Values are compared as the API writes them (a country's code, a date as ISO text, languages as sorted codes), so a
value the device sends in another accepted form ("1990" for 1990) is not mistaken for a change.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist

from ..api.serializers import PersonUpdateSerializer
from ..models import Person


def _fields():
    return PersonUpdateSerializer().fields


def _normal(value):
    return sorted(value, key=str) if isinstance(value, list) else value


def _as_written(field, value):
    """``value`` as the API would write it back, or as sent when it is not a valid value of the field."""
    try:
        internal = field.run_validation(value)
    except Exception:  # noqa: BLE001 (a value the field refuses is compared as it was sent)
        return _normal(value)
    return None if internal is None else _normal(field.to_representation(internal))


def person_values(person: Person | None, names, *, given: dict | None = None) -> dict:
    """{field: value} of ``names``: the record's values now (``person``), or those in ``given`` (a device's base
    or changes; names missing from it are left out)."""
    fields = _fields()
    out = {}
    for name in names:
        field = fields[name]
        if person is not None:
            attribute = field.get_attribute(person)
            out[name] = None if attribute is None else _normal(field.to_representation(attribute))
        elif given is not None and name in given:
            out[name] = _as_written(field, given[name])
    return out


def conflicting_fields(*, server: dict, base: dict, device: dict, same_version: bool) -> list[str]:
    """The fields of an edit in conflict: changed on the server since the device read them (server ≠ base) to
    something else than the device's new value (server ≠ device). A field the device sent no base for is in
    conflict when the record changed since (another version) and differs from the device's value."""
    clashes = []
    for name, new in device.items():
        now = server.get(name)
        if name in base:
            if now != base[name] and now != new:
                clashes.append(name)
        elif not same_version and now != new:
            clashes.append(name)
    return clashes


def field_label(name: str) -> str:
    """A client field's name in the active language ("Phone", "Téléphone")."""
    try:
        label = str(Person._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name
    return label[:1].upper() + label[1:]


def display_value(name: str, value) -> str:
    """A value of an edit as the review page shows it: choices by their label, countries and languages by
    name, an empty value as a dash."""
    from apps.core.models import Country, Language

    from ..models import Vulnerability

    if value in (None, "", []):
        return "—"
    if name in ("nationality", "residence_country"):
        country = Country.objects.filter(pk=value).first()
        return country.name if country else str(value)
    if name == "languages":
        names = dict(Language.objects.filter(pk__in=value).values_list("code", "name"))
        return ", ".join(names.get(code, str(code)) for code in value)
    if name == "vulnerabilities":
        return ", ".join(str(Vulnerability(v).label) if v in Vulnerability.values else str(v) for v in value)
    try:
        model_field = Person._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    choices = dict(model_field.choices or ())
    return str(choices.get(value, value))
