from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.regions.models import Region


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "kind"]
    search_fields = ["code", "name"]
    list_filter = ["level", "kind"]
