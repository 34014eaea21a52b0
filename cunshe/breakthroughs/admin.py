from django.contrib import admin

from cunshe.breakthroughs.models import Project, Task
from cunshe.core.admin import ReadOnlyAdmin


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["title", "county", "is_active"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "status", "rating"]
