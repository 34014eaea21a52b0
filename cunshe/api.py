"""The JSON API under /api/v1 (django-ninja). Each app contributes a router from its api.py; all share the
services and the access rule with the pages. Errors are JSON: {"message": 中文说明, "errors": {字段: [说明]}}."""

from __future__ import annotations

import logging
from typing import Any

from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from cunshe.accounts.services import FirstPasswordNotChanged, token_active
from cunshe.core.errors import DomainError, validation_messages

logger = logging.getLogger("django.request")


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_active(token)
        if found is None:
            return None
        if found.user.must_change_password:  # a first password reset by an administrator: change it first
            raise FirstPasswordNotChanged()
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]  # what DELETE /auth/token revokes
        return found.user


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON: Chinese text stays readable in responses and logs instead of \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "description": "所有错误的统一格式：中文说明，及按字段列出的问题（字段名 → 说明列表）。",
    "properties": {
        "message": {"type": "string", "description": "中文说明，可直接展示给用户"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["message", "errors"],
}

_READ_ERRORS = {
    401: "未登录或令牌无效",
    404: "未找到该记录，或不在您负责的区域内",
    422: "请求数据格式有误（逐字段说明）",
}
_WRITE_ERRORS = {
    400: "违反业务规则，未保存（逐字段说明）",
    403: "记录可见，但您的角色无权执行此操作",
    409: "该记录已被他人修改，或当前状态不允许此操作；未保存",
}


class CunsheAPI(NinjaAPI):
    """The OpenAPI document also lists the error answers every operation can give, in the one JSON shape the
    exception handlers below produce, so a client written from the document handles them."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                errors = dict(_READ_ERRORS)
                if not operation.get("security"):
                    del errors[401]
                if "{" not in path:
                    del errors[404]
                if method != "get":
                    errors |= _WRITE_ERRORS
                responses = operation.setdefault("responses", {})
                for status, description in errors.items():
                    # ninja keys its own responses by int; a str key would print the same status twice
                    responses.setdefault(status, {"description": description, "content": ref})
        return schema


api = CunsheAPI(
    renderer=ChineseJSONRenderer(),
    title="村社 cunshe API",
    version="1",
    description="村(社区)两委工作平台接口。认证：先 POST /api/v1/auth/token 取得令牌，再以 `Authorization: Bearer <令牌>` 调用。",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,  # the interactive docs load assets from a CDN; the OpenAPI document is at /api/v1/openapi.json
)


def error(request: HttpRequest, status: int, message: str, errors: dict[str, list[str]] | None = None) -> HttpResponse:
    return api.create_response(request, {"message": message, "errors": errors or {}}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error(request, exc.status_code, exc.message, exc.field_errors)


@api.exception_handler(DjangoValidationError)
def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    message, fields = validation_messages(exc)
    return error(request, 400, message, fields)


_PYDANTIC_MESSAGES = {
    "missing": "必填",
    "string_too_short": "太短",
    "string_too_long": "太长",
    "int_parsing": "应为整数",
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
    "date_parsing": "应为日期 YYYY-MM-DD",
    "bool_parsing": "应为 true 或 false",
    "json_invalid": "不是有效的 JSON",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "string_type": "应为文本",
    "int_from_float": "应为整数",
    "int_parsing_size": "数字超出范围",
    "float_parsing": "应为数字",
    "date_type": "应为日期 YYYY-MM-DD",
    "datetime_parsing": "应为日期时间，如 2026-12-05T09:30:00",
    "datetime_type": "应为日期时间，如 2026-12-05T09:30:00",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "bool_type": "应为 true 或 false",
    "int_type": "应为整数",
    "string_pattern_mismatch": "格式不正确",
    "value_error": "取值不正确",
}

# Messages that name the bound a value broke (the ctx pydantic gives with the error).
_BOUND_MESSAGES = {
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "须大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "须小于 {lt}",
    "too_long": "最多 {max_length} 项",
    "too_short": "至少 {min_length} 项",
}


def _message(item: dict[str, Any]) -> str:
    kind = item.get("type", "")
    if kind in _BOUND_MESSAGES:
        try:
            return _BOUND_MESSAGES[kind].format(**(item.get("ctx") or {}))
        except (KeyError, IndexError):
            pass
    return _PYDANTIC_MESSAGES.get(kind, "格式不正确")


@api.exception_handler(NinjaValidationError)
def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(p) for p in item.get("loc", []) if p not in ("body", "payload", "query", "path")]
        name = ".".join(loc) or "请求"
        fields.setdefault(name, []).append(_message(item))
    first = next(iter(fields.items()), ("请求", ["格式不正确"]))
    return error(request, 422, f"请求数据有误：{first[0]} {first[1][0]}。", fields)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "未找到该记录，或不在您负责的区域内。")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, "未登录或令牌无效，请先获取令牌。")


@api.exception_handler(AxesBackendPermissionDenied)
def on_locked(request: HttpRequest, exc: Exception) -> HttpResponse:
    # django-axes also marks the request; its middleware then answers with cunshe.accounts.lockout (same JSON).
    from cunshe.accounts.lockout import MESSAGE

    return error(request, 429, MESSAGE)


@api.exception_handler(OverflowError)
def on_overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # A number larger than the database takes (an id of 1e31): no record has it, and it is not a valid value.
    return error(request, 422, "请求数据有误：数字超出范围。", {"请求": ["数字超出范围"]})


@api.exception_handler(MultiPartParserError)
def on_bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return error(
        request,
        400,
        "上传的文件格式有误：请以 multipart/form-data（带 boundary）上传。",
        {"file": ["无法读取上传内容"]},
    )


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return error(request, 413, f"请求内容超过 {limit} MB，未处理。")


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return error(request, 400, "请求格式有误，无法处理。")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(request, 403, "您的角色无权执行此操作。")


@api.exception_handler(Exception)
def on_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything else is a fault of the server: logged with its traceback as Django logs one, answered in the API's
    shape (ninja re-raises to Django's HTML page when DEBUG is off, and shows a traceback when it is on)."""
    logger.error("Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500})
    return error(request, 500, "服务器内部错误，已记录。请稍后重试；如仍出错请联系管理员。")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, str(exc))


def _routers() -> None:
    from cunshe.accounts.api import manage_router as account_manage_router
    from cunshe.accounts.api import router as accounts_router
    from cunshe.annuallists.api import router as annuallists_router
    from cunshe.appraisals.api import router as appraisals_router
    from cunshe.assessments.api import router as assessments_router
    from cunshe.breakthroughs.api import router as breakthroughs_router
    from cunshe.candidates.api import router as candidates_router
    from cunshe.carelist.api import router as carelist_router
    from cunshe.command.api import router as command_router
    from cunshe.commitments.api import router as commitments_router
    from cunshe.counts.api import router as counts_router
    from cunshe.dailychecks.api import router as dailychecks_router
    from cunshe.deadlines.api import router as deadlines_router
    from cunshe.decisions.api import router as decisions_router
    from cunshe.directory.api import router as directory_router
    from cunshe.disclosures.api import router as disclosures_router
    from cunshe.education.api import router as education_router
    from cunshe.elections.api import router as elections_router
    from cunshe.elections.tally_api import router as tally_router
    from cunshe.eligibility.api import router as eligibility_router
    from cunshe.firstsecretaries.api import router as firstsecretaries_router
    from cunshe.firstyear.api import router as firstyear_router
    from cunshe.handovers.api import router as handovers_router
    from cunshe.investigations.api import router as investigations_router
    from cunshe.issueboard.api import router as issueboard_router
    from cunshe.liaison.api import router as liaison_router
    from cunshe.negativelist.api import router as negativelist_router
    from cunshe.notifications.api import router as notifications_router
    from cunshe.partywork.api import router as partywork_router
    from cunshe.people.api import router as people_router
    from cunshe.points.api import router as points_router
    from cunshe.polling.api import router as polling_router
    from cunshe.readiness.api import router as readiness_router
    from cunshe.records.api import router as records_router
    from cunshe.regions.api import router as regions_router
    from cunshe.requests.api import router as requests_router
    from cunshe.reserves.api import router as reserves_router
    from cunshe.results.api import router as results_router
    from cunshe.reviews.api import router as reviews_router
    from cunshe.serviceteams.api import router as serviceteams_router
    from cunshe.surveys.api import router as surveys_router
    from cunshe.talks.api import router as talks_router
    from cunshe.teams.api import router as teams_router
    from cunshe.termchanges.api import router as termchanges_router
    from cunshe.trainings.api import router as trainings_router
    from cunshe.visits.api import router as visits_router
    from cunshe.volunteers.api import router as volunteers_router
    from cunshe.voters.api import router as voters_router

    api.add_router("/auth", accounts_router)
    api.add_router("/accounts", account_manage_router)
    api.add_router("/regions", regions_router)
    api.add_router("/people", people_router)
    api.add_router("/teams", teams_router)
    api.add_router("/termchanges", termchanges_router)
    api.add_router("/eligibility", eligibility_router)
    api.add_router("/handovers", handovers_router)
    api.add_router("/commitments", commitments_router)
    api.add_router("/command", command_router)
    api.add_router("/assessments", assessments_router)
    api.add_router("/reserves", reserves_router)
    api.add_router("/negativelist", negativelist_router)
    api.add_router("/records", records_router)
    api.add_router("/reviews", reviews_router)
    api.add_router("/deadlines", deadlines_router)
    api.add_router("/visits", visits_router)
    api.add_router("/issueboard", issueboard_router)
    api.add_router("/readiness", readiness_router)
    # The stateless count first: the elections router's /{election_id} would otherwise take /tally-check.
    api.add_router("/elections", tally_router)
    api.add_router("/elections", elections_router)
    api.add_router("/counts", counts_router)
    api.add_router("/results", results_router)
    api.add_router("/voters", voters_router)
    api.add_router("/candidates", candidates_router)
    api.add_router("/polling", polling_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/firstyear", firstyear_router)
    api.add_router("/trainings", trainings_router)
    api.add_router("/decisions", decisions_router)
    api.add_router("/disclosures", disclosures_router)
    api.add_router("/partywork", partywork_router)
    api.add_router("/surveys", surveys_router)
    api.add_router("/serviceteams", serviceteams_router)
    api.add_router("/volunteers", volunteers_router)
    api.add_router("/points", points_router)
    api.add_router("/carelist", carelist_router)
    api.add_router("/annuallists", annuallists_router)
    api.add_router("/breakthroughs", breakthroughs_router)
    api.add_router("/education", education_router)
    api.add_router("/firstsecretaries", firstsecretaries_router)
    api.add_router("/liaison", liaison_router)
    api.add_router("/talks", talks_router)
    api.add_router("/directory", directory_router)
    api.add_router("/requests", requests_router)
    api.add_router("/appraisals", appraisals_router)
    api.add_router("/investigations", investigations_router)
    api.add_router("/dailychecks", dailychecks_router)


_routers()
