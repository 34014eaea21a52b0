"""Checking the chains: the first link that does not hold names the row that was edited, deleted or inserted."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cunshe.records.models import RecordChain, RecordEntry
from cunshe.records.services import GENESIS, digest


@dataclass(frozen=True)
class BrokenLink:
    chain: str
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"链 {self.chain} 第 {self.seq} 条：{self.reason}"


def verify_chain(chain: str) -> BrokenLink | None:
    expected_seq = 1
    prev_hash = GENESIS
    entries: Iterator[RecordEntry] = RecordEntry.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=2000)
    for entry in entries:
        if entry.seq != expected_seq:
            return BrokenLink(
                chain, expected_seq, f"缺少序号 {expected_seq}（记录被删除或序号被改动），下一条为 {entry.seq}"
            )
        if entry.prev_hash != prev_hash:
            return BrokenLink(chain, entry.seq, "前一条的哈希不符（之前的记录被删除、插入或改动）")
        if digest(entry) != entry.hash:
            return BrokenLink(chain, entry.seq, "内容与哈希不符（该记录被改动）")
        prev_hash = entry.hash
        expected_seq += 1
    head = RecordChain.objects.filter(chain=chain).first()
    if head is not None and (head.last_seq != expected_seq - 1 or (head.last_hash or GENESIS) != prev_hash):
        return BrokenLink(
            chain, expected_seq - 1 if expected_seq > 1 else 0, f"链尾应为第 {head.last_seq} 条（末尾记录被删除）"
        )
    return None


def verify_all(chains: list[str] | None = None) -> tuple[int, list[BrokenLink]]:
    names = chains or sorted(
        set(RecordChain.objects.values_list("chain", flat=True))
        | set(RecordEntry.objects.values_list("chain", flat=True).distinct())
    )
    broken = [b for b in (verify_chain(c) for c in names) if b is not None]
    return len(names), broken
