from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.partywork.models import Branch, FloatingMember, ModelPost, PartyMeeting


@admin.register(Branch)
class BranchAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "formed_on"]


@admin.register(PartyMeeting)
class PartyMeetingAdmin(ReadOnlyAdmin):
    list_display = ["branch", "kind", "number", "held_at", "status"]


@admin.register(ModelPost)
class ModelPostAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "person", "set_up_on"]


@admin.register(FloatingMember)
class FloatingMemberAdmin(ReadOnlyAdmin):
    list_display = ["person", "region", "whereabouts", "left_on", "report_due_on"]
