from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.issueboard.models import Issue, IssueTally


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "source", "owner", "due_on", "status", "closed_on"]
    list_filter = ["status", "source"]


@admin.register(IssueTally)
class IssueTallyAdmin(ReadOnlyAdmin):
    list_display = ["region", "open", "closed", "is_difficult"]
