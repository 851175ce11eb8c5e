from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organisation
from apps.core.forms import MissingLanguagesWarningMixin
from apps.core.models import Country
from apps.core.widgets import ChipSelectMultiple
from apps.skills.models import Sector
from apps.skills.pickers import sectors_picker, skills_picker

from .models import (
    Event,
    EventEvaluation,
    FundingOpportunity,
    InfoSheet,
    NetworkPartner,
    NetworkRole,
    PartnerService,
    ReturnPlan,
    Vacancy,
)
from .services import events as event_services
from .services import funding as funding_services
from .services import info_sheets as sheet_services
from .services import vacancies as vacancy_services


def _country_field():
    return forms.ModelChoiceField(Country.objects.all(), required=False, label=_("Country"), empty_label=_("All"))


# Filters ----------------------------------------------------------------------------------------------------


class InfoSheetFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *InfoSheet.Kind.choices])
    topic = forms.ChoiceField(label=_("Topic"), required=False, choices=[("", _("All")), *InfoSheet.Topic.choices])
    country = _country_field()


class EditorSheetFilterForm(InfoSheetFilterForm):
    stale = forms.BooleanField(label=_("Due for review only"), required=False)


class FundingFilterForm(forms.Form):
    country = _country_field()
    sector = forms.ModelChoiceField(Sector.objects.all(), required=False, label=_("Sector"), empty_label=_("All"))
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *FundingOpportunity.Kind.choices]
    )


class PartnerFilterForm(forms.Form):
    country = _country_field()
    service = forms.ChoiceField(label=_("Service"), required=False, choices=[("", _("All")), *PartnerService.choices])
    role = forms.ChoiceField(label=_("Network role"), required=False, choices=[("", _("All")), *NetworkRole.choices])


class VacancyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    country = _country_field()
    sector = forms.ModelChoiceField(Sector.objects.all(), required=False, label=_("Sector"), empty_label=_("All"))


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *Event.Kind.choices])


# Editing ----------------------------------------------------------------------------------------------------

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _language_widgets(long_field: str, rows: int) -> dict:
    """Inputs for each language's text, written in that language's direction whatever the page's language."""
    widgets = {}
    for code in ("en", "fr", "ar"):
        attrs = {"lang": code, "dir": "rtl" if code == "ar" else "ltr"}
        widgets[f"title_{code}"] = forms.TextInput(attrs=attrs)
        widgets[f"{long_field}_{code}"] = forms.Textarea(attrs={**attrs, "rows": rows})
    return widgets


class InfoSheetForm(MissingLanguagesWarningMixin, forms.ModelForm):
    translated_fields = ("title", "body")

    class Meta:
        model = InfoSheet
        fields = sheet_services.FIELDS
        widgets = _language_widgets("body", 8) | {"sources": forms.Textarea(attrs={"rows": 3})}


class FundingOpportunityForm(forms.ModelForm):
    class Meta:
        model = FundingOpportunity
        fields = [*funding_services.FIELDS, "countries", "sectors"]
        widgets = _language_widgets("description", 5) | {
            "deadline": _DATE,
            "countries": ChipSelectMultiple(attrs={"size": 8}),
            "sectors": sectors_picker(attrs={"size": 8}),
        }


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = event_services.FIELDS
        widgets = _language_widgets("description", 5) | {"starts_at": _DATETIME, "ends_at": _DATETIME}


class VacancyForm(forms.ModelForm):
    class Meta:
        model = Vacancy
        fields = [*vacancy_services.VACANCY_FIELDS, *vacancy_services.VACANCY_RELATIONS]
        widgets = {
            "closing_date": _DATE,
            "description": forms.Textarea(attrs={"rows": 5}),
            "skills": skills_picker(attrs={"size": 8}),
            "languages": ChipSelectMultiple(attrs={"size": 6}),
        }


class EvaluationForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=EventEvaluation._meta.get_field("rating").verbose_name,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    would_recommend = forms.TypedChoiceField(
        label=EventEvaluation._meta.get_field("would_recommend").verbose_name,
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = EventEvaluation
        fields = ["rating", "would_recommend", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 4})}


# Return plans -----------------------------------------------------------------------------------------------


class ReturnPlanFilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All")), *ReturnPlan.Stage.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *ReturnPlan.Kind.choices])
    country = _country_field()


class ReturnPlanForm(forms.ModelForm):
    desk = forms.ModelChoiceField(Organisation.objects.none(), label=_("Desk"))
    needs = forms.MultipleChoiceField(
        label=_("Needs"), choices=ReturnPlan.Need.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ReturnPlan
        fields = ["desk", "person", "kind", "destination_country", "destination_region", "sector", "idea", "needs"]
        widgets = {"idea": forms.Textarea(attrs={"rows": 4}), "person": forms.HiddenInput()}

    def __init__(self, *args, desks=(), person=None, **kwargs):
        """``person``: the client record the new plan is for (already checked readable by the view); a plan's
        client is not changed on this form."""
        super().__init__(*args, **kwargs)
        if person is not None:
            desks = [d for d in desks if d.pk == person.office.organisation_id]
            self.fields["person"].queryset = type(person).objects.filter(pk=person.pk)
            self.fields["person"].initial = person.pk
            self.fields["person"].required = True
        else:
            del self.fields["person"]
        self.fields["desk"].queryset = Organisation.objects.filter(pk__in=[d.pk for d in desks])
        if self.instance.pk:
            del self.fields["desk"]
        elif len(desks) == 1:
            self.fields["desk"].initial = desks[0].pk
            self.fields["desk"].widget = forms.HiddenInput()


class ReturnPlanStageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to stage"), choices=ReturnPlan.Stage.choices)


class ReturnPlanReferForm(forms.Form):
    partner = forms.ModelChoiceField(
        NetworkPartner.objects.filter(is_active=True).select_related("organisation"), label=_("Refer to a partner")
    )


class VacancyImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, one vacancy a row, with the columns: title, employer, source, country (ISO code), region, "
            "sector (code), occupation (ISCO-08 code), closing_date (YYYY-MM-DD), link, description, skills and "
            "languages (codes separated by semicolons)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None


class SheetChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, sheet):
        named = sheet.listed_title()
        language = f" ({named.language.upper()})" if named.language else ""
        return f"{named.title}{language} — {sheet.country} · {sheet.get_topic_display()}"


class SheetHandoutForm(forms.Form):
    sheets = SheetChoiceField(
        InfoSheet.objects.none(),
        label=_("Information sheets handed out"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, sheets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheets"].queryset = sheets if sheets is not None else InfoSheet.objects.none()
