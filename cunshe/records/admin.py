from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.records.models import RecordEntry


@admin.register(RecordEntry)
class RecordEntryAdmin(ReadOnlyAdmin):
    list_display = ["chain", "seq", "at", "actor_name", "module", "event", "summary"]
    list_filter = ["module"]
