from datetime import date
from typing import Any

import pytest
from django.http import Http404

from conftest import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.counts import selectors
from cunshe.counts.models import CountSummary, SheetStatus
from cunshe.counts.services import (
    count_of,
    scan_add,
    sheet_clear,
    sheet_correct,
    sheet_enter,
    sheet_settle,
    sheet_sign_off,
)
from cunshe.counts.tests.factories import PNG, sheet_data, voting_election
from cunshe.elections.tests.factories import ELECTION_DAY
from cunshe.records.models import RecordEntry
from cunshe.regions.models import Region


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    return {
        "cadre1": make_user("village_cadre", VILLAGE_A),
        "cadre2": make_user("village_cadre", VILLAGE_A),
        "officer": make_user("town_officer", TOWN_A),
        "officer_b": make_user("town_officer", TOWN_B),
    }


def _both(
    c: dict[str, Any], p: dict[str, Any], station: Any, data: dict[str, Any], second: dict[str, Any] | None = None
) -> Any:
    sheet_enter(actor=p["cadre1"], election=c["election"], station=station, data=data)
    return sheet_enter(actor=p["cadre2"], election=c["election"], station=station, data=second or data)


def test_two_accounts_enter_a_sheet_and_equal_entries_reconcile_it(people: dict[str, Any]) -> None:
    c = voting_election()
    box = c["stations"][0]
    data = sheet_data(c, d1=3, d2=2, m1=4, m2=3, m3=3)
    sheet = sheet_enter(actor=people["cadre1"], election=c["election"], station=box, data=data)
    assert sheet.status == SheetStatus.FIRST
    with pytest.raises(DomainError, match="同一账号不能录入同一计票单两次"):
        sheet_enter(actor=people["cadre1"], election=c["election"], station=box, data=data)
    sheet = sheet_enter(actor=people["cadre2"], election=c["election"], station=box, data=data)
    assert sheet.status == SheetStatus.RECONCILED
    assert sheet.figures["returned"] == 5 and sheet.figures[f"votes:{c['d1'].pk}"] == 3
    with pytest.raises(DomainError, match="已录入两次"):
        sheet_enter(actor=people["officer"], election=c["election"], station=box, data=data)
    # the record book does not carry the figures of an entry (the other entrant may read the book)
    entries = RecordEntry.objects.filter(event="counts.entered")
    assert entries.count() == 2 and all("收回选票" not in str(e.after) for e in entries)


def test_the_second_entrant_never_reads_the_first_entry(people: dict[str, Any], api_as: Any) -> None:
    c = voting_election()
    box = c["stations"][0]
    sheet = sheet_enter(actor=people["cadre1"], election=c["election"], station=box, data=sheet_data(c, d1=5))
    shown = api_as(people["cadre2"]).get(f"/api/v1/counts/sheets/{sheet.pk}").json()
    assert shown["entries"] == [] and shown["figures"] == {} and shown["differences"] == []
    sheet = sheet_enter(actor=people["cadre2"], election=c["election"], station=box, data=sheet_data(c, d1=4))
    assert sheet.status == SheetStatus.DIFFERING
    for who in ("cadre1", "cadre2"):
        shown = api_as(people[who]).get(f"/api/v1/counts/sheets/{sheet.pk}").json()
        assert [e["number"] for e in shown["entries"]] == [1 if who == "cadre1" else 2]
        assert shown["figures"] == {} and shown["differences"] == []
    settler = api_as(people["officer"]).get(f"/api/v1/counts/sheets/{sheet.pk}").json()
    assert len(settler["entries"]) == 2 and settler["differences"] == [f"votes:{c['d1'].pk}"]


def test_differences_are_settled_field_by_field_against_the_paper(people: dict[str, Any]) -> None:
    c = voting_election()
    box = c["stations"][0]
    sheet = _both(c, people, box, sheet_data(c, d1=5, m1=3), sheet_data(c, d1=4, m1=2))
    key_d1, key_m1 = f"votes:{c['d1'].pk}", f"votes:{c['m1'].pk}"
    with pytest.raises(NotPermitted):
        sheet_settle(
            actor=people["cadre1"], sheet=sheet, choices={key_d1: 5, key_m1: 3}, expected_version=sheet.version
        )
    with pytest.raises(DomainError) as missing:
        sheet_settle(actor=people["officer"], sheet=sheet, choices={key_d1: 5}, expected_version=sheet.version)
    assert key_m1 in missing.value.field_errors
    with pytest.raises(DomainError):
        sheet_settle(
            actor=people["officer"], sheet=sheet, choices={key_d1: 5, key_m1: 3, "issued": 9},
            expected_version=sheet.version,
        )  # fmt: skip
    sheet = sheet_settle(
        actor=people["officer"], sheet=sheet, choices={key_d1: 5, key_m1: 1}, expected_version=sheet.version
    )
    assert sheet.status == SheetStatus.RECONCILED
    assert sheet.figures[key_d1] == 5 and sheet.figures[key_m1] == 1  # the paper's figure, neither entry's
    entry = RecordEntry.objects.get(event="counts.settled")
    assert entry.after and entry.after[f"{c['m1'].person.name}得票"] == {"值": 1, "录入一": 3, "录入二": 2}
    assert entry.before == {"状态": "两次录入不一致"} and entry.after["状态"] == "核对一致"


@pytest.mark.parametrize(
    ("data", "check"),
    [
        ({"issued": 5, "returned": 5}, None),  # returned = issued: fine
        ({"issued": 5, "returned": 6}, "over_issued"),  # issued + 1: stopped
    ],
)
def test_returned_over_issued_stops_the_sheet_at_its_boundary(people: dict[str, Any], data: dict, check: Any) -> None:
    c = voting_election()
    sheet = _both(c, people, c["stations"][0], sheet_data(c, d1=3, **data))
    failed = [k for k, _ in __import__("cunshe.counts.services", fromlist=["open_checks"]).open_checks(sheet)]
    assert failed == ([check] if check else [])
    assert sheet.status == (SheetStatus.QUARANTINED if check else SheetStatus.RECONCILED)


def test_votes_on_a_post_may_reach_but_not_pass_the_ballots_times_seats(people: dict[str, Any]) -> None:
    from cunshe.counts.services import open_checks

    c = voting_election()
    # 5 returned, 1 invalid, 1 void for members: (5 - 1 - 1) x 2 seats = 6 member votes at most
    at = sheet_data(c, invalid=1, d1=4, m1=3, m2=3)
    at["void"] = {"committee_member": 1}
    sheet = _both(c, people, c["stations"][0], at)
    assert open_checks(sheet) == []
    over = sheet_data(c, invalid=1, d1=4, m1=3, m2=3, m3=1)
    over["void"] = {"committee_member": 1}
    sheet = _both(c, people, c["stations"][1], over)
    assert [k for k, _ in open_checks(sheet)] == ["post:committee_member"]
    assert "超过可投票数 6 票" in open_checks(sheet)[0][1]


def test_sums_zeros_and_a_box_reported_twice_are_quarantined(people: dict[str, Any]) -> None:
    from cunshe.counts.services import open_checks

    c = voting_election(stations=3)
    bad_sum = sheet_data(c, d1=3)
    bad_sum["valid"] = 4  # 4 + 0 != 5
    sheet = _both(c, people, c["stations"][0], bad_sum)
    assert "sums" in [k for k, _ in open_checks(sheet)]
    zeros = sheet_data(c, issued=0, returned=0)
    sheet = _both(c, people, c["stations"][1], zeros)
    assert [k for k, _ in open_checks(sheet)] == ["zeros"]
    # the third box carries the very figures of the first: flagged as a box reported twice
    sheet = _both(c, people, c["stations"][2], bad_sum)
    assert "duplicate" in [k for k, _ in open_checks(sheet)]
    assert "第1投票站" in dict(open_checks(sheet))["duplicate"]


def test_a_quarantined_sheet_is_signed_off_only_after_a_recorded_clearance(people: dict[str, Any]) -> None:
    c = voting_election()
    sheet = _both(c, people, c["stations"][0], sheet_data(c, issued=5, returned=6, d1=3))
    scan_add(actor=people["cadre1"], sheet=sheet, name="计票单.png", content_type="image/png", content=PNG)
    with pytest.raises(DomainError, match="收回选票 6 张多于发出选票 5 张"):
        sheet_sign_off(actor=people["officer"], sheet=sheet, expected_version=sheet.version)
    with pytest.raises(DomainError):
        sheet_clear(
            actor=people["officer"], sheet=sheet, check="over_issued", reason=" ", expected_version=sheet.version
        )
    sheet = sheet_clear(
        actor=people["officer"], sheet=sheet, check="over_issued", reason="流动票箱补发选票 1 张，见附记",
        expected_version=sheet.version,
    )  # fmt: skip
    assert sheet.status == SheetStatus.RECONCILED
    sheet = sheet_sign_off(actor=people["officer"], sheet=sheet, expected_version=sheet.version)
    assert sheet.status == SheetStatus.SIGNED_OFF


def test_sign_off_needs_the_scan_and_a_settler(people: dict[str, Any]) -> None:
    c = voting_election()
    sheet = _both(c, people, c["stations"][0], sheet_data(c, d1=3))
    with pytest.raises(DomainError, match="照片或扫描件"):
        sheet_sign_off(actor=people["officer"], sheet=sheet, expected_version=sheet.version)
    with pytest.raises(DomainError, match="JPG、PNG"):
        scan_add(
            actor=people["cadre1"], sheet=sheet, name="a.exe", content_type="application/x-msdownload", content=b"x"
        )
    scan_add(actor=people["cadre1"], sheet=sheet, name="计票单.png", content_type="image/png", content=PNG)
    with pytest.raises(NotPermitted):
        sheet_sign_off(actor=people["cadre2"], sheet=sheet, expected_version=sheet.version)
    with pytest.raises(Http404):
        sheet_sign_off(actor=people["officer_b"], sheet=sheet, expected_version=sheet.version)
    sheet = sheet_sign_off(actor=people["officer"], sheet=sheet, expected_version=sheet.version)
    assert sheet.status == SheetStatus.SIGNED_OFF and sheet.signed_off_by_name == people["officer"].display_name


def test_a_signed_off_sheet_changes_only_by_a_recorded_correction(people: dict[str, Any]) -> None:
    c = voting_election()
    sheet = _both(c, people, c["stations"][0], sheet_data(c, d1=3, m1=2))
    scan_add(actor=people["cadre1"], sheet=sheet, name="计票单.png", content_type="image/png", content=PNG)
    sheet = sheet_sign_off(actor=people["officer"], sheet=sheet, expected_version=sheet.version)
    with pytest.raises(DomainError, match="已录入两次"):
        sheet_enter(actor=people["officer"], election=c["election"], station=sheet.station, data=sheet_data(c, d1=4))
    with pytest.raises(DomainError, match="原因"):
        sheet_correct(
            actor=people["officer"],
            sheet=sheet,
            data=sheet_data(c, d1=4, m1=2),
            reason="",
            expected_version=sheet.version,
        )
    with pytest.raises(DomainError, match="未通过审核"):
        sheet_correct(
            actor=people["officer"], sheet=sheet, data=sheet_data(c, returned=6, d1=4, m1=2), reason="笔误",
            expected_version=sheet.version,
        )  # fmt: skip
    with pytest.raises(NotPermitted):
        sheet_correct(
            actor=people["cadre1"],
            sheet=sheet,
            data=sheet_data(c, d1=4, m1=2),
            reason="笔误",
            expected_version=sheet.version,
        )
    correction = sheet_correct(
        actor=people["officer"], sheet=sheet, data=sheet_data(c, d1=4, m1=2), reason="唱票记录核对为 4 票",
        expected_version=sheet.version,
    )  # fmt: skip
    name = f"{c['d1'].person.name}得票"
    assert correction.before == {name: 3} and correction.after == {name: 4}
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SIGNED_OFF and sheet.figures[f"votes:{c['d1'].pk}"] == 4
    entry = RecordEntry.objects.get(event="counts.corrected")
    assert entry.before == {name: 3} and entry.after and entry.after["原因"] == "唱票记录核对为 4 票"


def test_entries_only_while_voting_and_only_for_the_elections_boxes(people: dict[str, Any]) -> None:
    c = voting_election()
    with pytest.raises(DomainError, match="票箱"):
        sheet_enter(actor=people["cadre1"], election=c["election"], station=None, data=sheet_data(c, d1=1))
    with pytest.raises(DomainError) as bad:
        sheet_enter(
            actor=people["cadre1"], election=c["election"], station=c["stations"][0],
            data={**sheet_data(c, d1=1), "issued": -1, "votes": {"999999": 1}},
        )  # fmt: skip
    assert set(bad.value.field_errors) >= {"issued", "votes"}
    with pytest.raises(Http404):
        sheet_enter(actor=people["officer_b"], election=c["election"], station=c["stations"][0], data=sheet_data(c))
    with pytest.raises(DomainError, match="本人的账号"):
        sheet_enter(actor=SYSTEM, election=c["election"], station=c["stations"][0], data=sheet_data(c))


def test_the_count_sums_every_box_per_candidate(people: dict[str, Any]) -> None:
    c = voting_election(stations=2, voters=12)
    for box, data in zip(
        c["stations"],
        (sheet_data(c, d1=3, d2=2, m1=4, m2=3), sheet_data(c, issued=6, returned=6, invalid=1, d1=2, d2=3, m1=5, m3=4)),
        strict=True,
    ):
        data["write_ins"] = [{"post": "committee_member", "name": "张三", "votes": 1}]
        _both(c, people, box, data)
    from cunshe.counts.models import Sheet

    for sheet in Sheet.objects.filter(election=c["election"]):
        sheet.status = SheetStatus.SIGNED_OFF  # the sum reads signed-off sheets; sign-off itself is tested above
        sheet.save(update_fields=["status"])
    count = count_of(c["election"])
    assert (count.registered, count.issued, count.returned, count.invalid) == (12, 11, 11, 1)
    director, members = count.posts
    assert {v.key: v.votes for v in director.candidates} == {str(c["d1"].person_id): 5, str(c["d2"].person_id): 5}
    votes = {v.key: v.votes for v in members.candidates}
    assert votes[str(c["m1"].person_id)] == 9 and votes[str(c["m3"].person_id)] == 4 and votes["write-in:张三"] == 2
    assert [v.woman for v in director.candidates] == [False, True]


def test_the_board_adds_up_the_sheets_with_a_constant_number_of_queries(
    people: dict[str, Any], django_assert_max_num_queries: Any, make_user: Any
) -> None:
    a = voting_election(stations=3, voters=20)
    b = voting_election(village=VILLAGE_B, stations=2, voters=10)
    cadre_b1, cadre_b2 = make_user("village_cadre", VILLAGE_B), make_user("village_cadre", VILLAGE_B)
    _both(a, people, a["stations"][0], sheet_data(a, issued=8, returned=7, d1=7))
    _both(
        a,
        people,
        a["stations"][1],
        sheet_data(a, issued=6, returned=6, d1=6),
        sheet_data(a, issued=6, returned=6, d1=5),
    )
    _both(a, people, a["stations"][2], sheet_data(a, issued=5, returned=6, d1=6))  # quarantined
    sheet_enter(actor=cadre_b1, election=b["election"], station=b["stations"][0], data=sheet_data(b, d1=4))
    sheet_enter(actor=cadre_b2, election=b["election"], station=b["stations"][0], data=sheet_data(b, d1=4))
    organizer = make_user("county_organizer", VILLAGE_A[:6])
    county = Region.objects.get(code=VILLAGE_A[:6])
    with django_assert_max_num_queries(8):
        board = selectors.board(organizer, county, ELECTION_DAY)
    rows = {r.code: r for r in board.rows}
    town_a, town_b = rows[TOWN_A], rows[TOWN_B]
    assert (
        town_a.villages,
        town_a.expected,
        town_a.received,
        town_a.reconciled,
        town_a.quarantined,
        town_a.differing,
    ) == (1, 3, 3, 1, 1, 1)
    assert town_a.returned == 7 + 6 and town_a.registered == 20  # the agreed sheets' figures, not the differing one
    assert (town_b.villages, town_b.expected, town_b.received, town_b.reconciled, town_b.returned) == (1, 2, 1, 1, 5)
    assert board.total.returned == 18 and board.total.expected == 5
    summary = CountSummary.objects.get(election=a["election"])
    assert summary.returned == 13 and summary.boxes_quarantined == 1
    # a town officer sees only their town's row filled
    mine = {r.code: r for r in selectors.board(people["officer"], Region.objects.get(code=TOWN_A), ELECTION_DAY).rows}
    assert sum(r.returned for r in mine.values()) == 13 and VILLAGE_B not in mine
    # the day chosen matters
    assert selectors.board(organizer, county, date(2026, 12, 21)).total.received == 0


def test_the_board_reads_the_same_queries_for_many_villages_as_for_one(
    people: dict[str, Any], django_assert_max_num_queries: Any, make_user: Any
) -> None:
    """The county board groups by town in the database (bench/elections.py: 900 villages voting on one day)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    organizer = make_user("county_organizer", VILLAGE_A[:6])
    county = Region.objects.get(code=VILLAGE_A[:6])
    a = voting_election(stations=2, voters=10)
    _both(a, people, a["stations"][0], sheet_data(a, issued=5, returned=4, d1=4))
    with CaptureQueriesContext(connection) as one:
        selectors.board(organizer, county, ELECTION_DAY)
    villages = [v.code for v in Region.objects.filter(code__startswith=TOWN_A, level=5).exclude(code=VILLAGE_A)[:3]]
    for village in [*villages, VILLAGE_B]:
        voting_election(village=village, stations=3, voters=4)
    with django_assert_max_num_queries(len(one)):
        board = selectors.board(organizer, county, ELECTION_DAY)
    rows = {r.code: r for r in board.rows}
    assert (rows[TOWN_A].villages, rows[TOWN_A].expected, rows[TOWN_A].registered) == (4, 2 + 3 * 3, 10)
    assert (rows[TOWN_B].villages, rows[TOWN_B].expected, rows[TOWN_B].received) == (1, 3, 0)
    assert (board.total.villages, board.total.expected, board.total.returned) == (5, 14, 4)


def test_a_box_not_yet_in_is_expected_on_the_board(people: dict[str, Any], make_user: Any) -> None:
    # expected boxes are read from the stations, not from the summary row the sheets keep (no service adds a box
    # once voting opened, so the box not yet in stands for one the summary has not seen)
    c = voting_election(stations=2)
    _both(c, people, c["stations"][0], sheet_data(c, d1=3))
    organizer = make_user("county_organizer", VILLAGE_A[:6])
    board = selectors.board(organizer, Region.objects.get(code=VILLAGE_A[:6]), ELECTION_DAY)
    assert (board.total.expected, board.total.received) == (2, 1)


def test_the_board_page_reads_a_constant_number_of_queries(
    people: dict[str, Any], web_as: Any, django_assert_max_num_queries: Any
) -> None:
    for n, village in enumerate((VILLAGE_A, "371681001214")):
        c = voting_election(village=village, stations=2)
        if n == 0:
            _both(c, people, c["stations"][0], sheet_data(c, d1=3))
    client = web_as(people["officer"])
    client.get(f"/counts/board/live/?under={TOWN_A}&day=2026-12-20")
    with django_assert_max_num_queries(14):
        page = client.get(f"/counts/board/live/?under={TOWN_A}&day=2026-12-20")
    assert page.status_code == 200
