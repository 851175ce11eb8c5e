"""Forms of the review pages: a duplicate's decision, a conflict's choice per field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .conflicts import field_label


class DuplicateDecisionForm(forms.Form):
    """ "Same person" names which listed record; "different people" keeps them apart."""

    SAME, APART = "same", "apart"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (SAME, _("Same person: merge the new record into the one chosen")),
            (APART, _("Different people: keep both records")),
        ],  # fmt: skip
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    candidate = forms.TypedChoiceField(label=_("Same person as"), coerce=int, required=False, choices=())

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = [(c.pk, f"#{c.pk} {c.display_name}") for c in candidates]
        if len(candidates) == 1:
            self.fields["candidate"].initial = candidates[0].pk

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.SAME and not data.get("candidate"):
            self.add_error("candidate", _("Choose the record that is the same person."))
        return data


class ConflictResolutionForm(forms.Form):
    """One choice per field of the offline edit: the device's value or the record's; ``version`` is the record's
    version shown, so a change made meanwhile is noticed."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, conflict, **kwargs):
        super().__init__(*args, **kwargs)
        for name in conflict.changes:
            self.fields[name] = forms.ChoiceField(
                label=field_label(name),
                choices=[("device", _("Value from the device")), ("server", _("Value on the server now"))],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                initial=None if name in conflict.fields else "device",
            )
