from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.eligibility.models import ExclusionRule


@admin.register(ExclusionRule)
class ExclusionRuleAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "county", "lookback_years", "department", "effective_from", "effective_until"]
