from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import AuditEvent, Country, Language


@admin.register(Country)
class CountryAdmin(TranslationAdmin):
    list_display = ["code", "name", "is_amedip", "is_recosa"]
    list_filter = ["is_amedip", "is_recosa"]
    search_fields = ["code", "name_en", "name_fr", "name_ar"]


@admin.register(Language)
class LanguageAdmin(TranslationAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name_en", "name_fr", "name_ar"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, in the database as here."""

    list_display = ["occurred_at", "actor_name", "action", "object_type", "object_id", "subject_identity", "ip_address"]
    list_filter = ["action", "object_type"]
    list_select_related = ["actor_identity", "subject_identity"]
    search_fields = ["actor_identity__label", "subject_identity__label", "actor_label", "object_id", "summary"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
