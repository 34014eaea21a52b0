from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Status
from ninja.pagination import paginate

from cunshe.access.policy import grants_of
from cunshe.access.roles import Role
from cunshe.accounts.models import ApiToken, Department, RoleAssignment, User
from cunshe.accounts.permissions import account_policy, department_policy, role_assignment_policy
from cunshe.accounts.selectors import acting_user
from cunshe.accounts.services import (
    account_open,
    account_set_active,
    password_change,
    password_reset,
    role_assign,
    role_revoke,
    token_expiry,
    token_issue,
    token_revoke,
)
from cunshe.core.errors import DomainError
from cunshe.core.paging import Paged
from cunshe.core.schema import ModelOut, Schema

router = Router(tags=["账号"])


class Credentials(Schema):
    username: str
    password: str
    name: str = ""


class TokenOut(Schema):
    token: str
    prefix: str
    created_at: datetime
    expires_at: datetime = Field(description="到期时间：此后令牌失效，须重新获取")


class PasswordIn(Schema):
    username: str
    old_password: str
    new_password: str


class GrantOut(Schema):
    role: str
    role_label: str
    region: str
    department_id: int | None


class MeOut(Schema):
    username: str
    display_name: str
    grants: list[GrantOut]


class Message(Schema):
    message: str


@router.post(
    "/token", auth=None, response={201: TokenOut}, url_name="auth_token_issue", summary="以用户名和密码获取令牌"
)
def issue(request: HttpRequest, credentials: Credentials) -> Status:
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if user is None:
        raise DomainError("用户名或密码错误。", {"password": ["用户名或密码错误。"]})
    token, raw = token_issue(user=user, name=credentials.name)
    return Status(
        201, {"token": raw, "prefix": token.prefix, "created_at": token.created_at, "expires_at": token_expiry(token)}
    )


@router.post(
    "/password",
    auth=None,
    response={200: Message},
    url_name="auth_password_change",
    summary="修改密码（初始密码须先修改，才能获取令牌）",
)
def change_password(request: HttpRequest, payload: PasswordIn) -> dict[str, str]:
    if payload.new_password == payload.old_password:
        raise DomainError("新密码不能与原密码相同。", {"new_password": ["新密码不能与原密码相同。"]})
    user = authenticate(request, username=payload.username, password=payload.old_password)
    if user is None:
        raise DomainError("用户名或原密码错误。", {"old_password": ["用户名或原密码错误。"]})
    password_change(user=user, new_password=payload.new_password)
    return {"message": "密码已修改，现在可以获取令牌。"}


@router.delete("/token", response={200: Message}, url_name="auth_token_revoke", summary="作废当前令牌")
def revoke(request: HttpRequest) -> dict[str, str]:
    # The token that authenticated this request (TokenAuth keeps it): the header's scheme may be any case.
    token: ApiToken = request.api_token  # type: ignore[attr-defined]
    token_revoke(user=acting_user(request), token=token)
    return {"message": "令牌已作废。"}


@router.get("/me", response=MeOut, url_name="auth_me", summary="当前账号与角色")
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    return {
        "username": user.get_username(),
        "display_name": getattr(user, "display_name", ""),
        "grants": [
            {
                "role": g.role,
                "role_label": Role(g.role).label,
                "region": g.region_code,
                "department_id": g.department_id,
            }
            for g in grants_of(user)
        ],
    }


# Account management (the county organizer's pages under /accounts/manage/) -------------------------------------------

manage_router = Router(tags=["账号管理"])


class AssignmentOut(ModelOut):
    role_label: str = Field(validation_alias="get_role_display", description="角色名称")

    class Meta:
        model = RoleAssignment
        fields = ("id", "role", "role_label", "region", ("region_name", "region__name"), "department_id", "is_active")


class AccountOut(ModelOut):
    assignments: list[AssignmentOut] = Field(validation_alias="role_assignments", description="角色分配，有效的在前")

    class Meta:
        model = User
        fields = ("id", "username", "display_name", "home_region", "is_active", "must_change_password", "assignments")


class AccountIn(Schema):
    username: str
    display_name: str
    region: str = Field(description="账号所属区划代码，也是首个角色的区划")
    role: str
    department_id: int | None = Field(default=None, description="联审单位审查员所属单位")


class AssignmentIn(Schema):
    role: str
    region: str
    department_id: int | None = None


class OpenedOut(Schema):
    account: AccountOut
    password: str = Field(description="初始密码，只显示这一次；首次登录须修改")


class ActiveIn(Schema):
    active: bool


class PasswordOut(Schema):
    password: str = Field(description="新的初始密码，只显示这一次；登录锁定同时解除")


def _manager(request: HttpRequest) -> Any:
    """Someone who manages accounts somewhere; anyone else finds no such thing (as the pages answer)."""
    if not account_policy.anywhere(request.user, "view"):
        raise Http404("未找到该页面。")
    return acting_user(request)


def _accounts() -> QuerySet[User]:
    assignments = RoleAssignment.objects.select_related("region").order_by("-is_active", "region_id", "pk")
    return User.objects.prefetch_related(Prefetch("role_assignments", queryset=assignments))


def _account(request: HttpRequest, account_id: int) -> User:
    return account_policy.get_or_404(_manager(request), queryset=_accounts(), pk=account_id)


def _department(manager: Any, department_id: int | None) -> Department | None:
    if department_id is None:
        return None
    found = department_policy.visible_to(manager, "change").filter(pk=department_id).first()
    if found is None:
        raise DomainError("未找到该联审单位。", {"department_id": ["未找到该联审单位。"]})
    return found


@manage_router.get("", response=list[AccountOut], url_name="api_accounts_list", summary="本县(市、区)的账号")
@paginate(Paged)
def accounts_list(request: HttpRequest) -> QuerySet[User]:
    manager = _manager(request)
    accounts = _accounts().filter(pk__in=account_policy.visible_to(manager).values("pk"))
    return accounts.order_by("home_region_id", "username")


@manage_router.post(
    "", response={201: OpenedOut}, url_name="api_accounts_open", summary="新建账号并分配首个角色（返回初始密码）"
)
def accounts_open(request: HttpRequest, payload: AccountIn) -> Status:
    manager = _manager(request)
    user, password = account_open(
        actor=manager,
        username=payload.username,
        display_name=payload.display_name,
        region_code=payload.region,
        role=payload.role,
        department=_department(manager, payload.department_id),
    )
    return Status(201, {"account": _accounts().get(pk=user.pk), "password": password})


@manage_router.get("/{account_id}", response=AccountOut, url_name="api_accounts_detail", summary="账号与角色")
def accounts_detail(request: HttpRequest, account_id: int) -> User:
    return _account(request, account_id)


@manage_router.post(
    "/{account_id}/roles", response={201: AccountOut}, url_name="api_accounts_assign", summary="分配角色"
)
def accounts_assign(request: HttpRequest, account_id: int, payload: AssignmentIn) -> Status:
    account = _account(request, account_id)
    manager = acting_user(request)
    role_assign(
        actor=manager,
        user=account,
        role=payload.role,
        region_code=payload.region.strip(),
        department=_department(manager, payload.department_id),
    )
    return Status(201, _accounts().get(pk=account.pk))


@manage_router.delete(
    "/{account_id}/roles/{assignment_id}",
    response=AccountOut,
    url_name="api_accounts_revoke",
    summary="撤销角色（保留为历史）",
)
def accounts_revoke(request: HttpRequest, account_id: int, assignment_id: int) -> User:
    account = _account(request, account_id)
    manager = acting_user(request)
    assignment = role_assignment_policy.get_or_404(manager, queryset=account.role_assignments.all(), pk=assignment_id)
    role_revoke(actor=manager, assignment=assignment)
    return _accounts().get(pk=account.pk)


@manage_router.post(
    "/{account_id}/password-reset",
    response=PasswordOut,
    url_name="api_accounts_password_reset",
    summary="重置为新的初始密码并解除登录锁定",
)
def accounts_password_reset(request: HttpRequest, account_id: int) -> dict[str, str]:
    account = _account(request, account_id)
    return {"password": password_reset(actor=acting_user(request), user=account)}


@manage_router.post(
    "/{account_id}/active", response=AccountOut, url_name="api_accounts_active", summary="启用或停用账号（账号不删除）"
)
def accounts_active(request: HttpRequest, account_id: int, payload: ActiveIn) -> User:
    account = _account(request, account_id)
    account_set_active(actor=acting_user(request), user=account, active=payload.active)
    return _accounts().get(pk=account.pk)
