from datetime import date
from typing import Any

from conftest import TOWN_B, VILLAGE_A
from cunshe.counts.demo import build_demo
from cunshe.counts.models import Sheet, SheetStatus
from cunshe.counts.tests.factories import voting_election
from cunshe.elections.demo import further_round_day, story_today
from cunshe.elections.models import ElectionResult, Round, Status


def test_the_demo_counts_the_story_and_runs_twice(zouping: Any) -> None:
    # What the voters, candidates and polling demos leave behind: rounds in polling with voters, candidates, boxes.
    past = [
        voting_election(village=v, stations=1, day=date(2026, 11, 15))
        for v in (VILLAGE_A, "371681001214", "371681001215")
    ]
    day = story_today()  # the build day: 黄山街道 votes today
    today = voting_election(village=f"{TOWN_B}201", stations=4, voters=40, day=day)
    build_demo(seed=2026)
    build_demo(seed=2026)
    statuses = [ElectionResult.objects.get(election=c["election"]).status for c in past]
    assert statuses[0] in ("elected", "vacant") and statuses[1] in ("further_round", "tie") and statuses[2] == "rerun"
    further = past[1]["election"].rounds.get()
    assert further.round == Round.FURTHER and further.election_day == further_round_day(
        day
    )  # set, still being prepared
    for c in past:
        c["election"].refresh_from_db()
        assert c["election"].status == Status.COUNTED
    states = [Sheet.objects.filter(station=s).first() for s in today["stations"]]
    assert [s.status if s else None for s in states] == [
        SheetStatus.RECONCILED, SheetStatus.DIFFERING, SheetStatus.QUARANTINED, None,
    ]  # fmt: skip
