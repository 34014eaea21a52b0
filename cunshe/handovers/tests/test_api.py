"""The handover API does what the pages do, through the same services: opening, settings and templates, scans,
PDFs, leftover items and care, each refused outside the user's regions and on bad input with nothing saved."""

from __future__ import annotations

import base64
import json
from datetime import datetime, time, timedelta
from io import BytesIO
from typing import Any

import python_calamine
from django.utils import timezone

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B, VILLAGE_A, pdf_text
from cunshe.handovers.models import Handover, HandoverSettings, Leftover, Scan, Template, VillageSummary
from cunshe.handovers.services import leftover_add, scan_add
from cunshe.handovers.tests.conftest import TODAY, Cast, record_all
from cunshe.records.models import RecordEntry


def _json(client: Any, method: str, url: str, body: dict[str, Any]) -> Any:
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def _opening(cast: Cast, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "template": cast.committee.pk,
        "outgoing": cast.outgoing.pk,
        "incoming": cast.incoming.pk,
        "working_group": cast.officer.pk,
        "supervisor": cast.supervisor.pk,
        "starts_on": TODAY.isoformat(),
        "meeting_at": f"{TODAY.isoformat()}T15:00:00",
        "meeting_place": "西范村党群服务中心",
    }
    body.update(changes)
    return body


def _day_start(days: int) -> datetime:
    return datetime.combine(TODAY + timedelta(days=days), time.min, timezone.get_current_timezone())


def _opened() -> int:
    return RecordEntry.objects.filter(event="handovers.opened").count()


# Opening


def test_api_opens_a_committee_handover_for_a_village_and_a_leader_handover_for_a_post(cast: Cast, api_as: Any) -> None:
    api = api_as(cast.officer)
    choices = api.get(f"/api/v1/handovers/village/{VILLAGE_A}/choices").json()
    assert {t["name"] for t in choices["templates"]} == {cast.committee.name, cast.leader.name}
    assert {"王守业", "李新民"} <= {p["name"] for p in choices["people"]}
    assert "黛溪工作组" in [u["name"] for u in choices["working_group"]]
    assert [u["name"] for u in choices["supervisor"]] == ["纪委监督员"]
    assert (choices["committee_days"], choices["leader_days"], choices["legal_floor_days"]) == (10, 3, 10)

    made = _json(api, "POST", f"/api/v1/handovers/village/{VILLAGE_A}", _opening(cast))
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["kind"] == "committee" and body["accounts_frozen"] and body["status"] == "open"
    assert datetime.fromisoformat(body["due_at"]) == _day_start(11)
    assert len(body["items"]) == cast.committee.items.count() and body["supervisor"] == "纪委监督员"
    assert body["meeting_place"] == "西范村党群服务中心"
    # A time sent without an offset is the county's local time, as on the page's form.
    assert datetime.fromisoformat(body["meeting_at"]) == datetime.combine(
        TODAY, time(15), timezone.get_current_timezone()
    )
    assert VillageSummary.objects.get(region_id=VILLAGE_A).frozen == 1 and _opened() == 1

    post = _json(
        api,
        "POST",
        f"/api/v1/handovers/village/{VILLAGE_A}",
        _opening(cast, template=cast.leader.pk, post="村党支部书记", working_group_members="张三、李四"),
    )
    assert post.status_code == 201, post.content
    leader = post.json()
    assert (leader["kind"], leader["post"], leader["working_group_members"]) == ("leader", "村党支部书记", "张三、李四")
    assert datetime.fromisoformat(leader["due_at"]) == _day_start(4) and len(leader["items"]) == 15


def test_api_refuses_a_deadline_beyond_the_legal_floor_or_the_countys_stricter_one(
    cast: Cast, make_user: Any, api_as: Any
) -> None:
    api = api_as(cast.officer)
    url = f"/api/v1/handovers/village/{VILLAGE_A}"
    looser = _json(api, "POST", url, _opening(cast, days=11))
    assert looser.status_code == 400
    assert looser.json() == {
        "message": "交接信息有误，未保存。",
        "errors": {"days": ["交接期限最长 10 天（法定 10 日内），不能放宽。"]},
    }
    assert not Handover.objects.exists() and _opened() == 0
    assert not VillageSummary.objects.filter(planned__gt=0).exists()

    organizer = api_as(make_user("county_organizer", COUNTY))
    settings_url = f"/api/v1/handovers/settings/{COUNTY}"
    beyond = _json(organizer, "PUT", settings_url, {"leader_days": 3, "committee_days": 11, "copies": 5})
    assert beyond.status_code == 400
    assert beyond.json()["errors"] == {"committee_days": ["换届交接期限不能超过法定的 10 天（可以更严）。"]}
    assert not HandoverSettings.objects.exists()
    stricter = _json(organizer, "PUT", settings_url, {"leader_days": 2, "committee_days": 7, "copies": 5})
    assert stricter.status_code == 200 and stricter.json()["committee_days"] == 7

    refused = _json(api, "POST", url, _opening(cast, days=8))
    assert refused.status_code == 400 and refused.json()["errors"]["days"] == [
        "交接期限最长 7 天（法定 10 日内），不能放宽。"
    ]
    assert not Handover.objects.exists()
    assert api.get(f"/api/v1/handovers/village/{VILLAGE_A}/choices").json()["committee_days"] == 7
    default = _json(api, "POST", url, _opening(cast))
    assert datetime.fromisoformat(default.json()["due_at"]) == _day_start(8)
    leader = _json(api, "POST", url, _opening(cast, template=cast.leader.pk, days=3))
    assert leader.status_code == 400 and leader.json()["errors"]["days"] == ["交接期限最长 2 天，不能放宽。"]


def test_api_opening_is_refused_outside_the_users_villages_and_on_bad_input(
    cast: Cast, api_as: Any, make_person: Any
) -> None:
    url = f"/api/v1/handovers/village/{VILLAGE_A}"
    for outsider in (cast.officer_b, cast.cadre):  # another town; the village's cadre may not run its handover
        assert api_as(outsider).get(f"{url}/choices").status_code == 404
        assert _json(api_as(outsider), "POST", url, _opening(cast)).status_code == 404
    api = api_as(cast.officer)
    elsewhere = make_person("371681001214", name="外村人")  # same town, another village
    bad = _json(
        api, "POST", url, _opening(cast, outgoing=elsewhere.pk, supervisor=cast.officer.pk, working_group=cast.cadre.pk)
    )
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"outgoing", "supervisor", "working_group"}
    assert bad.json()["errors"]["supervisor"] == ["监交人须为负责该村(社区)的纪检监督人员。"]
    same = _json(api, "POST", url, _opening(cast, incoming=cast.outgoing.pk, meeting_place=" "))
    assert same.status_code == 400 and {"incoming", "meeting_place"} <= set(same.json()["errors"])
    late = _json(api, "POST", url, _opening(cast, meeting_at=f"{(TODAY + timedelta(days=20)).isoformat()}T09:00:00"))
    assert late.status_code == 400 and late.json()["errors"]["meeting_at"] == ["交接会须安排在交接期限内。"]
    missing = _json(api, "POST", url, {"template": cast.committee.pk})
    assert missing.status_code == 422 and missing.json()["errors"]["outgoing"] == ["必填"]
    assert not Handover.objects.exists() and _opened() == 0


# County settings and templates


def test_api_county_settings_are_read_below_and_changed_by_the_organizer_only(
    cast: Cast, make_user: Any, api_as: Any, other_county: Any
) -> None:
    url = f"/api/v1/handovers/settings/{COUNTY}"
    seen = api_as(cast.officer).get(url).json()
    assert (seen["committee_days"], seen["leader_days"], seen["copies"], seen["version"]) == (10, 3, 5, None)
    assert {t["name"] for t in seen["templates"]} == {cast.committee.name, cast.leader.name}
    assert api_as(cast.officer).get(f"/api/v1/handovers/settings/{OTHER_COUNTY}").status_code == 404
    assert api_as(cast.officer).get(f"/api/v1/handovers/settings/{TOWN_A}").status_code == 404
    denied = _json(api_as(cast.officer), "PUT", url, {"leader_days": 2, "committee_days": 8, "copies": 3})
    assert denied.status_code == 403 and not HandoverSettings.objects.exists()

    organizer = api_as(make_user("county_organizer", COUNTY))
    saved = _json(organizer, "PUT", url, {"leader_days": 2, "committee_days": 8, "copies": 3})
    assert saved.status_code == 200 and (saved.json()["copies"], saved.json()["version"]) == (3, 1)
    stale = _json(organizer, "PUT", url, {"leader_days": 2, "committee_days": 8, "copies": 4, "version": 7})
    assert stale.status_code == 409 and HandoverSettings.objects.get().copies == 3
    bad = _json(organizer, "PUT", url, {"leader_days": 0, "committee_days": 8, "copies": 30, "version": 1})
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"leader_days", "copies"}
    again = _json(organizer, "PUT", url, {"leader_days": 2, "committee_days": 6, "copies": 4, "version": 1})
    assert again.status_code == 200 and again.json()["version"] == 2
    assert RecordEntry.objects.filter(event="handovers.settings_updated").count() == 2


def test_api_a_county_adds_templates_row_by_row(cast: Cast, make_user: Any, api_as: Any) -> None:
    organizer = api_as(make_user("county_organizer", COUNTY))
    url = f"/api/v1/handovers/settings/{COUNTY}/templates"
    rows = [
        {"section": "法定事项", "title": "印章", "item_kind": "count", "expected": "公章一枚"},
        {"section": "法定事项", "title": "账簿", "item_kind": "document"},
    ]
    bad = _json(
        organizer,
        "POST",
        url,
        {"name": "社区交接清单", "kind": "committee", "items": [*rows, {**rows[0], "item_kind": "一堆"}]},
    )
    assert bad.status_code == 400 and bad.json()["errors"]["items"] == [
        "第 3 项须有名称和形式（实物、文件、款项或文字）。"
    ]
    assert not Template.objects.filter(name="社区交接清单").exists()
    denied = _json(api_as(cast.officer), "POST", url, {"name": "社区交接清单", "kind": "committee", "items": rows})
    assert denied.status_code == 403
    made = _json(organizer, "POST", url, {"name": "社区交接清单", "kind": "committee", "items": rows})
    assert made.status_code == 201
    template = made.json()
    assert [(i["title"], i["item_kind"], i["expected"]) for i in template["items"]] == [
        ("印章", "count", "公章一枚"),
        ("账簿", "document", ""),
    ]
    twice = _json(organizer, "POST", url, {"name": "社区交接清单", "kind": "committee", "items": rows})
    assert twice.status_code == 400 and twice.json()["errors"]["name"] == ["已有同名模板。"]
    read = api_as(cast.officer).get(f"/api/v1/handovers/templates/{template['id']}")
    assert read.status_code == 200 and read.json() == template
    assert api_as(cast.officer_b).get(f"/api/v1/handovers/templates/{template['id']}").status_code == 200  # county-wide
    opened = _json(
        api_as(cast.officer), "POST", f"/api/v1/handovers/village/{VILLAGE_A}", _opening(cast, template=template["id"])
    )
    assert [i["title"] for i in opened.json()["items"]] == ["印章", "账簿"]


# Scans, documents, leftovers, care, roll-up


def test_api_scans_are_uploaded_as_base64_and_read_back(cast: Cast, api_as: Any) -> None:
    handover = cast.open()
    item = handover.items.get(position=1)
    url = f"/api/v1/handovers/items/{item.pk}/scans"
    body = {
        "name": "印章.jpg",
        "content_type": "image/jpeg",
        "content_base64": base64.b64encode(b"\xff\xd8jpeg").decode(),
    }
    api = api_as(cast.officer)
    assert _json(api, "POST", url, {**body, "content_base64": "不是base64"}).json()["errors"] == {
        "content_base64": ["不是有效的 Base64 内容。"]
    }
    wrong = _json(api, "POST", url, {**body, "content_type": "application/x-msdownload"})
    assert wrong.status_code == 400 and wrong.json()["errors"]["file"] == ["只能上传 JPG、PNG 照片或 PDF 扫描件。"]
    assert _json(api_as(cast.cadre), "POST", url, body).status_code == 403
    assert _json(api_as(cast.officer_b), "POST", url, body).status_code == 404
    assert not Scan.objects.exists()
    made = _json(api, "POST", url, body)
    assert made.status_code == 201 and made.json()["size"] == 6
    scan = api.get(f"/api/v1/handovers/scans/{made.json()['id']}")
    assert scan.status_code == 200 and scan["Content-Type"] == "image/jpeg" and scan.content == b"\xff\xd8jpeg"
    assert api_as(cast.officer_b).get(f"/api/v1/handovers/scans/{made.json()['id']}").status_code == 404
    detail = api.get(f"/api/v1/handovers/{handover.pk}").json()
    assert detail["items"][0]["scans"][0]["name"] == "印章.jpg"


def test_api_serves_the_letter_and_notices_as_pdf(cast: Cast, make_user: Any, api_as: Any) -> None:
    handover = cast.open(template=cast.leader, post="村党支部书记")
    api = api_as(cast.officer)
    letter = api.get(f"/api/v1/handovers/{handover.pk}/letter.pdf")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    text, pages = pdf_text(letter.content)
    assert "共5份" in text.replace(" ", "") and pages >= 5
    leaving = api.get(f"/api/v1/handovers/{handover.pk}/leaving-notice.pdf")
    assert leaving["Content-Type"] == "application/pdf" and "离任通知书" in pdf_text(leaving.content)[0]
    notice = api.get(f"/api/v1/handovers/{handover.pk}/notice.pdf")
    assert "交接通知书" in pdf_text(notice.content)[0] and "长远规划" in pdf_text(notice.content)[0]
    for name in ("letter.pdf", "leaving-notice.pdf", "notice.pdf"):
        assert api_as(cast.officer_b).get(f"/api/v1/handovers/{handover.pk}/{name}").status_code == 404
    organizer = api_as(make_user("county_organizer", COUNTY))
    _json(
        organizer, "PUT", f"/api/v1/handovers/settings/{COUNTY}", {"leader_days": 3, "committee_days": 10, "copies": 2}
    )
    text = pdf_text(api.get(f"/api/v1/handovers/{handover.pk}/letter.pdf").content)[0].replace(" ", "")
    assert "共2份" in text and "第3份" not in text


def test_api_leftover_items_are_added_followed_flagged_and_moved(cast: Cast, api_as: Any) -> None:
    handover = cast.open()
    record_all(handover, cast.officer)
    api = api_as(cast.officer)
    version = Handover.objects.get(pk=handover.pk).version
    signed = _json(api, "POST", f"/api/v1/handovers/{handover.pk}/confirm", {"party": "outgoing", "version": version})
    assert signed.status_code == 200
    url = f"/api/v1/handovers/{handover.pk}/leftovers"
    past = _json(
        api, "POST", url, {"title": "清收欠款", "owner": "李新民", "due_on": (TODAY - timedelta(days=1)).isoformat()}
    )
    assert past.status_code == 400 and past.json()["errors"] == {"due_on": ["办结期限不能早于今天。"]}
    assert (
        _json(api_as(cast.cadre), "POST", url, {"title": "x", "owner": "y", "due_on": TODAY.isoformat()}).status_code
        == 403
    )
    assert not Leftover.objects.exists()
    made = _json(api, "POST", url, {"title": "清收欠款", "owner": "李新民", "due_on": TODAY.isoformat()})
    assert made.status_code == 201
    leftover = made.json()
    detail = api.get(f"/api/v1/handovers/{handover.pk}").json()
    assert [lo["title"] for lo in detail["leftovers"]] == ["清收欠款"]
    assert detail["confirmed"] == [] and detail["confirmations"][0]["voided_because"]  # the change voided the sign-off
    assert detail["may_confirm"] == ["outgoing", "incoming", "working_group"]

    lo_url = f"/api/v1/handovers/leftovers/{leftover['id']}"
    supervisor = api_as(cast.supervisor)
    assert _json(supervisor, "POST", f"{lo_url}/progress", {"text": " "}).status_code == 400
    note = _json(supervisor, "POST", f"{lo_url}/progress", {"text": "已约谈，三日内清收"})
    assert note.status_code == 201 and note.json()["written_by"] == "纪委监督员"
    assert _json(api_as(cast.cadre), "POST", f"{lo_url}/progress", {"text": "x"}).status_code == 403
    flag = {"accountability": "misstated", "accountability_note": "金额不符", "version": leftover["version"]}
    unexplained = _json(supervisor, "PUT", f"{lo_url}/accountability", {**flag, "accountability_note": ""})
    assert unexplained.status_code == 400 and "accountability_note" in unexplained.json()["errors"]
    flagged = _json(supervisor, "PUT", f"{lo_url}/accountability", flag)
    assert flagged.status_code == 200 and flagged.json()["accountability"] == "misstated"
    assert flagged.json()["notes"][0]["text"] == "已约谈，三日内清收"
    assert _json(supervisor, "PUT", f"{lo_url}/accountability", flag).status_code == 409  # the version moved on

    version = flagged.json()["version"]
    assert _json(supervisor, "POST", f"{lo_url}/status", {"to_status": "closed", "version": version}).status_code == 403
    assert _json(api, "POST", f"{lo_url}/status", {"to_status": "closed", "version": version - 1}).status_code == 409
    closed = _json(api, "POST", f"{lo_url}/status", {"to_status": "closed", "version": version})
    assert closed.status_code == 200 and closed.json()["status"] == "closed" and closed.json()["closed_on"]
    assert VillageSummary.objects.get(region_id=VILLAGE_A).leftovers_open == 0
    illegal = _json(api, "POST", f"{lo_url}/status", {"to_status": "closed", "version": version + 1})
    assert (
        illegal.status_code == 409
        and illegal.json()["message"] == "遗留事项不能从“已办结”转为“已办结”（可转为：办理中）。"
    )
    reopened = _json(api, "POST", f"{lo_url}/status", {"to_status": "open", "version": version + 1})
    assert reopened.status_code == 200 and reopened.json()["closed_on"] is None
    assert api_as(cast.officer_b).get(lo_url).status_code == 404
    assert api.get(lo_url).json()["supervisor"] == "纪委监督员"


def test_api_records_the_six_acts_of_care(cast: Cast, api_as: Any) -> None:
    handover = cast.open()
    url = f"/api/v1/handovers/{handover.pk}/care"
    api = api_as(cast.officer)
    future = _json(api, "POST", url, {"act": "letter", "done_on": (TODAY + timedelta(days=1)).isoformat()})
    assert future.status_code == 400 and future.json()["errors"] == {"done_on": ["完成日期不能晚于今天。"]}
    assert _json(api, "POST", url, {"act": "party", "done_on": TODAY.isoformat()}).status_code == 400
    assert _json(api_as(cast.cadre), "POST", url, {"act": "letter", "done_on": TODAY.isoformat()}).status_code == 403
    done = _json(api, "POST", url, {"act": "letter", "done_on": TODAY.isoformat(), "note": "书记亲送"})
    assert done.status_code == 200 and done.json() == {
        "act": "letter",
        "done_on": TODAY.isoformat(),
        "note": "书记亲送",
    }
    assert api.get(f"/api/v1/handovers/{handover.pk}").json()["care"] == [done.json()]


def test_api_rollup_by_town_and_county(cast: Cast, api_as: Any) -> None:
    for _ in range(2):
        cast.open()
    api = api_as(cast.officer)
    town = api.get(f"/api/v1/handovers/rollup/{TOWN_A}").json()
    village = next(r for r in town["rows"] if r["code"] == VILLAGE_A)
    assert (village["planned"], village["frozen"], town["total"]["planned"]) == (2, 2, 2)
    assert api.get(f"/api/v1/handovers/rollup/{TOWN_B}").status_code == 404
    assert api.get(f"/api/v1/handovers/rollup/{VILLAGE_A}").status_code == 404
    export = api.get(f"/api/v1/handovers/rollup/{TOWN_A}/export")
    rows = python_calamine.CalamineWorkbook.from_filelike(BytesIO(export.content)).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["区划代码", "单位", "计划交接"]
    assert str(next(r for r in rows if str(r[0]) == VILLAGE_A)[2]) in ("2", "2.0")


def test_api_detail_reads_in_constant_queries(cast: Cast, api_as: Any, django_assert_max_num_queries: Any) -> None:
    handover = cast.open()
    record_all(handover, cast.officer)
    item = handover.items.get(position=1)
    scan_add(actor=cast.officer, item=item, name="照片.jpg", content_type="image/jpeg", content=b"jpg")
    leftover_add(actor=cast.officer, handover=handover, title="甲", owner="乙", due_on=TODAY)
    api = api_as(cast.officer)
    with django_assert_max_num_queries(25) as few:
        first = api.get(f"/api/v1/handovers/{handover.pk}")
    assert first.status_code == 200 and len(first.json()["leftovers"]) == 1
    for n in range(4):
        leftover_add(actor=cast.officer, handover=handover, title=f"丙{n}", owner="乙", due_on=TODAY)
        scan_add(actor=cast.officer, item=item, name=f"照片{n}.jpg", content_type="image/jpeg", content=b"jpg")
    with django_assert_max_num_queries(len(few.captured_queries)):
        more = api.get(f"/api/v1/handovers/{handover.pk}")
    assert len(more.json()["leftovers"]) == 5 and len(more.json()["items"][0]["scans"]) == 5
