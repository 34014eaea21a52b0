import gzip
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cunshe.core.errors import DomainError
from cunshe.records.models import RecordEntry
from cunshe.regions.models import Kind, Level, Region
from cunshe.regions.selectors import region_subtree
from cunshe.regions.services import regions_import
from cunshe.regions.slice import SLICE_FILES


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_slice_holds_zouping_with_villages_and_a_community(zouping: Region) -> None:
    assert zouping.name == "邹平市" and zouping.level == Level.COUNTY
    villages = region_subtree("371681", level=Level.VILLAGE)
    assert villages.count() == 859
    assert villages.filter(kind=Kind.COMMUNITY).count() == 1
    assert Region.objects.get(code="371681001213").short_name == "西范村"
    assert Region.objects.get(code="371681001").kind == Kind.STREET_OFFICE
    assert Region.objects.get(code="371681101").kind == Kind.TOWN


def test_reimporting_changes_nothing(zouping: Region) -> None:
    before = RecordEntry.objects.count()
    report = regions_import(actor=None, files=SLICE_FILES, under="371681")
    assert (report.created, report.updated) == (0, 0) and report.unchanged == 1 + 1 + 1 + 16 + 859
    assert RecordEntry.objects.count() == before


def test_bad_rows_are_all_named_and_nothing_is_saved(tmp_path: Path, db: Any) -> None:
    provinces = _write(tmp_path, "provinces.csv", 'code,name\n99,"测试省"\n')
    cities = _write(
        tmp_path,
        "cities.csv",
        'code,name,provinceCode\n9901,"测试市",99\n9902,"",99\n99031,"坏代码",99\n9901,"重复市",99\n',
    )
    with pytest.raises(CommandError, match="3 行有误"):
        call_command("regions", "import", "--under", "99", str(provinces), str(cities))
    report = regions_import(actor=None, files=[provinces, cities], under="99")
    assert [(b.line, b.reason) for b in report.bad_rows] == [
        (3, "名称为空"),
        (4, "代码 '99031' 应为 4 位数字"),
        (5, "代码 9901 在文件中重复"),
    ]
    assert not Region.objects.filter(code__startswith="99").exists()


def test_a_unit_whose_parent_is_missing_is_refused(tmp_path: Path, db: Any) -> None:
    cities = _write(tmp_path, "cities.csv", 'code,name,provinceCode\n9501,"孤儿市",95\n')
    report = regions_import(actor=None, files=[cities], under="95")
    assert [str(b) for b in report.bad_rows] == ["cities.csv 第 2 行：上级区划 95 不存在（请同时导入上级文件）"]


def test_import_reads_gzip_and_only_the_subtree_asked_for(tmp_path: Path, db: Any) -> None:
    _write(tmp_path, "provinces.csv", 'code,name\n98,"甲省"\n97,"乙省"\n')
    with gzip.open(tmp_path / "cities.csv.gz", "wt", encoding="utf-8") as handle:
        handle.write('code,name,provinceCode\n9801,"甲市",98\n9701,"乙市",97\n')
    report = regions_import(actor=None, files=[tmp_path / "provinces.csv", tmp_path / "cities.csv.gz"], under="98")
    assert report.created == 2
    assert set(Region.objects.filter(code__startswith="9").values_list("code", flat=True)) == {"98", "9801"}


def test_a_renamed_unit_is_updated_in_place(tmp_path: Path, db: Any) -> None:
    provinces = _write(tmp_path, "provinces.csv", 'code,name\n96,"旧名省"\n')
    regions_import(actor=None, files=[provinces], under="96")
    provinces.write_text('code,name\n96,"新名省"\n', encoding="utf-8")
    report = regions_import(actor=None, files=[provinces], under="96")
    assert report.updated == 1 and Region.objects.get(code="96").name == "新名省"


def test_a_file_that_is_not_a_code_list_is_refused(tmp_path: Path, db: Any) -> None:
    with pytest.raises(DomainError, match="不是区划代码文件"):
        regions_import(actor=None, files=[_write(tmp_path, "x.csv", "a,b\n1,2\n")], under="")


def test_everything_under_a_town_is_one_query(zouping: Region) -> None:
    with CaptureQueriesContext(connection) as queries:
        codes = list(region_subtree("371681001").values_list("code", flat=True))
    assert len(queries) == 1 and len(codes) > 20 and all(c.startswith("371681001") for c in codes)


def test_villages_under_a_county_read_one_range_of_the_level_code_index(zouping: Region) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans by statistics; its prefix index serves this query (see bench/README.md)")
    plan = region_subtree("371681", level=Level.VILLAGE).explain()
    assert "region_level_code_idx (level=? AND code>? AND code<?)" in plan, plan
