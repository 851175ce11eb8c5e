"""Which script a piece of text is written in, for forms and imports that file a name under Latin or Arabic."""

from __future__ import annotations

import re

# The Arabic block and its supplements (Arabic Supplement, Extended-A, presentation forms).
ARABIC_LETTERS = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def has_arabic_letters(text: str) -> bool:
    return bool(ARABIC_LETTERS.search(text or ""))
