"""The demo's election story follows the day it is built: 黄山街道 votes on the build day wherever the calendar is."""

from __future__ import annotations

import importlib
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cunshe.core.statistics import statistics_refresh
from cunshe.counts.models import Sheet
from cunshe.demo.county import build_accounts
from cunshe.elections.demo import TOWN_A, TOWN_B, demo_villages, one_story_day, story_today
from cunshe.elections.models import Election, Kind, Round, Status
from cunshe.records.models import RecordEntry
from cunshe.results.models import Certification

# The election part of the demo (INSTALLED_APPS order), without the forty other modules of the whole county.
STORY = ("termchanges", "elections", "voters", "candidates", "polling", "counts", "results")


def _build_story() -> None:
    build_accounts()
    with one_story_day():
        for name in STORY:
            importlib.import_module(f"cunshe.{name}.demo").build_demo(seed=2026)
            statistics_refresh()


def _at(day: date) -> Any:
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)


# One day far from the story's first (another month and year, a weekday): the demo's other tests build it on the
# real date already. A second day (2026-12-09) added half a minute to the PostgreSQL suite and found nothing more.
@pytest.mark.parametrize("day", [date(2027, 1, 15)], ids=["next-january"])
def test_the_election_story_follows_the_day_the_demo_is_built(zouping: Any, day: date) -> None:
    with _at(day):
        assert story_today() == day  # nothing built yet: the clock
        _build_story()
    villages_b = [v.code for v in demo_villages(TOWN_B)]
    town_b = Election.objects.filter(region_id__in=villages_b)
    # 黄山街道 votes for its villagers' committees today: polling open, the sheets arriving, nothing certified
    villagers = town_b.filter(kind=Kind.VILLAGERS)
    assert villagers.count() == 6 and set(villagers.values_list("election_day", flat=True)) == {day}
    assert set(villagers.values_list("status", flat=True)) == {Status.VOTING}
    assert Sheet.objects.filter(election__in=villagers).exists()
    # its supervision committees tomorrow: candidates published, not yet polled
    supervision = town_b.filter(kind=Kind.SUPERVISION)
    assert set(supervision.values_list("election_day", flat=True)) == {day + timedelta(days=1)}
    assert set(supervision.values_list("status", flat=True)) == {Status.CANDIDATES_PUBLISHED}
    assert not Sheet.objects.filter(election__in=supervision).exists()
    assert town_b.filter(kind=Kind.PARTY, status=Status.CERTIFIED).count() == 6  # 11-22
    # 黛溪街道 as before: its November certified, one villagers' committee void, its rerun and the further round
    # set a week after today's vote, still being prepared
    town_a = Election.objects.filter(region_id__in=[v.code for v in demo_villages(TOWN_A)])
    assert town_a.filter(status=Status.CERTIFIED).count() == 16
    assert town_a.filter(kind=Kind.VILLAGERS, round=Round.MAIN, status=Status.VOID).count() == 1
    later = town_a.filter(round__in=(Round.FURTHER, Round.RERUN))
    assert sorted(later.values_list("round", flat=True)) == [Round.FURTHER, Round.RERUN]
    assert all(e.election_day > day and e.status == Status.PREPARING for e in later)
    # nothing dated after the build day: registers and lists published before it, results certified by then
    for election in Election.objects.all():
        assert (election.register_published_on or day) <= day, election
        assert (election.candidates_published_on or day) <= day, election
        assert election.candidates_published_on is None or (
            election.register_published_on is None or election.register_published_on <= election.candidates_published_on
        ), election
    assert all(c.on <= day for c in Certification.objects.all())

    # Built again on a later day over the same database: the story keeps its day and nothing changes.
    entries = RecordEntry.objects.count()
    with _at(day + timedelta(days=2)):
        assert story_today() == day
        _build_story()
    assert list(RecordEntry.objects.order_by("pk")[entries:].values_list("event", flat=True)) == []
    assert set(villagers.values_list("status", flat=True)) == {Status.VOTING}
