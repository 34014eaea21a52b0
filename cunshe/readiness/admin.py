from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.readiness.models import Intent, PlanItem, Readiness, ReadinessAssessment, Task


@admin.register(ReadinessAssessment)
class ReadinessAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["region", "assessed_on", "stability", "risk"]
    list_filter = ["risk"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["region", "position", "title", "owner", "due_on", "status"]
    list_filter = ["status"]


@admin.register(PlanItem)
class PlanItemAdmin(ReadOnlyAdmin):
    list_display = ["region", "problem", "owner", "due_on"]


@admin.register(Intent)
class IntentAdmin(ReadOnlyAdmin):
    list_display = ["region", "member", "intention", "desired_post"]


@admin.register(Readiness)
class ReadinessAdmin(ReadOnlyAdmin):
    list_display = ["region", "risk", "tasks", "tasks_done"]
