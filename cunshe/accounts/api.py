from datetime import datetime

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Field, Router, Status

from cunshe.access.policy import grants_of
from cunshe.access.roles import Role
from cunshe.accounts.models import ApiToken
from cunshe.accounts.selectors import acting_user
from cunshe.accounts.services import password_change, token_expiry, token_issue, token_revoke
from cunshe.core.errors import DomainError
from cunshe.core.schema import Schema

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
