from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.volunteers.models import VolunteerActivity, VolunteerMember, VolunteerSummary, VolunteerTeam


@admin.register(VolunteerTeam)
class VolunteerTeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "formed_by", "formed_on"]


@admin.register(VolunteerMember)
class VolunteerMemberAdmin(ReadOnlyAdmin):
    list_display = ["name", "team", "role", "joined_on", "left_on"]


@admin.register(VolunteerActivity)
class VolunteerActivityAdmin(ReadOnlyAdmin):
    list_display = ["team", "held_on", "kind", "place", "households"]


@admin.register(VolunteerSummary)
class VolunteerSummaryAdmin(ReadOnlyAdmin):
    list_display = ["region", "teams", "people", "activities", "households"]
