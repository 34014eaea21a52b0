"""The State Council's holiday schedule of a year (放假调休安排), as loaded by the system administrator from the
published notice: the days off (法定节假日 and the days moved next to them) and the make-up working weekends. The
statutory holidays themselves are computed for any year (holidays.py); only the moved days need loading."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class HolidaySchedule(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True)
    source = models.CharField("依据", max_length=200)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="载入人", null=True, blank=True, on_delete=models.PROTECT
    )
    loaded_at = models.DateTimeField("载入时间")

    class Meta:
        verbose_name = "放假调休安排"
        verbose_name_plural = "放假调休安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} 年放假调休安排"


class ScheduleDay(models.Model):
    schedule = models.ForeignKey(HolidaySchedule, on_delete=models.CASCADE, related_name="days")
    day = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("调休上班")  # False: 放假

    class Meta:
        verbose_name = "放假调休日期"
        verbose_name_plural = "放假调休日期"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.is_workday else '放假'}"
