from modeltranslation.translator import TranslationOptions, register

from .models import Organisation


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    """Institutions, ministries, partner organisations and offices are named in English, French and Arabic.

    A name not given in the page's language falls back to the first language that has one (so nothing shows
    blank); ``Organisation.name_shown`` says when it did, and pages mark such a name as untranslated."""

    fields = ("name",)
    fallback_languages = {"default": ("en", "fr", "ar")}
    required_languages = ()
