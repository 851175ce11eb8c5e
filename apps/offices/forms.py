from __future__ import annotations

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organisation
from apps.core.models import Country

from .models import (
    NOTES_MAX_LENGTH,
    Channel,
    Office,
    OfficeType,
    Person,
    Referral,
    Sex,
    StaffRole,
    Topic,
    Vulnerability,
)


class OfficeFinderForm(forms.Form):
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.filter(offices__is_public=True).distinct(),
        required=False,
        empty_label=_("All countries"),
    )
    type = forms.ChoiceField(label=_("Type"), choices=[("", _("All types")), *OfficeType.choices], required=False)


class QuickLogForm(forms.Form):
    """Contact with an existing person (picker) or a new person entered inline. Laid out for the keyboard."""

    office = forms.ModelChoiceField(label=_("Office"), queryset=None, empty_label=None)
    person_query = forms.CharField(
        label=_("Client"),
        max_length=100,
        required=False,
        help_text=_(
            "Type a name in either script, a phone number, an e-mail or a birth year, then choose with the arrow "
            "keys and Enter. For a new client, leave it empty and fill in the fields below."
        ),
    )
    # set by the picker (or the list of matches shown without JavaScript); empty for a new client
    person = forms.ModelChoiceField(label=_("Client"), queryset=None, required=False, widget=forms.HiddenInput)
    name_latin = forms.CharField(label=_("Name (Latin script)"), max_length=200, required=False)
    name_arabic = forms.CharField(label=_("Name (Arabic script)"), max_length=200, required=False)
    birth_year = forms.IntegerField(label=_("Birth year"), min_value=1900, max_value=2100, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerability flags"),
        choices=Vulnerability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("A flagged record is readable only by its counsellor and the office manager."),
    )
    confirm_new = forms.BooleanField(
        label=_("This is a new person, not one of the records above"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    family_relationship = forms.CharField(
        label=_("Relationship of the family member"),
        max_length=80,
        required=False,
        help_text=_("Only when the contact was reported by a family member (e.g. mother, brother)."),
    )
    reporter_name = forms.CharField(label=_("Name of the family member"), max_length=200, required=False)
    reporter_phone = forms.CharField(label=_("Phone of the family member"), max_length=40, required=False)
    reporter_may_call_back = forms.BooleanField(
        label=_("We may call them back"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    summary = forms.CharField(label=_("Summary"), max_length=500)
    outcome = forms.CharField(label=_("Outcome"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("Restricted notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Encrypted; readable only by the assigned counsellor and the office manager."),
    )
    follow_up_due = forms.DateField(
        label=_("Follow-up due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    follow_up_assignee = forms.ModelChoiceField(
        label=_("Follow-up by"),
        queryset=None,
        required=False,
        help_text=_("Only with a follow-up date; left empty, you follow up yourself."),
    )

    def __init__(self, *args, offices, persons, staff, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["office"].queryset = offices
        self.fields["person"].queryset = persons
        self.fields["follow_up_assignee"].queryset = staff
        self.fields["person_query"].widget.attrs.update(
            {
                "autofocus": True,
                "autocomplete": "off",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": "person-options",
                "spellcheck": "false",
            }
        )
        self.fields["summary"].widget.attrs["autocomplete"] = "off"

    def without_errors(self) -> QuickLogForm:
        """Shown again to choose a client (the search without JavaScript): what was typed, no errors yet."""
        self._errors = ErrorDict()
        return self

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("name_latin") or data.get("name_arabic")):
            self.add_error("name_latin", _("Choose a person above or give the new person's name."))
        if data.get("follow_up_due") and not data.get("follow_up_assignee") and self.actor is not None:
            data["follow_up_assignee"] = self.actor  # a date alone: the counsellor who logs follows up
        if data.get("follow_up_due") and not data.get("follow_up_assignee"):
            self.add_error("follow_up_assignee", _("Choose who follows up."))
        if data.get("follow_up_assignee") and not data.get("follow_up_due"):
            self.add_error("follow_up_due", _("Give the follow-up date."))
        if data.get("follow_up_due") and data["follow_up_due"] < timezone.localdate():
            self.add_error("follow_up_due", _("The follow-up date cannot be in the past."))
        return data

    def new_person_data(self) -> dict:
        d = self.cleaned_data
        return {
            "name_latin": d.get("name_latin", ""),
            "name_arabic": d.get("name_arabic", ""),
            "birth_year": d.get("birth_year"),
            "sex": d.get("sex", ""),
            "phone": d.get("phone", ""),
            "email": d.get("email", ""),
            "vulnerabilities": d.get("vulnerabilities", []),
        }

    def contact_data(self) -> dict:
        d = self.cleaned_data
        return {
            "channel": d["channel"],
            "family_relationship": d.get("family_relationship", ""),
            "reporter_name": d.get("reporter_name", ""),
            "reporter_phone": d.get("reporter_phone", ""),
            "reporter_may_call_back": d.get("reporter_may_call_back", False),
            "topics": d["topics"],
            "summary": d["summary"],
            "outcome": d.get("outcome", ""),
            "notes": d.get("notes", ""),
            "follow_up_due": d.get("follow_up_due"),
            "follow_up_assignee": d.get("follow_up_assignee"),
        }


class PersonForm(forms.ModelForm):
    """Editing a client record. The flags and the counsellor are offered only to those who may read the flags."""

    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerability flags"),
        choices=Vulnerability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("A flagged record is readable only by its counsellor and the office manager."),
    )
    confirm_duplicates = forms.BooleanField(
        label=_("Save anyway: this is not the same person as the records above"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = Person
        fields = [
            "name_latin",
            "name_arabic",
            "sex",
            "birth_year",
            "birth_date",
            "nationality",
            "residence_country",
            "phone",
            "email",
            "languages",
            "preferred_language",
            "counsellor",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, restricted: bool, staff, **kwargs):
        super().__init__(*args, **kwargs)
        if restricted:
            self.fields["counsellor"].queryset = staff
            self.initial.setdefault("vulnerabilities", list(self.instance.vulnerabilities))
        else:
            del self.fields["counsellor"], self.fields["vulnerabilities"]
        self.fields["languages"].widget.attrs["size"] = 6
        self.order_fields([name for name in self.fields if name != "confirm_duplicates"] + ["confirm_duplicates"])

    def _post_clean(self):
        # the service applies the values and validates the whole record; the form only parses them
        pass

    def changes(self) -> dict:
        """The fields the service may change, as parsed by the form."""
        return {name: value for name, value in self.cleaned_data.items() if name != "confirm_duplicates"}


class FollowUpForm(forms.Form):
    follow_up_due = forms.DateField(
        label=_("Follow-up due"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    follow_up_assignee = forms.ModelChoiceField(label=_("Follow-up by"), queryset=None, empty_label=None)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up_assignee"].queryset = staff


class StaffAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail of the account"), help_text=_("The person must already have an account on the portal.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices, initial=StaffRole.COUNSELLOR)


class StaffRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices)


class ReferralForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Partner organisation"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    consent_given = forms.BooleanField(label=_("The person consents to this referral"), required=True)

    def __init__(self, *args, exclude_organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(is_active=True).select_related("country").order_by("name")
        if exclude_organisation_id:
            organisations = organisations.exclude(pk=exclude_organisation_id)
        self.fields["organisation"].queryset = organisations


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Referral.Status.choices)


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(label=_("Record number of the duplicate"), min_value=1)


class ContactImportForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("Contact log (CSV or XLSX)"),
        help_text=_(
            "Columns: date, name_latin and name_arabic (or a single full_name), birth_year, sex, phone, email, "
            "channel, family_relationship, topics (separated by ;), summary, outcome, notes; optionally "
            "reporter_name, reporter_phone and reporter_may_call_back (yes or no) for a contact reported by a "
            "family member, follow_up_due (YYYY-MM-DD) and follow_up_assignee (the e-mail of a staff member of "
            "the office)."
        ),
    )
    dry_run = forms.BooleanField(label=_("Dry run: check every row, save nothing"), required=False, initial=True)

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


class OfficeForm(forms.ModelForm):
    """An office's details; the name is its organisation's, the opening hours are written in each language."""

    name = forms.CharField(label=_("Name of the office"), max_length=255)

    class Meta:
        model = Office
        fields = ["type", "country", "municipality", "address", "hotline", "email", "languages", "opening_hours_en",
                  "opening_hours_fr", "opening_hours_ar", "is_public"]  # fmt: skip
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}
        labels = {
            "opening_hours_en": _("Opening hours in English"),
            "opening_hours_fr": _("Opening hours in French"),
            "opening_hours_ar": _("Opening hours in Arabic"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["name"].initial = self.instance.organisation.name
        self.fields["languages"].widget.attrs["size"] = 6
        self.fields["opening_hours_ar"].widget.attrs["dir"] = "rtl"
        self.order_fields(["name", *self.Meta.fields])

    def _post_clean(self):
        # the service applies the values and validates the office; the form only parses them
        pass

    def changes(self) -> dict:
        return dict(self.cleaned_data)
