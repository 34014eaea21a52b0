"""Anchors: the chain heads written out of the database each day, signed with a key the database never holds.

The hash chain alone proves only that the book is consistent with itself: whoever can write to the database can edit
an entry and recompute every later hash and the head with the project's own digest, or cut the last entries and move
the head back, and `records verify` would still pass. An anchor is a file `anchor-<时间>.json` holding, for each
chain, the last sequence number and its hash at that moment, with an HMAC-SHA256 over it under a key read from a file
(or the environment) that the application reads only here and never stores. Verification then asks, for every
anchor: is the anchored entry still in the book, with the anchored hash? Because each hash covers all the entries
before it, a matching hash proves the whole chain up to that entry is what it was when the anchor was taken; an
entry missing proves the tail was cut. What an anchor cannot prove is anything about entries written after the
latest anchor (docs/deploy.md, section 9).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from cunshe.records.models import RecordChain, RecordEntry


class AnchorsNotConfigured(Exception):
    """The anchor folder or the key is missing; the message is Chinese and says which setting to give."""


def anchor_dir() -> Path | None:
    folder = getattr(settings, "RECORDS_ANCHOR_DIR", "")
    return Path(folder) if folder else None


def _key() -> bytes:
    key_file = getattr(settings, "RECORDS_ANCHOR_KEY_FILE", "")
    if key_file:
        try:
            key = Path(key_file).read_bytes().strip()
        except OSError as exc:
            raise AnchorsNotConfigured(f"无法读取锚点密钥文件 {key_file}：{exc.strerror}。") from exc
    else:
        key = os.environ.get("CUNSHE_ANCHOR_KEY", "").encode()
    if len(key) < 32:
        raise AnchorsNotConfigured(
            "未配置锚点密钥：请把至少 32 个字符的随机密钥放在 CUNSHE_ANCHOR_KEY_FILE 指向的文件中（见 docs/deploy.md 第 9 节）。"
        )
    return key


def _signature(key: bytes, body: dict[str, Any]) -> str:
    message = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Anchor:
    path: Path
    taken_at: datetime
    heads: dict[str, tuple[int, str]]  # chain -> (last seq, its hash)
    signature: str

    @property
    def digest(self) -> str:
        """What the supervisor writes down or files on paper each day: short enough to copy, and a forger who
        lacks the key cannot produce another anchor with the same one."""
        return f"{self.signature[:8]}-{self.signature[8:16]}"

    def printout(self) -> str:
        lines = [f"记录本锚点 {timezone.localtime(self.taken_at):%Y-%m-%d %H:%M}　摘要 {self.digest}"]
        lines += [
            f"  链 {chain}：至第 {seq} 条，哈希 {digest[:16]}" for chain, (seq, digest) in sorted(self.heads.items())
        ]
        return "\n".join(lines)


def anchor_take(*, now: datetime | None = None) -> Anchor:
    """Write the current chain heads to a new signed file in the anchor folder and return it."""
    folder = anchor_dir()
    if folder is None:
        raise AnchorsNotConfigured("未配置锚点目录：请设置 CUNSHE_ANCHOR_DIR（见 docs/deploy.md 第 9 节）。")
    key = _key()
    taken_at = now or timezone.now()
    heads = {c.chain: (c.last_seq, c.last_hash) for c in RecordChain.objects.order_by("chain")}
    body = {
        "version": 1,
        "taken_at": taken_at.isoformat(),
        "heads": {chain: {"seq": seq, "hash": digest} for chain, (seq, digest) in heads.items()},
    }
    signature = _signature(key, body)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"anchor-{timezone.localtime(taken_at):%Y%m%d-%H%M%S-%f}.json"
    with path.open("x", encoding="utf-8") as file:  # never overwrite an earlier anchor
        json.dump({**body, "signature": signature}, file, ensure_ascii=False, indent=1)
    return Anchor(path, taken_at, heads, signature)


@dataclass(frozen=True)
class AnchorProblem:
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}：{self.reason}"


def anchors_check(*, chains: list[str] | None = None, before: date | None = None) -> tuple[int, list[AnchorProblem]]:
    """Compare the book with every anchor in the folder (taken before `before`, when given: after restoring a backup,
    anchors newer than the backup name the entries the backup lacks). Returns how many anchors were read and what
    does not match. A file whose signature fails is reported, not trusted."""
    folder = anchor_dir()
    files = sorted(folder.glob("anchor-*.json")) if folder and folder.is_dir() else []
    if not files:
        return 0, []
    key = _key()
    problems: list[AnchorProblem] = []
    anchored: dict[tuple[str, int], tuple[str, str]] = {}  # (chain, seq) -> (hash, the file that anchored it)
    read = 0
    for path in files:
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
            signature = content.pop("signature")
            taken_at = datetime.fromisoformat(content["taken_at"])
            heads = {c: (int(h["seq"]), str(h["hash"])) for c, h in content["heads"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            problems.append(AnchorProblem(path.name, "锚点文件无法读取（格式被破坏）"))
            continue
        if not hmac.compare_digest(_signature(key, content), str(signature)):
            problems.append(AnchorProblem(path.name, "锚点文件的签名不符（文件被改动，或密钥不是签发时的那一个）"))
            continue
        if before is not None and timezone.localtime(taken_at).date() >= before:
            continue
        read += 1
        for chain, (seq, digest) in heads.items():
            if seq and (not chains or chain in chains):
                anchored[(chain, seq)] = (digest, path.name)
    for (chain, seq), (digest, name) in sorted(anchored.items()):
        entry = RecordEntry.objects.filter(chain=chain, seq=seq).only("hash").first()
        if entry is None:
            problems.append(
                AnchorProblem(f"链 {chain} 第 {seq} 条", f"锚点 {name} 记到这一条，库中已没有它（末尾记录被截去）")
            )
        elif entry.hash != digest:
            problems.append(
                AnchorProblem(
                    f"链 {chain} 第 {seq} 条",
                    f"哈希与锚点 {name} 不符（这一条或它之前的记录被改写，哈希被重新计算）",
                )
            )
    return read, problems


def daily_anchor(today: date) -> str:
    """The daily job: without a folder configured (development, tests) it says so; with a folder but no key it
    fails, so `cunshe daily` reports it."""
    if anchor_dir() is None:
        return "未配置锚点目录（CUNSHE_ANCHOR_DIR），未导出链头"
    anchor = anchor_take()
    return f"已导出链头到 {anchor.path.name}，摘要 {anchor.digest}"
