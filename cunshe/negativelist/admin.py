from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.negativelist.models import NegativeEntry


@admin.register(NegativeEntry)
class NegativeEntryAdmin(ReadOnlyAdmin):
    list_display = ["person", "region", "rule", "source", "found_on", "state"]
    list_filter = ["state", "source"]
