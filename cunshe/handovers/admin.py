from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.handovers.models import Confirmation, Handover, HandoverItem, HandoverSettings, Leftover, Template


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ["region", "kind", "outgoing", "incoming", "status", "due_at", "accounts_frozen"]
    list_filter = ["kind", "status", "accounts_frozen"]


@admin.register(HandoverItem)
class HandoverItemAdmin(ReadOnlyAdmin):
    list_display = ["handover", "position", "title", "status"]


@admin.register(Confirmation)
class ConfirmationAdmin(ReadOnlyAdmin):
    list_display = ["handover", "party", "confirmed_by", "confirmed_at", "voided_at"]


@admin.register(Leftover)
class LeftoverAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "owner", "due_on", "status", "accountability"]


@admin.register(Template)
class TemplateAdmin(ReadOnlyAdmin):
    list_display = ["name", "county", "kind"]


@admin.register(HandoverSettings)
class HandoverSettingsAdmin(ReadOnlyAdmin):
    list_display = ["county", "leader_days", "committee_days", "copies"]
