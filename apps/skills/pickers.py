"""The type-ahead pickers of the skills vocabulary, for every form that picks occupations, sectors or skills.

Each searches the vocabulary through the forgiving search (``selectors/vocabulary.py``) behind the public
taxonomy API; countries and languages are filtered in the page.
"""

from django.urls import reverse_lazy
from django.utils.text import format_lazy

from apps.core.widgets import ChipSelect, ChipSelectMultiple

OCCUPATION_SEARCH = format_lazy("{}?level=4", reverse_lazy("api-taxonomy-occupations"))
SECTOR_SEARCH = reverse_lazy("api-taxonomy-sectors")
SKILL_SEARCH = reverse_lazy("api-taxonomy-skills")


def sectors_picker(**kwargs) -> ChipSelectMultiple:
    return ChipSelectMultiple(source=SECTOR_SEARCH, **kwargs)


def skills_picker(**kwargs) -> ChipSelectMultiple:
    return ChipSelectMultiple(source=SKILL_SEARCH, **kwargs)


def skill_picker(**kwargs) -> ChipSelect:
    return ChipSelect(source=SKILL_SEARCH, **kwargs)


def occupations_picker(**kwargs) -> ChipSelectMultiple:
    return ChipSelectMultiple(source=OCCUPATION_SEARCH, **kwargs)


__all__ = ["ChipSelect", "ChipSelectMultiple", "occupations_picker", "sectors_picker", "skill_picker", "skills_picker"]
