"""Administration of the skills bank. Reference data and records are read-only here; writes go through services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import (
    ConsentRecord,
    DiasporaProfile,
    ImportBatch,
    ProfileVerification,
    VerificationCheck,
)
from .services import profile_verify


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AdminVerifyForm(forms.Form):
    checks = forms.MultipleChoiceField(
        label=gettext_lazy("What was checked"), choices=VerificationCheck.choices, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


@admin.action(description=gettext_lazy("Mark the selected profiles as verified"))
def mark_verified(modeladmin, request, queryset):
    """Asks what was checked, then calls the same service as the staff page for each profile."""
    form = AdminVerifyForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        done = 0
        for profile in queryset:
            try:
                profile_verify(
                    profile=profile,
                    actor=request.user,
                    checks=form.cleaned_data["checks"],
                    note=form.cleaned_data["note"],
                    request=request,
                )
                done += 1
            except (PermissionDenied, ValidationError):
                modeladmin.message_user(
                    request, _("%(profile)s could not be verified.") % {"profile": profile}, messages.WARNING
                )
        modeladmin.message_user(
            request,
            ngettext("%(count)s profile marked as verified.", "%(count)s profiles marked as verified.", done)
            % {"count": done},
            messages.SUCCESS,
        )
        return None
    return render(
        request,
        "skills/staff/admin_verify.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Mark the selected profiles as verified"),
            "form": form,
            "profiles": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )


@admin.register(DiasporaProfile)
class DiasporaProfileAdmin(admin.ModelAdmin):
    list_display = ("id", "first_name", "last_name", "residence_country", "consent_listed", "verified_at", "source")
    list_filter = ("consent_listed", "source", "generation")
    search_fields = ("=id", "last_name", "first_name", "user__email")
    list_select_related = ("residence_country",)
    show_full_result_count = False
    actions = [mark_verified]
    readonly_fields = [f.name for f in DiasporaProfile._meta.concrete_fields if f.name != "id"]
    exclude = ("occupations", "sectors")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProfileVerification)
class ProfileVerificationAdmin(ReadOnlyAdmin):
    list_display = ("profile", "verified_by", "verified_at")
    list_select_related = ("profile", "verified_by")


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ("profile", "purpose", "given", "method", "recorded_at")
    list_filter = ("purpose", "given", "method")
    list_select_related = ("profile",)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "organisation", "uploaded_by", "status", "total_rows", "created_at")
    list_filter = ("status",)
    list_select_related = ("organisation", "uploaded_by")
