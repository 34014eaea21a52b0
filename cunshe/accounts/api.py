from datetime import datetime

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Status

from cunshe.access.policy import grants_of
from cunshe.access.roles import Role
from cunshe.accounts.models import ApiToken
from cunshe.accounts.selectors import acting_user
from cunshe.accounts.services import token_issue, token_revoke
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
    return Status(201, {"token": raw, "prefix": token.prefix, "created_at": token.created_at})


@router.delete("/token", response={200: Message}, url_name="auth_token_revoke", summary="作废当前令牌")
def revoke(request: HttpRequest) -> dict[str, str]:
    raw = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(raw))
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
