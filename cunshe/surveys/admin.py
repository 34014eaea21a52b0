from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.surveys.models import Holder, Run, Survey, TextAnswer


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["title", "number", "region", "purpose", "status", "year"]


@admin.register(Run)
class RunAdmin(ReadOnlyAdmin):
    list_display = ["survey", "village", "papers", "responses"]


@admin.register(TextAnswer)
class TextAnswerAdmin(ReadOnlyAdmin):
    list_display = ["survey", "village", "text", "issue"]


@admin.register(Holder)
class HolderAdmin(ReadOnlyAdmin):
    list_display = ["village", "post", "person", "since", "until"]
