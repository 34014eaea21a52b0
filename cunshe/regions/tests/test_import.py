import gzip
import random
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cunshe.core.actors import SYSTEM
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
    report = regions_import(actor=SYSTEM, files=SLICE_FILES, under="371681")
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
    report = regions_import(actor=SYSTEM, files=[provinces, cities], under="99")
    assert [(b.line, b.reason) for b in report.bad_rows] == [
        (3, "名称为空"),
        (4, "代码 '99031' 应为 4 位数字"),
        (5, "代码 9901 在文件中重复"),
    ]
    assert not Region.objects.filter(code__startswith="99").exists()


def test_a_unit_whose_parent_is_missing_is_refused(tmp_path: Path, db: Any) -> None:
    cities = _write(tmp_path, "cities.csv", 'code,name,provinceCode\n9501,"孤儿市",95\n')
    report = regions_import(actor=SYSTEM, files=[cities], under="95")
    assert [str(b) for b in report.bad_rows] == ["cities.csv 第 2 行：上级区划 95 不存在（请同时导入上级文件）"]


def test_import_reads_gzip_and_only_the_subtree_asked_for(tmp_path: Path, db: Any) -> None:
    _write(tmp_path, "provinces.csv", 'code,name\n98,"甲省"\n97,"乙省"\n')
    with gzip.open(tmp_path / "cities.csv.gz", "wt", encoding="utf-8") as handle:
        handle.write('code,name,provinceCode\n9801,"甲市",98\n9701,"乙市",97\n')
    report = regions_import(actor=SYSTEM, files=[tmp_path / "provinces.csv", tmp_path / "cities.csv.gz"], under="98")
    assert report.created == 2
    assert set(Region.objects.filter(code__startswith="9").values_list("code", flat=True)) == {"98", "9801"}


def test_a_renamed_unit_is_updated_in_place(tmp_path: Path, db: Any) -> None:
    provinces = _write(tmp_path, "provinces.csv", 'code,name\n96,"旧名省"\n')
    regions_import(actor=SYSTEM, files=[provinces], under="96")
    provinces.write_text('code,name\n96,"新名省"\n', encoding="utf-8")
    report = regions_import(actor=SYSTEM, files=[provinces], under="96")
    assert report.updated == 1 and Region.objects.get(code="96").name == "新名省"


def test_a_file_that_is_not_a_code_list_is_refused(tmp_path: Path, db: Any) -> None:
    with pytest.raises(DomainError, match="不是区划代码文件"):
        regions_import(actor=SYSTEM, files=[_write(tmp_path, "x.csv", "a,b\n1,2\n")], under="")


def test_everything_under_a_town_is_one_query(zouping: Region) -> None:
    with CaptureQueriesContext(connection) as queries:
        codes = list(region_subtree("371681001").values_list("code", flat=True))
    assert len(queries) == 1 and len(codes) > 20 and all(c.startswith("371681001") for c in codes)


# --- the bulk path: new rows go in as tuples (COPY on PostgreSQL, executemany on SQLite), saved rows are read
# one batch at a time. The suite runs on both databases, so each test below covers both ways of writing.


def _county_files(tmp_path: Path, villages: dict[str, str], *, towns: int) -> list[Path]:
    """A made-up province 93 with one city, one county 930101 and `towns` towns; `villages` maps code to name."""
    street_rows = "".join(f'930101{t:03d},"第{t}镇",930101,93,9301\n' for t in range(1, towns + 1))
    village_rows = "".join(f'{code},"{name}",{code[:9]},93,9301,930101\n' for code, name in villages.items())
    return [
        _write(tmp_path, "provinces.csv", 'code,name\n93,"测试省"\n'),
        _write(tmp_path, "cities.csv", 'code,name,provinceCode\n9301,"测试市",93\n'),
        _write(tmp_path, "areas.csv", 'code,name,cityCode,provinceCode\n930101,"测试县",9301,93\n'),
        _write(tmp_path, "streets.csv", "code,name,areaCode,provinceCode,cityCode\n" + street_rows),
        _write(tmp_path, "villages.csv", "code,name,streetCode,provinceCode,cityCode,areaCode\n" + village_rows),
    ]


def test_a_county_larger_than_several_batches_reimports_only_what_changed(tmp_path: Path, db: Any) -> None:
    from cunshe.regions.services import BATCH

    villages = {f"930101{t:03d}{v:03d}": f"{t}镇{v}村委会" for t in range(1, 14) for v in range(1, 951)}
    assert len(villages) > 2 * BATCH
    report = regions_import(actor=SYSTEM, files=_county_files(tmp_path, villages, towns=13), under="930101")
    assert (report.created, report.updated, report.unchanged) == (1 + 1 + 1 + 13 + 12350, 0, 0)
    assert report.per_level == {1: 1, 2: 1, 3: 1, 4: 13, 5: 12350}
    entries = RecordEntry.objects.count()

    codes = sorted(villages)
    renamed = [codes[0], codes[BATCH - 1], codes[BATCH], codes[-1]]  # both sides of a batch boundary, both ends
    villages[renamed[0]] = "改名村委会"
    villages[renamed[1]] = "改名村民委员会"
    villages[renamed[2]] = "新城社区居委会"  # a village that became a community
    villages[renamed[3]] = "末尾村委会"
    added = ["930101001999", "930101013951"]  # one among saved codes, one past the last
    villages.update({code: "新设村委会" for code in added})
    # A file that is not in code order: each batch then spans a wide range of codes, which must not matter.
    items = list(villages.items())
    random.Random(2026).shuffle(items)
    shuffled = dict(items)
    report = regions_import(actor=SYSTEM, files=_county_files(tmp_path, shuffled, towns=13), under="930101")

    assert (report.created, report.updated, report.unchanged) == (2, 4, 1 + 1 + 1 + 13 + 12350 - 4)
    assert RecordEntry.objects.count() == entries + 1
    assert Region.objects.get(code=renamed[2]).kind == Kind.COMMUNITY
    assert Region.objects.get(code=renamed[1]).name == "改名村民委员会"
    assert Region.objects.get(code=added[1]).parent_id == "930101013"
    saved = dict(region_subtree("930101", level=Level.VILLAGE).values_list("code", "name"))
    assert saved == villages

    report = regions_import(actor=SYSTEM, files=_county_files(tmp_path, shuffled, towns=13), under="930101")
    assert (report.created, report.updated) == (0, 0) and RecordEntry.objects.count() == entries + 1


def test_names_with_characters_special_to_csv_and_copy_are_saved_as_written(tmp_path: Path, db: Any) -> None:
    # COPY's text format gives \, tab and \N a meaning; CSV gives one to quotes and commas.
    names = {"9201": "甲\\乙市", "9202": "丙\t丁市", "9203": '戊"己",庚市', "9204": "\\N", "9205": "None"}
    cities = "".join('{},"{}",92\n'.format(code, name.replace('"', '""')) for code, name in names.items())
    files = [
        _write(tmp_path, "provinces.csv", 'code,name\n92,"特殊省"\n'),
        _write(tmp_path, "cities.csv", "code,name,provinceCode\n" + cities),
    ]
    report = regions_import(actor=SYSTEM, files=files, under="92")
    assert report.created == 6 and not report.bad_rows
    assert dict(Region.objects.filter(level=Level.CITY, code__startswith="92").values_list("code", "name")) == names
    province = Region.objects.get(code="92")
    assert province.parent_id is None and province.level == Level.PROVINCE and province.kind == Kind.NONE
    assert set(Region.objects.filter(code__startswith="92").values_list("parent_id", flat=True)) == {None, "92"}
    assert regions_import(actor=SYSTEM, files=files, under="92").unchanged == 6


def test_a_level_may_come_in_several_files(tmp_path: Path, db: Any) -> None:
    files = [
        _write(tmp_path, "provinces.csv", 'code,name\n91,"分省"\n'),
        _write(tmp_path, "cities.csv", 'code,name,provinceCode\n9101,"分市",91\n'),
        _write(tmp_path, "areas.csv", 'code,name,cityCode,provinceCode\n910101,"分县",9101,91\n'),
        _write(tmp_path, "streets-1.csv", 'code,name,areaCode\n910101001,"一镇",910101\n'),
        _write(tmp_path, "streets-2.csv", 'code,name,areaCode\n910101002,"二镇",910101\n'),
        _write(tmp_path, "villages-1.csv", 'code,name,streetCode\n910101001001,"一村委会",910101001\n'),
        _write(tmp_path, "villages-2.csv", 'code,name,streetCode\n910101002001,"二村委会",910101002\n'),
    ]
    report = regions_import(actor=SYSTEM, files=files, under="91")
    assert not report.bad_rows and report.per_level == {1: 1, 2: 1, 3: 1, 4: 2, 5: 2}
    assert region_subtree("910101", level=Level.VILLAGE).count() == 2
    assert regions_import(actor=SYSTEM, files=files, under="91").unchanged == 7


def test_blank_lines_are_skipped_and_a_bad_row_is_named_by_its_line_in_the_file(tmp_path: Path, db: Any) -> None:
    provinces = _write(tmp_path, "provinces.csv", 'code,name\n94,"空行省"\n')
    cities = _write(
        tmp_path, "cities.csv", 'code,name,provinceCode\n9401,"甲市",94\n\n 9402 ,"乙市",94\n,"无码市",94\n'
    )
    report = regions_import(actor=SYSTEM, files=[provinces, cities], under="94")
    assert [str(b) for b in report.bad_rows] == ["cities.csv 第 5 行：代码 '' 应为 4 位数字"]
    cities.write_text('code,name,provinceCode\n9401,"甲市",94\n\n 9402 ,"乙市",94\n', encoding="utf-8")
    report = regions_import(actor=SYSTEM, files=[provinces, cities], under="94")
    assert report.created == 3 and Region.objects.get(code="9402").name == "乙市"


def test_villages_under_a_county_read_one_range_of_the_level_code_index(zouping: Region) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans by statistics; its prefix index serves this query (see bench/README.md)")
    plan = region_subtree("371681", level=Level.VILLAGE).explain()
    assert "region_level_code_idx (level=? AND code>? AND code<?)" in plan, plan


def test_a_body_is_named_in_the_words_of_its_village_or_community(zouping: Region) -> None:
    village = Region.objects.get(code="371681001213")  # 西范村委会
    community = Region.objects.filter(parent__parent=zouping, kind=Kind.COMMUNITY).get()
    assert community.short_name.endswith("社区")
    assert village.named("村(社区)党组织换届选举") == "西范村党组织换届选举"
    assert village.named("村(居)务监督委员会选举") == "西范村村务监督委员会选举"
    assert village.named("村民委员会选举") == "西范村村民委员会选举"
    assert village.named("村(社区)两委换届交接") == "西范村两委换届交接"
    assert community.named("村(社区)党组织书记") == f"{community.short_name}党组织书记"
    assert community.named("村(居)务监督委员会") == f"{community.short_name}居务监督委员会"
    assert community.named("村(居)民委员会主任") == f"{community.short_name}居民委员会主任"
