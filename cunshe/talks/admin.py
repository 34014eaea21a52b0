from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.talks.models import FollowUp, MonthTally, Talk


@admin.register(Talk)
class TalkAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "village", "talker", "secretary"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["talk", "task", "owner", "due_on", "status"]


@admin.register(MonthTally)
class MonthTallyAdmin(ReadOnlyAdmin):
    list_display = ["town", "month", "talks"]
