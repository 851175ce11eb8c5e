from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .models import Membership, Organisation, User
from .services import membership_grant, membership_revoke


class MembershipInline(admin.TabularInline):
    """Shown for reference; roles are granted through MembershipAdmin so groups stay in step."""

    model = Membership
    fk_name = "user"
    extra = 0
    fields = ["role", "organisation", "is_active", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "preferred_language", "is_active", "date_joined"]
    list_filter = ["is_active", "is_staff", "preferred_language", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "preferred_language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "erased_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined", "erased_at"]
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin):
    list_display = ["name", "acronym", "type", "country", "is_active"]
    list_filter = ["type", "country__is_amedip", "is_active"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["parent", "country"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organisation", "is_active", "created_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    fields = ["user", "role", "organisation"]

    def has_change_permission(self, request, obj=None):
        return obj is None

    def save_model(self, request, obj, form, change):
        granted = membership_grant(user=obj.user, role=obj.role, organisation=obj.organisation, actor=request.user)
        obj.pk = granted.pk

    def delete_model(self, request, obj):
        membership_revoke(membership=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            membership_revoke(membership=membership, actor=request.user)
