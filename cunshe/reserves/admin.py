from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.reserves.models import CandidateEntry, ReserveCadre


@admin.register(ReserveCadre)
class ReserveCadreAdmin(ReadOnlyAdmin):
    list_display = ["person", "region", "source", "stage", "added_on"]
    list_filter = ["stage", "source"]


@admin.register(CandidateEntry)
class CandidateEntryAdmin(ReadOnlyAdmin):
    list_display = ["person", "region", "origin", "added_on"]
