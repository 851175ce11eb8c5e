from modeltranslation.translator import TranslationOptions, register

from .models import Office


@register(Office)
class OfficeTranslation(TranslationOptions):
    """The opening hours in each language (the office's name is its organisation's)."""

    fields = ("opening_hours",)
