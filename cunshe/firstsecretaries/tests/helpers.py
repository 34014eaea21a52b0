"""A posting set up through the service, started far enough back that some of its reports are owed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from cunshe.core.actors import SYSTEM
from cunshe.firstsecretaries.models import Kind, Posting, Report, Status
from cunshe.firstsecretaries.services import add_years, posting_create, report_submit


def posting_for(village: str, *, actor: Any = SYSTEM, days_ago: int = 120, name: str = "陈晓东") -> Posting:
    started = timezone.localdate() - timedelta(days=days_ago)
    return posting_create(
        actor=actor,
        village_code=village,
        name=name,
        sending_unit="邹平市农业农村局",
        started_on=started,
        ends_on=add_years(started, 2),
        team_members="李伟、王芳",
    )


def owed(posting: Posting, kind: str = Kind.MONTH) -> list[Report]:
    """The reports of the posting whose period has ended and that are not submitted, oldest first."""
    return list(
        Report.objects.filter(
            posting=posting, kind=kind, status=Status.DUE, period_end__lt=timezone.localdate()
        ).order_by("period_start")
    )


def submitted(report: Report, *, actor: Any = SYSTEM, **figures: Any) -> Report:
    return report_submit(
        actor=actor,
        report=report,
        text="本月走访农户，指导支部规范开展三会一课。",
        figures=figures,
        expected_version=report.version,
    )


def day(text: str) -> date:
    return date.fromisoformat(text)
