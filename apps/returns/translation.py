from modeltranslation.translator import TranslationOptions, register

from .models import Event, FundingOpportunity, InfoSheet


@register(InfoSheet)
class InfoSheetTranslation(TranslationOptions):
    fields = ("title", "body")


@register(FundingOpportunity)
class FundingOpportunityTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description")
