"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) over the same categories and requests:

- GET  services.{json,xml}                 the categories in force (service_code = the category's code);
- GET  requests.{json,xml}                 published requests (service_request_id, status, start/end_date,
                                           service_code filters; at most 90 days and 1,000 rows);
- GET  requests/{id}.{json,xml}            one published request;
- POST requests.{json,xml}                 file a request like the village's public page.

Choices where the spec leaves them to the jurisdiction: jurisdiction_id is the county's 6-digit code (optional when
one county is served); the village is `address_id`, its 12-digit statistical code (the "master address"
the request belongs to); the public sees only published requests and never a name or a phone (first_name,
last_name, email and phone of a POST are kept as the reporter's, never shown). api_key is optional, as the public
page needs no account either, and a POST without one is held to the public page's abuse guard; a key given must be
a valid cunshe API token (else 403), and lifts the per-client cap (a county's own hotline bridge)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from cunshe.accounts.models import ApiToken
from cunshe.core.errors import DomainError
from cunshe.regions.models import Level, Region
from cunshe.requests import selectors
from cunshe.requests.models import OPEN_STATUSES, Channel, Request, Status
from cunshe.requests.public import client_address
from cunshe.requests.services import client_key_of, request_submit_public

MAX_ROWS = 1000
MAX_SPAN = timedelta(days=90)


def _w3c(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _answer(fmt: str, rows: list[dict[str, Any]], *, root: str, item: str, status: int = 200) -> HttpResponse:
    if fmt == "json":
        return JsonResponse(rows, safe=False, status=status, json_dumps_params={"ensure_ascii": False})
    top = ET.Element(root)
    for row in rows:
        element = ET.SubElement(top, item)
        for key, value in row.items():
            child = ET.SubElement(element, key)
            child.text = "" if value is None else (str(value).lower() if isinstance(value, bool) else str(value))
    body = ET.tostring(top, encoding="unicode", xml_declaration=False)
    return HttpResponse(
        f'<?xml version="1.0" encoding="utf-8"?>\n{body}', content_type="text/xml; charset=utf-8", status=status
    )


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _answer(fmt, [{"code": status, "description": description}], root="errors", item="error", status=status)


def _county(request: HttpRequest, fmt: str) -> tuple[str, HttpResponse | None]:
    code = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or ""
    if not code:
        return "", None
    if not Region.objects.filter(code=code, level=Level.COUNTY).exists():
        return "", _error(fmt, 404, "jurisdiction_id 无效：应为县(市、区)的 6 位代码。")
    return code, None


@require_GET
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    county, refused = _county(request, fmt)
    if refused:
        return refused
    today = timezone.localdate()
    from cunshe.requests.models import Category

    rows = (
        Category.objects.filter(valid_from__lte=today)
        .exclude(valid_to__lt=today)
        .select_related("department")
        .order_by("county", "code")
    )
    if county:
        rows = rows.filter(county_id=county)
    return _answer(
        fmt,
        [
            {
                "service_code": c.code,
                "service_name": c.name,
                "description": c.description,
                "metadata": False,
                "type": "realtime",
                "keywords": c.get_tier_display(),
                "group": c.get_route_display(),
            }
            for c in rows
        ],
        root="services",
        item="service",
    )


def _published(county: str) -> QuerySet[Request]:
    return (
        selectors.public_requests(county)
        .select_related("department")
        .annotate(updated=Max("events__at"))
        .order_by("-submitted_at", "-id")
    )


def _row(r: Any) -> dict[str, Any]:
    status = "open" if r.status in OPEN_STATUSES else "closed"
    notes = r.closing_note if r.status == Status.CLOSED else ""
    if r.status == Status.MERGED and r.duplicate_of_id:
        notes = f"与 {r.duplicate_of_id} 重复，已合并办理"
    return {
        "service_request_id": r.pk,
        "status": status,
        "status_notes": notes,
        "service_name": r.category.name,
        "service_code": r.category.code,
        "description": r.description,
        "agency_responsible": r.department.name if r.department else r.region.name,
        "service_notice": f"{r.get_tier_display()}件，办理时限 {timezone.localtime(r.due_at):%Y-%m-%d %H:%M}",
        "requested_datetime": _w3c(r.submitted_at),
        "updated_datetime": _w3c(r.updated or r.submitted_at),
        "expected_datetime": _w3c(r.due_at),
        "address": r.address,
        "address_id": r.region_id,
        "zipcode": "",
        "lat": "" if r.lat is None else str(r.lat),
        "long": "" if r.long is None else str(r.long),
        "media_url": "",
    }


def _moment(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    county, refused = _county(request, fmt)
    if refused:
        return refused
    qs = _published(county)
    q = request.GET
    if q.get("service_request_id"):
        ids = [p.strip() for p in q["service_request_id"].split(",") if p.strip()]
        if not all(p.isdecimal() and len(p) < 12 for p in ids):  # isdigit() lets "²" through to int()
            return _error(fmt, 400, "service_request_id 应为逗号分隔的数字。")
        return _answer(
            fmt, [_row(r) for r in qs.filter(pk__in=ids)[:MAX_ROWS]], root="service_requests", item="request"
        )
    try:
        end = _moment(q["end_date"]) if q.get("end_date") else timezone.now()
        start = _moment(q["start_date"]) if q.get("start_date") else end - MAX_SPAN
    except ValueError:
        return _error(fmt, 400, "start_date / end_date 应为 W3C 时间，如 2026-11-20T00:00:00Z。")
    if end - start > MAX_SPAN:
        return _error(fmt, 400, "start_date 与 end_date 相隔不能超过 90 天。")
    qs = qs.filter(submitted_at__gte=start, submitted_at__lte=end)
    if q.get("service_code"):
        qs = qs.filter(category__code__in=[c.strip() for c in q["service_code"].split(",")])
    if q.get("status"):
        wanted = {s.strip() for s in q["status"].split(",")}
        if not wanted <= {"open", "closed"}:
            return _error(fmt, 400, "status 只能为 open 或 closed。")
        if wanted == {"open"}:
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif wanted == {"closed"}:
            qs = qs.exclude(status__in=OPEN_STATUSES)
    return _answer(fmt, [_row(r) for r in qs[:MAX_ROWS]], root="service_requests", item="request")


def _post(request: HttpRequest, fmt: str) -> HttpResponse:
    p = request.POST
    client = client_key_of(client_address(request))
    key = p.get("api_key", "")
    if key:
        token = ApiToken.objects.filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True).first()
        if token is None or not token.user.is_active:
            return _error(fmt, 403, "api_key 无效。")
        client = ""  # a known integration is not held to the per-client cap
    village = p.get("address_id", "")
    county, refused = _county(request, fmt)
    if refused:
        return refused
    if county and not village.startswith(county):
        return _error(fmt, 400, "address_id 不在 jurisdiction_id 所指的县内。")
    if not p.get("service_code"):
        return _error(fmt, 400, "缺少 service_code。")
    if not village:
        return _error(fmt, 400, "缺少 address_id：请填村(社区)的 12 位统计代码。")
    description = p.get("description", "")
    name = f"{p.get('last_name', '')}{p.get('first_name', '')}"
    try:
        created = request_submit_public(
            village_code=village,
            category_code=p["service_code"],
            title=description[:30] or "Open311 诉求",
            description=description,
            address=p.get("address_string", ""),
            reporter_name=name,
            reporter_phone=p.get("phone", ""),
            lat=p.get("lat") or None,
            long=p.get("long") or None,
            client_key=client,
            channel=Channel.OPEN311,
        )
    except DomainError as exc:
        return _error(fmt, 400, exc.text)
    return _answer(
        fmt,
        [
            {
                "service_request_id": created.pk,
                "service_notice": "已受理，请保存查询链接："
                + request.build_absolute_uri(reverse("requests_public:track", kwargs={"token": created.token})),
                "account_id": "",
            }
        ],
        root="service_requests",
        item="request",
        status=201,
    )


@csrf_exempt  # an API for other programs: no session, so no cross-site request to forge
@require_http_methods(["GET", "POST"])
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    return _post(request, fmt) if request.method == "POST" else _list(request, fmt)


@require_GET
def request_one(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    county, refused = _county(request, fmt)
    if refused:
        return refused
    found = _published(county).filter(pk=int(pk)).first() if pk.isdecimal() and len(pk) < 12 else None
    if found is None:
        return _error(fmt, 404, "未找到该诉求（或未公开）。")
    return _answer(fmt, [_row(found)], root="service_requests", item="request")
