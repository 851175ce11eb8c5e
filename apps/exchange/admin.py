from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Certificate, Decision, Evaluation, ExchangeRequest, ExpertSelection, Participant, Report, Schedule
from .permissions import ACTION_LABELS


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ["name", "institution", "position", "country", "email"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    fields = ["created_at", "actor_label", "role", "action", "from_state", "to_state", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _transition_action(action: str):
    def run(modeladmin, request, queryset):
        done = 0
        for exchange_request in queryset:
            try:
                services.exchange_request_transition(
                    exchange_request=exchange_request, actor=request.user, action=action
                )
                done += 1
            except (services.TransitionConflictError, ValidationError, PermissionDenied, Http404) as error:
                text = getattr(error, "message", None) or "; ".join(getattr(error, "messages", [])) or str(error)
                modeladmin.message_user(request, f"#{exchange_request.pk}: {text or _('not allowed')}", messages.ERROR)
        if done:
            modeladmin.message_user(request, _("%(count)d request(s) updated.") % {"count": done}, messages.SUCCESS)

    run.__name__ = f"take_{action}"
    run.short_description = ACTION_LABELS[action]
    return run


@admin.register(ExchangeRequest)
class ExchangeRequestAdmin(admin.ModelAdmin):
    """Read-only record with the workflow as admin actions: each calls the same service as the pages and API."""

    list_display = ["id", "title", "kind", "state", "requesting_country", "host_country", "start_date"]
    list_filter = ["state", "kind", "requesting_country", "host_country"]
    search_fields = ["title"]
    inlines = [ParticipantInline, DecisionInline]
    actions = [_transition_action(a) for a in ("endorse", "accept", "approve", "schedule")]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + ["languages_sought"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["request", "created_at", "by_label", "role", "action", "from_state", "to_state", "reason"]
    readonly_fields = [f.name for f in Decision._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written through the pages and services only."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (ExpertSelection, Report, Evaluation, Schedule, Certificate):
    admin.site.register(model, ReadOnlyAdmin)
