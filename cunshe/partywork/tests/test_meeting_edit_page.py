"""A draft meeting record is edited on its page through the service the API uses: the form comes prefilled with
what the record says and the version it was read at; a stale version, a bad decision line and a signed record are
refused on the form, nothing saved."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import TOWN_A, TOWN_B, VILLAGE_A
from cunshe.partywork.models import PartyMeeting
from cunshe.partywork.services import LOCKED
from cunshe.partywork.tests.helpers import branch_with_members, hold
from cunshe.records.models import RecordEntry

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _body(m: PartyMeeting, **changes: Any) -> dict[str, Any]:
    return {
        "version": m.version,
        "held_at": timezone.localtime(m.held_at).strftime("%Y-%m-%dT%H:%M"),
        "place": m.place,
        "topic": m.topic,
        "chair": m.chair_id,
        "recorder": m.recorder_id,
        "agenda": m.agenda,
        "discussion": m.discussion,
        "votes": m.votes,
        "decisions": "",
        **changes,
    }


def test_a_draft_is_edited_on_its_page(make_person: Any, make_user: Any, web_as: Any) -> None:
    branch, members = branch_with_members(VILLAGE_A, make_person, formed_on=TODAY - timedelta(days=3))
    m = hold(branch, members, on=TODAY, sign=False)
    cadre = web_as(make_user("village_cadre", VILLAGE_A))
    url = f"/partywork/meeting/{m.pk}/edit/"
    page = cadre.get(f"/partywork/meeting/{m.pk}/").content.decode()
    # prefilled: the place, the time as the browser's field reads it, the decisions one a line, the version
    assert "修改会议记录" in page and 'value="村党群服务中心"' in page
    assert (
        f"{TODAY:%Y-%m-%d}T00:00" in page and f"道路硬化方案征求群众意见｜{members[1].name}｜{TODAY:%Y-%m-%d}" in page
    )
    assert f'name="version" value="{m.version}"' in page
    # another town does not find it; a role that only reads is refused
    assert web_as(make_user("town_officer", TOWN_B)).post(url, _body(m)).status_code == 404
    assert web_as(make_user("discipline_supervisor", TOWN_A)).post(url, _body(m, place="别处")).status_code == 403
    bad = cadre.post(url, _body(m, decisions="修好路灯｜李四"))
    assert bad.status_code == 400 and "第 1 行须为" in bad.content.decode()
    stale = cadre.post(url, _body(m, place="村会议室", version=m.version + 1))
    assert stale.status_code == 400 and "已被他人修改" in stale.content.decode()
    late = cadre.post(url, _body(m, decisions=f"修好路灯｜李四｜{TODAY - timedelta(days=1):%Y-%m-%d}"))
    assert late.status_code == 400 and "完成时限须为会议当天或以后的日期" in late.content.decode()
    assert PartyMeeting.objects.get(pk=m.pk).version == m.version  # nothing saved by any of them
    done = cadre.post(
        url,
        _body(
            m,
            place="村会议室",
            chair=members[1].pk,
            recorder=members[0].pk,
            discussion="委员乙：不同意现选址。",
            decisions=f"修好路灯｜李四｜{TODAY + timedelta(days=30):%Y-%m-%d}\n道路选址再征求意见｜张三｜{TODAY:%Y-%m-%d}",
        ),
    )
    assert done.status_code == 302 and done["Location"] == f"/partywork/meeting/{m.pk}/"
    changed = PartyMeeting.objects.get(pk=m.pk)
    assert (changed.place, changed.chair_id, changed.version) == ("村会议室", members[1].pk, m.version + 1)
    assert not changed.by_secretary  # the secretary no longer chairs
    assert [d.owner for d in changed.decisions.all()] == ["李四", "张三"]
    entry = RecordEntry.objects.filter(event="partywork.meeting_edited").get()
    assert entry.object_id == str(m.pk) and entry.summary.endswith("修改记录")


def test_a_signed_record_offers_no_edit_and_refuses_one(make_person: Any, make_user: Any, web_as: Any) -> None:
    branch, members = branch_with_members(VILLAGE_A, make_person, formed_on=TODAY - timedelta(days=3))
    m = hold(branch, members, on=TODAY)
    cadre = web_as(make_user("village_cadre", VILLAGE_A))
    assert "修改会议记录" not in cadre.get(f"/partywork/meeting/{m.pk}/").content.decode()
    refused = cadre.post(f"/partywork/meeting/{m.pk}/edit/", _body(m, place="村会议室"))
    assert refused.status_code == 400 and LOCKED in refused.content.decode()
    assert PartyMeeting.objects.get(pk=m.pk).place == "村党群服务中心"
