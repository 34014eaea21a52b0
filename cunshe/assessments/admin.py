from django.contrib import admin

from cunshe.assessments.models import AssessmentWeights, MemberResult, TrustAssessment, VillageSummary
from cunshe.core.admin import ReadOnlyAdmin


@admin.register(AssessmentWeights)
class AssessmentWeightsAdmin(ReadOnlyAdmin):
    list_display = ["county", "effective_from", "party_weight", "representative_weight", "satisfaction_weight"]


@admin.register(TrustAssessment)
class TrustAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["region", "term_change", "held_on", "status"]
    list_filter = ["status"]


@admin.register(MemberResult)
class MemberResultAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "member", "combined", "flagged"]


@admin.register(VillageSummary)
class VillageSummaryAdmin(ReadOnlyAdmin):
    list_display = ["region", "term_change", "assessed", "members", "flagged"]
