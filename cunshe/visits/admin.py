from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.visits.models import CandidateOpinion, Coverage, Visit, VisitTarget


@admin.register(VisitTarget)
class VisitTargetAdmin(ReadOnlyAdmin):
    list_display = ["person", "region", "group", "visitor", "due_on", "visited_on"]
    list_filter = ["group", "visited_mode"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["target", "region", "mode", "visited_on", "visitors"]
    list_filter = ["mode"]


@admin.register(Coverage)
class CoverageAdmin(ReadOnlyAdmin):
    list_display = ["region", "group", "planned", "visited", "by_phone"]


@admin.register(CandidateOpinion)
class CandidateOpinionAdmin(ReadOnlyAdmin):
    list_display = ["visit", "region", "candidate", "stance"]
    list_filter = ["stance"]
