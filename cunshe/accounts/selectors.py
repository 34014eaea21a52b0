from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from cunshe.accounts.models import User


def acting_user(request: HttpRequest) -> User:
    """The signed-in account behind a request, for services that need one (views are already login-protected)."""
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied("请先登录。")
    return user
