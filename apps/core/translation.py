from modeltranslation.translator import TranslationOptions, register

from .models import Country, Language


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = ("name",)


@register(Language)
class LanguageTranslation(TranslationOptions):
    fields = ("name",)
