from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.commitments.services import commitment_create, commitment_move
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.deadlines.calendar import deadline_day
from cunshe.firstyear import selectors
from cunshe.firstyear.models import DEFAULT_ITEMS, Programme, ProgrammeItem, Progress, Source, TownTally
from cunshe.firstyear.services import item_save, programme_open, programmes_daily, progress_mark, progress_undo
from cunshe.firstyear.tests.helpers import DAY, by_hand, certified, progress
from cunshe.records.models import RecordEntry
from cunshe.regions.models import Region

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _commit(village: str, n: int) -> Any:
    return commitment_create(
        actor=SYSTEM,
        village_code=village,
        kind="first",
        year=TODAY.year,
        category="改善生产生活条件",
        title=f"硬化村东道路{n}",
        content="硬化道路 300 米",
        target="雨天出行不再泥泞",
        deadline=TODAY + timedelta(days=60),
        responsible_post="村党组织书记",
        source="visits",
    )


def test_no_programme_before_the_committee_is_certified(make_person: Any, make_user: Any) -> None:
    with pytest.raises(DomainError, match="尚未确认"):
        programme_open(actor=SYSTEM, village_code=VILLAGE_A)
    assert not Programme.objects.filter(region_id=VILLAGE_A).exists()
    certified(VILLAGE_A, make_person)
    programme = Programme.objects.get(region_id=VILLAGE_A)
    assert programme.elected_on == DAY
    rows = Progress.objects.filter(programme=programme).select_related("item").order_by("item__position")
    assert [p.item.key for p in rows] == [key for key, *_ in DEFAULT_ITEMS]
    # the handover item keeps the legal 10 days from the election day
    assert deadline_day(rows[0].due_at) == DAY + timedelta(days=10)
    assert TownTally.objects.get(region_id=TOWN_A, item=rows[0].item).villages == 1
    assert RecordEntry.objects.filter(event="firstyear.opened", region_id=VILLAGE_A).count() == 1
    # opening again (the daily job) changes nothing
    assert programme_open(actor=SYSTEM, village_code=VILLAGE_A) == programme
    assert "新开始 0 个" in programmes_daily()
    assert TownTally.objects.get(region_id=TOWN_A, item=rows[0].item).villages == 1


def test_a_cadre_marks_an_item_done_with_evidence(make_person: Any, make_user: Any) -> None:
    certified(VILLAGE_A, make_person)
    cadre = make_user("village_cadre", VILLAGE_A)
    row = progress(VILLAGE_A, by_hand("breakthrough"))
    photo = SimpleUploadedFile("lesson.jpg", b"\xff\xd8\xff fake", content_type="image/jpeg")
    progress_mark(
        actor=cadre,
        progress=row,
        done_on=DAY + timedelta(days=5),
        evidence="摸排困难户 14 户",
        attachment=photo,
        expected_version=row.version,
    )
    row.refresh_from_db()
    assert row.done_on == DAY + timedelta(days=5) and row.done_source == "manual" and row.attachment
    tally = TownTally.objects.get(region_id=TOWN_A, item=row.item)
    assert (tally.done, tally.done_late) == (1, 0)
    # undone by mistake, with the reason; the tally follows
    progress_undo(actor=cadre, progress=row, reason="日期登记错误", expected_version=row.version)
    tally.refresh_from_db()
    assert tally.done == 0 and Progress.objects.get(pk=row.pk).done_on is None


def test_marking_is_refused_before_its_cause_without_evidence_or_by_hand_for_fact_items(
    make_person: Any, make_user: Any
) -> None:
    certified(VILLAGE_A, make_person)
    cadre = make_user("village_cadre", VILLAGE_A)
    row = progress(VILLAGE_A, by_hand("breakthrough"))
    with pytest.raises(DomainError) as error:
        progress_mark(actor=cadre, progress=row, done_on=DAY - timedelta(days=1), evidence="", expected_version=1)
    assert set(error.value.field_errors) == {"done_on", "evidence"}
    with pytest.raises(DomainError, match="不能晚于今天"):
        progress_mark(actor=cadre, progress=row, done_on=TODAY + timedelta(days=1), evidence="x", expected_version=1)
    with pytest.raises(DomainError, match="自动完成"):
        handover = progress(VILLAGE_A, "handover")
        progress_mark(actor=cadre, progress=handover, done_on=TODAY, evidence="交接了", expected_version=1)
    assert not Progress.objects.filter(region_id=VILLAGE_A, done_on__isnull=False).exists()


def test_who_may_mark(make_person: Any, make_user: Any) -> None:
    certified(VILLAGE_A, make_person)
    row = progress(VILLAGE_A, by_hand("breakthrough"))
    args: dict[str, Any] = {
        "progress": row,
        "done_on": TODAY,
        "evidence": "领办合作社立项",
        "expected_version": row.version,
    }
    with pytest.raises(Http404):  # another town's officer: the village does not exist for them
        progress_mark(actor=make_user("town_officer", TOWN_B), **args)
    with pytest.raises(NotPermitted):  # the supervisor sees it but does not enter progress
        progress_mark(actor=make_user("discipline_supervisor", TOWN_A), **args)
    progress_mark(actor=make_user("town_officer", TOWN_A), **args)  # the village's own town may
    assert Progress.objects.get(pk=row.pk).done_on == TODAY


def test_commitments_mark_the_promise_and_the_first_thing(make_person: Any, make_user: Any) -> None:
    certified(VILLAGE_A, make_person)
    # By default the promise follows the annual list's public commitment (annuallists); a county may count the
    # 开门一件事 entered instead.
    ProgrammeItem.objects.filter(key="first_promise").update(source=Source.COMMITMENTS_MADE)
    first = [_commit(VILLAGE_A, n) for n in range(2)]
    assert progress(VILLAGE_A, "first_promise").done_on is None  # the county requires 3
    _commit(VILLAGE_A, 3)
    promise = progress(VILLAGE_A, "first_promise")
    assert promise.done_on == TODAY and promise.done_source == "commitments_made"
    assert progress(VILLAGE_A, "first_thing").done_on is None
    commitment_move(
        actor=SYSTEM,
        commitment=first[0],
        to_status="done",
        completed_on=TODAY,
        evidence="道路已硬化",
        expected_version=first[0].version,
    )
    thing = progress(VILLAGE_A, "first_thing")
    assert thing.done_on == TODAY and "首件开门一件事已办结" in thing.evidence
    entry = RecordEntry.objects.filter(event="firstyear.done", region_id=VILLAGE_A).order_by("-seq").first()
    assert entry is not None and entry.actor_name == "系统"


def test_overdue_counts_in_the_unit_of_the_deadline(make_person: Any, make_user: Any) -> None:
    certified(VILLAGE_A, make_person)
    organizer = make_user("county_organizer", COUNTY)
    handover = progress(VILLAGE_A, "handover")  # due 10 days after 11-15, not done
    assert selectors.overdue_text(handover) == f"逾期 {(TODAY - DAY - timedelta(days=10)).days} 天"
    item = handover.item
    item_save(
        actor=organizer,
        county_code=COUNTY,
        item=item,
        name=item.name,
        description=item.description,
        due_amount=10,
        due_unit="working_days",
        source=item.source,
        expected_version=item.version,
    )
    handover = progress(VILLAGE_A, "handover")
    # 10 working days from Sunday 2026-11-15: the end of Friday 2026-11-27
    assert timezone.localtime(handover.due_at).date() == date(2026, 11, 27)
    assert selectors.overdue_text(handover, now=handover.due_at + timedelta(days=3)) == "逾期 1 个工作日"


def test_the_county_defines_its_items(make_person: Any, make_user: Any) -> None:
    organizer = make_user("county_organizer", COUNTY)
    item = item_save(actor=organizer, county_code=COUNTY, name="开好第一次村民代表会议", due_amount=45)
    assert item.position == len(DEFAULT_ITEMS) + 1  # the defaults are saved first
    with pytest.raises(NotPermitted):
        item_save(actor=make_user("town_officer", TOWN_A), county_code=COUNTY, name="另一事项", due_amount=5)
    with pytest.raises(DomainError) as error:
        item_save(actor=organizer, county_code=COUNTY, name=item.name, due_amount=0)
    assert set(error.value.field_errors) == {"name", "due_amount"}
    certified(VILLAGE_A, make_person)
    assert progress(VILLAGE_A, item.key).item.name == "开好第一次村民代表会议"


def test_rollups_read_the_tally_rows(make_person: Any, make_user: Any, django_assert_max_num_queries: Any) -> None:
    certified(VILLAGE_A, make_person)
    certified(VILLAGE_B, make_person)
    row = progress(VILLAGE_A, by_hand("breakthrough"))
    progress_mark(actor=SYSTEM, progress=row, done_on=TODAY, evidence="暖心清单 12 户", expected_version=row.version)
    organizer = make_user("county_organizer", COUNTY)
    county = Region.objects.get(code=COUNTY)
    with django_assert_max_num_queries(8):
        table = selectors.rollup(organizer, county)
    rows = {r.code: r for r in table.rows}
    assert rows[TOWN_A].cell(row.item_id).done == 1 and rows[TOWN_B].cell(row.item_id).done == 0
    assert table.total.cell(row.item_id).villages == 2
    assert str(table.total.cell(row.item_id).share) == "1/2"
    handover_item = progress(VILLAGE_A, "handover").item_id
    assert table.total.cell(handover_item).overdue == 2
    # a town officer of town B sees only their town
    town_b = selectors.rollup(make_user("town_officer", TOWN_B), county)
    assert [r.code for r in town_b.rows] == [TOWN_B]
    town = selectors.rollup(organizer, Region.objects.get(code=TOWN_A))
    village_row = next(r for r in town.rows if r.code == VILLAGE_A)
    assert village_row.opened and village_row.cell(row.item_id).done == 1
    assert not next(r for r in town.rows if r.code != VILLAGE_A).opened


def test_pages_api_excel_and_report(make_person: Any, make_user: Any, web_as: Any, api_as: Any) -> None:
    certified(VILLAGE_A, make_person)
    cadre = make_user("village_cadre", VILLAGE_A)
    row = progress(VILLAGE_A, by_hand("breakthrough"))
    page = web_as(cadre).get(f"/firstyear/village/{VILLAGE_A}/")
    assert page.status_code == 200 and "开好任职第一课" in page.content.decode() and "登记完成" in page.content.decode()
    answer = web_as(cadre).post(
        f"/firstyear/progress/{row.pk}/done/",
        {f"p{row.pk}-done_on": TODAY.isoformat(), f"p{row.pk}-evidence": "", f"p{row.pk}-version": row.version},
    )
    assert answer.status_code == 400 and "请填写完成佐证" in answer.content.decode()
    answer = api_as(cadre).post(
        f"/api/v1/firstyear/progress/{row.pk}/done",
        {"done_on": TODAY.isoformat(), "evidence": "参加培训", "version": row.version},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["done_on"] == TODAY.isoformat()
    # another town's officer: 404 for the village page and the API
    other = make_user("town_officer", TOWN_B)
    assert web_as(other).get(f"/firstyear/village/{VILLAGE_A}/").status_code == 404
    assert api_as(other).get(f"/api/v1/firstyear/village/{VILLAGE_A}").status_code == 404
    organizer = make_user("county_organizer", COUNTY)
    assert "黛溪街道" in web_as(organizer).get(f"/firstyear/region/{COUNTY}/").content.decode()
    text, _pages = pdf_text(web_as(organizer).get(f"/firstyear/region/{COUNTY}/report.pdf").content)
    assert "开门七件事" in text and "开好任职第一课" in text
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(web_as(organizer).get(f"/firstyear/region/{COUNTY}/ledger.xlsx").content)).active
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert any(v[3] == row.item.name and v[6] == "已完成" for v in values)
    assert api_as(organizer).get(f"/api/v1/firstyear/rollup/{TOWN_B}").json()["rows"][0]["opened"] is False
    assert api_as(other).get(f"/api/v1/firstyear/rollup/{TOWN_A}").status_code == 404
