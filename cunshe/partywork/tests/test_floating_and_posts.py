from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from conftest import TOWN_A, TOWN_B, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.deadlines.work_items import work_items_for
from cunshe.partywork import hooks, rules, selectors
from cunshe.partywork.models import MeetingKind
from cunshe.partywork.services import (
    away_with_card,
    card_issue,
    card_valid,
    floating_register,
    group_create,
    member_return,
    post_create,
    post_rate,
    report_add,
    votes_at,
)
from cunshe.partywork.tests.helpers import branch_with_members, hold
from cunshe.partywork.views import last_quarter
from cunshe.requests.selectors import raised_and_solved_by

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
OTHER_A = "371681001214"


def _away(make_person: Any, village: str = VILLAGE_A, *, months: int = 4, **more: Any) -> Any:
    person = make_person(village, is_party_member=True, party_joined_on=date(2001, 7, 1))
    left = TODAY - timedelta(days=30)
    back = rules.add_months(left, months)
    return floating_register(
        actor=SYSTEM, person=person, whereabouts="微山湖捕捞船队", left_on=left, expected_back_on=back, **more
    )


def test_card_only_for_six_months_out_or_unable_to_transfer(make_person: Any, make_user: Any) -> None:
    short = _away(make_person)
    latest = rules.add_months(short.left_on, 6)
    with pytest.raises(DomainError, match="有效期最长至"):
        card_issue(actor=SYSTEM, member=short, issued_on=short.left_on, valid_until=latest + timedelta(days=1))
    card = card_issue(actor=SYSTEM, member=short, issued_on=short.left_on, valid_until=latest)
    assert card_valid(short, TODAY) == card and card_valid(short, latest + timedelta(days=1)) is None
    long = _away(make_person, months=8)
    with pytest.raises(DomainError, match="应转移组织关系"):
        card_issue(actor=SYSTEM, member=long, issued_on=long.left_on, valid_until=long.left_on + timedelta(days=30))
    stuck = _away(make_person, months=8, cannot_transfer=True, cannot_transfer_reason="流入地无党组织")
    year = card_issue(
        actor=SYSTEM, member=stuck, issued_on=TODAY, valid_until=rules.add_months(TODAY, 12) - timedelta(days=1)
    )
    assert year.valid_until > latest
    with pytest.raises(Http404):
        card_issue(actor=make_user("village_cadre", OTHER_A), member=short, issued_on=TODAY, valid_until=TODAY)
    with pytest.raises(NotPermitted):
        card_issue(actor=make_user("discipline_supervisor", TOWN_A), member=short, issued_on=TODAY, valid_until=TODAY)
    # away with a valid card: listed on leave at home with the reason; votes only at home
    branch, members = branch_with_members(VILLAGE_A, make_person, formed_on=TODAY - timedelta(days=3))
    assert away_with_card([short.person_id, long.person_id], TODAY) == {short.person_id}
    m = hold(branch, members, kind=MeetingKind.MEMBERS, on=TODAY, sign=False)
    row = m.attendance.get(person_id=short.person_id)
    assert row.status == "leave" and "流动党员活动证" in row.reason
    assert votes_at(short, VILLAGE_A) and not votes_at(short, OTHER_A)


def test_a_temporary_group_needs_three_carded_members_of_the_town(make_person: Any, make_user: Any) -> None:
    crew = [_away(make_person), _away(make_person), _away(make_person, OTHER_A)]
    for m in crew:
        card_issue(actor=SYSTEM, member=m, issued_on=m.left_on, valid_until=rules.add_months(m.left_on, 6))
    officer = make_user("town_officer", TOWN_A)
    base: dict[str, Any] = {
        "town_code": TOWN_A,
        "kind": "boat",
        "name": "鲁微渔 0123 船头党小组",
        "whereabouts": "微山湖",
        "formed_on": TODAY,
    }
    with pytest.raises(DomainError, match="3 名以上"):
        group_create(actor=officer, members=crew[:2], **base)
    uncarded = _away(make_person)
    with pytest.raises(DomainError, match="没有有效的流动党员活动证"):
        group_create(actor=officer, members=[*crew[:2], uncarded], **base)
    with pytest.raises(NotPermitted):
        group_create(actor=make_user("village_cadre", VILLAGE_A), members=crew, **base)
    with pytest.raises(Http404):
        group_create(actor=make_user("town_officer", TOWN_B), members=crew, **base)
    group = group_create(actor=officer, members=crew, **base)
    assert group.memberships.filter(left_on__isnull=True).count() == 3
    with pytest.raises(DomainError, match="不足 3 人"):
        member_return(actor=SYSTEM, member=crew[0], returned_on=TODAY, expected_version=crew[0].version)
    counts = selectors.floating_counts(officer, TOWN_A)
    assert (counts["members"], counts["carded"], counts["boat_groups"]) == (4, 3, 1)
    assert counts["requests_raised"] == 0  # counted by the requests app (wired in its ready()): none raised yet
    hooks.set_floating_requests_source(None)
    try:  # unwired, the count says so instead of a made-up zero
        assert selectors.floating_counts(officer, TOWN_A)["requests_raised"] is None
        hooks.set_floating_requests_source(lambda ids: (len(list(ids)) * 2, len(list(ids))))
        assert selectors.floating_counts(officer, TOWN_A)["requests_raised"] == 8
    finally:
        hooks.set_floating_requests_source(raised_and_solved_by)
    assert selectors.floating_counts(make_user("town_officer", TOWN_B), TOWN_B)["members"] == 0


def test_the_yearly_report_home_and_its_overdue(make_person: Any, make_user: Any) -> None:
    person = make_person(VILLAGE_A, is_party_member=True, party_joined_on=date(2001, 7, 1))
    left = date(TODAY.year - 1, 3, 1)
    member = floating_register(
        actor=SYSTEM,
        person=person,
        whereabouts="上海",
        left_on=left,
        cannot_transfer=True,
        cannot_transfer_reason="务工单位无党组织",
    )
    assert member.report_due_on == date(TODAY.year - 1, 12, 31)
    cadre = make_user("village_cadre", VILLAGE_A)
    late = [i for i in work_items_for(cadre) if "年度向党组织报告" in i.title]
    assert len(late) == 1 and late[0].overdue
    assert not [i for i in work_items_for(make_user("town_officer", TOWN_B)) if "年度向党组织报告" in i.title]
    with pytest.raises(DomainError, match="年度须在"):
        report_add(actor=cadre, member=member, year=TODAY.year + 1, reported_on=TODAY, content="报告")
    report_add(
        actor=cadre, member=member, year=TODAY.year - 1, reported_on=TODAY, content="在沪务工，参加流入地党组织生活"
    )
    member.refresh_from_db()
    assert member.report_due_on == date(TODAY.year, 12, 31)
    with pytest.raises(DomainError, match="已报告"):
        report_add(actor=cadre, member=member, year=TODAY.year - 1, reported_on=TODAY, content="再报")


def test_model_posts_rated_each_quarter_by_the_town(make_person: Any, make_user: Any, web_as: Any) -> None:
    person = make_person(VILLAGE_A, is_party_member=True, party_joined_on=date(2001, 7, 1))
    cadre, officer = make_user("village_cadre", VILLAGE_A), make_user("town_officer", TOWN_A)
    year, quarter = last_quarter(TODAY)
    set_up = rules.quarter_end(year, quarter) - timedelta(days=20)
    post = post_create(
        actor=cadre,
        village_code=VILLAGE_A,
        person=person,
        title="环境整治示范岗",
        duty="包片 20 户门前三包",
        set_up_on=set_up,
    )
    sheet = rules.rating_sheet(VILLAGE_A, rules.quarter_end(year, quarter))
    scores = {name: full for name, full in sheet.criteria}
    with pytest.raises(NotPermitted):
        post_rate(actor=cadre, post=post, year=year, quarter=quarter, scores=scores)
    with pytest.raises(Http404):
        post_rate(actor=make_user("town_officer", TOWN_B), post=post, year=year, quarter=quarter, scores=scores)
    this_quarter = (TODAY.month - 1) // 3 + 1
    with pytest.raises(DomainError, match="尚未结束"):
        post_rate(actor=officer, post=post, year=TODAY.year, quarter=this_quarter, scores=scores)
    with pytest.raises(DomainError, match="须为 0 至"):
        post_rate(actor=officer, post=post, year=year, quarter=quarter, scores={**scores, sheet.criteria[0][0]: 31})
    first = sheet.criteria[0][0]
    rating = post_rate(
        actor=officer, post=post, year=year, quarter=quarter, scores={**scores, first: scores[first] - 11}
    )
    assert (rating.total, rating.grade) == (89, "good")
    with pytest.raises(DomainError, match="已评比"):
        post_rate(actor=officer, post=post, year=year, quarter=quarter, scores=scores)
    assert selectors.post_results(officer, TOWN_A, year, quarter) == [
        {"code": VILLAGE_A, "name": post.region.name, "rated": 1, "good": 1}
    ]
    assert selectors.post_results(make_user("town_officer", TOWN_B), TOWN_A, year, quarter) == []
    page = web_as(officer).get(f"/partywork/region/{TOWN_A}/ratings/{year}/{quarter}/sheet.pdf")
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    from conftest import pdf_text

    text, _ = pdf_text(page.content)
    assert "环境整治示范岗" in text and "89" in text
