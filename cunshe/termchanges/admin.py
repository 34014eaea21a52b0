from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.termchanges.models import Milestone, TermChange


@admin.register(TermChange)
class TermChangeAdmin(ReadOnlyAdmin):
    list_display = ["title", "county", "year", "status", "opened_on"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["term_change", "position", "title", "due_on", "done_on"]
