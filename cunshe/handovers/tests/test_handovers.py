from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
import python_calamine
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, TOWN_A, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition, NotPermitted
from cunshe.deadlines.work_items import overdue_items_for, work_items_for
from cunshe.handovers.models import (
    CareAct,
    Confirmation,
    Handover,
    HandoverItem,
    ItemKind,
    ItemStatus,
    Leftover,
    Party,
    Status,
    VillageSummary,
)
from cunshe.handovers.pdf import handover_notice_pdf, leaving_notice_pdf, letter_pdf
from cunshe.handovers.selectors import rollup
from cunshe.handovers.services import (
    LEADER_ITEMS,
    care_record,
    handover_confirm,
    item_update,
    leftover_add,
    leftover_flag,
    leftover_move,
    leftover_note,
    scan_add,
    settings_update,
    templates_ensure_defaults,
)
from cunshe.handovers.tests.conftest import TODAY, Cast, confirm_all, record_all
from cunshe.records.models import RecordEntry
from cunshe.regions.models import Region
from cunshe.termchanges.services import term_change_open


def events(handover: Handover) -> list[str]:
    return list(
        RecordEntry.objects.filter(region_id=handover.region_id).order_by("seq").values_list("event", flat=True)
    )


# 1. Templates


def test_default_templates_hold_the_statutory_items_and_fifteen_leader_items(cast: Cast) -> None:
    titles = set(cast.committee.items.values_list("title", flat=True))
    for statutory in ("印章", "办公场所", "办公用具", "集体财务账目", "固定资产", "工作档案", "债权债务"):
        assert statutory in titles
    assert {"党组织档案", "村务档案", "财务档案"} <= titles
    assert cast.leader.items.count() == 15 == len(LEADER_ITEMS)
    assert set(cast.leader.items.values_list("item_kind", flat=True)) == set(ItemKind.values)
    # Asking again does not duplicate them.
    assert templates_ensure_defaults(actor=SYSTEM, county_code=COUNTY)[0].pk == cast.committee.pk


# 2. Opening, deadlines and the legal floor


def test_committee_handover_opens_with_the_ten_day_floor_frozen_accounts_and_its_term_change(cast: Cast) -> None:
    term_change = term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    handover = cast.open()
    tz = timezone.get_current_timezone()
    assert handover.due_at == datetime.combine(TODAY + timedelta(days=11), time.min, tz)
    assert handover.accounts_frozen and handover.status == Status.OPEN
    assert handover.term_change == term_change
    assert handover.items.count() == cast.committee.items.count()
    summary = VillageSummary.objects.get(region_id=VILLAGE_A)
    assert (summary.planned, summary.frozen, summary.done) == (1, 1, 0)
    assert "handovers.opened" in events(handover)


def test_leader_handover_defaults_to_three_days_and_takes_the_post_from_the_team(cast: Cast) -> None:
    from cunshe.teams.services import member_appoint

    member_appoint(
        actor=SYSTEM,
        village_code=VILLAGE_A,
        person=cast.outgoing,
        committee="villagers",
        post="director",
        started_on=date(2021, 6, 1),
    )
    handover = cast.open(template=cast.leader)
    tz = timezone.get_current_timezone()
    assert handover.due_at == datetime.combine(TODAY + timedelta(days=4), time.min, tz)
    assert handover.post == "村(居)民委员会主任"
    assert handover.term_change is None
    assert handover.items.count() == 15


def test_a_county_may_be_stricter_than_the_legal_floor_but_never_looser(cast: Cast, make_user: Any) -> None:
    organizer = make_user("county_organizer", COUNTY)
    with pytest.raises(DomainError) as refused:
        settings_update(
            actor=organizer, county_code=COUNTY, leader_days=3, committee_days=11, copies=5, expected_version=None
        )
    assert "committee_days" in refused.value.field_errors
    stricter = settings_update(
        actor=organizer, county_code=COUNTY, leader_days=2, committee_days=7, copies=3, expected_version=None
    )
    assert stricter.committee_days == 7
    with pytest.raises(DomainError) as looser:
        cast.open(days=8)
    assert "days" in looser.value.field_errors
    assert not Handover.objects.exists()
    tz = timezone.get_current_timezone()
    assert cast.open().due_at == datetime.combine(TODAY + timedelta(days=8), time.min, tz)
    assert cast.open(days=5).due_at == datetime.combine(TODAY + timedelta(days=6), time.min, tz)
    # Only organizers configure; a stale version is refused.
    with pytest.raises(NotPermitted):
        settings_update(
            actor=cast.officer, county_code=COUNTY, leader_days=3, committee_days=7, copies=5, expected_version=1
        )
    with pytest.raises(ConcurrentEdit):
        settings_update(
            actor=organizer, county_code=COUNTY, leader_days=3, committee_days=7, copies=5, expected_version=99
        )


def test_opening_is_validated_as_a_whole_and_refused_outside_the_users_regions(cast: Cast, make_person: Any) -> None:
    with pytest.raises(DomainError) as bad:
        cast.open(incoming=cast.outgoing, supervisor=cast.officer, working_group=cast.cadre, meeting_place=" ")
    assert {"incoming", "supervisor", "working_group", "meeting_place"} <= set(bad.value.field_errors)
    with pytest.raises(DomainError) as elsewhere:
        cast.open(outgoing=make_person("371681001214", name="外村人"))  # same town, another village
    assert "outgoing" in elsewhere.value.field_errors
    with pytest.raises(Http404):
        cast.open(actor=cast.officer_b)
    with pytest.raises(NotPermitted):
        cast.open(actor=cast.cadre)  # sees the village, may not run its handover: 403
    with pytest.raises(DomainError):
        cast.open(meeting_at=datetime.combine(TODAY + timedelta(days=20), time(9), timezone.get_current_timezone()))
    assert not Handover.objects.exists()
    assert not VillageSummary.objects.filter(planned__gt=0).exists()


# 3. Items


def test_an_item_not_handed_over_needs_an_explanation_and_creates_a_leftover_item(cast: Cast) -> None:
    handover = cast.open()
    seal = handover.items.get(title="印章")
    with pytest.raises(DomainError) as unexplained:
        item_update(actor=cast.officer, item=seal, status=ItemStatus.NOT_HANDED, expected_version=seal.version)
    assert "discrepancy" in unexplained.value.field_errors
    with pytest.raises(DomainError) as uncounted:
        item_update(actor=cast.officer, item=seal, status=ItemStatus.HANDED, expected_version=seal.version)
    assert "count" in uncounted.value.field_errors
    assert not Leftover.objects.exists()
    item_update(
        actor=cast.officer,
        item=seal,
        status=ItemStatus.NOT_HANDED,
        discrepancy="财务专用章下落不明",
        expected_version=seal.version,
    )
    leftover = Leftover.objects.get()
    assert leftover.item == seal and leftover.owner == "王守业" and leftover.accountability == "not_handed"
    assert leftover.supervisor == cast.supervisor
    assert "财务专用章下落不明" in leftover.title
    assert VillageSummary.objects.get(region_id=VILLAGE_A).leftovers_open == 1
    with pytest.raises(ConcurrentEdit):
        item_update(actor=cast.officer, item=seal, status=ItemStatus.HANDED, count=2, expected_version=1)
    with pytest.raises(NotPermitted):
        item_update(actor=cast.cadre, item=seal, status=ItemStatus.HANDED, count=2, expected_version=seal.version)
    with pytest.raises(Http404):
        item_update(actor=cast.officer_b, item=seal, status=ItemStatus.HANDED, count=2, expected_version=seal.version)


def test_scans_are_kept_and_only_images_or_pdfs_under_five_megabytes(cast: Cast) -> None:
    handover = cast.open()
    item = handover.items.first()
    assert item is not None
    scan = scan_add(actor=cast.officer, item=item, name="印章.jpg", content_type="image/jpeg", content=b"\xff\xd8jpeg")
    assert bytes(scan.content) == b"\xff\xd8jpeg"
    with pytest.raises(DomainError):
        scan_add(actor=cast.officer, item=item, name="a.exe", content_type="application/x-msdownload", content=b"x")
    with pytest.raises(NotPermitted):
        scan_add(actor=cast.cadre, item=item, name="b.png", content_type="image/png", content=b"png")


# 4. Sign-off and voiding


def test_sign_off_needs_every_item_recorded_and_each_party_confirms_only_for_itself(cast: Cast) -> None:
    handover = cast.open()
    with pytest.raises(DomainError):
        handover_confirm(actor=cast.officer, handover=handover, party=Party.OUTGOING, expected_version=handover.version)
    record_all(handover, cast.officer)
    handover.refresh_from_db()
    with pytest.raises(NotPermitted):
        handover_confirm(
            actor=cast.officer, handover=handover, party=Party.SUPERVISOR, expected_version=handover.version
        )
    with pytest.raises(NotPermitted):
        handover_confirm(
            actor=cast.other_officer, handover=handover, party=Party.WORKING_GROUP, expected_version=handover.version
        )
    with pytest.raises(NotPermitted):
        handover_confirm(actor=cast.supervisor, handover=handover, party=Party.OUTGOING, expected_version=1)
    with pytest.raises(Http404):
        handover_confirm(
            actor=cast.officer_b, handover=handover, party=Party.OUTGOING, expected_version=handover.version
        )
    handover = handover_confirm(
        actor=cast.officer, handover=handover, party=Party.OUTGOING, expected_version=handover.version
    )
    with pytest.raises(DomainError):
        handover_confirm(actor=cast.officer, handover=handover, party=Party.OUTGOING, expected_version=handover.version)
    assert Handover.objects.get(pk=handover.pk).status == Status.OPEN
    handover = confirm_all_remaining(cast, handover)
    handover.refresh_from_db()
    assert handover.status == Status.COMPLETED and not handover.accounts_frozen and handover.completed_at
    stamps = Confirmation.objects.filter(handover=handover, voided_at__isnull=True)
    assert {c.party for c in stamps} == set(Party.values) and all(c.confirmed_at for c in stamps)
    summary = VillageSummary.objects.get(region_id=VILLAGE_A)
    assert (summary.planned, summary.done, summary.frozen) == (1, 1, 0)
    assert events(handover).count("handovers.confirmed") == 4 and events(handover)[-1] == "handovers.completed"
    item = handover.items.first()
    assert item is not None
    with pytest.raises(DomainError):
        item_update(actor=cast.officer, item=item, status=ItemStatus.HANDED, count=1, expected_version=item.version)


def confirm_all_remaining(cast: Cast, handover: Handover) -> Handover:
    for actor, party in (
        (cast.officer, Party.INCOMING),
        (cast.officer, Party.WORKING_GROUP),
        (cast.supervisor, Party.SUPERVISOR),
    ):
        handover = handover_confirm(
            actor=actor, handover=handover, party=party, expected_version=Handover.objects.get(pk=handover.pk).version
        )
    return handover


def test_a_change_after_a_confirmation_voids_all_confirmations_and_is_recorded(cast: Cast) -> None:
    handover = cast.open()
    record_all(handover, cast.officer)
    handover.refresh_from_db()
    handover_confirm(actor=cast.officer, handover=handover, party=Party.OUTGOING, expected_version=handover.version)
    seen = Handover.objects.get(pk=handover.pk).version
    handover_confirm(actor=cast.supervisor, handover=handover, party=Party.SUPERVISOR, expected_version=seen)
    item = handover.items.get(title="债权债务")
    item_update(
        actor=cast.officer,
        item=item,
        status=ItemStatus.DISCREPANCY,
        amount=Decimal("800.00"),
        discrepancy="账面 1000 元，实收 800 元",
        expected_version=item.version,
    )
    confirmations = Confirmation.objects.filter(handover=handover)
    assert confirmations.count() == 2 and all(c.voided_at for c in confirmations)
    assert all("债权债务" in c.voided_because for c in confirmations)
    assert "handovers.confirmations_voided" in events(handover)
    # A confirmation of the content as it was before the change is refused.
    with pytest.raises(ConcurrentEdit):
        handover_confirm(actor=cast.supervisor, handover=handover, party=Party.SUPERVISOR, expected_version=seen + 1)
    # Adding a leftover item is a change too; then everyone confirms again and it completes.
    current = Handover.objects.get(pk=handover.pk)
    handover_confirm(actor=cast.officer, handover=current, party=Party.OUTGOING, expected_version=current.version)
    leftover_add(actor=cast.officer, handover=current, title="追回差额 200 元", owner="王守业", due_on=TODAY)
    assert Confirmation.objects.filter(handover=handover, voided_at__isnull=True).count() == 0
    assert confirm_all(cast, current).status == Status.COMPLETED


# 5. Documents


def test_the_handover_letter_lists_every_item_discrepancy_and_leftover_with_signatures_per_copy(cast: Cast) -> None:
    handover = cast.open()
    record_all(handover, cast.officer, skip=1)
    seal = handover.items.get(position=1)
    item_update(
        actor=cast.officer,
        item=seal,
        status=ItemStatus.NOT_HANDED,
        discrepancy="财务专用章未移交",
        expected_version=seal.version,
    )
    handover.refresh_from_db()
    handover_confirm(
        actor=cast.supervisor, handover=handover, party=Party.SUPERVISOR, expected_version=handover.version
    )
    text, pages = pdf_text(letter_pdf(Handover.objects.get(pk=handover.pk), copies=5))
    flat = text.replace(" ", "").replace("\n", "")
    assert "交接书" in flat and "西范" in flat
    for item in handover.items.all():
        assert item.title in flat
    assert "财务专用章未移交" in flat  # the discrepancy and the leftover item it created
    assert "责任人：王守业" in flat
    for label in ("移交人", "接收人", "交接工作组", "监交人"):
        assert label in flat
    assert "纪委监督员" in flat and "未确认" in flat
    for n in range(1, 6):
        assert f"第{n}份/共5份" in flat
    assert pages >= 5


def test_the_notices_name_time_place_and_people(cast: Cast) -> None:
    handover = cast.open(template=cast.leader, post="村党支部书记")
    leaving, _ = pdf_text(leaving_notice_pdf(handover))
    notice, _ = pdf_text(handover_notice_pdf(handover))
    leaving, notice = leaving.replace("\n", ""), notice.replace("\n", "")
    assert "离任通知书" in leaving and "王守业" in leaving and "村党支部书记" in leaving
    assert "西范村党群服务中心" in leaving and "冻结" in leaving
    assert "交接通知书" in notice and "李新民" in notice and "纪委监督员" in notice and "长远规划" in notice


def test_pdf_pages_use_the_countys_number_of_copies(cast: Cast, make_user: Any, web_as: Any) -> None:
    handover = cast.open()
    one = web_as(cast.officer).get(f"/handovers/{handover.pk}/letter.pdf")
    assert one.status_code == 200 and one["Content-Type"] == "application/pdf"
    assert "共5份" in pdf_text(one.content)[0].replace(" ", "")
    organizer = make_user("county_organizer", COUNTY)
    settings_update(
        actor=organizer, county_code=COUNTY, leader_days=3, committee_days=10, copies=2, expected_version=None
    )
    two = web_as(cast.officer).get(f"/handovers/{handover.pk}/letter.pdf")
    text = pdf_text(two.content)[0].replace(" ", "")
    assert "共2份" in text and "第3份" not in text
    assert web_as(cast.officer_b).get(f"/handovers/{handover.pk}/letter.pdf").status_code == 404


# 6. Leftover items


def test_leftover_items_are_todos_and_go_overdue(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    handover = cast.open()
    leftover = leftover_add(actor=cast.officer, handover=handover, title="清收欠款", owner="李新民", due_on=TODAY)
    titles = [i.title for i in work_items_for(cast.supervisor)]
    assert any("清收欠款" in t for t in titles) and any("交接：王守业" in t for t in titles)
    assert not [i for i in overdue_items_for(cast.officer) if "清收欠款" in i.title]
    assert not [i for i in work_items_for(cast.officer_b) if i.module == "handovers"]
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert [i for i in overdue_items_for(cast.officer) if "清收欠款" in i.title]
    monkeypatch.undo()
    leftover_move(actor=cast.officer, leftover=leftover, to_status="closed", expected_version=leftover.version)
    assert not [i for i in work_items_for(cast.officer) if "清收欠款" in i.title]
    with pytest.raises(IllegalTransition):
        leftover_move(actor=cast.officer, leftover=leftover, to_status="closed", expected_version=leftover.version)


def test_leftover_progress_and_accountability_by_supervisors_and_officers_only(cast: Cast) -> None:
    handover = cast.open()
    leftover = leftover_add(actor=cast.officer, handover=handover, title="移交合同原件", owner="王守业", due_on=TODAY)
    leftover_note(actor=cast.supervisor, leftover=leftover, text="已约谈，承诺三日内移交")
    with pytest.raises(NotPermitted):
        leftover_note(actor=cast.cadre, leftover=leftover, text="x")
    with pytest.raises(Http404):
        leftover_note(actor=cast.officer_b, leftover=leftover, text="x")
    with pytest.raises(DomainError):
        leftover_flag(actor=cast.supervisor, leftover=leftover, accountability="misstated", note="", expected_version=1)
    leftover_flag(
        actor=cast.supervisor,
        leftover=leftover,
        accountability="misstated",
        note="合同份数与清单不符",
        expected_version=leftover.version,
    )
    leftover.refresh_from_db()
    assert leftover.get_accountability_display() == "交接失实" and leftover.notes.count() == 1
    with pytest.raises(NotPermitted):
        leftover_move(actor=cast.supervisor, leftover=leftover, to_status="closed", expected_version=leftover.version)
    assert VillageSummary.objects.get(region_id=VILLAGE_A).leftovers_open == 1
    leftover_move(actor=cast.officer, leftover=leftover, to_status="closed", expected_version=leftover.version)
    assert VillageSummary.objects.get(region_id=VILLAGE_A).leftovers_open == 0


# 7. Honourable retirement


def test_the_six_acts_of_care_are_a_dated_checklist(cast: Cast) -> None:
    handover = cast.open()
    for act in CareAct.values:
        care_record(actor=cast.officer, handover=handover, act=act, done_on=TODAY)
    care_record(actor=cast.officer, handover=handover, act=CareAct.LETTER, done_on=TODAY, note="书记亲送")
    assert handover.care.count() == 6 and handover.care.get(act=CareAct.LETTER).note == "书记亲送"
    with pytest.raises(DomainError):
        care_record(actor=cast.officer, handover=handover, act=CareAct.GIFT, done_on=TODAY + timedelta(days=1))
    with pytest.raises(NotPermitted):
        care_record(actor=cast.cadre, handover=handover, act=CareAct.GIFT, done_on=TODAY)


# 8. Roll-ups


def test_rollup_by_town_and_county_in_constant_queries(
    cast: Cast, make_person: Any, django_assert_max_num_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = cast.open()
    record_all(done, cast.officer)
    confirm_all(cast, Handover.objects.get(pk=done.pk))
    cast.open()
    leftover_add(actor=cast.officer, handover=cast.open(), title="遗留", owner="王守业", due_on=TODAY)
    b_out, b_in = make_person(VILLAGE_B), make_person(VILLAGE_B)
    supervisor_b = cast.supervisor  # town A's supervisor cannot supervise in town B
    with pytest.raises(DomainError):
        cast.open(
            actor=SYSTEM,
            village=VILLAGE_B,
            outgoing=b_out,
            incoming=b_in,
            working_group=cast.officer_b,
            supervisor=supervisor_b,
        )
    county = Region.objects.get(code=COUNTY)
    with django_assert_max_num_queries(3):
        rows, total = rollup(county)
    town_a = next(r for r in rows if r.code == TOWN_A)
    assert (town_a.planned, town_a.done, town_a.frozen, town_a.leftovers_open, town_a.overdue) == (3, 1, 2, 1, 0)
    assert (total.planned, total.done) == (3, 1)
    later = timezone.now() + timedelta(days=30)
    monkeypatch.setattr(timezone, "now", lambda: later)
    rows, total = rollup(Region.objects.get(code=TOWN_A))
    assert next(r for r in rows if r.code == VILLAGE_A).overdue == 2 and total.overdue == 2


def test_rollup_export_and_list_pages(cast: Cast, web_as: Any, django_assert_max_num_queries: Any) -> None:
    for _ in range(3):
        cast.open()
    client = web_as(cast.officer)
    with django_assert_max_num_queries(20):
        page = client.get(f"/handovers/?under={TOWN_A}")
    assert page.status_code == 200 and "王守业 → 李新民" in page.content.decode()
    export = client.get(f"/handovers/export/?under={TOWN_A}")
    rows = python_calamine.CalamineWorkbook.from_filelike(BytesIO(export.content)).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["区划代码", "单位", "计划交接"]
    village_row = next(r for r in rows if str(r[0]) == VILLAGE_A)
    assert str(village_row[2]) in ("3", "3.0") and str(village_row[5]) in ("3", "3.0")


def test_the_account_freeze_shows_on_the_village_page_until_completion(cast: Cast, web_as: Any, client: Any) -> None:
    handover = cast.open()
    page = web_as(cast.cadre).get(f"/regions/{VILLAGE_A}/").content.decode()
    assert "账户冻结中" in page and "王守业" in page
    public = client.get(f"/public/regions/{VILLAGE_A}/").content.decode()
    assert "账户冻结中" in public and "王守业" not in public
    record_all(handover, cast.officer)
    confirm_all(cast, Handover.objects.get(pk=handover.pk))
    assert "账户冻结中" not in web_as(cast.cadre).get(f"/regions/{VILLAGE_A}/").content.decode()
    assert "账户冻结中" not in client.get(f"/public/regions/{VILLAGE_A}/").content.decode()


def test_pages_work_end_to_end(cast: Cast, web_as: Any) -> None:
    client = web_as(cast.officer)
    form = client.get(f"/handovers/new/{VILLAGE_A}/")
    assert form.status_code == 200 and "王守业" in form.content.decode()
    response = client.post(
        f"/handovers/new/{VILLAGE_A}/",
        {
            "template": cast.committee.pk,
            "outgoing": cast.outgoing.pk,
            "incoming": cast.incoming.pk,
            "working_group": cast.officer.pk,
            "supervisor": cast.supervisor.pk,
            "starts_on": TODAY.isoformat(),
            "meeting_at": f"{TODAY.isoformat()}T15:00",
            "meeting_place": "村委会",
        },
    )
    assert response.status_code == 302, response.content.decode()
    handover = Handover.objects.get()
    item = handover.items.get(title="印章")
    client.post(f"/handovers/items/{item.pk}/", {"status": "handed", "count": "3", "details": "编号 1-3", "version": 1})
    item.refresh_from_db()
    assert item.count == 3 and item.status == "handed"
    detail = client.get(f"/handovers/{handover.pk}/").content.decode()
    assert "编号 1-3" in detail and "签字确认" in detail
    assert (
        web_as(cast.cadre).post(f"/handovers/items/{item.pk}/", {"status": "pending", "version": 2}).status_code == 403
    )
    item.refresh_from_db()
    assert item.status == "handed"  # the cadre's post was refused
    assert HandoverItem.objects.filter(handover=handover, status="pending").count() == handover.items.count() - 1


def test_api_records_items_and_confirms(cast: Cast, api_as: Any) -> None:
    handover = cast.open()
    record_all(handover, cast.officer, skip=1)
    item = handover.items.get(position=1)
    api = api_as(cast.officer)
    put = api.put(
        f"/api/v1/handovers/items/{item.pk}",
        {"status": "handed", "count": 2, "details": "公章、财务章", "version": item.version},
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["count"] == 2
    version = Handover.objects.get(pk=handover.pk).version
    ok = api.post(
        f"/api/v1/handovers/{handover.pk}/confirm",
        {"party": "outgoing", "version": version},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["confirmed"] == ["outgoing"]
    refused = api_as(cast.officer).post(
        f"/api/v1/handovers/{handover.pk}/confirm",
        {"party": "supervisor", "version": version + 1},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert api_as(cast.officer_b).get(f"/api/v1/handovers/{handover.pk}").status_code == 404


def test_a_county_keeps_its_own_templates_through_excel(cast: Cast, make_user: Any, web_as: Any) -> None:
    from cunshe.handovers.models import Template
    from cunshe.handovers.spreadsheets import TEMPLATE_COLUMNS, template_import
    from cunshe.spreadsheets.layout import write_workbook

    organizer = make_user("county_organizer", COUNTY)
    exported = web_as(cast.officer).get(f"/handovers/templates/{cast.leader.pk}.xlsx")
    rows = python_calamine.CalamineWorkbook.from_filelike(BytesIO(exported.content)).get_sheet_by_index(0).to_python()
    assert rows[0] == ["类别", "事项", "形式", "应交内容"] and len(rows) == 16 and rows[1][1] == "长远规划"

    def sheet(*items: dict[str, str]) -> BytesIO:
        buffer = BytesIO()
        write_workbook("模板", TEMPLATE_COLUMNS, list(items), buffer)
        buffer.seek(0)
        return buffer

    good = {"section": "法定事项", "title": "印章", "item_kind": "实物（件数）", "expected": "公章一枚"}
    bad = {"section": "法定事项", "title": "账簿", "item_kind": "一堆", "expected": ""}
    with pytest.raises(DomainError) as refused:
        template_import(
            actor=organizer, county_code=COUNTY, kind="committee", name="社区交接清单", stream=sheet(good, bad)
        )
    assert refused.value.message == "共 1 行有误，未导入任何数据。" and list(refused.value.field_errors) == ["第 3 行"]
    assert not Template.objects.filter(name="社区交接清单").exists()
    with pytest.raises(NotPermitted):
        template_import(
            actor=cast.officer, county_code=COUNTY, kind="committee", name="社区交接清单", stream=sheet(good)
        )
    report = template_import(
        actor=organizer, county_code=COUNTY, kind="committee", name="社区交接清单", stream=sheet(good)
    )
    assert report.summary == "新增 1 项，未变 0 项"
    template = Template.objects.get(name="社区交接清单")
    assert list(template.items.values_list("title", "item_kind", "expected")) == [("印章", "count", "公章一枚")]
    handover = cast.open(template=template)
    assert [i.title for i in handover.items.all()] == ["印章"]


def test_the_api_downloads_a_template_and_imports_it_as_the_countys_own(
    cast: Cast, make_user: Any, api_as: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cunshe.handovers.models import Template

    organizer = api_as(make_user("county_organizer", COUNTY))
    exported = organizer.get(f"/api/v1/handovers/templates/{cast.leader.pk}.xlsx").content
    upload = {"kind": "leader", "name": "本县主职交接清单", "file": SimpleUploadedFile("t.xlsx", exported)}
    refused = api_as(cast.officer).post(f"/api/v1/handovers/settings/{COUNTY}/templates/import", upload)
    # A town officer reads the county's templates but may not set them: the 403, nothing saved.
    assert refused.status_code == 403 and not Template.objects.filter(name="本县主职交接清单").exists()
    upload["file"] = SimpleUploadedFile("t.xlsx", exported)
    done = organizer.post(f"/api/v1/handovers/settings/{COUNTY}/templates/import", upload)
    assert done.status_code == 201 and done.json()["created"] == 15 and done.json()["bad_rows"] == []
    copied = Template.objects.get(name="本县主职交接清单")
    assert list(copied.items.values_list("title", flat=True)) == list(cast.leader.items.values_list("title", flat=True))


def test_the_detail_page_reads_in_constant_queries(cast: Cast, web_as: Any, django_assert_max_num_queries: Any) -> None:
    handover = cast.open()
    record_all(handover, cast.officer)
    for item in handover.items.all()[:3]:
        scan_add(actor=cast.officer, item=item, name="照片.jpg", content_type="image/jpeg", content=b"jpg")
    leftover_add(actor=cast.officer, handover=handover, title="甲", owner="乙", due_on=TODAY)
    client = web_as(cast.officer)
    with django_assert_max_num_queries(25) as few:
        page = client.get(f"/handovers/{handover.pk}/")
    assert page.status_code == 200 and page.content.decode().count('<img src="/handovers/scans/') == 3
    for n in range(5):
        leftover_add(actor=cast.officer, handover=handover, title=f"丙{n}", owner="乙", due_on=TODAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/handovers/{handover.pk}/")
