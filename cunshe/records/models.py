"""The record book (换届全程记录本): an append-only, hash-chained log of every change, one chain per county."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from cunshe.regions.models import RegionKey


class AppendOnly(Exception):
    pass


class RecordEntryQuerySet(models.QuerySet["RecordEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("记录本只能追加，不能修改。")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("记录本只能追加，不能删除。")


class RecordChain(models.Model):
    """Head of one county's chain. Locking this row serialises appends, so sequence numbers never fork."""

    chain = models.CharField("链", max_length=12, primary_key=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = "记录链"
        verbose_name_plural = "记录链"

    def __str__(self) -> str:
        return f"{self.chain}@{self.last_seq}"


class RecordEntry(models.Model):
    chain = models.CharField("链(县级代码)", max_length=12)
    seq = models.PositiveBigIntegerField("序号")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    actor_name = models.CharField("操作人姓名", max_length=100)
    # Null only for changes that concern the whole country (a national import of the division codes).
    region = RegionKey(verbose_name="区域", null=True, blank=True)
    module = models.CharField("模块", max_length=40)
    event = models.CharField("事件", max_length=80)
    summary = models.CharField("摘要", max_length=300)
    object_type = models.CharField("对象类型", max_length=80, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = RecordEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "记录"
        verbose_name_plural = "记录本"
        ordering = ["-at", "-seq"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="record_chain_seq_unique")]
        indexes = [
            models.Index(fields=["region", "-seq"], name="record_region_idx"),
            models.Index(fields=["module", "region"], name="record_module_idx"),
            models.Index(fields=["object_type", "object_id"], name="record_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.event}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("记录本只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("记录本只能追加，不能删除。")

    @property
    def module_label(self) -> str:
        from cunshe.records.modules import module_label

        return module_label(self.module)
