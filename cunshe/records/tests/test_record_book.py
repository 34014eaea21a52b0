import itertools
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from conftest import TOWN_A, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.records.models import AppendOnly, RecordEntry
from cunshe.records.services import record
from cunshe.records.verification import verify_chain


def _county_entries() -> list[RecordEntry]:
    return list(RecordEntry.objects.filter(chain="371681").order_by("seq"))


@pytest.fixture
def chain(make_person: Any) -> list[RecordEntry]:
    for n in range(4):
        make_person(VILLAGE_A if n % 2 else VILLAGE_B, name=f"链上村民{n}")
    entries = _county_entries()
    assert len(entries) >= 4
    return entries


def test_entries_chain_by_county_in_sequence(chain: list[RecordEntry]) -> None:
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
    for previous, entry in itertools.pairwise(chain):
        assert entry.prev_hash == previous.hash
    assert verify_chain("371681") is None


def test_entries_cannot_be_changed_or_deleted_through_the_orm(chain: list[RecordEntry]) -> None:
    entry = chain[0]
    entry.summary = "改过"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        RecordEntry.objects.filter(pk=entry.pk).update(summary="改过")
    with pytest.raises(AppendOnly):
        RecordEntry.objects.all().delete()


def test_recording_outside_a_transaction_is_a_programming_error(transactional_db: Any, zouping: Any) -> None:
    with pytest.raises(RuntimeError):
        record(actor=SYSTEM, region_code=VILLAGE_A, event="people.x", summary="x")


def _raw(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _verify_output() -> str:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("records", "verify", stderr=err, stdout=StringIO())
    return err.getvalue()


def test_verify_names_an_edited_row(chain: list[RecordEntry]) -> None:
    target = chain[2]
    _raw("UPDATE records_recordentry SET summary = %s WHERE id = %s", ["被篡改的摘要", target.pk])
    assert f"第 {target.seq} 条：内容与哈希不符" in _verify_output()


def test_verify_names_a_deleted_row(chain: list[RecordEntry]) -> None:
    target = chain[1]
    _raw("DELETE FROM records_recordentry WHERE id = %s", [target.pk])
    assert f"缺少序号 {target.seq}" in _verify_output()


def test_verify_notices_the_last_row_deleted(chain: list[RecordEntry]) -> None:
    _raw("DELETE FROM records_recordentry WHERE id = %s", [chain[-1].pk])
    assert "末尾记录被删除" in _verify_output()


def test_verify_names_a_row_inserted_out_of_order(chain: list[RecordEntry]) -> None:
    # A forger renumbers the tail and slips a made-up entry in at position 2, with a hash of its own.
    ids = [e.pk for e in chain[1:]]
    for pk in reversed(ids):
        _raw("UPDATE records_recordentry SET seq = seq + 1 WHERE id = %s", [pk])
    forged = chain[0]
    _raw(
        "INSERT INTO records_recordentry (chain, seq, at, actor_id, actor_name, region_id, module, event, summary,"
        " object_type, object_id, before, after, prev_hash, hash) VALUES (%s, 2, %s, NULL, '伪造', %s, 'people',"
        " 'people.person_created', '伪造记录', '', '', NULL, NULL, %s, %s)",
        ["371681", forged.at, VILLAGE_A, forged.hash, "f" * 64],
    )
    assert "第 2 条：内容与哈希不符" in _verify_output()


def test_verify_passes_an_intact_book(chain: list[RecordEntry]) -> None:
    out = StringIO()
    call_command("records", "verify", stdout=out)
    assert "全部校验通过" in out.getvalue()


def test_concurrent_chains_do_not_share_sequence_numbers(make_person: Any) -> None:
    with transaction.atomic():
        make_person(VILLAGE_A)
        make_person(VILLAGE_B)
    seqs = list(RecordEntry.objects.filter(chain="371681").values_list("seq", flat=True))
    assert len(seqs) == len(set(seqs))


def test_record_book_page_is_newest_first_and_filters_by_module(make_user: Any, make_person: Any, web_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    make_person(VILLAGE_A, name="先登记的人")
    make_person(VILLAGE_A, name="后登记的人")
    page = web_as(officer).get(f"/records/{VILLAGE_A}/").content.decode()
    assert page.index("后登记的人") < page.index("先登记的人")
    assert "人员信息" in page
    filtered = web_as(officer).get(f"/records/{VILLAGE_A}/?module=accounts").content.decode()
    assert "后登记的人" not in filtered
    api = web_as(officer).get(f"/records/{VILLAGE_B}/")
    assert api.status_code == 404
