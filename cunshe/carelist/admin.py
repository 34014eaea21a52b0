from django.contrib import admin

from cunshe.carelist.models import CareMonth, CareVisit, Household
from cunshe.core.admin import ReadOnlyAdmin


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "listed_on", "removed_on"]


@admin.register(CareMonth)
class CareMonthAdmin(ReadOnlyAdmin):
    list_display = ["household", "month", "done_on", "solved"]


@admin.register(CareVisit)
class CareVisitAdmin(ReadOnlyAdmin):
    list_display = ["household", "visited_on", "visitors"]
