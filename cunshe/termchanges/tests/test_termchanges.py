from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import COUNTY, TOWN_A, VILLAGE_A
from cunshe.core.errors import DomainError, IllegalTransition, NotPermitted
from cunshe.deadlines.work_items import overdue_items_for, work_items_for
from cunshe.records.models import RecordEntry
from cunshe.termchanges.models import Status
from cunshe.termchanges.selectors import current_term_change, term_changes_visible
from cunshe.termchanges.services import milestone_update, term_change_advance, term_change_open


def titles(items: list[Any]) -> list[str]:
    return [i.title for i in items if i.module == "termchanges"]


@pytest.fixture
def organizer(make_user: Any) -> Any:
    return make_user("county_organizer", COUNTY)


def test_opening_creates_the_usual_milestones_and_records_it(organizer: Any) -> None:
    tc = term_change_open(actor=organizer, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    assert tc.title == "邹平市2026年村(社区)“两委”换届" and tc.status == Status.PLANNED
    assert [m.position for m in tc.milestones.all()] == [1, 2, 3, 4, 5, 6]
    assert tc.milestones.get(position=6).title.startswith("新老班子工作交接")
    assert RecordEntry.objects.filter(event="termchanges.opened", region_id=COUNTY).exists()
    assert current_term_change(VILLAGE_A) == tc
    with pytest.raises(DomainError, match="已有 2026 年"):
        term_change_open(actor=organizer, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))


def test_only_counties_open_term_changes_and_only_their_organizers(make_user: Any, organizer: Any) -> None:
    with pytest.raises(DomainError, match="县级"):
        term_change_open(actor=organizer, county_code=TOWN_A, year=2026, opened_on=date(2026, 9, 1))
    with pytest.raises(NotPermitted):  # the town officer sees the county, may not open its term change
        term_change_open(
            actor=make_user("town_officer", TOWN_A), county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1)
        )


def test_stages_move_only_as_the_table_allows(organizer: Any) -> None:
    tc = term_change_open(actor=organizer, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    with pytest.raises(IllegalTransition, match="可转为：换届准备"):
        term_change_advance(actor=organizer, term_change=tc, to_status=Status.ELECTING, expected_version=tc.version)
    for status in (Status.PREPARING, Status.ELECTING, Status.HANDING_OVER, Status.COMPLETED):
        term_change_advance(actor=organizer, term_change=tc, to_status=status, expected_version=tc.version)
    assert tc.status == Status.COMPLETED and current_term_change(COUNTY) is None
    with pytest.raises(IllegalTransition):
        term_change_advance(actor=organizer, term_change=tc, to_status=Status.PREPARING, expected_version=tc.version)


def test_people_under_the_county_see_it_but_only_organizers_change_it(make_user: Any, organizer: Any) -> None:
    tc = term_change_open(actor=organizer, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    cadre = make_user("village_cadre", VILLAGE_A)
    assert list(term_changes_visible(cadre)) == [tc]
    with pytest.raises(NotPermitted):
        term_change_advance(actor=cadre, term_change=tc, to_status=Status.PREPARING, expected_version=tc.version)


def test_open_milestones_are_to_dos_and_late_ones_are_overdue(make_user: Any, organizer: Any) -> None:
    today = timezone.localdate()
    tc = term_change_open(
        actor=organizer,
        county_code=COUNTY,
        year=2026,
        opened_on=today - timedelta(days=30),
        milestones=[("走访全覆盖", today - timedelta(days=1)), ("选举", today + timedelta(days=30))],
    )
    officer = make_user("town_officer", TOWN_A)
    assert titles(work_items_for(officer)) == ["换届节点：走访全覆盖", "换届节点：选举"]
    assert titles(overdue_items_for(officer)) == ["换届节点：走访全覆盖"]
    assert titles(work_items_for(make_user("village_cadre", VILLAGE_A))) == []
    first = tc.milestones.get(position=1)
    milestone_update(actor=organizer, milestone=first, due_on=first.due_on, done_on=today, expected_version=1)
    assert titles(overdue_items_for(officer)) == []


def test_milestone_dates_are_checked(organizer: Any) -> None:
    tc = term_change_open(actor=organizer, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    with pytest.raises(DomainError) as caught:
        milestone_update(
            actor=organizer,
            milestone=tc.milestones.get(position=1),
            due_on=date(2026, 8, 1),
            done_on=date(2099, 1, 1),
            expected_version=1,
        )
    assert set(caught.value.field_errors) == {"due_on", "done_on"}


def test_pages_open_and_show_the_stage(organizer: Any, web_as: Any) -> None:
    client = web_as(organizer)
    response = client.post("/termchanges/new/", {"county": COUNTY, "year": 2026, "opened_on": "2026-09-01"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "筹备中" in page and "转为“换届准备”" in page and "候选人资格联审" in page


def test_two_edits_of_one_milestone_from_the_same_version_the_second_is_refused(
    organizer: Any, api_as: Any, web_as: Any
) -> None:
    """Issue 14, item 17: two PUTs that both loaded version 1 used to both answer 200 (the last writer won)."""
    tc = term_change_open(actor=organizer, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    milestone = tc.milestones.get(position=1)
    client = api_as(organizer)
    url = f"/api/v1/termchanges/milestones/{milestone.pk}"
    first = client.put(url, {"due_on": "2026-10-15", "version": 1}, content_type="application/json")
    assert first.status_code == 200 and first.json()["version"] == 2
    second = client.put(url, {"due_on": "2026-10-20", "version": 1}, content_type="application/json")
    assert second.status_code == 409 and "已被他人修改" in second.json()["message"]
    missing = client.put(url, {"due_on": "2026-10-20"}, content_type="application/json")
    assert missing.status_code == 422
    page = web_as(organizer).post(f"/termchanges/milestones/{milestone.pk}/", {"due_on": "2026-10-25", "version": 1})
    assert page.status_code == 302
    milestone.refresh_from_db()
    assert milestone.due_on == date(2026, 10, 15) and milestone.version == 2
