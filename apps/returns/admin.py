"""Administration of the return information desk. Every save and action goes through the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from . import services
from .models import Event, EventRegistration, FundingOpportunity, InfoSheet, NetworkPartner, Vacancy
from .permissions import can_edit_content, can_edit_partners, can_edit_vacancies
from .services import events as event_services
from .services import funding as funding_services
from .services import info_sheets as sheet_services
from .services import vacancies as vacancy_services


class _ServiceAdmin(admin.ModelAdmin):
    """Permissions from apps.returns.permissions; deleting is not offered (unpublish or withdraw instead)."""

    allowed = staticmethod(can_edit_content)

    def has_module_permission(self, request):
        return self.allowed(request.user)

    def has_view_permission(self, request, obj=None):
        return self.allowed(request.user)

    def has_add_permission(self, request):
        return self.allowed(request.user)

    def has_change_permission(self, request, obj=None):
        return self.allowed(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        """Relations are written by the service in save_model."""

    def _run(self, request, queryset, call, done):
        count = 0
        for obj in queryset:
            try:
                call(obj)
                count += 1
            except ValidationError as exc:
                self.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR)
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)


def _validating_form(check):
    """A form whose clean() runs the service's own checks, so the admin shows errors at the fields."""

    def get_form(self, request, obj=None, **kwargs):
        form = super(type(self), self).get_form(request, obj, **kwargs)

        class Checked(form):
            def _post_clean(self):
                super()._post_clean()
                try:
                    check(self.instance)
                except ValidationError as exc:
                    for field, errors in exc.message_dict.items():
                        self.add_error(field if field in self.fields else None, errors)

        return Checked

    return get_form


@admin.register(InfoSheet)
class InfoSheetAdmin(_ServiceAdmin, TranslationAdmin):
    list_display = ["__str__", "kind", "country", "topic", "status", "reviewed_on", "review_due_on"]
    list_filter = ["status", "kind", "topic", "country"]
    search_fields = ["title_en", "title_fr", "title_ar"]
    fields = [*sheet_services.FIELDS, "reviewed_on", "reviewed_by", "review_due_on"]
    readonly_fields = ["reviewed_on", "reviewed_by", "review_due_on"]
    actions = ["mark_reviewed"]
    get_form = _validating_form(sheet_services._check_languages)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in sheet_services.FIELDS if name in form.cleaned_data}
        if change:
            services.info_sheet_update(sheet=obj, actor=request.user, data=data)
        else:
            created = services.info_sheet_create(actor=request.user, data=data)
            obj.pk = created.pk

    @admin.action(description=_("Mark as reviewed today"))
    def mark_reviewed(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda sheet: services.info_sheet_mark_reviewed(sheet=sheet, actor=request.user),
            _("%(count)s sheets marked as reviewed."),
        )


@admin.register(FundingOpportunity)
class FundingOpportunityAdmin(_ServiceAdmin, TranslationAdmin):
    list_display = ["__str__", "funder", "kind", "deadline", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["title_en", "title_fr", "title_ar", "funder"]
    fields = [*funding_services.FIELDS, "countries", "sectors", "status", "published_at"]
    readonly_fields = ["status", "published_at"]
    filter_horizontal = ["countries", "sectors"]
    actions = ["publish"]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in funding_services.FIELDS if name in form.cleaned_data}
        relations = {"countries": form.cleaned_data.get("countries"), "sectors": form.cleaned_data.get("sectors")}
        if change:
            services.funding_opportunity_update(opportunity=obj, actor=request.user, data=data, **relations)
        else:
            created = services.funding_opportunity_create(actor=request.user, data=data, **relations)
            obj.pk = created.pk

    @admin.action(description=_("Publish and alert members"))
    def publish(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda opportunity: services.funding_opportunity_publish(opportunity=opportunity, actor=request.user),
            _("%(count)s opportunities published."),
        )


class EventRegistrationInline(admin.TabularInline):
    model = EventRegistration
    extra = 0
    fields = ["user", "status", "attended", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(_ServiceAdmin, TranslationAdmin):
    list_display = ["__str__", "kind", "starts_at", "capacity", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["title_en", "title_fr", "title_ar"]
    fields = [*event_services.FIELDS, "status"]
    readonly_fields = ["status"]
    inlines = [EventRegistrationInline]
    actions = ["publish"]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in event_services.FIELDS if name in form.cleaned_data}
        if change:
            services.event_update(event=obj, actor=request.user, data=data)
        else:
            created = services.event_create(actor=request.user, data=data)
            obj.pk = created.pk

    @admin.action(description=_("Publish"))
    def publish(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda event: services.event_publish(event=event, actor=request.user),
            _("%(count)s events published."),
        )


@admin.register(Vacancy)
class VacancyAdmin(_ServiceAdmin):
    allowed = staticmethod(can_edit_vacancies)
    list_display = ["title", "employer", "country", "closing_date"]
    list_filter = ["country"]
    search_fields = ["title", "employer"]
    fields = vacancy_services.VACANCY_FIELDS
    get_form = _validating_form(vacancy_services._check_vacancy)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in vacancy_services.VACANCY_FIELDS}
        if change:
            services.vacancy_update(vacancy=obj, actor=request.user, data=data)
        else:
            obj.pk = services.vacancy_create(actor=request.user, data=data).pk


@admin.register(NetworkPartner)
class NetworkPartnerAdmin(_ServiceAdmin):
    allowed = staticmethod(can_edit_partners)
    list_display = ["organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["organisation__name"]
    fields = vacancy_services.PARTNER_FIELDS
    autocomplete_fields = ["organisation"]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in vacancy_services.PARTNER_FIELDS}
        saved = services.network_partner_save(actor=request.user, data=data, partner=obj if change else None)
        obj.pk = saved.pk
