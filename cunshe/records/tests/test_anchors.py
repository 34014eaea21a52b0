"""Anchors catch what the chain alone cannot (issue 14, item 16): a forger with database access who edits an entry and
recomputes every later hash and the head, or cuts the last entries and moves the head back, passes the chain check;
the signed chain heads exported beforehand to a folder the database cannot rewrite do not match."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from conftest import VILLAGE_A, VILLAGE_B
from cunshe.deadlines.daily import job_names, run_daily
from cunshe.records.models import RecordEntry
from cunshe.records.services import digest
from cunshe.records.verification import verify_chain

CHAIN = "371681"


@pytest.fixture
def anchors(settings: Any, tmp_path: Path) -> Path:
    key = tmp_path / "anchor.key"
    key.write_text("k" * 48)
    settings.RECORDS_ANCHOR_DIR = str(tmp_path / "anchors")
    settings.RECORDS_ANCHOR_KEY_FILE = str(key)
    return tmp_path / "anchors"


@pytest.fixture
def book(make_person: Any) -> list[RecordEntry]:
    for n in range(5):
        make_person(VILLAGE_A if n % 2 else VILLAGE_B, name=f"锚点村民{n}")
    return list(RecordEntry.objects.filter(chain=CHAIN).order_by("seq"))


def _sql(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _verify() -> tuple[bool, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("records", "verify", stdout=out, stderr=err)
    except CommandError as exc:
        return False, err.getvalue() + str(exc)
    return True, out.getvalue()


def rewrite_from(entries: list[RecordEntry], index: int, summary: str) -> None:
    """The attack: change one entry, then recompute its hash, every later prev_hash and hash, and the head."""
    previous = entries[index - 1].hash if index else entries[0].prev_hash
    for entry in entries[index:]:
        if entry is entries[index]:
            entry.summary = summary
        entry.prev_hash = previous
        entry.hash = digest(entry)
        _sql(
            "UPDATE records_recordentry SET summary = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [entry.summary, entry.prev_hash, entry.hash, entry.pk],
        )
        previous = entry.hash
    _sql("UPDATE records_recordchain SET last_hash = %s WHERE chain = %s", [previous, CHAIN])


def cut_tail(entries: list[RecordEntry], keep: int) -> None:
    """The other attack: delete the last entries and move the head back to the new last one."""
    for entry in entries[keep:]:
        _sql("DELETE FROM records_recordentry WHERE id = %s", [entry.pk])
    last = entries[keep - 1]
    _sql("UPDATE records_recordchain SET last_seq = %s, last_hash = %s WHERE chain = %s", [last.seq, last.hash, CHAIN])


def test_a_full_rewrite_passes_the_chain_but_not_the_anchor(book: list[RecordEntry], anchors: Path) -> None:
    call_command("records", "anchor", stdout=StringIO())
    assert _verify()[0]
    rewrite_from(book, 1, "改写后的摘要")
    assert verify_chain(CHAIN) is None  # the chain alone is fooled: that is why anchors exist
    ok, output = _verify()
    assert not ok and f"链 {CHAIN} 第 {book[-1].seq} 条" in output and "被改写" in output


def test_a_cut_tail_with_the_head_moved_back_is_caught(book: list[RecordEntry], anchors: Path) -> None:
    call_command("records", "anchor", stdout=StringIO())
    cut_tail(book, 3)
    assert verify_chain(CHAIN) is None
    ok, output = _verify()
    assert not ok and "末尾记录被截去" in output


def test_without_anchors_the_command_says_what_it_cannot_prove(book: list[RecordEntry]) -> None:
    rewrite_from(book, 1, "改写后的摘要")
    ok, output = _verify()
    assert ok and "没有锚点文件" in output and "不能排除" in output


def test_entries_after_the_anchor_still_verify(book: list[RecordEntry], anchors: Path, make_person: Any) -> None:
    call_command("records", "anchor", stdout=StringIO())
    make_person(VILLAGE_A, name="锚点之后")
    ok, output = _verify()
    assert ok and "与 1 个锚点一致" in output


def test_an_edited_anchor_file_is_not_trusted(book: list[RecordEntry], anchors: Path) -> None:
    call_command("records", "anchor", stdout=StringIO())
    (path,) = anchors.glob("anchor-*.json")
    content = json.loads(path.read_text())
    content["heads"][CHAIN]["seq"] = 1  # a forger who cut the tail moves the anchor back too
    content["heads"][CHAIN]["hash"] = book[0].hash
    path.write_text(json.dumps(content))
    ok, output = _verify()
    assert not ok and "签名不符" in output


def test_after_a_restore_only_anchors_before_the_backup_are_compared(book: list[RecordEntry], anchors: Path) -> None:
    call_command("records", "anchor", stdout=StringIO())
    cut_tail(book, 3)
    out = StringIO()
    call_command("records", "verify", "--before", "2000-01-01", stdout=out)
    assert "没有锚点文件" in out.getvalue() or "全部校验通过" in out.getvalue()


def test_the_anchor_is_a_daily_job_and_prints_a_digest(book: list[RecordEntry], anchors: Path) -> None:
    assert "records.anchor" in job_names()
    (result,) = run_daily(only=["records.anchor"])
    assert result.ok and "摘要" in result.message
    (path,) = anchors.glob("anchor-*.json")
    assert json.loads(path.read_text())["heads"][CHAIN]["seq"] == book[-1].seq
    out = StringIO()
    call_command("records", "anchor", stdout=out)
    assert f"链 {CHAIN}：至第 {book[-1].seq} 条" in out.getvalue() and len(list(anchors.glob("anchor-*"))) == 2


def test_anchoring_without_a_key_refuses_in_chinese(book: list[RecordEntry], settings: Any, tmp_path: Path) -> None:
    settings.RECORDS_ANCHOR_DIR = str(tmp_path)
    settings.RECORDS_ANCHOR_KEY_FILE = ""
    with pytest.raises(CommandError, match="未配置锚点密钥"):
        call_command("records", "anchor", stdout=StringIO())
    (result,) = run_daily(only=["records.anchor"])
    assert not result.ok and "未配置锚点密钥" in result.message
