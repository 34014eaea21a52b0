"""Where ballots are cast: the central venue, polling stations and mobile boxes of an election, each a box whose
count sheet is entered and checked on its own."""

from __future__ import annotations

from django.db import models


class StationKind(models.TextChoices):
    CENTRAL = "central", "中心会场"
    SUB = "sub", "投票站"
    MOBILE = "mobile", "流动票箱"


class Station(models.Model):
    election = models.ForeignKey(
        "elections.Election", verbose_name="选举", on_delete=models.PROTECT, related_name="stations"
    )
    kind = models.CharField("类别", max_length=20, choices=StationKind.choices)
    name = models.CharField("名称", max_length=100)
    place = models.CharField("地点", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField("序号")
    booths = models.PositiveSmallIntegerField("秘密写票处", default=1)

    class Meta:
        verbose_name = "投票站(票箱)"
        verbose_name_plural = "投票站(票箱)"
        ordering = ["election", "position"]
        constraints = [models.UniqueConstraint(fields=["election", "position"], name="polling_station_position")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}"
