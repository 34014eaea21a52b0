"""The ledger: commitments created, edited, moved through their transition table, progress with photos, the
showcase flag, the daily overdue sweep and the links to visits."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cunshe.commitments.models import TRANSITIONS, Commitment, CountyRules, Kind, ProgressUpdate, Source, Status
from cunshe.commitments.permissions import commitment_policy
from cunshe.commitments.services.common import EDITABLE, LABELS, PHOTO_MAX_BYTES, PHOTO_TYPES, clean
from cunshe.commitments.services.rules import rules_of
from cunshe.commitments.services.summaries import summary_count
from cunshe.core.actors import SYSTEM, Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import ConcurrentEdit, DomainError
from cunshe.core.transitions import check_move, move
from cunshe.records.services import changed_fields, record
from cunshe.regions.models import Level, Region
from cunshe.results.selectors import terms_of
from cunshe.termchanges.models import TermChange
from cunshe.visits.models import Visit


def _village(actor: Actor, code: str) -> Region:
    village = Region.objects.filter(code=code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("须为村(社区)。", {"region": ["须为村(社区)。"]})
    commitment_policy.check_in_region(
        actor, "change", code, message="您的角色无权登记该村(社区)的事项。", missing="未找到该村(社区)。"
    )
    return village


def field_errors(values: dict[str, Any], rules: CountyRules) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in ("title", "content", "target", "responsible_post"):
        if not str(values.get(name) or "").strip():
            errors[name] = ["必填。"]
    if len(str(values.get("title") or "")) > 100:
        errors["title"] = ["事项名称不超过 100 字。"]
    if len(str(values.get("responsible_post") or "")) > 50:
        errors["responsible_post"] = ["责任岗位不超过 50 字。"]
    if values.get("kind") not in Kind.values:
        errors["kind"] = ["类型应为开门一件事、初心清单或五年规划。"]
    if values.get("source") not in Source.values:
        errors["source"] = [f"来源应为{'、'.join(Source.labels)}之一。"]
    if values.get("category") not in rules.categories:
        errors["category"] = [f"类别应为本县设定的类别之一：{'、'.join(rules.categories)}。"]
    year = values.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = ["年度不合理。"]
    deadline = values.get("deadline")
    if not isinstance(deadline, date):
        errors["deadline"] = ["请填写完成时限。"]
    elif isinstance(year, int) and deadline.year < year:
        errors["deadline"] = ["完成时限不能早于所属年度。"]
    return errors


def village_terms(village_codes: list[str]) -> dict[str, tuple[int, int]]:
    """Each village's term (term change pk, its year) from the results module; two queries for any number."""
    terms = terms_of(village_codes)
    years = dict(TermChange.objects.filter(pk__in=set(terms.values())).values_list("pk", "year"))
    return {code: (pk, years[pk]) for code, pk in terms.items()}


def term_pk(terms: dict[str, tuple[int, int]], code: str) -> int | None:
    term = terms.get(code)
    return term[0] if term else None


def term_errors(year: Any, term: tuple[int, int] | None) -> dict[str, list[str]]:
    """A team commits for the years of its own term: the new team's first year is its election's year or later."""
    if term is None or not isinstance(year, int) or year >= term[1]:
        return {}
    return {"year": [f"本届两委在 {term[1]} 年换届中产生，不能登记 {term[1]} 年以前的事项。"]}


def status_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    status = values.get("status")
    if status not in Status.values:
        errors["status"] = ["状态不正确。"]
    if status == Status.DROPPED and not str(values.get("drop_reason") or "").strip():
        errors["drop_reason"] = ["放弃须写明原因。"]
    if status == Status.DONE and not values.get("completed_on"):
        errors["completed_on"] = ["已完成的事项须填写完成日期。"]
    if values.get("completed_on") and status != Status.DONE:
        errors["completed_on"] = ["只有已完成的事项才有完成日期。"]
    if values.get("is_showcase") and status != Status.DONE:
        errors["is_showcase"] = ["只有已完成的事项可以作为典型案例。"]
    return errors


def next_ledger_no(village_code: str, year: int, taken: set[str] | None = None) -> str:
    prefix = f"{village_code}-{year}-"
    numbers = set(Commitment.objects.filter(ledger_no__startswith=prefix).values_list("ledger_no", flat=True))
    numbers |= {n for n in (taken or set()) if n.startswith(prefix)}
    n = len(numbers) + 1
    while f"{prefix}{n:03d}" in numbers:
        n += 1
    return f"{prefix}{n:03d}"


def _snapshot(c: Commitment) -> dict[str, Any]:
    return {
        LABELS[name]: (
            getattr(c, f"get_{name}_display")() if name in ("kind", "source", "status") else getattr(c, name)
        )
        for name in (*EDITABLE, "status", "drop_reason", "completed_on", "evidence", "is_showcase", "showcase_writeup")
    }


@transaction.atomic
def commitment_create(
    *,
    actor: Actor,
    village_code: str,
    year: int,
    category: str,
    title: str,
    content: str,
    target: str,
    deadline: date | None,
    responsible_post: str,
    kind: str = Kind.FIRST,
    source: str = Source.VISITS,
) -> Commitment:
    village = _village(actor, village_code)
    rules = rules_of(village_code)
    values = {
        "kind": kind,
        "year": year,
        "category": category,
        "title": clean(title),
        "content": clean(content),
        "target": clean(target),
        "deadline": deadline,
        "responsible_post": clean(responsible_post),
        "source": source,
    }
    terms = village_terms([village.code])
    errors = field_errors(values, rules) | term_errors(year, terms.get(village.code))
    if errors:
        raise DomainError("事项信息有误，未保存。", errors)
    commitment = Commitment(
        region=village,
        ledger_no=next_ledger_no(village.code, year),
        term_change_id=term_pk(terms, village.code),
        **values,
    )
    commitment.save()
    summary_count(commitment, +1)
    record(
        actor=actor,
        region_code=village.code,
        event="commitments.created",
        summary=f"{village.name}登记{commitment.get_kind_display()}：{commitment.title}（{commitment.ledger_no}）",
        obj=commitment,
        after=_snapshot(commitment),
    )
    # 开门七件事 items that count these facts (firstyear.facts) are marked done in the same transaction
    from cunshe.firstyear.services import facts_changed

    facts_changed(commitment.region_id)
    return commitment


@transaction.atomic
def commitment_update(
    *, actor: Actor, commitment: Commitment, expected_version: int | None, **fields: Any
) -> Commitment:
    commitment_policy.check(actor, "change", commitment)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise DomainError(f"不能修改：{'、'.join(sorted(unknown))}。")
    if not commitment.is_open:
        raise DomainError(f"“{commitment.get_status_display()}”的事项不能再修改。")
    values = {name: getattr(commitment, name) for name in EDITABLE}
    values.update({k: clean(v) if isinstance(v, str) else v for k, v in fields.items()})
    errors = field_errors(values, rules_of(commitment.region_id))
    if errors:
        raise DomainError("事项信息有误，未保存。", errors)
    before = _snapshot(commitment)
    bump_version(commitment, expected_version=expected_version)
    summary_count(commitment, -1)
    for name, value in values.items():
        setattr(commitment, name, value)
    commitment.save(update_fields=[*EDITABLE])
    summary_count(commitment, +1)
    old, new = changed_fields(before, _snapshot(commitment))
    record(
        actor=actor,
        region_code=commitment.region_id,
        event="commitments.updated",
        summary=f"修改事项 {commitment.ledger_no}：{'、'.join(new) or '无变化'}",
        obj=commitment,
        before=old,
        after=new,
    )
    return commitment


@transaction.atomic
def commitment_move(
    *,
    actor: Actor,
    commitment: Commitment,
    to_status: str,
    expected_version: int | None,
    reason: str = "",
    completed_on: date | None = None,
    evidence: str = "",
) -> Commitment:
    commitment_policy.check(actor, "change", commitment)
    check_move(TRANSITIONS, commitment.status, to_status, Status, what="事项")  # before the form's errors
    errors: dict[str, list[str]] = {}
    if to_status == Status.DROPPED and not reason.strip():
        errors["reason"] = ["放弃须写明原因。"]
    if to_status == Status.DONE:
        completed_on = completed_on or timezone.localdate()
        if completed_on > timezone.localdate():
            errors["completed_on"] = ["完成日期不能晚于今天。"]
        if not evidence.strip():
            errors["evidence"] = ["请填写完成佐证（成效、照片或材料的说明）。"]
    if to_status == Status.OVERDUE and commitment.deadline >= timezone.localdate():
        errors["to_status"] = ["未到完成时限，不能标为逾期。"]
    if errors:
        raise DomainError("未能变更状态。", errors)
    before = _snapshot(commitment)
    summary_count(commitment, -1)
    left = move(commitment, to_status, table=TRANSITIONS, labels=Status, what="事项", expected_version=expected_version)
    if to_status == Status.DROPPED:
        commitment.drop_reason = clean(reason)
    if to_status == Status.DONE:
        commitment.completed_on, commitment.evidence = completed_on, clean(evidence)
    commitment.save(update_fields=["status", "drop_reason", "completed_on", "evidence"])
    summary_count(commitment, +1)
    old, new = changed_fields(before, _snapshot(commitment))
    record(
        actor=actor,
        region_code=commitment.region_id,
        event="commitments.moved",
        summary=f"事项 {commitment.ledger_no}“{commitment.title}”：{left} → {commitment.get_status_display()}",
        obj=commitment,
        before=old,
        after=new,
    )
    # 开门七件事 items that count these facts (firstyear.facts) are marked done in the same transaction
    from cunshe.firstyear.services import facts_changed

    facts_changed(commitment.region_id)
    return commitment


@transaction.atomic
def commitments_mark_overdue(*, today: date | None = None) -> int:
    """The daily check (a job of `cunshe daily`): open commitments past their deadline become overdue."""
    today = today or timezone.localdate()
    late = Commitment.objects.filter(status__in=[Status.PLANNED, Status.IN_PROGRESS], deadline__lt=today)
    count = 0
    for commitment in late.select_for_update().order_by("pk"):
        commitment_move(
            actor=SYSTEM, commitment=commitment, to_status=Status.OVERDUE, expected_version=commitment.version
        )
        count += 1
    return count


def _check_photo(photo: UploadedFile | None) -> list[str]:
    if photo is None:
        return []
    suffix = (photo.name or "").rsplit(".", 1)[-1].lower()
    if suffix not in PHOTO_TYPES:
        return ["照片应为 jpg、png、webp 或 heic 文件。"]
    if (photo.size or 0) > PHOTO_MAX_BYTES:
        return ["照片不超过 10 MB。"]
    return []


@transaction.atomic
def progress_add(
    *,
    actor: Actor,
    commitment: Commitment,
    written_on: date,
    note: str,
    photo: UploadedFile | None = None,
    expected_version: int | None = None,
) -> ProgressUpdate:
    """`expected_version`: the commitment's version when the page was opened (a phone may send it days later); when
    given and the commitment changed since (edited, moved, completed or dropped by someone else), nothing is saved and
    ConcurrentEdit lets the person see the commitment as it now is before sending again. Without it (older clients
    of the API) a progress note is added to whatever the commitment now is, as before."""
    commitment_policy.check(actor, "change", commitment)
    if expected_version is not None:
        # The row lock keeps a move or an edit from slipping in between this check and the save.
        now = Commitment.objects.select_for_update().only("version").get(pk=commitment.pk).version
        if now != expected_version:
            raise ConcurrentEdit(
                f"登记进展期间，该事项已被修改（您打开时为第 {expected_version} 版，现为第 {now} 版）；"
                "进展未保存，请核对事项现状后再提交。"
            )
    errors: dict[str, list[str]] = {}
    if not note.strip():
        errors["note"] = ["请填写进展。"]
    if written_on > timezone.localdate():
        errors["written_on"] = ["日期不能晚于今天。"]
    if problems := _check_photo(photo):
        errors["photo"] = problems
    if not commitment.is_open:
        errors["note"] = [f"“{commitment.get_status_display()}”的事项不再登记进展。"]
    if errors:
        raise DomainError("进展有误，未保存。", errors)
    update = ProgressUpdate(commitment=commitment, written_on=written_on, note=clean(note), written_by=user_of(actor))
    if photo is not None:
        update.photo.save(photo.name or "photo.jpg", photo, save=False)
    update.save()
    record(
        actor=actor,
        region_code=commitment.region_id,
        event="commitments.progress",
        summary=f"事项 {commitment.ledger_no} 进展（{written_on:%Y-%m-%d}）：{update.note[:60]}",
        obj=update,
        after={"日期": written_on, "进展": update.note, "照片": bool(update.photo)},
    )
    # The first progress starts the work.
    if commitment.status == Status.PLANNED:
        commitment_move(
            actor=actor, commitment=commitment, to_status=Status.IN_PROGRESS, expected_version=commitment.version
        )
    return update


@transaction.atomic
def commitment_showcase(
    *, actor: Actor, commitment: Commitment, writeup: str, expected_version: int | None
) -> Commitment:
    """Mark a completed commitment as a showcase case (典型案例) with its write-up; an empty write-up unmarks it."""
    commitment_policy.check(actor, "showcase", commitment)
    if commitment.status != Status.DONE:
        raise DomainError("只有已完成的事项可以作为典型案例。", {"writeup": ["该事项尚未完成。"]})
    before = _snapshot(commitment)
    bump_version(commitment, expected_version=expected_version)
    summary_count(commitment, -1)
    commitment.showcase_writeup = clean(writeup)
    commitment.is_showcase = bool(commitment.showcase_writeup)
    commitment.save(update_fields=["is_showcase", "showcase_writeup"])
    summary_count(commitment, +1)
    old, new = changed_fields(before, _snapshot(commitment))
    record(
        actor=actor,
        region_code=commitment.region_id,
        event="commitments.showcase",
        summary=f"事项 {commitment.ledger_no}“{commitment.title}”"
        f"{'列为典型案例' if commitment.is_showcase else '取消典型案例'}",
        obj=commitment,
        before=old,
        after=new,
    )
    return commitment


@transaction.atomic
def commitment_link_visits(*, actor: Actor, commitment: Commitment, visits: list[Visit]) -> Commitment:
    """Name the visits whose opinions the commitment answers; only visits to its own village with an opinion."""
    commitment_policy.check(actor, "change", commitment)
    wrong = [v for v in visits if v.region_id != commitment.region_id]
    silent = [v for v in visits if not (v.opinion_team.strip() or v.opinion_election.strip())]
    if wrong or silent:
        errors = []
        if wrong:
            errors.append("只能关联本村(社区)的走访记录。")
        if silent:
            errors.append("所选走访没有记录意见建议。")
        raise DomainError("关联的走访有误，未保存。", {"visits": errors})
    before = sorted(commitment.source_visits.values_list("pk", flat=True))
    commitment.source_visits.set(visits)
    after = sorted(v.pk for v in visits)
    if before != after:
        record(
            actor=actor,
            region_code=commitment.region_id,
            event="commitments.visits_linked",
            summary=f"{commitment.title}（{commitment.ledger_no}）关联走访意见 {len(after)} 条",
            obj=commitment,
            before={"来源走访": before},
            after={"来源走访": after},
        )
    return commitment
