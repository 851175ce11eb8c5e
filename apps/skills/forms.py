"""Forms of the member's registration wizard and data-rights pages. They parse and validate; services write."""

from __future__ import annotations

from django import forms
from django.db.models import Case, Value, When
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organisation
from apps.core.models import Country, Language
from apps.core.validators import validate_clean_text
from apps.core.widgets import ChipSelect

from .models import (
    ConsentPurpose,
    DiasporaProfile,
    EducationField,
    EducationLevel,
    EngagementInterest,
    Occupation,
    ProfileLanguage,
    ProfileSkill,
    Sector,
    Skill,
)
from .pickers import occupations_picker, sectors_picker, skill_picker
from .selectors.vocabulary import vocabulary_filter
from .services.profiles import (
    CV_MAX_BYTES,
    cv_validate,
    phone_normalise,
    validate_availability,
    validate_birth_date,
)

MAX_ROWS = 20


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _countries():
    return Country.objects.order_by("name")


class CleanTextMixin:
    """Refuse invisible direction/zero-width/control characters in every text field of the form."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and value:
                try:
                    validate_clean_text(value)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned


class IdentityForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = DiasporaProfile
        fields = ["first_name", "last_name", "first_name_ar", "last_name_ar", "date_of_birth", "gender"]
        widgets = {
            "date_of_birth": DateInput(),
            "first_name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "last_name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
        }
        help_texts = {
            "first_name": _("As written in Latin letters, for example on your passport."),
            "first_name_ar": _("Optional: your name as written in Arabic script."),
            "date_of_birth": _("Optional."),
            "gender": _("Optional."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "first_name_ar", "last_name_ar"):
            # The browser would cut a long paste silently; the server says what is wrong instead.
            self.fields[name].widget.attrs.pop("maxlength", None)
            self.fields[name].widget.attrs["autocomplete"] = (
                "off" if name.endswith("_ar") else ("given-name" if name == "first_name" else "family-name")
            )

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        validate_birth_date(value)
        return value


class OriginForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = DiasporaProfile
        fields = [
            "origin_country",
            "origin_region",
            "nationality",
            "residence_country",
            "residence_city",
            "generation",
        ]
        widgets = {
            "generation": forms.RadioSelect,
            "origin_country": ChipSelect,
            "nationality": ChipSelect,
            "residence_country": ChipSelect,
        }
        help_texts = {
            "generation": _(
                "First generation: you were born in the country of origin. Second: one of your parents was. "
                "Third or later: a grandparent or an earlier ancestor."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("origin_country", "nationality", "residence_country"):
            self.fields[name].queryset = _countries()
        self.fields["origin_country"].required = True
        self.fields["residence_country"].required = True
        self.fields["generation"].choices = [c for c in self.fields["generation"].choices if c[0]]


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        help_text=_(
            "In international format, for example +33 6 12 34 56 78. A national number is read as a "
            "number of your country of residence."
        ),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "dir": "ltr"}),
    )

    def __init__(self, *args, region: str | None = None, **kwargs):
        self.region = region
        super().__init__(*args, **kwargs)

    def clean_phone(self):
        return phone_normalise(self.cleaned_data.get("phone", ""), region=self.region)


class LanguageRowForm(forms.Form):
    language = forms.ModelChoiceField(
        label=_("Language"), queryset=Language.objects.order_by("name"), widget=ChipSelect
    )
    level = forms.ChoiceField(label=_("Level"), choices=[("", "---------"), *ProfileLanguage.Level.choices])


class EducationRowForm(CleanTextMixin, forms.Form):
    level = forms.ModelChoiceField(label=_("Level (ISCED 2011)"), queryset=EducationLevel.objects.order_by("code"))
    field = forms.ModelChoiceField(
        label=_("Field of study (ISCED-F)"), queryset=EducationField.objects.order_by("code"), required=False
    )
    institution = forms.CharField(label=_("Institution"), max_length=200, required=False)
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.none(), required=False, widget=ChipSelect
    )
    year = forms.IntegerField(label=_("Year completed"), min_value=1940, max_value=2100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = _countries()


class OccupationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.label}"


def occupations_matching(query: str):
    """ISCO-08 unit groups for ``query`` by the forgiving vocabulary search (the same as the type-ahead's),
    best match first; all of them, by code, when nothing was typed."""
    query = (query or "").strip()
    qs = Occupation.objects.filter(level=4)
    if query:
        return vocabulary_filter(qs, "occupation", query, language=get_language() or "en")
    return qs.order_by("code")


class WorkForm(CleanTextMixin, forms.Form):
    occupation_search = forms.CharField(
        label=_("Find an occupation"),
        required=False,
        max_length=100,
        help_text=_("Type a word of your occupation and press “Search” to shorten the list below."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    occupations = OccupationChoiceField(
        label=_("Occupations (ISCO-08)"),
        queryset=Occupation.objects.none(),
        required=False,
        help_text=_("Type an everyday job title, in any language, and choose one or more occupations."),
        widget=occupations_picker(attrs={"size": 10}, propose="job_title"),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    employer = forms.CharField(label=_("Employer"), max_length=200, required=False)
    years_experience = forms.IntegerField(label=_("Years of experience"), min_value=0, max_value=70, required=False)

    def __init__(self, *args, search: str = "", selected=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["occupations"]
        if search:
            # Only the display is narrowed, best match first; what was already chosen stays in the list, after.
            found = list(occupations_matching(search).values_list("code", flat=True))
            codes = found + [str(code) for code in selected if str(code) not in found]
            rank = Case(*(When(code=code, then=Value(i)) for i, code in enumerate(codes)), default=Value(len(codes)))
            field.queryset = Occupation.objects.filter(code__in=codes).order_by(rank)
        else:
            field.queryset = occupations_matching("")


class SectorsForm(forms.Form):
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.none(),
        required=False,
        widget=sectors_picker(attrs={"size": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.order_by("label")


def skill_choices() -> list:
    """The vocabulary grouped by sector, for the skill list (works without JavaScript). One query."""
    groups: dict[str, list] = {}
    for skill in Skill.objects.select_related("sector").order_by("sector__label", "label"):
        groups.setdefault(skill.sector.label, []).append((skill.code, skill.label))
    return [("", "---------"), *groups.items()]


class SkillRowForm(CleanTextMixin, forms.Form):
    skill = forms.ModelChoiceField(
        label=_("Skill"),
        queryset=Skill.objects.all(),
        to_field_name="code",
        required=False,
        widget=skill_picker(propose="proposed_text"),
    )
    proposed_text = forms.CharField(label=_("Or describe a skill not in the list"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("How you acquired it"), choices=[("", "---------"), *ProfileSkill.Kind.choices])

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].widget.choices = choices if choices is not None else skill_choices()

    def clean(self):
        cleaned = super().clean()
        skill, text = cleaned.get("skill"), (cleaned.get("proposed_text") or "").strip()
        if "skill" in self.errors:
            return cleaned
        if skill and text:
            self.add_error("proposed_text", _("Choose a skill from the list or describe one, not both."))
        elif not skill and not text:
            self.add_error("skill", _("Choose a skill from the list or describe one."))
        cleaned["proposed_text"] = "" if skill else text
        return cleaned


class RegistrationRowForm(CleanTextMixin, forms.Form):
    body = forms.CharField(label=_("Professional body"), max_length=200)
    number = forms.CharField(label=_("Registration number"), max_length=100, required=False)
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.none(), required=False, widget=ChipSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = _countries()


class AssociationRowForm(CleanTextMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Association (from the directory)"), queryset=Organisation.objects.none(), required=False
    )
    name = forms.CharField(label=_("Or its name"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            type=Organisation.Type.DIASPORA_ASSOCIATION, is_active=True
        ).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organisation") and not (cleaned.get("name") or "").strip() and not self.errors:
            self.add_error("name", _("Choose an association from the list or write its name."))
        return cleaned


class InterestsForm(forms.Form):
    engagement_interests = forms.MultipleChoiceField(
        label=_("How would you like to engage?"),
        choices=EngagementInterest.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class AvailabilityForm(forms.ModelForm):
    class Meta:
        model = DiasporaProfile
        fields = ["available_from", "available_to", "days_per_year", "availability_mode"]
        widgets = {"available_from": DateInput(), "available_to": DateInput()}

    def clean(self):
        cleaned = super().clean()
        try:
            validate_availability(cleaned.get("available_from"), cleaned.get("available_to"))
        except forms.ValidationError as exc:
            self.add_error(None, exc)
        return cleaned

    def _post_clean(self):
        # The service validates the whole profile; don't let the model's constraint repeat the message.
        pass


class CVForm(forms.Form):
    cv = forms.FileField(
        label=_("CV (PDF, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    remove = forms.BooleanField(label=_("Remove my current CV"), required=False)

    def clean_cv(self):
        upload = self.cleaned_data.get("cv")
        if upload:
            cv_validate(upload)
        return upload


CV_MAX_MB = CV_MAX_BYTES // (1024 * 1024)


class ConsentsForm(forms.Form):
    """One checkbox per purpose; none is ticked unless the member gave that consent before."""

    listed = forms.BooleanField(label=ConsentPurpose.LISTED.label, required=False)
    expert_contact = forms.BooleanField(label=ConsentPurpose.EXPERT_CONTACT.label, required=False)
    newsletter_email = forms.BooleanField(label=ConsentPurpose.NEWSLETTER_EMAIL.label, required=False)
    sms = forms.BooleanField(label=ConsentPurpose.SMS.label, required=False)

    def __init__(self, *args, profile: DiasporaProfile, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import CONSENT_FIELDS

        for purpose in ConsentPurpose:
            self.fields[purpose.value].initial = getattr(profile, CONSENT_FIELDS[purpose])


class EraseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my profile and account will be erased and cannot be restored."), required=True
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not correct."), code="wrong_password")
        return password


__all__ = [
    "AssociationRowForm",
    "AvailabilityForm",
    "CVForm",
    "ConsentsForm",
    "EducationRowForm",
    "EraseForm",
    "IdentityForm",
    "InterestsForm",
    "LanguageRowForm",
    "OriginForm",
    "PhoneForm",
    "RegistrationRowForm",
    "SectorsForm",
    "SkillRowForm",
    "WorkForm",
]
