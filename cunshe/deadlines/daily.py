"""The once-a-day jobs: what changes with the date alone (a deadline passing) is stored by them, so that roll-ups
and dashboards read stored counts instead of counting raw rows against today. Each module registers its job from
its AppConfig.ready(); `cunshe daily` (docs/deploy.md: cron shortly after midnight) runs them all, each in its own
transaction, so one failing job does not hold back the others."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

# A job takes the day it runs for and returns one line for the log, in Chinese.
Job = Callable[[date], str]
_jobs: dict[str, Job] = {}


def register_daily_job(name: str, job: Job) -> None:
    _jobs[name] = job


@dataclass(frozen=True)
class JobResult:
    name: str
    ok: bool
    message: str


def run_daily(today: date | None = None, *, only: list[str] | None = None) -> list[JobResult]:
    today = today or timezone.localdate()
    results = []
    for name in sorted(_jobs):
        if only and name not in only:
            continue
        try:
            with transaction.atomic():
                message = _jobs[name](today)
        except Exception as exc:
            results.append(JobResult(name, False, f"{type(exc).__name__}: {exc}"))
        else:
            results.append(JobResult(name, True, message))
    return results


def job_names() -> list[str]:
    return sorted(_jobs)
