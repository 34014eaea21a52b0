from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.liaison.models import Assignment, LiaisonTalk, Matter, Rating, ServiceDay, Tally


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "unit", "village", "started_on", "ended_on"]


@admin.register(ServiceDay)
class ServiceDayAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "held_on", "households"]


@admin.register(LiaisonTalk)
class LiaisonTalkAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "held_on", "group", "talked_with"]


@admin.register(Matter)
class MatterAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "raised_on", "issue"]


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["village", "year", "round", "kind", "score"]


@admin.register(Tally)
class TallyAdmin(ReadOnlyAdmin):
    list_display = ["village", "cadres", "talks", "matters", "matters_resolved"]
