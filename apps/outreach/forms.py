from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.models import Country, Language
from apps.core.widgets import ChipSelectMultiple
from apps.skills.models import AvailabilityMode, EngagementInterest, Sector
from apps.skills.pickers import sectors_picker

from .models import Campaign, Segment


class SegmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    residence_countries = forms.ModelMultipleChoiceField(
        label=_("Countries of residence"), queryset=Country.objects.all(), required=False, widget=ChipSelectMultiple
    )
    origin_countries = forms.ModelMultipleChoiceField(
        label=_("Countries of origin"), queryset=Country.objects.all(), required=False, widget=ChipSelectMultiple
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"), queryset=Sector.objects.all(), required=False, widget=sectors_picker()
    )
    occupations = forms.CharField(
        label=_("Occupations (ISCO-08 codes or code prefixes, separated by commas)"), required=False, max_length=200
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages spoken"), queryset=Language.objects.all(), required=False, widget=ChipSelectMultiple
    )
    engagement = forms.MultipleChoiceField(
        label=_("Engagement interests"), choices=EngagementInterest.choices, required=False
    )
    availability_mode = forms.ChoiceField(
        label=_("Availability"), choices=[("", _("Any"))] + list(AvailabilityMode.choices), required=False
    )
    available_now = forms.BooleanField(label=_("Available now"), required=False)
    confirmed_within_days = forms.IntegerField(
        label=_("Profile confirmed within (days)"), required=False, min_value=1, max_value=3650
    )

    def __init__(self, *args, segment: Segment | None = None, **kwargs):
        if segment is not None and "initial" not in kwargs:
            f = segment.filters or {}
            kwargs["initial"] = {
                "name": segment.name,
                "description": segment.description,
                **{k: v for k, v in f.items() if k != "occupations"},
                "occupations": ", ".join(f.get("occupations", [])),
            }
        super().__init__(*args, **kwargs)

    def to_filters(self) -> dict:
        d = self.cleaned_data
        filters = {
            "residence_countries": [c.pk for c in d["residence_countries"]],
            "origin_countries": [c.pk for c in d["origin_countries"]],
            "sectors": [s.pk for s in d["sectors"]],
            "occupations": [c.strip() for c in d["occupations"].split(",") if c.strip()],
            "languages": [lang.pk for lang in d["languages"]],
            "engagement": list(d["engagement"]),
            "availability_mode": d["availability_mode"],
            "available_now": d["available_now"],
            "confirmed_within_days": d["confirmed_within_days"],
        }
        return {k: v for k, v in filters.items() if v not in (None, "", [], False)}


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "kind", "channel", "segment", "sender_name", "default_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = Segment.objects.order_by("name")


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}), required=False)


class ScheduleForm(forms.Form):
    WHEN = [("now", _("Send now")), ("later", _("Send at a time"))]
    when = forms.ChoiceField(
        label=_("When"), choices=WHEN, widget=forms.RadioSelect(attrs={"class": "form-check-input"}), initial="now"
    )
    send_at = forms.DateTimeField(
        label=_("Date and time (UTC)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"),
    )
    # Set by the confirmation page, which states the recipients per language first.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("when") == "later" and not data.get("send_at"):
            self.add_error("send_at", _("Choose the date and time."))
        return data


LANGUAGE_NAMES = dict(settings.LANGUAGES)


class RecipientLookupForm(forms.Form):
    """A recipient of a campaign looked up by name, in either script or any spelling."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False, strip=True)
