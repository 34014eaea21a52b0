"""Optimistic concurrency: an edit names the version it started from; a stale version saves nothing."""

from __future__ import annotations

from django.db import models

from cunshe.core.errors import ConcurrentEdit


class Versioned(models.Model):
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        abstract = True


def bump_version(obj: Versioned, *, expected_version: int | None) -> None:
    """Claim the next version in the database, so two concurrent saves cannot both pass the check.

    The conditional UPDATE is the lock: only one writer matches `version=expected`.
    """
    if expected_version is None:
        raise ConcurrentEdit("缺少版本号，无法确认您编辑的是最新数据。请刷新后重试。")
    updated = (
        type(obj)._default_manager.filter(pk=obj.pk, version=expected_version).update(version=models.F("version") + 1)
    )
    if updated != 1:
        raise ConcurrentEdit()
    obj.version = expected_version + 1
