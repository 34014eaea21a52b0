from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from conftest import VILLAGE_A, VILLAGE_B, new_person, pdf_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.elections.models import Status
from cunshe.elections.tests.factories import ELECTION_DAY, open_election
from cunshe.people.services import relation_add
from cunshe.polling import printouts
from cunshe.polling.models import ListKind, Proxy, StaffMember
from cunshe.polling.services import (
    list_publish,
    mobile_voter_add,
    polling_open,
    proxy_add,
    scrutineer_problems,
    staff_add,
    station_add,
)
from cunshe.polling.tests.helpers import candidates_add, publish_candidates, voter_add
from cunshe.voters.services import voter_remove

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(zouping: Any) -> Any:
    return open_election(village=VILLAGE_A)


def _central(election: Any) -> Any:
    return station_add(actor=SYSTEM, election=election, kind="central", name="中心会场", place="村委会大院", booths=2)


def _scrutineers(station: Any, groups: tuple[str, ...] = ("第一村民小组", "第二村民小组", "第三村民小组")) -> list:
    people = []
    for group in groups:
        person = new_person(VILLAGE_A)
        voter_add(station.election, person, group)
        staff_add(actor=SYSTEM, station=station, person=person, role="scrutineer")
        people.append(person)
    return people


def test_one_central_venue_and_at_least_one_booth(election: Any) -> None:
    _central(election)
    with pytest.raises(DomainError) as exc:
        station_add(actor=SYSTEM, election=election, kind="central", name="第二会场", place="学校")
    assert "只设一个中心会场" in exc.value.text
    with pytest.raises(DomainError) as exc:
        station_add(actor=SYSTEM, election=election, kind="sub", name="一组投票站", place="一组", booths=0)
    assert "秘密写票处" in exc.value.text
    assert station_add(actor=SYSTEM, election=election, kind="sub", name="一组投票站", place="一组").booths == 1


def test_town_officer_of_other_town_cannot_add_station(election: Any, make_user: Any) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        station_add(
            actor=make_user("town_officer", "371681002"), election=election, kind="central", name="x", place="y"
        )
    viewer = make_user("village_cadre", VILLAGE_A)
    with pytest.raises(NotPermitted):
        station_add(actor=viewer, election=election, kind="central", name="x", place="y")
    officer = make_user("town_officer", "371681001")
    assert station_add(actor=officer, election=election, kind="central", name="中心会场", place="大院").pk


def test_scrutineer_who_is_a_candidate_or_relative_is_refused(election: Any) -> None:
    station = _central(election)
    candidate = new_person(VILLAGE_A, name="张大山")
    candidates_add(election, director=[candidate])
    with pytest.raises(DomainError) as exc:
        staff_add(actor=SYSTEM, station=station, person=candidate, role="scrutineer")
    assert "张大山是本次选举的正式候选人，不能担任监票人" in exc.value.text
    son = new_person(VILLAGE_A, name="张小山")
    relation_add(actor=SYSTEM, person=candidate, relative=son, kinship="child")
    with pytest.raises(DomainError) as exc:
        staff_add(actor=SYSTEM, station=station, person=son, role="scrutineer")
    assert "张小山是正式候选人张大山的子女（近亲属），不能担任监票人" in exc.value.text
    # the same people may issue ballots; a stranger to the candidates may scrutinize
    assert staff_add(actor=SYSTEM, station=station, person=son, role="issuer").pk
    assert staff_add(actor=SYSTEM, station=station, person=new_person(VILLAGE_A), role="scrutineer").pk
    # staff are people of the village
    with pytest.raises(DomainError) as exc:
        staff_add(actor=SYSTEM, station=station, person=new_person(VILLAGE_B), role="caller")
    assert "不是本村(社区)人员" in exc.value.text


def test_scrutineers_too_few_or_all_from_one_group(election: Any) -> None:
    station = _central(election)
    _scrutineers(station, ("第一村民小组", "第一村民小组"))
    problems = scrutineer_problems(station)
    assert any("监票人2名，每个投票站(票箱)须3名以上" in p for p in problems)
    third = new_person(VILLAGE_A, name="李三")
    voter_add(election, third, "第一村民小组")
    staff_add(actor=SYSTEM, station=station, person=third, role="scrutineer")
    problems = scrutineer_problems(station)
    assert len(problems) == 1 and "都来自第一村民小组，不能全部来自同一个村民小组" in problems[0]
    other = new_person(VILLAGE_A)
    voter_add(election, other, "第二村民小组")
    staff_add(actor=SYSTEM, station=station, person=other, role="scrutineer")
    assert scrutineer_problems(station) == []


def test_candidate_named_after_scrutineer_stops_the_poll(election: Any) -> None:
    station = _central(election)
    people = _scrutineers(station)
    candidates_add(election, committee_member=[people[0]])  # nominated after being chosen
    election = publish_candidates(election)
    with pytest.raises(DomainError) as exc:
        polling_open(actor=SYSTEM, election=election, on=ELECTION_DAY, expected_version=election.version)
    assert f"{people[0].name}是本次选举的正式候选人" in exc.value.text
    election.refresh_from_db()
    assert election.status == Status.CANDIDATES_PUBLISHED


def test_polling_open_only_on_election_day_with_scrutineers(election: Any) -> None:
    station = _central(election)
    mobile = station_add(actor=SYSTEM, election=election, kind="mobile", name="流动票箱一")
    _scrutineers(station)
    election = publish_candidates(election)
    with pytest.raises(DomainError) as exc:
        polling_open(actor=SYSTEM, election=election, on=ELECTION_DAY, expected_version=election.version)
    assert "流动票箱一：监票人0名" in exc.value.text
    _scrutineers(mobile)
    with pytest.raises(DomainError) as exc:
        polling_open(actor=SYSTEM, election=election, on=date(2026, 12, 19), expected_version=election.version)
    assert "投票只能在选举日（2026-12-20）开始" in exc.value.text
    election = polling_open(actor=SYSTEM, election=election, on=ELECTION_DAY, expected_version=election.version)
    assert election.status == Status.VOTING
    with pytest.raises(DomainError):  # the day's arrangements are fixed once voting opened
        station_add(actor=SYSTEM, election=election, kind="sub", name="迟设", place="x")


def _family(election: Any, n: int) -> tuple[Any, list[Any]]:
    trustee_person = new_person(VILLAGE_A, name="王受托")
    trustee = voter_add(election, trustee_person)
    principals = []
    for i in range(n):
        person = new_person(VILLAGE_A, name=f"王委托{i + 1}")
        relation_add(actor=SYSTEM, person=trustee_person, relative=person, kinship="child")
        principals.append(voter_add(election, person))
    return trustee, principals


def _proxy(election: Any, principal: Any, trustee: Any, approved: date = date(2026, 12, 18)) -> Proxy:
    return proxy_add(
        actor=SYSTEM,
        election=election,
        principal=principal,
        trustee=trustee,
        written_on=date(2026, 12, 15),
        approved_on=approved,
    )


def test_proxy_cap_boundary(election: Any) -> None:
    cap = election.rules.proxy_cap
    assert cap == 3
    trustee, principals = _family(election, cap + 1)
    for principal in principals[:cap]:
        _proxy(election, principal, trustee)
    with pytest.raises(DomainError) as exc:
        _proxy(election, principals[cap], trustee)
    assert "王受托已接受3人委托，每人接受委托不得超过3人" in exc.value.text
    assert Proxy.objects.filter(trustee=trustee).count() == cap


def test_proxy_approved_on_election_day_refused(election: Any) -> None:
    trustee, (principal,) = _family(election, 1)
    with pytest.raises(DomainError) as exc:
        _proxy(election, principal, trustee, approved=ELECTION_DAY)
    assert "委托须在选举日（2026-12-20）前经村民选举委员会同意" in exc.value.text
    assert _proxy(election, principal, trustee, approved=date(2026, 12, 19)).pk


def test_proxy_non_relative_or_candidate_trustee_refused(election: Any) -> None:
    principal = voter_add(election, new_person(VILLAGE_A, name="赵甲"))
    stranger = voter_add(election, new_person(VILLAGE_A, name="钱乙"))
    with pytest.raises(DomainError) as exc:
        _proxy(election, principal, stranger)
    assert "钱乙不是赵甲登记的近亲属" in exc.value.text
    relation_add(actor=SYSTEM, person=principal.person, relative=stranger.person, kinship="spouse")
    candidates_add(election, director=[stranger.person])
    with pytest.raises(DomainError) as exc:
        _proxy(election, principal, stranger)
    assert "钱乙是正式候选人，不能接受委托" in exc.value.text
    # a relative without a vote here (struck off the register)
    outsider = new_person(VILLAGE_A, name="孙丙")
    relation_add(actor=SYSTEM, person=principal.person, relative=outsider, kinship="sibling")
    struck = voter_remove(actor=SYSTEM, voter=voter_add(election, outsider), reason="moved_out", on=date(2026, 11, 20))
    with pytest.raises(DomainError) as exc:
        _proxy(election, principal, struck)
    assert "孙丙不在本次选举的选民名单上" in exc.value.text


def test_mobile_list_and_proxy_list_published_before_day(election: Any) -> None:
    mobile = station_add(actor=SYSTEM, election=election, kind="mobile", name="流动票箱一")
    voter = voter_add(election, new_person(VILLAGE_A, name="周老汉"), "第二村民小组")
    mobile_voter_add(actor=SYSTEM, station=mobile, voter=voter, reason="年老体弱，行动不便")
    with pytest.raises(DomainError) as exc:
        list_publish(actor=SYSTEM, election=election, what=ListKind.MOBILE, on=ELECTION_DAY)
    assert "须在选举日（2026-12-20）前公布" in exc.value.text
    list_publish(actor=SYSTEM, election=election, what=ListKind.MOBILE, on=date(2026, 12, 17))
    other = voter_add(election, new_person(VILLAGE_A))
    with pytest.raises(DomainError) as exc:
        mobile_voter_add(actor=SYSTEM, station=mobile, voter=other, reason="卧病")
    assert "已公布" in exc.value.text
    text, _ = pdf_text(printouts.mobile_list_pdf(election))
    assert "流动票箱服务选民名单" in text and "周老汉" in text and "年老体弱" in text
    public = Client(HTTP_HOST="127.0.0.1").get(f"/public/regions/{VILLAGE_A}/").content.decode()
    assert "流动票箱服务选民名单（2026-12-17 公布）" in public and "周老汉" in public


def test_ballots_pdf_text(election: Any) -> None:
    names = ["甲一", "甲二", "乙一", "乙二", "丙一", "丙二", "丙三", "丙四"]
    people = [new_person(VILLAGE_A, name=n) for n in names]
    # nominated out of creation order: the ballot follows Candidate.position (by nomination votes)
    candidates_add(
        election, director=[people[1], people[0]], deputy_director=[people[2], people[3]], committee_member=people[4:]
    )
    text, pages = pdf_text(printouts.ballots_pdf(election, copies=2))
    flat = text.replace("\n", "").replace(" ", "")
    assert flat.count("选票") >= 2 and pages == 1  # two ballots on one A4
    assert flat.startswith("西范村村民委员会选举选票")  # the village's name as villagers say it, the body once
    first = flat.split("沿此线裁开")[0]
    assert first.index("主任（应选1名）") < first.index("甲二") < first.index("甲一") < first.index("副主任（应选1名）")
    assert first.index("副主任（应选1名）") < first.index("乙一") < first.index("委员（应选3名）") < first.index("丙一")
    body = first[first.index("主任（应选1名）") :]
    assert body.count("另选他人＿＿＿＿") == 1 + 1 + 3  # a write-in line per seat
    assert "所选人数多于应选人数的为无效票" in first
    assert "编号" not in flat and "No." not in flat


def test_voter_cards_and_count_sheet_text(election: Any) -> None:
    central = _central(election)
    mobile = station_add(actor=SYSTEM, election=election, kind="mobile", name="流动票箱一")
    voter_add(election, new_person(VILLAGE_A, name="吴一"), "第一村民小组")
    far = voter_add(election, new_person(VILLAGE_A, name="吴二"), "第三村民小组")
    mobile_voter_add(actor=SYSTEM, station=mobile, voter=far, reason="残疾")
    text, _ = pdf_text(printouts.voter_cards_pdf(election))
    flat = text.replace("\n", "").replace(" ", "")
    assert "选民证" in flat and "吴一" in flat and "第一村民小组" in flat and "2026年12月20日" in flat
    assert "选民名单编号1" in flat and "选民名单编号2" in flat
    assert flat.index("吴二") < flat.index("流动票箱一") and "中心会场" in flat
    candidates_add(election, director=[new_person(VILLAGE_A, name="郑主任")])
    text, _ = pdf_text(printouts.count_sheet_pdf(central))
    flat = text.replace("\n", "").replace(" ", "")
    assert "计票单" in flat and "中心会场" in flat and "郑主任" in flat and "得票数" in flat
    assert "唱票人（签名）" in flat and "计票人（签名）" in flat and flat.count("监票人（签名）") == 3
    assert "发出选票" in flat and "另选他人" in flat


def test_staff_listed(election: Any) -> None:
    station = _central(election)
    _scrutineers(station)
    assert StaffMember.objects.filter(station=station, role="scrutineer").count() == 3


def test_pages_and_api(election: Any, make_user: Any, web_as: Any, api_as: Any) -> None:
    officer = make_user("town_officer", "371681001")
    other = make_user("town_officer", "371681002")
    page = web_as(officer).get(f"/polling/elections/{election.pk}/")
    assert page.status_code == 200 and "投票安排" in page.content.decode()
    assert web_as(other).get(f"/polling/elections/{election.pk}/").status_code == 404
    response = api_as(officer).post(
        f"/api/v1/polling/elections/{election.pk}/stations",
        {"kind": "central", "name": "中心会场", "place": "村委会"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    station_id = response.json()["id"]
    assert "监票人0名" in response.json()["problems"][0]
    refused = api_as(other).post(
        f"/api/v1/polling/elections/{election.pk}/stations",
        {"kind": "sub", "name": "x", "place": "y"},
        content_type="application/json",
    )
    assert refused.status_code == 404
    bad = api_as(officer).post(
        f"/api/v1/polling/elections/{election.pk}/stations",
        {"kind": "central", "name": "又一个", "place": "y"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "只设一个中心会场" in bad.json()["errors"]["kind"][0]
    sheet = api_as(officer).get(f"/api/v1/polling/stations/{station_id}/count-sheet.pdf")
    assert sheet.status_code == 200 and sheet["Content-Type"] == "application/pdf"
    detail = web_as(officer).get(f"/elections/{election.pk}/")
    assert "投票安排" in detail.content.decode()
    no_ballots = web_as(officer).get(f"/polling/elections/{election.pk}/ballots.pdf")
    assert no_ballots.status_code == 302  # no formal candidates yet: back to the page with the reason


def test_demo_arranges_and_opens_todays_election_and_runs_twice(zouping: Any) -> None:
    from cunshe.elections.services import election_move
    from cunshe.polling.demo import build_demo

    election = open_election(village=VILLAGE_A, day=date(2026, 12, 5))
    for n in range(24):
        voter_add(election, new_person(VILLAGE_A), f"第{n % 4 + 1}村民小组")
    for status, on in (
        (Status.REGISTER_PUBLISHED, date(2026, 11, 13)),
        (Status.CANDIDATES_PUBLISHED, date(2026, 11, 28)),
    ):
        election = election_move(
            actor=SYSTEM, election=election, to_status=status, on=on, expected_version=election.version
        )
    build_demo(seed=1)
    build_demo(seed=1)
    election.refresh_from_db()
    assert election.status == Status.VOTING
    assert election.stations.count() == 3
    assert Proxy.objects.filter(election=election).count() == 2
    assert all(scrutineer_problems(s) == [] for s in election.stations.all())


def test_a_three_character_name_stays_on_one_line_in_the_widest_ballot(zouping: Any) -> None:
    """Five members to elect from six candidates make eleven columns on the A4 width (as a party branch's five
    seats do). A name must not break inside itself ("田华" over "生" reads as two people): the columns' padding
    leaves room for three characters."""
    wide = open_election(village=VILLAGE_A, seats={"director": 1, "deputy_director": 1, "committee_member": 5})
    names = ["田华生", "董凤德", "马明英", "林海金", "余金凤", "赵芳华"]
    candidates_add(wide, committee_member=[new_person(VILLAGE_A, name=n) for n in names])
    text, _ = pdf_text(printouts.ballots_pdf(wide, copies=1))
    assert all(name in text for name in names), text[:400]
    flat = text.replace("\n", "")
    assert flat.count("另选他人＿＿＿") == 1 + 1 + 5  # a write-in line per seat, narrower in the narrow columns
