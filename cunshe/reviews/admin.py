from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.reviews.models import (
    Answer,
    Candidate,
    CandidateView,
    DepartmentHead,
    DepartmentReview,
    ReviewBatch,
    ReviewRound,
)


@admin.register(ReviewRound)
class ReviewRoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "county", "opened_on"]


@admin.register(ReviewBatch)
class ReviewBatchAdmin(ReadOnlyAdmin):
    list_display = ["title", "town", "status", "candidate_count", "signed_count", "department_count", "due_at"]


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ["name", "batch", "village", "result", "decision"]


@admin.register(DepartmentReview)
class DepartmentReviewAdmin(ReadOnlyAdmin):
    list_display = ["batch", "department", "status", "answered_count", "signed_at"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["candidate", "department_review", "verdict", "rule", "answered_at"]


@admin.register(DepartmentHead)
class DepartmentHeadAdmin(ReadOnlyAdmin):
    list_display = ["department", "user"]


@admin.register(CandidateView)
class CandidateViewAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "candidate", "department", "channel"]
