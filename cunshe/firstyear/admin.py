from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.firstyear.models import Programme, ProgrammeItem, Progress, TownTally


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(ReadOnlyAdmin):
    list_display = ["county", "position", "name", "due_amount", "due_unit", "source", "is_active"]


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["region", "elected_on", "term_change"]


@admin.register(Progress)
class ProgressAdmin(ReadOnlyAdmin):
    list_display = ["region", "item", "due_at", "done_on", "done_source"]


@admin.register(TownTally)
class TownTallyAdmin(ReadOnlyAdmin):
    list_display = ["region", "item", "villages", "done", "done_late"]
