"""Issue 14 (items 2 and 13): one number everywhere. Counts are totals, overdue is true on the day it is read
whether or not the daily check ran, and a village's commitments are counted per year."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import TOWN_A, VILLAGE_A
from cunshe.commitments import work_items
from cunshe.commitments.models import Commitment, Status
from cunshe.commitments.selectors import rollup, villages_outside_count
from cunshe.commitments.tests.conftest import YEAR
from cunshe.regions.models import Region


def test_overdue_is_the_same_number_on_the_home_page_the_ledger_and_the_roll_up_without_the_daily_job(
    make_commitment: Any, officer: Any, web_as: Any, api_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(work_items, "LIMIT", 2)  # the home page lists the most urgent few, and counts them all
    made = [make_commitment(title=f"事项{n}") for n in range(5)]
    # Time passes: three deadlines are now behind us, and the daily check has not run.
    Commitment.objects.filter(pk__in=[c.pk for c in made[:3]]).update(deadline=timezone.localdate() - timedelta(days=2))
    assert not Commitment.objects.filter(status=Status.OVERDUE).exists()
    client = web_as(officer)

    home = client.get("/home/").content.decode()
    assert "开门一件事" in home and "逾期 3" in home
    assert "查看全部 5 项待办" in home  # five commitments: a total, not the short list

    ledger = client.get("/commitments/?status=overdue").content.decode()
    assert ledger.count("已逾期</span>") == 3
    planned = client.get("/commitments/?status=planned").content.decode()
    assert planned.count("未开始</span>") == 2 and "已逾期</span>" not in planned

    table = rollup(officer, Region.objects.get(code=TOWN_A), year=YEAR)
    assert table.total.counts["overdue"] == 3 and table.total.counts["planned"] == 2
    page = client.get(f"/commitments/rollup/{TOWN_A}/").content.decode()
    assert 'class="badge bad">3</span>' in page
    api = api_as(officer).get(f"/api/v1/commitments/rollup/{TOWN_A}").json()
    assert api["total"]["overdue"] == 3 and api["year"] == YEAR
    detail = client.get(f"/commitments/{made[0].pk}/").content.decode()
    assert "已逾期" in detail


def test_a_villages_commitments_are_counted_per_year(make_commitment: Any, officer: Any, web_as: Any) -> None:
    for n in range(4):
        make_commitment(title=f"今年{n}")
        make_commitment(title=f"下届{n}", year=YEAR + 5, deadline=date(YEAR + 5, 12, 31))
    town = Region.objects.get(code=TOWN_A)
    assert VILLAGE_A not in {v.code for v in villages_outside_count(officer, town, year=YEAR)[2]}
    table = rollup(officer, town, year=YEAR)
    assert table.total.counts["total"] == 4 and table.years == [YEAR, YEAR + 5]
    assert rollup(officer, town, year=YEAR + 5).total.counts["total"] == 4
    page = web_as(officer).get(f"/commitments/rollup/{TOWN_A}/?year={YEAR}").content.decode()
    outside = page[page.index('id="outside"') :]
    assert f"{YEAR} 年件数不在 3-5 件之间的村(社区)" in outside and "西范村委会" not in outside


def test_commitments_belong_to_the_term_of_the_team_that_made_them(
    make_commitment: Any, officer: Any, web_as: Any, api_as: Any
) -> None:
    """Issue 10 §8: the outgoing team's commitments of the election year and the new team's are counted apart, each
    against the county's 3-5; the new team cannot commit for years before its election."""
    from conftest import new_person
    from cunshe.core.errors import DomainError
    from cunshe.results.services import result_certify
    from cunshe.results.tests.helpers import DAY, counted, villagers
    from cunshe.teams.models import Post

    old = [make_commitment(title=f"上届{n}", year=2026, deadline=date(2026, 12, 31)) for n in range(4)]
    assert {c.term_change_id for c in old} == {None}
    election = villagers(VILLAGE_A)
    counted(election, [(new_person(VILLAGE_A), Post.DIRECTOR, 60)])
    result_certify(actor=officer, election=election, on=DAY + timedelta(days=1), expected_version=election.version)

    new = [make_commitment(title=f"本届{n}", year=2026, deadline=date(2027, 3, 31)) for n in range(3)]
    assert {c.term_change_id for c in new} == {election.term_change_id}
    town = Region.objects.get(code=TOWN_A)
    # 4 + 3 in one year, but 4 for the old team and 3 for the new: inside 3-5, counted for the team in office.
    assert VILLAGE_A not in {v.code for v in villages_outside_count(officer, town, year=2026)[2]}
    assert rollup(officer, town, year=2026).total.counts["total"] == 7  # the county table still shows all of them
    one_more = make_commitment(title="本届3", year=2026, deadline=date(2027, 3, 31))
    make_commitment(title="本届4", year=2026, deadline=date(2027, 3, 31))
    make_commitment(title="本届5", year=2026, deadline=date(2027, 3, 31))
    outside = {v.code: v.count for v in villages_outside_count(officer, town, year=2026)[2]}
    assert outside[VILLAGE_A] == 6  # the new team's six, not the year's ten

    with pytest.raises(DomainError) as refused:
        make_commitment(title="补登去年", year=2025, deadline=date(2026, 12, 31))
    assert "不能登记 2026 年以前的事项" in refused.value.text
    assert not Commitment.objects.filter(title="补登去年").exists()

    page = web_as(officer).get(f"/commitments/{one_more.pk}/").content.decode()
    assert election.term_change.title in page
    assert "上届" in web_as(officer).get(f"/commitments/{old[0].pk}/").content.decode()
    api = api_as(officer).get(f"/api/v1/commitments/{one_more.pk}").json()
    assert api["term"] == election.term_change.title
