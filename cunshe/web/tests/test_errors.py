"""The 403 page says why, when the refusal gave a reason (a service's NotPermitted message, a count clerk who stands
in the election), and the API keeps its JSON shape."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from cunshe.web.errors import permission_denied


def test_the_403_page_shows_the_reason_it_was_given(db: Any) -> None:
    request = RequestFactory().get("/counts/sheets/1/")
    request.user = AnonymousUser()
    page = permission_denied(request, PermissionDenied("您是本次选举的候选人，不能录入计票结果。")).content.decode()
    assert "无权访问（403）" in page and "您是本次选举的候选人，不能录入计票结果。" in page
    plain = permission_denied(request, PermissionDenied()).content.decode()
    assert "无权访问（403）" in plain and 'class="muted"' not in plain.split("无权访问（403）")[1].split("返回首页")[0]


def test_the_api_403_stays_json(db: Any) -> None:
    request = RequestFactory().get("/api/v1/counts/sheets/1")
    answer = permission_denied(request, PermissionDenied("任意原因"))
    assert answer.status_code == 403 and json.loads(answer.content)["message"] == "您的角色无权执行此操作。"
