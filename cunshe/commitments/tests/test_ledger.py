from datetime import date, timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.commitments.models import Commitment, Kind, Status, VillageSummary
from cunshe.commitments.selectors import rollup, villages_outside_count
from cunshe.commitments.services import (
    commitment_move,
    commitment_showcase,
    commitment_update,
    commitments_mark_overdue,
    county_rules_set,
    progress_add,
    summaries_rebuild,
)
from cunshe.commitments.tests.conftest import YEAR
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition, NotPermitted
from cunshe.deadlines.work_items import work_items_for
from cunshe.records.models import RecordEntry
from cunshe.regions.models import Region


def summary(village: str, category: str = "提升改善村容村貌") -> dict[str, int]:
    row = VillageSummary.objects.filter(region_id=village, kind=Kind.FIRST, category=category).first()
    fields = ("total", "planned", "in_progress", "done", "overdue", "dropped", "showcase")
    return {f: getattr(row, f) for f in fields} if row else {}


def test_creating_numbers_the_commitment_counts_it_and_records_it(cadre: Any, make_commitment: Any) -> None:
    first = make_commitment(actor=cadre)
    second = make_commitment(actor=cadre, title="硬化村内主路", category="改善生产生活条件")
    assert first.ledger_no == f"{VILLAGE_A}-{YEAR}-001" and second.ledger_no == f"{VILLAGE_A}-{YEAR}-002"
    assert first.status == Status.PLANNED and first.version == 1
    assert summary(VILLAGE_A)["total"] == 1 and summary(VILLAGE_A, "改善生产生活条件")["planned"] == 1
    entry = RecordEntry.objects.get(event="commitments.created", object_id=str(first.pk))
    assert entry.actor == cadre and "整治党群服务中心环境" in entry.summary


def test_a_bad_commitment_saves_nothing_and_names_each_field(cadre: Any, make_commitment: Any) -> None:
    with pytest.raises(DomainError) as caught:
        make_commitment(actor=cadre, category="不存在的类别", title=" ", deadline=date(YEAR - 1, 1, 1))
    assert set(caught.value.field_errors) == {"category", "title", "deadline"}
    assert not Commitment.objects.exists() and not VillageSummary.objects.exists()


def test_a_village_cadre_cannot_write_in_another_village_and_a_supervisor_only_reads(
    cadre: Any, make_user: Any, make_commitment: Any
) -> None:
    with pytest.raises(Http404):
        make_commitment(VILLAGE_B, actor=cadre)
    supervisor = make_user("discipline_supervisor", COUNTY)
    with pytest.raises(DomainError, match="无权"):
        make_commitment(VILLAGE_A, actor=supervisor)
    mine = make_commitment(actor=cadre)
    with pytest.raises(NotPermitted):
        commitment_update(actor=supervisor, commitment=mine, expected_version=1, title="改名")
    assert Commitment.objects.get().title == "整治党群服务中心环境"


def test_status_moves_only_as_the_table_allows(cadre: Any, make_commitment: Any) -> None:
    c = make_commitment(actor=cadre)
    with pytest.raises(DomainError) as caught:
        commitment_move(actor=cadre, commitment=c, to_status=Status.DONE, expected_version=c.version)
    assert "evidence" in caught.value.field_errors
    with pytest.raises(DomainError) as caught:
        commitment_move(actor=cadre, commitment=c, to_status=Status.DROPPED, expected_version=c.version)
    assert "reason" in caught.value.field_errors
    with pytest.raises(DomainError) as caught:
        commitment_move(actor=cadre, commitment=c, to_status=Status.OVERDUE, expected_version=c.version)
    assert caught.value.field_errors["to_status"] == ["未到完成时限，不能标为逾期。"]
    c = commitment_move(actor=cadre, commitment=c, to_status=Status.IN_PROGRESS, expected_version=c.version)
    c = commitment_move(
        actor=cadre, commitment=c, to_status=Status.DONE, expected_version=c.version, evidence="验收照片 6 张"
    )
    assert c.completed_on == timezone.localdate() and summary(VILLAGE_A) | {} == {
        "total": 1,
        "planned": 0,
        "in_progress": 0,
        "done": 1,
        "overdue": 0,
        "dropped": 0,
        "showcase": 0,
    }
    with pytest.raises(IllegalTransition, match="事项不能从“已完成”转为“推进中”（可转为：无）。"):
        commitment_move(actor=cadre, commitment=c, to_status=Status.IN_PROGRESS, expected_version=c.version)
    with pytest.raises(DomainError, match="不能再修改"):
        commitment_update(actor=cadre, commitment=c, expected_version=c.version, title="改名")


def test_a_stale_edit_saves_nothing(cadre: Any, officer: Any, make_commitment: Any) -> None:
    c = make_commitment(actor=cadre)
    commitment_update(actor=officer, commitment=Commitment.objects.get(pk=c.pk), expected_version=1, title="新名称")
    with pytest.raises(ConcurrentEdit):
        commitment_update(actor=cadre, commitment=c, expected_version=1, title="旧页面上的名称")
    assert Commitment.objects.get(pk=c.pk).title == "新名称"


def test_editing_the_category_moves_the_count(cadre: Any, make_commitment: Any) -> None:
    c = make_commitment(actor=cadre)
    commitment_update(actor=cadre, commitment=c, expected_version=1, category="发展壮大集体经济")
    assert summary(VILLAGE_A)["total"] == 0 and summary(VILLAGE_A, "发展壮大集体经济")["total"] == 1


def test_the_daily_check_marks_late_commitments_overdue_and_they_can_still_be_finished(
    cadre: Any, make_commitment: Any
) -> None:
    late = make_commitment(actor=cadre, deadline=date(YEAR, 1, 1))
    on_time = make_commitment(actor=cadre, title="修路", deadline=date(YEAR, 12, 31))
    assert commitments_mark_overdue(today=date(YEAR, 6, 1)) == 1
    late.refresh_from_db()
    assert late.status == Status.OVERDUE and Commitment.objects.get(pk=on_time.pk).status == Status.PLANNED
    assert summary(VILLAGE_A)["overdue"] == 1
    assert RecordEntry.objects.filter(event="commitments.moved", object_id=str(late.pk)).exists()
    done = commitment_move(
        actor=cadre, commitment=late, to_status=Status.DONE, expected_version=late.version, evidence="已完成"
    )
    assert done.status == Status.DONE and summary(VILLAGE_A)["overdue"] == 0


def test_progress_starts_the_work_and_photos_are_checked(cadre: Any, make_commitment: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = make_commitment(actor=cadre)
    with pytest.raises(DomainError) as caught:
        progress_add(
            actor=cadre,
            commitment=c,
            written_on=timezone.localdate(),
            note="开工",
            photo=SimpleUploadedFile("a.exe", b"MZ"),
        )
    assert "photo" in caught.value.field_errors and not c.updates.exists()
    update = progress_add(
        actor=cadre,
        commitment=c,
        written_on=timezone.localdate(),
        note="开工",
        photo=SimpleUploadedFile("a.jpg", b"\xff\xd8"),
    )
    c.refresh_from_db()
    assert update.photo and c.status == Status.IN_PROGRESS and summary(VILLAGE_A)["in_progress"] == 1


def test_only_completed_commitments_become_showcase_cases_and_only_towns_and_counties_choose_them(
    cadre: Any, officer: Any, make_commitment: Any
) -> None:
    c = make_commitment(actor=cadre)
    with pytest.raises(DomainError, match="已完成"):
        commitment_showcase(actor=officer, commitment=c, writeup="好经验", expected_version=c.version)
    c = commitment_move(actor=cadre, commitment=c, to_status=Status.DONE, expected_version=c.version, evidence="照片")
    with pytest.raises(NotPermitted):
        commitment_showcase(actor=cadre, commitment=c, writeup="自荐", expected_version=c.version)
    c = commitment_showcase(actor=officer, commitment=c, writeup="一周完成大扫除", expected_version=c.version)
    assert c.is_showcase and summary(VILLAGE_A)["showcase"] == 1


def test_the_county_sets_the_range_and_the_ledger_shows_villages_outside_it(
    organizer: Any, officer: Any, make_commitment: Any
) -> None:
    for n in range(2):
        make_commitment(title=f"事项{n}")
    town = Region.objects.get(code=TOWN_A)
    low, high, outside = villages_outside_count(officer, town, year=YEAR)
    assert (low, high) == (3, 5)
    flagged = {v.code: v.count for v in outside}
    assert flagged[VILLAGE_A] == 2 and all(code.startswith(TOWN_A) for code in flagged)
    with pytest.raises(DomainError, match="县委组织部"):
        county_rules_set(
            actor=officer,
            county_code=COUNTY,
            min_per_village=1,
            max_per_village=2,
            categories=["A"],
            expected_version=0,
        )
    with pytest.raises(DomainError) as caught:
        county_rules_set(
            actor=organizer,
            county_code=COUNTY,
            min_per_village=1,
            max_per_village=2,
            categories=["A"],
            expected_version=0,
        )
    assert caught.value.field_errors["categories"] == ["以下类别已有事项，不能删除：提升改善村容村貌"]
    rules = county_rules_set(
        actor=organizer,
        county_code=COUNTY,
        min_per_village=1,
        max_per_village=2,
        categories=["提升改善村容村貌", "乡村振兴"],
        expected_version=0,
    )
    assert VILLAGE_A not in {v.code for v in villages_outside_count(officer, town, year=YEAR)[2]}
    with pytest.raises(ConcurrentEdit):
        county_rules_set(
            actor=organizer,
            county_code=COUNTY,
            min_per_village=3,
            max_per_village=5,
            categories=rules.categories,
            expected_version=0,
        )
    make_commitment(title="新类别的事", category="乡村振兴")


def test_rollup_counts_by_category_and_child_and_keeps_other_towns_out(
    officer: Any, organizer: Any, make_commitment: Any
) -> None:
    make_commitment(VILLAGE_A)
    c = make_commitment(VILLAGE_A, title="修路", category="改善生产生活条件")
    commitment_move(actor=SYSTEM, commitment=c, to_status=Status.DONE, expected_version=c.version, evidence="验收")
    make_commitment(VILLAGE_B, title="走访老党员", category="走访慰问党员群众")
    county = Region.objects.get(code=COUNTY)
    table = rollup(organizer, county)
    assert table.categories[:6] == [
        "改善生产生活条件",
        "发展壮大集体经济",
        "化解信访矛盾隐患",
        "走访慰问党员群众",
        "提升改善村容村貌",
        "抓好班子带好队伍",
    ]
    assert table.total.counts["total"] == 3 and table.total.counts["done"] == 1
    assert table.total.by_category == {"提升改善村容村貌": 1, "改善生产生活条件": 1, "走访慰问党员群众": 1}
    # every town is a row, the ones with nothing yet as zeros
    assert {r.code: r.counts["total"] for r in table.rows if r.counts["total"]} == {TOWN_A: 2, TOWN_B: 1}
    assert len(table.rows) == Region.objects.filter(parent_id=COUNTY).count()
    assert next(r for r in table.rows if r.code == TOWN_A).done_percent == 50
    seen_by_town_a = rollup(officer, county)
    assert {r.code for r in seen_by_town_a.rows} == {TOWN_A} and seen_by_town_a.total.counts["total"] == 2
    village_rows = rollup(organizer, Region.objects.get(code=TOWN_A)).rows
    assert [r.code for r in village_rows if r.counts["total"]] == [VILLAGE_A]


def test_rebuilding_the_summaries_gives_what_the_services_kept(cadre: Any, make_commitment: Any) -> None:
    c = make_commitment(actor=cadre)
    make_commitment(actor=cadre, title="第二件")
    commitment_move(actor=cadre, commitment=c, to_status=Status.DROPPED, expected_version=1, reason="村民另有所需")
    kept = summary(VILLAGE_A)
    from django.db import transaction

    with transaction.atomic():
        summaries_rebuild([VILLAGE_A])
    assert (
        summary(VILLAGE_A)
        == kept
        == {"total": 2, "planned": 1, "in_progress": 0, "done": 0, "overdue": 0, "dropped": 1, "showcase": 0}
    )


def test_open_commitments_are_to_dos_of_the_village(cadre: Any, make_commitment: Any, make_user: Any) -> None:
    c = make_commitment(actor=cadre, deadline=timezone.localdate() + timedelta(days=3))
    titles = [i.title for i in work_items_for(cadre) if i.module == "commitments"]
    assert titles == [f"开门一件事：{c.title}"]
    other = make_user("village_cadre", VILLAGE_B)
    assert not [i for i in work_items_for(other) if i.module == "commitments"]
