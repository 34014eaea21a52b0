"""What a locked-out login gets (django-axes calls this): JSON for the API, the Chinese page for the web; and the
limit per client address across usernames, which django-axes does not count apart from the per-account one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

MESSAGE = "连续多次密码错误，账号已暂时锁定，请 30 分钟后再试或联系县委组织部管理员解锁。"
ADDRESS_MESSAGE = "本机所在网络连续多次登录失败，已暂时禁止从这里登录，请 30 分钟后再试或联系县委组织部管理员。"


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    message = ADDRESS_MESSAGE if getattr(request, "cunshe_address_locked", False) else MESSAGE
    if request.path.startswith("/api/"):
        return JsonResponse({"message": message, "errors": {}}, status=429, json_dumps_params={"ensure_ascii": False})
    return render(request, "accounts/locked.html", {"message": message}, status=429)


def address_failures(address: str) -> int:
    since = timezone.now() - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    rows = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    return rows.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressLimitBackend:
    """First of the backends: refuses every login from an address that failed CUNSHE_ADDRESS_FAILURE_LIMIT times
    within the cool-off time, whatever the usernames (django-axes counts per username and address, so one address
    could try a password on every account). Not a BaseBackend: without get_user it is never the backend a session
    is bound to. It marks the request as django-axes does, so the same lockout answer
    (page or JSON) follows, naming the address rather than the account."""

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kw: Any) -> None:
        if request is None:
            return None
        address = get_client_ip_address(request)
        if address and address_failures(address) >= settings.CUNSHE_ADDRESS_FAILURE_LIMIT:
            request.axes_locked_out = True
            request.cunshe_address_locked = True
            raise AxesBackendPermissionDenied(ADDRESS_MESSAGE)
        return None
