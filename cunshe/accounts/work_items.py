"""The accounts module's to-do: an account still on the first password it was handed must change it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cunshe.deadlines.work_items import WorkItem


def first_password_items(user: Any) -> list[WorkItem]:
    if not getattr(user, "must_change_password", False):
        return []
    return [WorkItem(module="accounts", title="请修改初始密码", url=reverse("accounts:password_change"))]
