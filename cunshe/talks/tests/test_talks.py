from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
import python_calamine
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, IllegalTransition, NotPermitted
from cunshe.deadlines.work_items import work_items_for
from cunshe.issueboard.services import issue_raise
from cunshe.regions.models import Region
from cunshe.talks import selectors
from cunshe.talks.exports import ledger_response
from cunshe.talks.models import FollowUp, Status
from cunshe.talks.services import followup_add, followup_done, talk_record
from cunshe.termchanges.services import term_change_open
from cunshe.web.tests.kept import shown_after_a_write

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
OTHER_A = "371681001233"


def _talk(village: str = VILLAGE_A, actor: Any = SYSTEM, **over: Any) -> Any:
    args: dict[str, Any] = {
        "village_code": village,
        "held_on": TODAY,
        "place": "村党群服务中心",
        "talker": "街道党工委书记 王俊岩",
        "secretary": "赫玉国",
        "points": "环境整治推进慢；群众反映村务公开不及时。",
        **over,
    }
    return talk_record(actor=actor, **args)


def test_a_talk_takes_up_its_villages_issues_only(zouping: Any, make_user: Any) -> None:
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    own = issue_raise(actor=SYSTEM, village_code=VILLAGE_A, title="村务公开不及时", owner="村文书", due_on=TODAY)
    other = issue_raise(actor=SYSTEM, village_code=OTHER_A, title="道路破损", owner="村主任", due_on=TODAY)
    talk = _talk(issue_ids=[own.pk])
    assert list(talk.issues.all()) == [own]
    with pytest.raises(DomainError) as refused:
        _talk(issue_ids=[other.pk])
    assert "issue_ids" in refused.value.field_errors


def test_what_a_talk_must_hold(zouping: Any) -> None:
    with pytest.raises(DomainError) as refused:
        _talk(held_on=TODAY + timedelta(days=1), place="", follow_ups=[{"task": "清理", "owner": "", "due_on": None}])
    assert {"held_on", "place", "follow_ups.1.owner", "follow_ups.1.due_on"} <= set(refused.value.field_errors)
    with pytest.raises(DomainError, match="谈心对象"):  # nobody named and no secretary in office on record
        _talk(secretary="")
    assert not FollowUp.objects.exists()


def test_who_may_talk_and_read(zouping: Any, make_user: Any) -> None:
    town_a = make_user("town_officer", TOWN_A)
    talk = _talk(actor=town_a)
    with pytest.raises(Http404):
        _talk(VILLAGE_B, actor=town_a)
    with pytest.raises(NotPermitted):  # the supervisors read the talks but do not hold them
        _talk(actor=make_user("discipline_supervisor", TOWN_A))
    # the village's own cadre and first secretary are the ones talked with, not readers of the town's notes
    assert not selectors.talks_under(make_user("village_cadre", VILLAGE_A), "").exists()
    assert not selectors.talks_under(make_user("first_secretary", VILLAGE_A), "").exists()
    assert list(selectors.talks_under(make_user("discipline_supervisor", TOWN_A), "")) == [talk]
    assert not selectors.talks_under(make_user("town_officer", TOWN_B), "").exists()


def test_follow_ups_are_overdue_todos_until_done(zouping: Any, make_user: Any) -> None:
    town_a = make_user("town_officer", TOWN_A)
    talk = _talk(
        held_on=TODAY - timedelta(days=20),
        follow_ups=[{"task": "补齐三会一课记录", "owner": "村党组织书记", "due_on": TODAY - timedelta(days=5)}],
    )
    with pytest.raises(DomainError):  # a deadline before the talk
        followup_add(actor=town_a, talk=talk, task="公开财务", owner="会计", due_on=talk.held_on - timedelta(days=1))
    followup_add(actor=town_a, talk=talk, task="公开财务", owner="会计", due_on=TODAY + timedelta(days=10))
    items = [i for i in work_items_for(town_a) if i.module == "talks"]
    assert [(i.title.split("：")[1], i.overdue) for i in items] == [
        ("补齐三会一课记录（村党组织书记）", True),
        ("公开财务（会计）", False),
    ]
    assert not [i for i in work_items_for(make_user("town_officer", TOWN_B)) if i.module == "talks"]
    late = FollowUp.objects.get(task="补齐三会一课记录")
    with pytest.raises(DomainError):
        followup_done(actor=town_a, follow_up=late, result="", done_on=TODAY, expected_version=late.version)
    done = followup_done(actor=town_a, follow_up=late, result="已补齐", done_on=TODAY, expected_version=late.version)
    assert done.status == Status.DONE
    with pytest.raises(IllegalTransition):
        followup_done(actor=town_a, follow_up=done, result="再次", done_on=TODAY, expected_version=done.version)
    assert len([i for i in work_items_for(town_a) if i.module == "talks"]) == 1


def test_counts_per_town_and_month(zouping: Any, make_user: Any, django_assert_max_num_queries: Any) -> None:
    nov = date(2026, 11, 20)
    for village, day in ((VILLAGE_A, nov), (OTHER_A, nov), (VILLAGE_A, nov + timedelta(days=3)), (VILLAGE_A, TODAY)):
        _talk(village, held_on=day)
    _talk(VILLAGE_B, held_on=nov)
    organizer = make_user("county_organizer", COUNTY)
    county = Region.objects.get(code=COUNTY)
    with django_assert_max_num_queries(3):
        months, towns, totals = selectors.month_counts(organizer, county)
    assert months == [date(2026, 11, 1), TODAY.replace(day=1)]  # the suite runs on the demo clock, after November
    assert [(t.code, t.cells(months)) for t in towns] == [(TOWN_A, [3, 1]), (TOWN_B, [1, 0])]
    assert totals == [4, 1]
    _, mine, _ = selectors.month_counts(make_user("town_officer", TOWN_A), county)
    assert [t.code for t in mine] == [TOWN_A]
    assert selectors.talks_under(organizer, TOWN_A, date(2026, 11, 1)).count() == 3
    book = python_calamine.CalamineWorkbook.from_filelike(BytesIO(ledger_response(organizer, county).content))
    sheet = book.get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "谈心日期" and len(sheet) == 6 and "赫玉国" in sheet[1]


def test_the_record_printed_for_signing(zouping: Any, make_user: Any, web_as: Any, api_as: Any) -> None:
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    issue = issue_raise(actor=SYSTEM, village_code=VILLAGE_A, title="村务公开不及时", owner="村文书", due_on=TODAY)
    talk = _talk(
        issue_ids=[issue.pk],
        follow_ups=[{"task": "补齐三季度村务公开", "owner": "村文书", "due_on": TODAY + timedelta(days=10)}],
    )
    follow_up = FollowUp.objects.get(talk=talk)
    followup_add(actor=SYSTEM, talk=talk, task="整治主街环境", owner="村主任", due_on=TODAY + timedelta(days=20))
    followup_done(actor=SYSTEM, follow_up=follow_up, result="已张贴公开栏", done_on=TODAY, expected_version=1)
    town_a = make_user("town_officer", TOWN_A)
    answer = web_as(town_a).get(f"/talks/{talk.pk}/record.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text, pages = pdf_text(answer.content)
    town = Region.objects.get(code=TOWN_A)
    assert pages == 1
    for said in (
        "点评谈心谈话记录表", town.name, "街道党工委书记 王俊岩", f"{town.name}党工委书记", "赫玉国",
        "西范村党组织书记", f"{TODAY:%Y年%m月%d日}", "村党群服务中心", "环境整治推进慢",
        "村务公开不及时", "干部排查", "补齐三季度村务公开", "已落实", "已张贴公开栏", "整治主街环境", "村主任",
        f"{TODAY + timedelta(days=20):%Y-%m-%d}", "待落实", "谈心人（签字）", "谈心对象（签字）",
    ):  # fmt: skip
        assert said in text, said
    assert pdf_text(api_as(town_a).get(f"/api/v1/talks/talks/{talk.pk}/record.pdf").content)[0] == text
    # the talk's own rule: the other town and the village talked with do not get it
    assert web_as(make_user("town_officer", TOWN_B)).get(f"/talks/{talk.pk}/record.pdf").status_code == 404
    assert (
        api_as(make_user("village_cadre", VILLAGE_A)).get(f"/api/v1/talks/talks/{talk.pk}/record.pdf").status_code
        == 404
    )


def test_the_kept_region_page_shows_a_new_talk_on_the_next_view(
    kept_summaries: Any, zouping: Any, make_user: Any, web_as: Any
) -> None:
    """The region page is kept whole (issue 15): a talk recorded through the service moves the county's change
    number and shows at once; another town's officer is refused as before."""
    client = web_as(make_user("county_organizer", COUNTY))
    shown_after_a_write(client, f"/talks/region/{COUNTY}/", lambda: _talk(secretary="邢红梅"), "邢红梅")
    assert web_as(make_user("town_officer", TOWN_B)).get(f"/talks/region/{TOWN_A}/").status_code == 404
