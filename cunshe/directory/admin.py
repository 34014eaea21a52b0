from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.directory.models import Entry


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["region", "name", "post", "office_phone", "published"]
