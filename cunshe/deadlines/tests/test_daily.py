"""`cunshe daily`: every module's once-a-day job runs for the given day, and one failing job does not stop the rest."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from conftest import VILLAGE_A, new_user
from cunshe.commitments.models import Commitment, Status
from cunshe.commitments.services import commitment_create
from cunshe.deadlines import daily


def _commitment(deadline: date) -> Commitment:
    cadre = new_user("village_cadre", VILLAGE_A)
    return commitment_create(
        actor=cadre, village_code=VILLAGE_A, year=2026, category="提升改善村容村貌", title="整治党群服务中心环境",
        content="清理院内杂物", target="四面一栏整洁", deadline=deadline, responsible_post="村党组织书记",
    )  # fmt: skip


@pytest.mark.django_db
def test_the_daily_command_runs_the_registered_jobs_for_the_day_given(zouping: Any) -> None:
    late = _commitment(date(2026, 3, 1))
    out = StringIO()
    call_command("daily", "--date", "2026-02-28", stdout=out)
    assert Commitment.objects.get(pk=late.pk).status == Status.PLANNED and "commitments.overdue" in out.getvalue()
    call_command("daily", "--date", "2026-03-02", stdout=out)
    assert Commitment.objects.get(pk=late.pk).status == Status.OVERDUE


@pytest.mark.django_db
def test_a_failing_job_is_reported_and_rolled_back_while_the_others_run(
    zouping: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    late = _commitment(date(2026, 3, 1))

    def broken(today: date) -> str:
        Commitment.objects.filter(pk=late.pk).update(title="改坏了")
        raise RuntimeError("boom")

    monkeypatch.setitem(daily._jobs, "aaa.broken", broken)
    with pytest.raises(CommandError, match=r"aaa\.broken"):
        call_command("daily", "--date", "2026-03-02", stdout=StringIO())
    late.refresh_from_db()
    assert late.title == "整治党群服务中心环境" and late.status == Status.OVERDUE
