"""How a list names a translated thing (an information sheet, an organisation): honestly, in the page's language.

The title in the page's language when it has one; otherwise the title in the first portal language that has one,
with ``language`` set to that language's code so that the page can say which it is (a badge, a ``lang``
attribute); ``#<id>`` when no language has a title. Never another language silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language


@dataclass(frozen=True)
class TitleInLanguage:
    pk: int
    title: str
    language: str = ""

    @classmethod
    def pick(cls, pk: int, titles: Mapping[str, str | None]) -> TitleInLanguage:
        """``titles`` maps language codes to the titles (other keys are ignored)."""
        current = get_language() or settings.LANGUAGE_CODE
        codes = [current] + [code for code, _name in settings.LANGUAGES if code != current]
        for code in codes:
            title = (titles.get(code) or "").strip()
            if title:
                return cls(pk, title, "" if code == current else code)
        return cls(pk, f"#{pk}")
