"""Accounts, role assignments, departments and API tokens. `actor=SYSTEM` is the system (command line, demo)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cunshe.access.policy import forget_grants
from cunshe.access.roles import ROLE_LEVELS, Role
from cunshe.accounts.models import ApiToken, Department, RoleAssignment, User, shell_changed
from cunshe.accounts.permissions import account_policy, department_policy, role_assignment_policy
from cunshe.accounts.selectors import token_with_account
from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.records.services import changed_fields, record
from cunshe.regions.models import Level, Region


def _region(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise DomainError(f"区划 {code} 不存在。", {"region": ["区划不存在。"]})
    return region


@transaction.atomic
def department_create(*, actor: Actor, county_code: str, name: str) -> Department:
    county = _region(county_code)
    if county.level != Level.COUNTY:
        raise DomainError("联审单位须属于县级区划。", {"county": ["须为县级区划。"]})
    department_policy.check_in_region(actor, "change", county.code, missing="未找到该县。")
    name = name.strip()
    if not name:
        raise DomainError("请填写单位名称。", {"name": ["请填写单位名称。"]})
    department, created = Department.objects.get_or_create(county=county, name=name)
    if created:
        record(
            actor=actor,
            region_code=county.code,
            event="accounts.department_created",
            summary=f"新增联审单位 {name}",
            obj=department,
            after={"名称": name},
        )
    return department


def initial_password() -> str:
    """A random first password that passes the validators; shown once to the organizer who hands it over."""
    return "Cs-" + secrets.token_urlsafe(9)


@transaction.atomic
def department_update(
    *, actor: Actor, department: Department, name: str, is_active: bool, expected_version: int | None
) -> Department:
    """Rename a reviewing department or take it out of (and back into) the joint review; never deleted, since
    its past answers and signatures refer to it."""
    department_policy.check(actor, "change", department)
    name = name.strip()
    if not name:
        raise DomainError("请填写单位名称。", {"name": ["请填写单位名称。"]})
    if Department.objects.filter(county_id=department.county_id, name=name).exclude(pk=department.pk).exists():
        raise DomainError(f"本县已有联审单位“{name}”。", {"name": ["单位名称重复。"]})
    before = {"名称": department.name, "启用": "是" if department.is_active else "否"}
    bump_version(department, expected_version=expected_version)
    department.name, department.is_active = name, is_active
    department.save(update_fields=["name", "is_active"])
    after = {"名称": department.name, "启用": "是" if department.is_active else "否"}
    before, after = changed_fields(before, after)
    record(
        actor=actor,
        region_code=department.county_id,
        event="accounts.department_updated",
        summary=f"修改联审单位 {department.name}",
        obj=department,
        before=before,
        after=after,
    )
    return department


@transaction.atomic
def account_create(
    *,
    actor: Actor,
    username: str,
    display_name: str,
    password: str,
    region_code: str,
    must_change_password: bool = True,
    password_hash: str = "",
) -> User:
    """Create a login account registered at `region_code` (the creating organizer's county or below).

    `password_hash` is for code that creates many accounts with one password (the demo county): it hashes the
    password once with `make_password` and passes both, since each hash costs PBKDF2's deliberate ~0.4 s. The
    password is still checked against the rules, and the hash must be of that password."""
    _region(region_code)
    account_policy.check_region(actor, "change", region_code)
    username = username.strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = ["请填写用户名。"]
    elif User.objects.filter(username=username).exists():
        errors["username"] = ["该用户名已被使用。"]
    if not display_name.strip():
        errors["display_name"] = ["请填写姓名。"]
    try:
        validate_password(password, User(username=username, display_name=display_name))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise DomainError("账号信息有误，未保存。", errors)
    user = User.objects.create_user(
        username=username,
        password=None if password_hash else password,
        display_name=display_name.strip(),
        home_region_id=region_code,
        must_change_password=must_change_password,
    )
    if password_hash:
        user.password = password_hash
        user.save(update_fields=["password"])
    record(
        actor=actor,
        region_code=region_code,
        event="accounts.account_created",
        summary=f"创建账号 {user}",
        obj=user,
        after={"用户名": username, "姓名": user.display_name},
    )
    return user


@transaction.atomic
def role_assign(
    *, actor: Actor, user: User, role: str, region_code: str, department: Department | None = None
) -> RoleAssignment:
    region = _region(region_code)
    if role not in Role.values:
        raise DomainError(f"未知角色 {role}。", {"role": ["未知角色。"]})
    if region.level not in ROLE_LEVELS[role]:
        levels = "、".join(Level(lv).label for lv in ROLE_LEVELS[role])
        raise DomainError(f"{Role(role).label}只能分配在{levels}区划。", {"region": [f"须为{levels}区划。"]})
    if role == Role.REVIEWER:
        if department is None:
            raise DomainError("联审单位审查员须指定所属单位。", {"department": ["请选择联审单位。"]})
        if department.county_id != region.code[:6]:
            raise DomainError("所属联审单位不在该县。", {"department": ["单位不在该县。"]})
    elif department is not None:
        raise DomainError("只有联审单位审查员需要指定单位。", {"department": ["该角色无需单位。"]})
    role_assignment_policy.check_region(actor, "change", region.code)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, region=region, is_active=True, defaults={"department": department}
    )
    if created:
        record(
            actor=actor,
            region_code=region.code,
            event="accounts.role_assigned",
            summary=f"为 {user.display_name} 分配角色 {assignment.get_role_display()}（{region.name}）",
            obj=assignment,
            after={
                "账号": user.username,
                "角色": assignment.get_role_display(),
                "区域": region.code,
                "单位": department.name if department else "",
            },
        )
        shell_changed(user)
    forget_grants(user)
    return assignment


@transaction.atomic
def account_open(
    *, actor: Actor, username: str, display_name: str, region_code: str, role: str, department: Department | None
) -> tuple[User, str]:
    """A new account with its first role and a first password (returned once, to be handed over and changed at
    the first sign-in): together, because an account without a role could not sign in to anything."""
    password = initial_password()
    user = account_create(
        actor=actor, username=username, display_name=display_name, password=password, region_code=region_code.strip()
    )
    role_assign(actor=actor, user=user, role=role, region_code=region_code.strip(), department=department)
    return user, password


@transaction.atomic
def role_revoke(*, actor: Actor, assignment: RoleAssignment) -> RoleAssignment:
    role_assignment_policy.check(actor, "change", assignment)
    if not assignment.is_active:
        return assignment
    assignment.is_active = False
    assignment.save(update_fields=["is_active"])
    record(
        actor=actor,
        region_code=assignment.region_id,
        event="accounts.role_revoked",
        summary=f"撤销 {assignment.user.display_name} 的角色 {assignment.get_role_display()}",
        obj=assignment,
        before={"有效": "是"},
        after={"有效": "否"},
    )
    shell_changed(assignment.user)
    forget_grants(assignment.user)
    return assignment


def _home_region(user: User) -> str:
    return user.home_region_id or ""


@transaction.atomic
class FirstPasswordNotChanged(NotPermitted):
    """The account still has the one-time first password it was handed: nothing but changing it is allowed."""

    def __init__(self) -> None:
        super().__init__("请先修改初始密码：在网页登录后按提示修改，或调用 POST /api/v1/auth/password。")


def token_lifetime() -> timedelta:
    return timedelta(days=settings.CUNSHE_API_TOKEN_DAYS)


def token_expiry(token: ApiToken) -> datetime:
    return token.expires_at or token.created_at + token_lifetime()


def token_issue(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Issue an API token, valid for CUNSHE_API_TOKEN_DAYS. The raw key is returned once and never stored. An
    account still on its first password gets none: the password is changed first."""
    if user.must_change_password:
        raise FirstPasswordNotChanged()
    raw = "cs_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_hash=ApiToken.hash_key(raw),
        prefix=raw[:8],
        expires_at=timezone.now() + token_lifetime(),
    )
    record(
        actor=user,
        region_code=_home_region(user),
        event="accounts.token_issued",
        summary=f"{user.display_name} 申请接口令牌 {token.prefix}…",
        obj=token,
    )
    return token, raw


@transaction.atomic
def token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise DomainError("只能作废自己的令牌。")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            actor=user,
            region_code=_home_region(user),
            event="accounts.token_revoked",
            summary=f"{user.display_name} 作废接口令牌 {token.prefix}…",
            obj=token,
        )


def token_active(raw: str) -> ApiToken | None:
    """The token (with its user) if it is neither revoked nor expired and its account is active, else None; stamps
    the last use at most once a minute."""
    token = token_with_account(ApiToken.hash_key(raw))
    now = timezone.now()
    if token is None or not token.user.is_active or token_expiry(token) <= now:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_user(raw: str) -> User | None:
    token = token_active(raw)
    return token.user if token else None


@transaction.atomic
def password_reset(*, actor: User, user: User) -> str:
    """Give the account a new first password (returned once) and lift a lockout; the user must change it."""
    account_policy.check(actor, "change", user)
    password = initial_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    AccessAttempt.objects.filter(username=user.username).delete()
    record(
        actor=actor,
        region_code=_home_region(user),
        event="accounts.password_reset",
        summary=f"重置 {user.display_name} 的密码并解除锁定",
        obj=user,
    )
    return password


@transaction.atomic
def account_set_active(*, actor: User, user: User, active: bool) -> User:
    """Disable or re-enable a login; accounts are never deleted, the record book points at them."""
    account_policy.check(actor, "change", user)
    if user.pk == actor.pk and not active:
        raise DomainError("不能停用自己的账号。")
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(
            actor=actor,
            region_code=_home_region(user),
            event="accounts.account_enabled" if active else "accounts.account_disabled",
            summary=f"{'启用' if active else '停用'}账号 {user}",
            obj=user,
            before={"启用": "否" if active else "是"},
            after={"启用": "是" if active else "否"},
        )
    return user


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    """Change a password through the API (the page uses Django's form): the same validators, then as the page."""
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainError(f"新密码不符合要求：{exc.messages[0]}", {"new_password": list(exc.messages)}) from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    password_changed(user=user)


def password_changed(*, user: User, request: Any = None) -> None:
    """Record a password change made through Django's form (the form itself saved the hash)."""
    with transaction.atomic():
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        record(
            actor=user,
            region_code=_home_region(user),
            event="accounts.password_changed",
            summary=f"{user.display_name} 修改了密码",
            obj=user,
        )
