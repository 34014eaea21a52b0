from django.contrib import admin

from cunshe.commitments.models import Commitment, CountyRules, Finding, Inspection, TargetLetter, VillageSummary
from cunshe.core.admin import ReadOnlyAdmin


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ["ledger_no", "region", "kind", "category", "title", "deadline", "status"]
    list_filter = ["kind", "status", "is_showcase"]
    search_fields = ["ledger_no", "title"]


@admin.register(VillageSummary)
class VillageSummaryAdmin(ReadOnlyAdmin):
    list_display = ["region", "kind", "category", "total", "done", "overdue"]


@admin.register(CountyRules)
class CountyRulesAdmin(ReadOnlyAdmin):
    list_display = ["county", "min_per_village", "max_per_village"]


@admin.register(TargetLetter)
class TargetLetterAdmin(ReadOnlyAdmin):
    list_display = ["region", "year", "signed_on"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "county", "mode", "amount", "seed", "drawn_on"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["region", "description", "rectify_by", "rectified_on"]
