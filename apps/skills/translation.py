from modeltranslation.translator import TranslationOptions, register

from .models import EducationField, EducationLevel, Occupation, Sector, Skill


@register(Occupation)
class OccupationTranslation(TranslationOptions):
    fields = ("label",)


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("label",)


@register(Skill)
class SkillTranslation(TranslationOptions):
    fields = ("label",)


@register(EducationLevel)
class EducationLevelTranslation(TranslationOptions):
    fields = ("label",)


@register(EducationField)
class EducationFieldTranslation(TranslationOptions):
    fields = ("label",)
