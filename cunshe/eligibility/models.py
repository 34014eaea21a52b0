"""The exclusion rules of candidate eligibility (the 2020-21 "十不选" and their local variants), kept as data per
county with effective dates, because the rules change by date. The joint review records findings against them and
the negative list refers to them."""

from __future__ import annotations

from datetime import date

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class ExclusionRuleQuerySet(models.QuerySet["ExclusionRule"]):
    def in_force(self, on: date) -> ExclusionRuleQuerySet:
        return self.filter(effective_from__lte=on).filter(
            models.Q(effective_until__isnull=True) | models.Q(effective_until__gte=on)
        )


class ExclusionRule(Versioned):
    county = RegionKey(verbose_name="县(市、区)")
    code = models.CharField("编号", max_length=10)
    title = models.CharField("简称", max_length=60)
    text = models.TextField("条文")
    lookback_years = models.PositiveSmallIntegerField("追溯年限", null=True, blank=True)
    department = models.ForeignKey(
        "accounts.Department", verbose_name="核查单位", null=True, blank=True, on_delete=models.PROTECT
    )
    source = models.CharField("依据", max_length=200)
    effective_from = models.DateField("生效日期")
    effective_until = models.DateField("失效日期", null=True, blank=True)

    objects = ExclusionRuleQuerySet.as_manager()

    class Meta:
        verbose_name = "任职资格排除规则"
        verbose_name_plural = "任职资格排除规则"
        ordering = ["county", "code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["county", "code", "effective_from"], name="exclusion_rule_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"
