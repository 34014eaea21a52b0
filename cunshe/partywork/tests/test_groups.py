"""Floating members' temporary groups (临时党小组, 船头党小组): the town sets one up, adds and removes members (a
removal ends the membership on a day and keeps it), hands the leadership over and dissolves the group, on its pages
and through the API with the same services; the villages read their town's groups, another town finds nothing."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
import python_calamine
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import TOWN_A, TOWN_B, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, IllegalTransition, NotPermitted
from cunshe.partywork import hooks, rules, selectors
from cunshe.partywork.models import FloatingGroup, GroupMembership
from cunshe.partywork.services import (
    card_issue,
    floating_register,
    group_create,
    group_dissolve,
    group_leader_set,
    group_member_add,
    group_member_remove,
    member_return,
)
from cunshe.records.models import RecordEntry
from cunshe.requests.selectors import raised_and_solved_per_person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
OTHER_A = "371681001214"  # another village of TOWN_A


def _carded(make_person: Any, village: str = VILLAGE_A, name: str = "") -> Any:
    person = make_person(
        village, is_party_member=True, party_joined_on=date(2001, 7, 1), **({"name": name} if name else {})
    )
    left = TODAY - timedelta(days=30)
    m = floating_register(
        actor=SYSTEM,
        person=person,
        whereabouts="微山湖捕捞船队",
        left_on=left,
        expected_back_on=rules.add_months(left, 4),
    )
    card_issue(actor=SYSTEM, member=m, issued_on=left, valid_until=rules.add_months(left, 6))
    return m


def _group(crew: list[Any], actor: Any = SYSTEM, name: str = "鲁微渔 0123 船头党小组") -> FloatingGroup:
    return group_create(
        actor=actor,
        town_code=TOWN_A,
        kind="boat",
        name=name,
        whereabouts="微山湖",
        formed_on=TODAY - timedelta(days=10),
        members=crew,
    )


def _present(g: FloatingGroup) -> set[int]:
    return set(GroupMembership.objects.filter(group=g, left_on__isnull=True).values_list("member_id", flat=True))


def test_members_join_and_leave_with_dates_and_the_history_stays(make_person: Any, make_user: Any) -> None:
    crew = [_carded(make_person), _carded(make_person), _carded(make_person, OTHER_A)]
    officer = make_user("town_officer", TOWN_A)
    g = _group(crew, officer)
    fourth, fifth = _carded(make_person), _carded(make_person)
    # only the town adds: the village is refused, another town does not find the group
    with pytest.raises(NotPermitted):
        group_member_add(
            actor=make_user("village_cadre", VILLAGE_A), group=g, member=fourth, joined_on=TODAY, expected_version=1
        )
    with pytest.raises(Http404):
        group_member_add(
            actor=make_user("town_officer", TOWN_B), group=g, member=fourth, joined_on=TODAY, expected_version=1
        )
    # not before the group was formed; never a member in two groups at once; a card is needed on the day
    with pytest.raises(DomainError, match="加入临时党小组"):
        group_member_add(actor=officer, group=g, member=fourth, joined_on=g.formed_on - timedelta(days=1), **_v(g))
    other = _group([fifth, _carded(make_person), _carded(make_person)], name="第二船头党小组")
    with pytest.raises(DomainError) as caught:
        group_member_add(actor=officer, group=g, member=fifth, joined_on=TODAY, **_v(g))
    assert "已是第二船头党小组成员" in caught.value.text
    row = group_member_add(actor=officer, group=g, member=fourth, joined_on=TODAY, **_v(g))
    assert _present(g) == {*(m.pk for m in crew), fourth.pk}
    # the leader hands over before leaving; a reason is needed
    with pytest.raises(DomainError, match="未能移出") as caught:
        group_member_remove(actor=officer, group=g, member=crew[0], left_on=TODAY, reason="转产上岸", **_v(g))
    assert "请先更换组长" in caught.value.text
    with pytest.raises(DomainError, match="未能移出"):
        group_member_remove(actor=officer, group=g, member=fourth, left_on=TODAY, reason="", **_v(g))
    g = group_leader_set(actor=officer, group=g, member=crew[1], **_v(g))
    assert g.leader_id == crew[1].person_id
    with pytest.raises(DomainError, match="现有成员"):
        group_leader_set(actor=officer, group=g, member=fifth, **_v(g))
    left = group_member_remove(actor=officer, group=g, member=crew[0], left_on=TODAY, reason="转产上岸", **_v(g))
    # ended, not deleted: the row stays with its dates, and the record book says so
    assert GroupMembership.objects.filter(group=g, member=crew[0]).get().left_on == TODAY
    assert (left.joined_on, left.left_reason) == (g.formed_on, "转产上岸") and row.left_on is None
    assert RecordEntry.objects.filter(event="partywork.group_left").count() == 1
    # three left: one more would leave too few, so the group is dissolved instead
    with pytest.raises(DomainError) as caught:
        group_member_remove(actor=officer, group=g, member=fourth, left_on=TODAY, reason="返乡", **_v(g))
    assert "不足 3 人" in caught.value.text
    # a stale version is refused
    with pytest.raises(DomainError, match="刷新"):
        group_dissolve(actor=officer, group=g, dissolved_on=TODAY, expected_version=1)
    with pytest.raises(NotPermitted):
        group_dissolve(actor=make_user("village_cadre", VILLAGE_A), group=g, dissolved_on=TODAY, **_v(g))
    g = group_dissolve(actor=officer, group=g, dissolved_on=TODAY, **_v(g))
    assert _present(g) == set() and GroupMembership.objects.filter(group=g).count() == 4
    assert set(GroupMembership.objects.filter(group=g).values_list("left_reason", flat=True)) == {
        "转产上岸",
        "党小组撤销",
    }
    with pytest.raises(IllegalTransition, match="已于"):
        group_member_add(actor=officer, group=g, member=fourth, joined_on=TODAY, **_v(g))
    # the dissolved group no longer counts; the other one does
    counts = selectors.floating_counts(officer, TOWN_A)
    assert counts["boat_groups"] == 1 and other.dissolved_on is None


def _v(g: FloatingGroup) -> dict[str, int]:
    return {"expected_version": FloatingGroup.objects.get(pk=g.pk).version}


def test_a_member_coming_home_leaves_the_group_that_day(make_person: Any) -> None:
    crew = [_carded(make_person) for _ in range(4)]
    g = _group(crew)
    back = crew[3]
    member_return(actor=SYSTEM, member=back, returned_on=TODAY, expected_version=back.version)
    row = GroupMembership.objects.get(group=g, member=back)
    assert (row.left_on, row.left_reason) == (TODAY, "返回原籍") and len(_present(g)) == 3


def test_the_group_pages_act_through_the_services(make_person: Any, make_user: Any, web_as: Any) -> None:
    crew = [_carded(make_person, name=f"船员{n}") for n in range(5)]
    town = web_as(make_user("town_officer", TOWN_A))
    page = town.get(f"/partywork/region/{TOWN_A}/groups/")
    assert page.status_code == 200 and "建立临时党小组" in page.content.decode() and "船员4" in page.content.decode()
    body = {
        "kind": "boat",
        "name": "鲁微渔 0123 船头党小组",
        "whereabouts": "微山湖",
        "formed_on": (TODAY - timedelta(days=3)).isoformat(),
        "members": [m.pk for m in crew[:2]],
        "leader": crew[0].pk,
    }
    bad = town.post(f"/partywork/town/{TOWN_A}/groups/", body)
    assert bad.status_code == 400 and "3 名以上" in bad.content.decode() and not FloatingGroup.objects.exists()
    answer = town.post(f"/partywork/town/{TOWN_A}/groups/", {**body, "members": [m.pk for m in crew[:3]]})
    g = FloatingGroup.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/partywork/group/{g.pk}/"
    shown = town.get(f"/partywork/group/{g.pk}/").content.decode()
    assert "船员2" in shown and "加入成员" in shown and "（组长）" in shown
    town.post(f"/partywork/group/{g.pk}/members/", {"member": crew[3].pk, "joined_on": TODAY, "version": g.version})
    assert _present(g) == {m.pk for m in crew[:4]}
    g.refresh_from_db()
    done = town.post(
        f"/partywork/group/{g.pk}/members/{crew[2].pk}/leave/",
        {"left_on": TODAY, "reason": "转入其他船队", "version": g.version},
        follow=True,
    )
    assert "已于" in done.content.decode() and "曾经的成员" in done.content.decode()
    assert crew[2].pk not in _present(g) and GroupMembership.objects.filter(member=crew[2]).exists()
    # a refused leave is a message on the group page, nothing changes
    g.refresh_from_db()
    refused = town.post(
        f"/partywork/group/{g.pk}/members/{crew[0].pk}/leave/",
        {"left_on": TODAY, "reason": "x", "version": g.version},
        follow=True,
    )
    assert "请先更换组长" in refused.content.decode() and crew[0].pk in _present(g)
    # the village reads its town's group but may not change it; another town finds nothing
    village = web_as(make_user("village_cadre", VILLAGE_A))
    assert "船员0" in village.get(f"/partywork/group/{g.pk}/").content.decode()
    assert "加入成员" not in village.get(f"/partywork/group/{g.pk}/").content.decode()
    assert (
        village.post(f"/partywork/group/{g.pk}/dissolve/", {"dissolved_on": TODAY, "version": g.version}).status_code
        == 403
    )
    assert village.post(f"/partywork/town/{TOWN_A}/groups/", body).status_code == 403
    other = web_as(make_user("town_officer", TOWN_B))
    assert other.get(f"/partywork/group/{g.pk}/").status_code == 404
    assert (
        other.post(f"/partywork/group/{g.pk}/dissolve/", {"dissolved_on": TODAY, "version": g.version}).status_code
        == 404
    )
    assert FloatingGroup.objects.get().dissolved_on is None
    # linked from the floating members' list
    assert f"/partywork/region/{TOWN_A}/groups/" in town.get(f"/partywork/region/{TOWN_A}/floating/").content.decode()


def test_the_group_list_counts_requests_in_a_constant_number_of_queries(
    make_person: Any, make_user: Any, web_as: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(12):
        _group([_carded(make_person) for _ in range(3)], name=f"第{n}船头党小组")
    town = web_as(make_user("town_officer", TOWN_A))
    with django_assert_max_num_queries(16):
        page = town.get(f"/partywork/region/{TOWN_A}/groups/")
    assert page.content.decode().count("船头党小组</a>") == 12
    officer = make_user("town_officer", TOWN_A)
    one = FloatingGroup.objects.order_by("id").first()
    assert one is not None
    persons = list(one.memberships.values_list("member__person_id", flat=True))
    hooks.set_floating_requests_per_person(lambda ids: {persons[0]: (3, 2), persons[1]: (1, 1)})
    try:
        lines = selectors.group_lines(selectors.groups_of(officer, TOWN_A))
        assert {(x.requests_raised, x.requests_solved) for x in lines if x.group == one} == {(4, 3)}
        assert {(x.requests_raised, x.requests_solved) for x in lines if x.group != one} == {(0, 0)}
        hooks.set_floating_requests_per_person(None)  # unwired: "not connected", never a made-up zero
        assert selectors.group_lines([one])[0].requests_raised is None
    finally:
        hooks.set_floating_requests_per_person(raised_and_solved_per_person)


def test_the_group_api(make_person: Any, make_user: Any, api_as: Any) -> None:
    crew = [_carded(make_person) for _ in range(5)]
    api = api_as(make_user("town_officer", TOWN_A))
    made = api.post(
        f"/api/v1/partywork/towns/{TOWN_A}/groups",
        {
            "kind": "temporary",
            "name": "苏州工业园区临时党小组",
            "whereabouts": "江苏省苏州市",
            "formed_on": TODAY.isoformat(),
            "member_ids": [m.pk for m in crew[:3]],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    got = made.json()
    gid, version = got["id"], got["version"]
    assert got["size"] == 3 and len(got["memberships"]) == 3
    joined = api.post(
        f"/api/v1/partywork/groups/{gid}/members",
        {"member_id": crew[3].pk, "joined_on": TODAY.isoformat(), "version": version},
        content_type="application/json",
    )
    assert joined.status_code == 201 and joined.json()["size"] == 4
    version = joined.json()["version"]
    left = api.post(
        f"/api/v1/partywork/groups/{gid}/members/{crew[3].pk}/leave",
        {"left_on": TODAY.isoformat(), "reason": "换厂务工", "version": version},
        content_type="application/json",
    )
    assert left.status_code == 200 and left.json()["size"] == 3
    assert [m["left_reason"] for m in left.json()["memberships"] if m["member_id"] == crew[3].pk] == ["换厂务工"]
    version = left.json()["version"]
    lead = api.post(
        f"/api/v1/partywork/groups/{gid}/leader",
        {"member_id": crew[1].pk, "version": version},
        content_type="application/json",
    )
    assert lead.status_code == 200 and lead.json()["leader"] == crew[1].person.name
    listed = api.get(f"/api/v1/partywork/regions/{TOWN_A}/groups").json()["items"]
    assert [g["id"] for g in listed] == [gid] and listed[0]["requests_raised"] == 0
    # the village reads, may not change; another town finds nothing
    village = api_as(make_user("village_cadre", VILLAGE_A))
    assert village.get(f"/api/v1/partywork/groups/{gid}").status_code == 200
    body = {"dissolved_on": TODAY.isoformat(), "version": lead.json()["version"]}
    assert (
        village.post(f"/api/v1/partywork/groups/{gid}/dissolve", body, content_type="application/json").status_code
        == 403
    )
    other = api_as(make_user("town_officer", TOWN_B))
    assert other.get(f"/api/v1/partywork/groups/{gid}").status_code == 404
    assert (
        other.post(f"/api/v1/partywork/groups/{gid}/dissolve", body, content_type="application/json").status_code == 404
    )
    gone = api.post(f"/api/v1/partywork/groups/{gid}/dissolve", body, content_type="application/json")
    assert gone.status_code == 200 and gone.json()["dissolved_on"] == TODAY.isoformat() and gone.json()["size"] == 0
    again = api.post(
        f"/api/v1/partywork/groups/{gid}/members",
        {"member_id": crew[4].pk, "joined_on": TODAY.isoformat(), "version": gone.json()["version"]},
        content_type="application/json",
    )
    assert again.status_code in (400, 409) and "撤销" in again.content.decode()


def test_the_floating_ledger_lists_cards_groups_and_reports(
    make_person: Any, make_user: Any, web_as: Any, api_as: Any
) -> None:
    crew = [_carded(make_person, name=f"台账船员{n}") for n in range(3)]
    _group(crew)
    officer = make_user("town_officer", TOWN_A)
    client = web_as(officer)
    with CaptureQueriesContext(connection) as few:
        answer = client.get(f"/partywork/region/{TOWN_A}/floating.xlsx")
    assert answer.status_code == 200
    rows = python_calamine.CalamineWorkbook.from_filelike(BytesIO(answer.content)).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["村(社区)", "姓名", "流入地（所在地）"] and len(rows) == 4
    first = next(r for r in rows if r[1] == "台账船员0")
    assert "鲁微渔 0123 船头党小组" in str(first[9]) and "有效期至" in str(first[8])
    # as many queries for three times the rows
    _group([_carded(make_person) for _ in range(6)][:3], name="第二船头党小组")
    for _ in range(3):
        _carded(make_person, OTHER_A)
    with CaptureQueriesContext(connection) as more:
        assert len(client.get(f"/partywork/region/{TOWN_A}/floating.xlsx").content) > 0
    assert len(more) == len(few)
    api = api_as(officer).get(f"/api/v1/partywork/regions/{TOWN_A}/floating.xlsx")
    assert api.status_code == 200 and api.content[:2] == b"PK"
    # another town's ledger is not found
    assert web_as(make_user("town_officer", TOWN_B)).get(f"/partywork/region/{TOWN_A}/floating.xlsx").status_code == 404
