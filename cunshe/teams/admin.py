from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.teams.models import TeamMember


@admin.register(TeamMember)
class TeamMemberAdmin(ReadOnlyAdmin):
    list_display = ["person", "region", "committee", "post", "started_on", "ended_on"]
    list_filter = ["committee", "post"]
