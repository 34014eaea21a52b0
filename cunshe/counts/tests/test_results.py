"""The round's count through elections.tally, meeting quorum, the further round, the pages and the return."""

from datetime import date
from io import BytesIO
from typing import Any

import pytest
import python_calamine

from conftest import TOWN_A, TOWN_B, VILLAGE_A
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.counts.models import CountSummary, Sheet
from cunshe.counts.services import further_round_open, open_checks, scan_add, sheet_enter, sheet_sign_off
from cunshe.counts.tests.factories import PNG, meeting_election, sheet_data, voting_election
from cunshe.elections.models import ElectionResult, Round, Status


def _rows(content: bytes) -> list[list[Any]]:
    """The workbook's first sheet as the project reads spreadsheets (python-calamine; openpyxl only writes)."""
    return python_calamine.CalamineWorkbook.from_filelike(BytesIO(content)).get_sheet_by_index(0).to_python()


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    return {
        "cadre1": make_user("village_cadre", VILLAGE_A),
        "cadre2": make_user("village_cadre", VILLAGE_A),
        "officer": make_user("town_officer", TOWN_A),
        "officer_b": make_user("town_officer", TOWN_B),
    }


def _signed(c: dict[str, Any], p: dict[str, Any], station: Any, data: dict[str, Any]) -> Sheet:
    sheet_enter(actor=p["cadre1"], election=c["election"], station=station, data=data)
    sheet = sheet_enter(actor=p["cadre2"], election=c["election"], station=station, data=data)
    scan_add(actor=p["cadre1"], sheet=sheet, name="计票单.png", content_type="image/png", content=PNG)
    return sheet_sign_off(actor=p["officer"], sheet=sheet, expected_version=sheet.version)


def test_the_last_sign_off_counts_the_round_across_its_boxes(people: dict[str, Any]) -> None:
    c = voting_election(stations=2, voters=12)
    _signed(c, people, c["stations"][0], sheet_data(c, d1=4, d2=1, m1=4, m2=4, m3=2))
    election = c["election"]
    election.refresh_from_db()
    assert election.status == Status.VOTING and not ElectionResult.objects.filter(election=election).exists()
    _signed(c, people, c["stations"][1], sheet_data(c, issued=6, returned=6, d1=4, d2=2, m1=3, m2=3, m3=6))
    election.refresh_from_db()
    assert election.status == Status.COUNTED
    result = ElectionResult.objects.get(election=election)
    assert (result.registered, result.issued, result.returned, result.invalid) == (12, 11, 11, 0)
    director = next(p for p in result.count["posts"] if p["post"] == "director")
    assert {x["name"]: x["votes"] for x in director["candidates"]}[c["d1"].person.name] == 8
    assert result.outcome["lines"] and all(line["text"] for line in result.outcome["lines"])
    assert c["d1"].person_id in {m.person_id for m in result.elected.all()}
    summary = CountSummary.objects.get(election=election)
    assert summary.counted and summary.result_status == result.status and summary.elected == result.elected.count()


@pytest.mark.parametrize(("present", "valid"), [(8, False), (9, True)])
def test_a_meeting_is_valid_only_with_more_than_four_fifths_present(
    people: dict[str, Any], present: int, valid: bool
) -> None:
    c = meeting_election()
    absent = [{"name": f"党员{n}", "reason": "外出务工"} for n in range(10 - present)]
    data = {
        "issued": present, "returned": present, "valid": present, "invalid": 0,
        "votes": {str(c[f"p{n}"].pk): present for n in range(1, 6)},
        "due": 10, "present": present, "absent": absent,
        "excluded": [{"name": "流动党员甲", "reason": "流动党员，经党员大会同意不计入应到人数"}],
    }  # fmt: skip
    sheet_enter(actor=people["cadre1"], election=c["election"], station=None, data=data)
    sheet = sheet_enter(actor=people["cadre2"], election=c["election"], station=None, data=data)
    assert sheet.status == "reconciled", sheet.status
    scan_add(
        actor=people["cadre1"], sheet=sheet, name="会议计票单.pdf", content_type="application/pdf", content=b"%PDF"
    )
    sheet_sign_off(actor=people["officer"], sheet=sheet, expected_version=sheet.version)
    result = ElectionResult.objects.get(election=c["election"])
    assert result.valid is valid and result.registered == 10
    assert (result.status == "rerun") is not valid


def test_meeting_attendance_must_add_up(people: dict[str, Any]) -> None:
    from cunshe.counts.services import open_checks

    c = meeting_election()
    data = {"issued": 9, "returned": 9, "valid": 9, "invalid": 0, "due": 10, "present": 9, "absent": []}
    sheet_enter(actor=people["cadre1"], election=c["election"], station=None, data=data)
    sheet = sheet_enter(actor=people["cadre2"], election=c["election"], station=None, data=data)
    assert "attendance" in dict(open_checks(sheet))
    with pytest.raises(DomainError, match="会议选举只有一张计票单"):
        sheet_enter(actor=people["cadre1"], election=c["election"], station=voting_election()["stations"][0], data=data)


def test_a_round_leaving_a_seat_offers_the_further_round(people: dict[str, Any]) -> None:
    c = voting_election(stations=1, voters=10)
    # the director (a woman) is elected; one member over half, the others not: one member seat for 另行选举
    _signed(c, people, c["stations"][0], sheet_data(c, issued=8, returned=8, d1=2, d2=6, m1=6, m2=3, m3=3))
    result = ElectionResult.objects.get(election=c["election"])
    assert result.status in ("further_round", "tie"), result.outcome
    c["election"].refresh_from_db()
    with pytest.raises(NotPermitted):
        further_round_open(actor=people["cadre1"], election=c["election"], election_day=date(2026, 12, 27))
    further = further_round_open(actor=people["officer"], election=c["election"], election_day=date(2026, 12, 27))
    assert further.round == Round.FURTHER and {p.post: p.seats for p in further.posts.all()} == {"committee_member": 1}


def test_pages_enter_a_sheet_and_the_board_polls(people: dict[str, Any], web_as: Any) -> None:
    c = voting_election(stations=1)
    election, box = c["election"], c["stations"][0]
    page = web_as(people["officer"]).get(f"/elections/{election.pk}/")
    assert "计票" in page.content.decode() and "录入" in page.content.decode()
    form = {"station": box.pk, "issued": 5, "returned": 5, "valid": 5, "invalid": 0, "void_director": 0,
            "void_committee_member": 0, **{f"votes_{c[k].pk}": 1 for k in ("d1", "d2", "m1", "m2", "m3")}}  # fmt: skip
    assert web_as(people["cadre1"]).post(f"/counts/elections/{election.pk}/enter/", form).status_code == 302
    again = web_as(people["cadre1"]).post(f"/counts/elections/{election.pk}/enter/", form)
    assert again.status_code == 200 and "同一账号不能录入" in again.content.decode()
    board = web_as(people["officer"]).get(f"/counts/board/?under={TOWN_A}&day=2026-12-20").content.decode()
    assert 'hx-trigger="every 15s"' in board and "西范村委会" in board
    live = web_as(people["officer"]).get(f"/counts/board/live/?under={TOWN_A}&day=2026-12-20").content.decode()
    assert "<html" not in live and "西范村委会" in live


def test_the_statistical_return_per_village(people: dict[str, Any], web_as: Any) -> None:
    c = voting_election(stations=1, voters=10, proxies=2)
    data = {**sheet_data(c, issued=8, returned=8, d1=2, d2=6, m1=6, m2=5, m3=5), "written_for": 3}
    _signed(c, people, c["stations"][0], data)
    content = web_as(people["officer"]).get(f"/counts/return/?under={TOWN_A}").content
    rows = [tuple(r) for r in _rows(content)]
    assert rows[0] == (
        "区划代码", "区划名称", "登记选民数", "参加投票人数", "委托投票数", "流动票箱投票数", "代写选票数", "投票站数",
        "秘密写票处数", "当选人数", "其中另行选举当选", "当选妇女", "当选党员",
    )  # fmt: skip
    mine = next(r for r in rows if r[0] == VILLAGE_A)
    result = ElectionResult.objects.get(election=c["election"])
    assert mine[2:7] == (10, 8, 2, 0, 3) and mine[9] == result.elected.count()
    assert rows[-1][1] == "合计" and rows[-1][3:7] == (8, 2, 0, 3)
    # a town officer of another town gets no rows of this town's villages
    other = web_as(people["officer_b"]).get(f"/counts/return/?under={TOWN_A}").content
    assert all(r[0] != VILLAGE_A for r in _rows(other))


def test_ballots_written_for_others_cannot_exceed_the_ballots_returned(people: dict[str, Any]) -> None:
    c = voting_election(stations=1, voters=10)
    data = {**sheet_data(c, issued=8, returned=8, d1=2, d2=6, m1=6, m2=5, m3=5), "written_for": 9}
    sheet_enter(actor=people["cadre1"], election=c["election"], station=c["stations"][0], data=data)
    sheet = sheet_enter(actor=people["cadre2"], election=c["election"], station=c["stations"][0], data=data)
    assert sheet.status == "quarantined" and "written_for" in dict(open_checks(sheet))
    with pytest.raises(DomainError, match="代写选票须为不小于 0 的整数"):
        sheet_enter(actor=people["cadre1"], election=c["election"], station=c["stations"][0],
                    data={**data, "written_for": -1})  # fmt: skip


def test_the_sheet_page_shows_differences_side_by_side_only_to_the_settler(people: dict[str, Any], web_as: Any) -> None:
    c = voting_election(stations=1)
    box, key = c["stations"][0], f"votes:{c['d1'].pk}"
    sheet_enter(actor=people["cadre1"], election=c["election"], station=box, data=sheet_data(c, d1=3))
    sheet = sheet_enter(actor=people["cadre2"], election=c["election"], station=box, data=sheet_data(c, d1=4))
    clerk = web_as(people["cadre2"]).get(f"/counts/sheets/{sheet.pk}/").content.decode()
    assert "两次录入的差异" not in clerk and f"value_{key}" not in clerk
    page = web_as(people["officer"]).get(f"/counts/sheets/{sheet.pk}/").content.decode()
    assert "两次录入的差异" in page and f'name="value_{key}"' in page
    refused = web_as(people["cadre2"]).post(
        f"/counts/sheets/{sheet.pk}/settle/", {"version": sheet.version, f"value_{key}": "3"}
    )
    assert refused.status_code == 403
    done = web_as(people["officer"]).post(
        f"/counts/sheets/{sheet.pk}/settle/", {"version": sheet.version, f"value_{key}": "3"}
    )
    assert done.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == "reconciled" and sheet.figures[key] == 3
