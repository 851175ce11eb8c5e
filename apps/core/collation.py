"""Alphabetical order as the page's language has it: "Algérie, Allemagne, Andorre" and "الجزائر، السنغال، المغرب".

The database sorts names byte by byte or by its own locale (the embedded PostgreSQL has no ICU at all), which
puts "Égypte" after "Zambie" and sorts French pages by the English names. Lists of countries, languages,
sectors, occupations and organisations are short (hundreds of rows), so they are ordered here, with the Unicode
Collation Algorithm and its default table (pyuca's DUCET, the root of CLDR collation that English, French and
Arabic use without changes that matter for names): accents are secondary, case tertiary, Arabic letters in
their alphabetical order.

- ``collation_key(text)`` sorts text; ``collated(items, key=...)`` sorts a list by one of its texts.
- Every ``ModelChoiceField`` whose query is ordered by a name or a label (``order_by("name")``, or the model's
  ``Meta.ordering``) lists its choices in this order (``CollatedModelChoiceIterator``, installed by
  ``CoreConfig.ready``): forms and filters need nothing more. A query ordered by a code keeps its order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

from django import forms

T = TypeVar("T")

NAME_FIELDS = ("name", "label", "title")


@lru_cache(maxsize=1)
def _collator():
    import pyuca

    return pyuca.Collator()


def collation_key(text) -> tuple:
    return _collator().sort_key(str(text or "").strip())


def collated(items: Iterable[T], *, key: Callable[[T], object] = str) -> list[T]:
    """``items`` in the alphabetical order of ``key(item)`` (the text shown)."""
    return sorted(items, key=lambda item: collation_key(key(item)))


def ordered_by_name(queryset) -> bool:
    """Whether ``queryset`` is meant to list rows by their name (so its order is the page language's one)."""
    ordering = list(queryset.query.order_by) or (
        list(queryset.model._meta.ordering) if queryset.query.default_ordering else []
    )
    if not ordering or not isinstance(ordering[0], str):
        return False
    first = ordering[0].lstrip("-").split("__")[-1]
    return any(first == name or first.startswith(f"{name}_") for name in NAME_FIELDS)


class CollatedModelChoiceIterator(forms.models.ModelChoiceIterator):
    """Choices of a query ordered by name, in the collation order of their labels (the empty choice first)."""

    def __iter__(self):
        if not ordered_by_name(self.queryset):
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset
        if not queryset._prefetch_related_lookups:
            queryset = queryset.iterator()
        yield from collated((self.choice(obj) for obj in queryset), key=lambda choice: choice[1])


def install() -> None:
    forms.ModelChoiceField.iterator = CollatedModelChoiceIterator
