from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organisation
from apps.core.formatting import format_list
from apps.core.models import Country
from apps.skills.models import Skill
from apps.skills.pickers import skills_picker

from .fields import (
    EVALUATION_FIELDS,
    PARTICIPANT_FIELDS,
    REPORT_FIELDS,
    REQUEST_EXPERTISE_FIELDS,
    REQUEST_FIELDS,
    REQUEST_RELATIONS,
    SCHEDULE_FIELDS,
)
from .models import Evaluation, ExchangeRequest, Kind, Participant, Report, Schedule, State

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExchangeRequestForm(forms.ModelForm):
    requesting_institution = forms.ModelChoiceField(
        label=_("Requesting institution"), queryset=Organisation.objects.none()
    )
    isco_codes = forms.CharField(
        label=_("ISCO-08 codes"),
        required=False,
        help_text=_("Four-digit occupation codes, separated by commas (for example 2421, 2631)."),
    )

    class Meta:
        model = ExchangeRequest
        fields = ["requesting_institution", *REQUEST_FIELDS, *REQUEST_RELATIONS]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "occupations_sought": forms.Textarea(attrs={"rows": 2}),
            "skills_sought": forms.Textarea(attrs={"rows": 2}),
            "terms_of_reference": forms.Textarea(attrs={"rows": 4}),
            "skills": skills_picker(attrs={"size": 8}),
        }
        help_texts = {
            "skills": _("The skills from the skills-bank vocabulary: the matching of experts compares them."),
            "sectors": _("Separated by commas."),
            "host_institution": _("When known."),
            "terms_of_reference_file": _("PDF, up to 5 MB."),
        }

    # The page's order: what the request is and who asks, then (for an expert assignment) the expertise sought.
    field_order = [
        "kind",
        "requesting_institution",
        *(name for name in REQUEST_FIELDS if name not in REQUEST_EXPERTISE_FIELDS),
        *REQUEST_EXPERTISE_FIELDS,
    ]

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requesting_institution"].queryset = (
            institutions if institutions is not None else Organisation.objects.none()
        )
        if self.instance.pk:
            del self.fields["requesting_institution"]
            self.initial["isco_codes"] = ", ".join(self.instance.isco_codes or [])
        elif institutions is not None and len(institutions) == 1:
            self.initial.setdefault("requesting_institution", institutions[0].pk)
        self.fields["host_country"].queryset = Country.objects.order_by("name")
        self.fields["host_institution"].queryset = Organisation.objects.select_related("country").order_by("name")
        self.fields["skills"].queryset = Skill.objects.order_by("label", "code")

    EXPERTISE_FIELDS = REQUEST_EXPERTISE_FIELDS

    def common_fields(self):
        return [self[name] for name in self.fields if name not in self.EXPERTISE_FIELDS]

    def expertise_fields(self):
        return [self[name] for name in self.fields if name in self.EXPERTISE_FIELDS]

    def clean_isco_codes(self):
        raw = self.cleaned_data.get("isco_codes") or ""
        codes = [code for code in re.split(r"[\s,;]+", raw) if code]
        bad = [code for code in codes if not re.fullmatch(r"\d{1,4}", code)]
        if bad:
            raise ValidationError(_("ISCO-08 codes are one to four digits: %(codes)s") % {"codes": format_list(bad)})
        return codes

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        return cleaned

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("requesting_institution", None)
        for name in REQUEST_RELATIONS:
            data.pop(name, None)
        if data.get("terms_of_reference_file") is False:  # "clear" ticked
            data["terms_of_reference_file"] = ""
        return data

    def _post_clean(self):
        # Model validation runs in the service; the form only checks its own fields.
        pass


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = PARTICIPANT_FIELDS


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExpertAddForm(forms.Form):
    email = forms.EmailField(label=_("Expert's e-mail address"))
    provider_country = forms.ModelChoiceField(label=_("Provider country"), queryset=Country.objects.order_by("name"))


class CandidateNameForm(forms.Form):
    """The name condition of the expert search: a name in any script or spelling (apps.core.names)."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False, strip=True)


class CallAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("interested", _("Interested")), ("not_interested", _("Not interested"))])


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = REPORT_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ["activities", "results", "follow_up_actions", "knowledge_sharing"]
        }

    def _post_clean(self):
        pass


class EvaluationForm(forms.ModelForm):
    SCORES = [(n, str(n)) for n in range(1, 6)]
    usefulness = forms.TypedChoiceField(label=_("Usefulness (1 to 5)"), choices=SCORES, coerce=int)
    organisation = forms.TypedChoiceField(label=_("Organisation (1 to 5)"), choices=SCORES, coerce=int)
    would_recommend = forms.TypedChoiceField(
        label=_("Would you recommend this exchange?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Evaluation
        fields = EVALUATION_FIELDS
        widgets = {"comments": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass


class ListFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any"))] + State.choices)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any"))] + Kind.choices)
    requesting_country = forms.ModelChoiceField(
        label=_("Requesting country"), required=False, queryset=Country.objects.order_by("name"), empty_label=_("Any")
    )
    host_country = forms.ModelChoiceField(
        label=_("Host country"), required=False, queryset=Country.objects.order_by("name"), empty_label=_("Any")
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "state": data.get("state"),
            "kind": data.get("kind"),
            "requesting_country": data["requesting_country"].pk if data.get("requesting_country") else None,
            "host_country": data["host_country"].pk if data.get("host_country") else None,
        }


PROGRAMME_LINE = re.compile(
    r"^\s*(?P<day>\d{4}-\d{2}-\d{2})\s+(?P<start>\d{1,2}[:.h]\d{2})(?:\s*[-–]\s*(?P<end>\d{1,2}[:.h]\d{2}))?\s+"
    r"(?P<title>\S.*?)\s*$"
)


def _time(text: str):
    import datetime

    hours, minutes = re.split(r"[:.h]", text)
    return datetime.time(int(hours), int(minutes))


def parse_programme(text: str) -> tuple[list[dict], list[str]]:
    """The programme's items, one a line: ``2027-03-01 09:00-10:30 Opening session`` (the end time is optional).

    Returns the items and, for each line that is not understood, an error naming it (nothing typed is lost: the
    form shows the text again)."""
    items, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = PROGRAMME_LINE.match(line)
        try:
            if match is None:
                raise ValueError
            import datetime

            item = {
                "day": datetime.date.fromisoformat(match["day"]),
                "start_time": _time(match["start"]),
                "end_time": _time(match["end"]) if match["end"] else None,
                "title": match["title"][:300],
            }
        except ValueError:
            errors.append(
                _(
                    "Line %(number)d is not understood: write the day, the time and the item, for example "
                    "“2027-03-01 09:00-10:30 Opening session”."
                )
                % {"number": number}
            )
            continue
        items.append(item)
    return items, errors


def programme_text(schedule) -> str:
    lines = []
    for item in schedule.items.all():
        times = item.start_time.strftime("%H:%M") + (f"-{item.end_time.strftime('%H:%M')}" if item.end_time else "")
        lines.append(f"{item.day.isoformat()} {times} {item.title}")
    return "\n".join(lines)


class ScheduleForm(forms.ModelForm):
    start_date = forms.DateField(label=_("Confirmed start date"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("Confirmed end date"), widget=DATE_WIDGET)
    programme = forms.CharField(
        label=_("Programme"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_(
            "One item a line: the day, the time and the item, for example “2027-03-01 09:00-10:30 Opening "
            "session”. Or attach the programme as a PDF below."
        ),
    )
    comment = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when a scheduled exchange changes: the participants and experts are told."),
    )

    class Meta:
        model = Schedule
        fields = SCHEDULE_FIELDS
        widgets = {
            "evaluation_deadline": DATE_WIDGET,
            "logistics_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "programme_file": _("PDF, up to 5 MB."),
            "evaluation_deadline": _(
                "Participants and experts are reminded weekly until they evaluate or this day "
                "passes; the request closes then if the report is in."
            ),
        }

    field_order = [
        "start_date",
        "end_date",
        "venue",
        "city",
        "host_contact_name",
        "host_contact_email",
        "host_contact_phone",
        "programme",
        "programme_file",
        "logistics_notes",
        "evaluation_deadline",
        "comment",
    ]

    def __init__(self, *args, exchange_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if exchange_request is None or exchange_request.state != "scheduled":
            del self.fields["comment"]  # a first schedule needs no reason
        if exchange_request is not None:
            self.initial.setdefault("start_date", exchange_request.start_date)
            self.initial.setdefault("end_date", exchange_request.end_date)
        if self.instance.pk:
            self.initial.setdefault("programme", programme_text(self.instance))

    def clean_programme(self):
        items, errors = parse_programme(self.cleaned_data.get("programme", ""))
        if errors:
            raise ValidationError(errors)
        self.programme_items = items
        return self.cleaned_data.get("programme", "")

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}
        data["start_date"] = self.cleaned_data["start_date"]
        data["end_date"] = self.cleaned_data["end_date"]
        if data.get("programme_file") is None:
            data.pop("programme_file", None)  # nothing uploaded: keep the stored one
        return data

    def _post_clean(self):
        pass


class CertificateCheckForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=40)

    def clean_code(self):
        return re.sub(r"[\s-]", "", self.cleaned_data["code"]).upper()
