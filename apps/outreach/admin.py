from django.contrib import admin

from .models import AddressHold, Campaign, CampaignMessage, Delivery, Segment


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "created_by", "updated_at"]
    readonly_fields = ["filters", "created_by"]


class CampaignMessageInline(admin.TabularInline):
    model = CampaignMessage
    extra = 0
    readonly_fields = ["language", "subject", "body"]
    can_delete = False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """Read-only here: campaigns change state through the outreach pages and API (services)."""

    list_display = ["name", "kind", "channel", "state", "scheduled_at", "recipient_count"]
    list_filter = ["state", "kind", "channel"]
    inlines = [CampaignMessageInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "campaign", "kind", "channel", "address", "language", "state", "sent_at"]
    list_filter = ["state", "channel"]
    list_select_related = ["campaign"]
    search_fields = ["address"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AddressHold)
class AddressHoldAdmin(admin.ModelAdmin):
    list_display = ["address", "reason", "created_at"]
    search_fields = ["address"]
