"""The public directory (领导干部电话公开, seed 002: ~900 leaders' phones and duties published): names, posts,
duties and office phones of a county's, its towns' and its villages' leaders, shown on the public pages. A private
(mobile) number is shown only when the person agreed, and the consent (when, how) is kept."""

from __future__ import annotations

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Entry(Versioned):
    region = RegionKey(verbose_name="单位所在区划")
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=60)
    duties = models.CharField("分工职责", max_length=300, blank=True)
    office_phone = models.CharField("办公电话", max_length=30, blank=True)
    mobile = models.CharField("手机号码", max_length=20, blank=True)
    mobile_consent_on = models.DateField("本人同意公开手机号码日期", null=True, blank=True)
    mobile_consent_note = models.CharField("同意方式", max_length=200, blank=True)
    sort = models.PositiveIntegerField("排序", default=100)
    published = models.BooleanField("公开", default=True)
    # filled from the village team (cunshe/teams): the member it was taken from, so a refill adds only the new ones
    team_member = models.ForeignKey(
        "teams.TeamMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "电话公开条目"
        verbose_name_plural = "电话公开条目"
        ordering = ["region", "sort", "id"]
        constraints = [
            # the database itself refuses a private number without the person's recorded consent
            models.CheckConstraint(
                condition=models.Q(mobile="") | models.Q(mobile_consent_on__isnull=False),
                name="directory_mobile_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"

    @property
    def public_mobile(self) -> str:
        return self.mobile if self.mobile and self.mobile_consent_on else ""
