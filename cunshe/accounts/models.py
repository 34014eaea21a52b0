"""Login accounts and their role assignments. A Person (cunshe.people) is a separate record: most people in the
registry never log in, and an account may act in several regions and roles."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import F

from cunshe.access.roles import Role
from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class User(AbstractUser):
    display_name = models.CharField("姓名", max_length=50)
    # Where the account was registered: the organizers of that region manage it, even after its roles end.
    home_region = RegionKey(verbose_name="所属区域", null=True, blank=True)
    must_change_password = models.BooleanField("须修改初始密码", default=False)
    # Moves with every change of the account's role assignments or notifications (`shell_changed`). The user row is
    # read on every signed-in request anyway, so each worker keeps the grants and the unread count under it and a
    # page reads neither while it stands still (cunshe/records/kept.py, issue 15).
    shell_version = models.PositiveIntegerField("页面标记", default=0, editable=False)

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"

    def __str__(self) -> str:
        return f"{self.display_name}（{self.username}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Only shell_changed writes the marker: a full save of an instance read before the marker moved would put
        # it back, and a worker would show the grants it kept under the old value.
        if kwargs.get("update_fields") is None and not self._state.adding and not kwargs.get("force_insert"):
            skipped = {"shell_version", *self.get_deferred_fields()}
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.attname not in skipped
            ]
        super().save(*args, **kwargs)


class Session(AbstractBaseSession):
    """A browser's session, with the account signed in to it beside its data: a signed-in request reads the session
    and its account in one statement (accounts.sessions, issue 15). The column is written from the session's data
    each time the session is saved, so it says who is signed in to it, no more."""

    user = models.ForeignKey(
        User, verbose_name="账号", null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=True
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = "会话"
        verbose_name_plural = "会话"

    @classmethod
    def get_session_store_class(cls) -> Any:
        from cunshe.accounts.sessions import SessionStore

        return SessionStore


def shell_changed(*users: User | int) -> None:
    """Move the marker of these accounts (inside the transaction of the change): their next page reads their grants
    and unread count again. Instances given move too, so the request that made the change sees it."""
    ids = [u if isinstance(u, int) else u.pk for u in users]
    if not ids:
        return
    User.objects.filter(pk__in=ids).update(shell_version=F("shell_version") + 1)
    for user in users:
        if isinstance(user, User):
            user.shell_version += 1


class Department(Versioned):
    """A county's reviewing department (联审单位), e.g. 公安局; reviewer accounts are bound to one."""

    county = RegionKey(verbose_name="所属县")
    name = models.CharField("单位名称", max_length=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "联审单位"
        verbose_name_plural = "联审单位"
        ordering = ["county", "name"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="department_name_unique")]

    def __str__(self) -> str:
        return self.name


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    region = RegionKey(verbose_name="区域")
    department = models.ForeignKey(Department, verbose_name="联审单位", null=True, blank=True, on_delete=models.PROTECT)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=models.Q(is_active=True),
                name="role_assignment_unique_active",
            ),
            models.CheckConstraint(
                condition=models.Q(role="reviewer", department__isnull=False) | ~models.Q(role="reviewer"),
                name="reviewer_has_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.region.name}"


class ApiToken(models.Model):
    """An API token; only its SHA-256 is stored, the token itself is shown once when issued."""

    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("前缀", max_length=8)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)
    # Tokens issued before lifetimes existed have none and count from created_at (services.token_expiry).
    expires_at = models.DateTimeField("到期时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
