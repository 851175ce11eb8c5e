from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.validators import validate_clean_text

from .models import ApiToken, User
from .services import member_registered


class SignupExtraForm(forms.Form):
    """Extra sign-up fields, added to allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(label=_("Full name"), max_length=200, validators=[validate_clean_text])
    preferred_language = forms.ChoiceField(label=_("Language for the portal and messages"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            current = get_language() or settings.LANGUAGE_CODE
            self.fields["preferred_language"].initial = current if current in dict(settings.LANGUAGES) else "en"

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.preferred_language = self.cleaned_data["preferred_language"]
        user.save(update_fields=["full_name", "preferred_language"])
        member_registered(user=user)


class AccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]

    full_name = forms.CharField(label=_("Full name"), max_length=200, validators=[validate_clean_text])


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        validators=[validate_clean_text],
        help_text=_("Which system uses it, e.g. “Ministry HR system”."),
    )
    scope = forms.ChoiceField(label=_("What it may do"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)
