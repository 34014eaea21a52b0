"""Who sees what in the joint review.

County organizers, town officers and supervisors reach rounds, batches and candidates by region, like everything
else. Reviewers do not: a reviewer reaches a batch only through their own department's part of it, once released,
so another department's answers or a batch not released to them do not exist for them (404)."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cunshe.access.policy import RegionPolicy, grants_of
from cunshe.access.roles import roles_with
from cunshe.accounts.models import Department
from cunshe.core.actors import is_system
from cunshe.reviews.models import BatchStatus, Candidate, DepartmentHead, DepartmentReview, ReviewBatch, ReviewRound

round_policy = RegionPolicy(
    ReviewRound,
    region_path="county",
    actions={
        "view": "reviews.view",
        "submit": "reviews.submit",
        "manage": "reviews.manage",
        "export": "reviews.export",
    },
    # A county's round is where its towns submit; changing it stays with the county.
    seen_from_below=("view", "submit"),
)
batch_policy = RegionPolicy(
    ReviewBatch,
    region_path="town",
    actions={
        "view": "reviews.view",
        "submit": "reviews.submit",
        "manage": "reviews.manage",
        "view_reasons": "reviews.view_reasons",
    },
)
candidate_policy = RegionPolicy(
    Candidate,
    region_path="batch__town",
    actions={"view": "reviews.view", "manage": "reviews.manage", "view_reasons": "reviews.view_reasons"},
)
department_review_policy = RegionPolicy(
    DepartmentReview,
    region_path="batch__town",
    actions={"view": "reviews.view", "manage": "reviews.manage"},
)
department_head_policy = RegionPolicy(
    DepartmentHead, region_path="county", actions={"view": "reviews.manage", "manage": "reviews.manage"}
)


class ReviewerPolicy(RegionPolicy[DepartmentReview]):
    """The region rule plus the department rule: a reviewer's grant names one department, and only that
    department's released parts of batches under the grant's region are in scope."""

    def _grants(self, user: Any, action: str) -> list[tuple[str, int]]:
        allowed = roles_with(self.capability(action))
        return [
            (g.region_code, g.department_id)
            for g in grants_of(user)
            if g.role in allowed and g.department_id is not None
        ]

    def visible_to(
        self, user: Any, action: str = "view", queryset: QuerySet[DepartmentReview] | None = None
    ) -> QuerySet[DepartmentReview]:
        qs = queryset if queryset is not None else DepartmentReview.objects.all()
        grants = self._grants(user, action)
        if not grants:
            return qs.none()
        condition = reduce(or_, (Q(batch__town__startswith=code, department_id=dept) for code, dept in grants))
        return qs.filter(condition).exclude(batch__status=BatchStatus.SUBMITTED)

    def can(self, user: Any, action: str, obj: DepartmentReview) -> bool:
        if is_system(user):  # the explicit system actor passes, as with every policy
            return True
        if obj.batch.status == BatchStatus.SUBMITTED:
            return False
        town = obj.batch.town_id
        return any(town.startswith(code) and obj.department_id == dept for code, dept in self._grants(user, action))

    def check(self, user: Any, action: str, obj: DepartmentReview, *, message: str = "") -> None:
        # A department sees only its own reviews: anything else does not exist for it, whatever the action.
        if not self.can(user, action, obj):
            raise Http404("未找到该记录。")

    def departments_of(self, user: Any) -> list[int]:
        return sorted({dept for _, dept in self._grants(user, "view")})


reviewer_policy = ReviewerPolicy(
    DepartmentReview,
    region_path="batch__town",
    actions={"view": "reviews.answer", "answer": "reviews.answer"},
)


def department_or_404(user: Any, pk: int) -> Department:
    """A reviewing department of a county whose departments the user keeps; anyone else finds none."""
    department = Department.objects.filter(pk=pk).first()
    if department is None or not department_head_policy.can_in_region(user, "manage", department.county_id):
        raise Http404("未找到该单位。")
    return department
