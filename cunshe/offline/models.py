"""What a phone sent while offline: the client id of each submission and the record it created, so that a resend
(the network dropped after the server saved but before the phone heard back) answers with the first result instead
of creating the record twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ClientSubmission(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client_id = models.UUIDField("客户端编号")
    kind = models.CharField("类别", max_length=50)
    # The created record, by model label and key: a submission may create a visit, an issue or a progress entry.
    model = models.CharField("记录类型", max_length=100)
    object_pk = models.CharField("记录编号", max_length=40)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "离线提交"
        verbose_name_plural = "离线提交"
        constraints = [
            models.UniqueConstraint(fields=["user", "client_id"], name="offline_submission_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.client_id}"
