from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.firstsecretaries.models import LogEntry, Posting, Report, Tally


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ["name", "village", "sending_unit", "started_on", "ends_on", "ended_on"]


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    list_display = ["posting", "written_on"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["posting", "kind", "period_start", "due_on", "status"]


@admin.register(Tally)
class TallyAdmin(ReadOnlyAdmin):
    list_display = ["posting", "kind", "value"]
