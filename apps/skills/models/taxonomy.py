"""The skills bank's vocabularies: ISCO-08 occupations, sectors, the skills vocabulary, ISCED levels and fields."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Occupation(models.Model):
    """An ISCO-08 group: major (1 digit), sub-major (2), minor (3) or unit group (4)."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    level = models.PositiveSmallIntegerField(_("level"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    label = models.CharField(_("label"), max_length=255)

    class Meta:
        verbose_name = _("occupation (ISCO-08)")
        verbose_name_plural = _("occupations (ISCO-08)")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="occupation_level_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Sector(models.Model):
    code = models.SlugField(_("code"), max_length=50, primary_key=True)
    label = models.CharField(_("label"), max_length=150)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Skill(models.Model):
    """An entry of the skills vocabulary, grouped by sector."""

    code = models.SlugField(_("code"), max_length=80, primary_key=True)
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="skills")
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class EducationLevel(models.Model):
    """An ISCED 2011 level (0–8)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    label = models.CharField(_("label"), max_length=150)

    class Meta:
        verbose_name = _("education level (ISCED 2011)")
        verbose_name_plural = _("education levels (ISCED 2011)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label


class EducationField(models.Model):
    """An ISCED-F 2013 broad field."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    label = models.CharField(_("label"), max_length=150)

    class Meta:
        verbose_name = _("field of education (ISCED-F 2013)")
        verbose_name_plural = _("fields of education (ISCED-F 2013)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label
