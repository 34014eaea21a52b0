from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.trainings.models import Attendance, Course, FollowUp, Session, VillageTally


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "provider", "created_at"]


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["course", "held_on", "place"]
    exclude = ["code"]  # the sign-in code stays on the poster


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["session", "person", "village", "status", "method"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["attendance", "written_on", "note"]


@admin.register(VillageTally)
class VillageTallyAdmin(ReadOnlyAdmin):
    list_display = ["village", "course", "due", "present"]
