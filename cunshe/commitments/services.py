"""Every write of the commitments module: the ledger, its progress, the county's rules, the target letter, the
showcase cases and the Excel import. Each service checks the access rule, validates everything before saving,
keeps the per-village summary in the same transaction and appends to the record book."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date
from typing import Any, BinaryIO

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, F, Q

from cunshe.commitments.draw import draw_villages
from cunshe.commitments.models import (
    DEFAULT_CATEGORIES,
    DEFAULT_MAX_PER_VILLAGE,
    DEFAULT_MIN_PER_VILLAGE,
    TRANSITIONS,
    Commitment,
    CountyRules,
    DrawMode,
    Finding,
    InspectedVillage,
    Inspection,
    Kind,
    ProgressUpdate,
    Source,
    Status,
    TargetLetter,
    VillageSummary,
)
from cunshe.commitments.permissions import (
    commitment_policy,
    finding_policy,
    inspection_policy,
    letter_policy,
    rules_policy,
)
from cunshe.commitments.responsibility import inspection_counted
from cunshe.core.actors import SYSTEM, Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition
from cunshe.core.schema import plain_text
from cunshe.core.transitions import check_move
from cunshe.records.services import Pending, changed_fields, record, record_many
from cunshe.regions.models import Level, Region
from cunshe.results.selectors import terms_of
from cunshe.spreadsheets.layout import (
    CellError,
    Column,
    ImportReport,
    Row,
    parse_date,
    parse_yes_no,
    read_rows,
    write_workbook,
)
from cunshe.termchanges.models import TermChange
from cunshe.visits.models import Visit

PHOTO_TYPES = {"jpg", "jpeg", "png", "webp", "heic"}
PHOTO_MAX_BYTES = 10 * 2**20

# The ledger fields an edit may change (status, evidence and showcase have their own services).
EDITABLE = ("kind", "year", "category", "title", "content", "target", "deadline", "responsible_post", "source")
LABELS: dict[str, str] = {f.name: str(f.verbose_name) for f in Commitment._meta.fields}


def clean(text: str) -> str:
    """What a person typed, as the public page and the ledger show it: no control characters or direction
    overrides (cunshe.core.schema), no surrounding blanks."""
    return plain_text(text).strip()


# --- the county's rules ----------------------------------------------------------------------------------


def rules_of(county_code: str) -> CountyRules:
    """The county's saved rules, or the defaults (3 to 5 per village, the six categories of seed 001)."""
    rules = CountyRules.objects.filter(county_id=county_code[:6]).first()
    if rules is None:
        rules = CountyRules(
            county_id=county_code[:6],
            min_per_village=DEFAULT_MIN_PER_VILLAGE,
            max_per_village=DEFAULT_MAX_PER_VILLAGE,
            categories=list(DEFAULT_CATEGORIES),
        )
        rules.version = 0
    return rules


@transaction.atomic
def county_rules_set(
    *,
    actor: Actor,
    county_code: str,
    min_per_village: int,
    max_per_village: int,
    categories: list[str],
    expected_version: int | None,
) -> CountyRules:
    county = Region.objects.filter(code=county_code, level=Level.COUNTY).first()
    if county is None:
        raise DomainError("须为县(市、区)。", {"county": ["须为县(市、区)。"]})
    rules_policy.check_in_region(
        actor, "change", county_code, message="只有县委组织部可以修改开门一件事的设置。", missing="未找到该县。"
    )
    names = [c.strip() for c in categories if c.strip()]
    errors: dict[str, list[str]] = {}
    if not 1 <= min_per_village <= max_per_village <= 50:
        errors["max_per_village"] = ["件数范围应为 1 至 50，且最少不大于最多。"]
    if not names:
        errors["categories"] = ["至少设一个类别。"]
    elif len(set(names)) != len(names):
        errors["categories"] = ["类别名称重复。"]
    elif any(len(n) > 40 for n in names):
        errors["categories"] = ["类别名称不超过 40 字。"]
    current = rules_of(county_code)
    in_use = set(
        Commitment.objects.filter(region__startswith=county_code).values_list("category", flat=True).distinct()
    )
    removed_in_use = sorted(in_use - set(names))
    if removed_in_use and "categories" not in errors:
        errors["categories"] = [f"以下类别已有事项，不能删除：{'、'.join(removed_in_use)}"]
    if errors:
        raise DomainError("设置有误，未保存。", errors)
    before = {"每村件数": f"{current.min_per_village}-{current.max_per_village}", "类别": current.categories}
    if current.pk is None:
        if expected_version not in (None, 0):
            raise DomainError("该设置已被他人修改，请刷新后重试。")
        current.version = 1
        current.save()
    else:
        bump_version(current, expected_version=expected_version)
    current.min_per_village, current.max_per_village, current.categories = min_per_village, max_per_village, names
    current.save(update_fields=["min_per_village", "max_per_village", "categories"])
    after = {"每村件数": f"{min_per_village}-{max_per_village}", "类别": names}
    old, new = changed_fields(before, after)
    record(
        actor=actor,
        region_code=county.code,
        event="commitments.rules_set",
        summary=f"{county.name}开门一件事设置：每村 {min_per_village}-{max_per_village} 件，{len(names)} 个类别",
        obj=current,
        before=old,
        after=new,
    )
    return current


# --- the summary kept beside the ledger ------------------------------------------------------------------


def _count(commitment: Commitment, delta: int) -> None:
    """Add (+1) or remove (-1) the commitment's current state from its village's summary row."""
    row, _ = VillageSummary.objects.get_or_create(
        region_id=commitment.region_id,
        kind=commitment.kind,
        term_change_id=commitment.term_change_id,
        year=commitment.year,
        category=commitment.category,
    )
    changes: dict[str, Any] = {"total": F("total") + delta, commitment.status: F(commitment.status) + delta}
    if commitment.is_showcase:
        changes["showcase"] = F("showcase") + delta
    VillageSummary.objects.filter(pk=row.pk).update(**changes)


def summaries_rebuild(region_codes: Iterable[str]) -> None:
    """Recount the summary rows of these villages from the ledger (after a bulk import). Call inside a transaction."""
    codes = sorted(set(region_codes))
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        VillageSummary.objects.filter(region_id__in=chunk).delete()
        counts = (
            Commitment.objects.filter(region_id__in=chunk)
            .values("region_id", "kind", "term_change_id", "year", "category")
            .annotate(
                total=Count("id"),
                showcase=Count("id", filter=Q(is_showcase=True)),
                **{s: Count("id", filter=Q(status=s)) for s in Status.values},
            )
            .order_by()
        )
        VillageSummary.objects.bulk_create(VillageSummary(**c) for c in counts)


# --- the ledger ------------------------------------------------------------------------------------------


def _village(actor: Actor, code: str) -> Region:
    village = Region.objects.filter(code=code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("须为村(社区)。", {"region": ["须为村(社区)。"]})
    commitment_policy.check_in_region(
        actor, "change", code, message="您的角色无权登记该村(社区)的事项。", missing="未找到该村(社区)。"
    )
    return village


def _field_errors(values: dict[str, Any], rules: CountyRules) -> dict[str, list[str]]:
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


def _terms(village_codes: list[str]) -> dict[str, tuple[int, int]]:
    """Each village's term (term change pk, its year) from the results module; two queries for any number."""
    terms = terms_of(village_codes)
    years = dict(TermChange.objects.filter(pk__in=set(terms.values())).values_list("pk", "year"))
    return {code: (pk, years[pk]) for code, pk in terms.items()}


def _term_pk(terms: dict[str, tuple[int, int]], code: str) -> int | None:
    term = terms.get(code)
    return term[0] if term else None


def _term_errors(year: Any, term: tuple[int, int] | None) -> dict[str, list[str]]:
    """A team commits for the years of its own term: the new team's first year is its election's year or later."""
    if term is None or not isinstance(year, int) or year >= term[1]:
        return {}
    return {"year": [f"本届两委在 {term[1]} 年换届中产生，不能登记 {term[1]} 年以前的事项。"]}


def _status_errors(values: dict[str, Any]) -> dict[str, list[str]]:
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
    terms = _terms([village.code])
    errors = _field_errors(values, rules) | _term_errors(year, terms.get(village.code))
    if errors:
        raise DomainError("事项信息有误，未保存。", errors)
    commitment = Commitment(
        region=village,
        ledger_no=next_ledger_no(village.code, year),
        term_change_id=_term_pk(terms, village.code),
        **values,
    )
    commitment.save()
    _count(commitment, +1)
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
    errors = _field_errors(values, rules_of(commitment.region_id))
    if errors:
        raise DomainError("事项信息有误，未保存。", errors)
    before = _snapshot(commitment)
    bump_version(commitment, expected_version=expected_version)
    _count(commitment, -1)
    for name, value in values.items():
        setattr(commitment, name, value)
    commitment.save(update_fields=[*EDITABLE])
    _count(commitment, +1)
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


def _check_move(commitment: Commitment, to_status: str) -> None:
    check_move(TRANSITIONS, commitment.status, to_status, Status, what="事项")


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
    _check_move(commitment, to_status)
    errors: dict[str, list[str]] = {}
    if to_status == Status.DROPPED and not reason.strip():
        errors["reason"] = ["放弃须写明原因。"]
    if to_status == Status.DONE:
        completed_on = completed_on or date.today()
        if completed_on > date.today():
            errors["completed_on"] = ["完成日期不能晚于今天。"]
        if not evidence.strip():
            errors["evidence"] = ["请填写完成佐证（成效、照片或材料的说明）。"]
    if to_status == Status.OVERDUE and commitment.deadline >= date.today():
        errors["to_status"] = ["未到完成时限，不能标为逾期。"]
    if errors:
        raise DomainError("未能变更状态。", errors)
    before = _snapshot(commitment)
    bump_version(commitment, expected_version=expected_version)
    _count(commitment, -1)
    commitment.status = to_status
    if to_status == Status.DROPPED:
        commitment.drop_reason = clean(reason)
    if to_status == Status.DONE:
        commitment.completed_on, commitment.evidence = completed_on, clean(evidence)
    commitment.save(update_fields=["status", "drop_reason", "completed_on", "evidence"])
    _count(commitment, +1)
    old, new = changed_fields(before, _snapshot(commitment))
    record(
        actor=actor,
        region_code=commitment.region_id,
        event="commitments.moved",
        summary=f"事项 {commitment.ledger_no}“{commitment.title}”：{before[LABELS['status']]} → "
        f"{commitment.get_status_display()}",
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
    today = today or date.today()
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
    if written_on > date.today():
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
    _count(commitment, -1)
    commitment.showcase_writeup = clean(writeup)
    commitment.is_showcase = bool(commitment.showcase_writeup)
    commitment.save(update_fields=["is_showcase", "showcase_writeup"])
    _count(commitment, +1)
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


# --- the target letter -----------------------------------------------------------------------------------


@transaction.atomic
def target_letter_sign(
    *,
    actor: Actor,
    village_code: str,
    year: int,
    signed_on: date,
    village_signatory_post: str = "村党组织书记",
    town_signatory_post: str = "乡镇(街道)党(工)委书记",
) -> TargetLetter:
    """Record that the village and the town signed the year's target letter, with the commitments it listed."""
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("须为村(社区)。", {"region": ["须为村(社区)。"]})
    letter_policy.check_in_region(
        actor,
        "change",
        village_code,
        message="只有乡镇(街道)或县委组织部可以登记目标承诺书的签订。",
        missing="未找到该村(社区)。",
    )
    numbers = list(
        Commitment.objects.filter(region_id=village_code, year=year)
        .exclude(status=Status.DROPPED)
        .order_by("kind", "ledger_no")
        .values_list("ledger_no", flat=True)
    )
    errors: dict[str, list[str]] = {}
    if not numbers:
        errors["year"] = [f"{year} 年尚无承诺事项，无法签订。"]
    if signed_on > date.today():
        errors["signed_on"] = ["签订日期不能晚于今天。"]
    if not village_signatory_post.strip() or not town_signatory_post.strip():
        errors["village_signatory_post"] = ["请填写双方签字人的岗位。"]
    if TargetLetter.objects.filter(region_id=village_code, year=year).exists():
        errors["year"] = [f"{year} 年的目标承诺书已登记签订。"]
    if errors:
        raise DomainError("未能登记签订。", errors)
    letter = TargetLetter.objects.create(
        region=village,
        year=year,
        signed_on=signed_on,
        village_signatory_post=village_signatory_post.strip(),
        town_signatory_post=town_signatory_post.strip(),
        ledger_nos=numbers,
        signed_by=user_of(actor),
    )
    record(
        actor=actor,
        region_code=village.code,
        event="commitments.letter_signed",
        summary=f"{village.name}与乡镇(街道)签订 {year} 年目标承诺书（{len(numbers)} 件）",
        obj=letter,
        after={"签订日期": signed_on, "承诺事项": numbers},
    )
    return letter


# --- the ledger in Excel ---------------------------------------------------------------------------------


def parse_year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = float(str(value).strip().rstrip("年"))
    except ValueError as exc:
        raise CellError(f"“{value}”不是年份") from exc
    if not number.is_integer():
        raise CellError(f"“{value}”不是年份")
    return int(number)


def parse_flag(value: Any) -> bool:
    return parse_yes_no(value)


LEDGER_COLUMNS = [
    Column("台账编号", "ledger_no", width=24, as_text=True),
    Column("村(社区)代码", "region", width=16, required=True, as_text=True),
    Column("村(社区)名称", "region_name", width=18, export_only=True),
    Column("类型", "kind", width=12, choices={label: value for value, label in Kind.choices}),
    Column("年度", "year", parse=parse_year, width=8, required=True),
    Column("类别", "category", width=18, required=True),
    Column("事项", "title", width=30, required=True),
    Column("内容举措", "content", width=40, required=True),
    Column("目标成效", "target", width=30, required=True),
    Column("完成时限", "deadline", parse=parse_date, width=12, required=True),
    Column("责任岗位", "responsible_post", width=16, required=True),
    Column("来源", "source", width=12, choices={label: value for value, label in Source.choices}),
    Column("状态", "status", width=10, choices={label: value for value, label in Status.choices}),
    Column("放弃原因", "drop_reason", width=20),
    Column("完成日期", "completed_on", parse=parse_date, width=12),
    Column("完成佐证", "evidence", width=30),
    Column("典型案例", "is_showcase", parse=parse_flag, width=8),
    Column("案例材料", "showcase_writeup", width=30),
]
# What a row of the file sets; a file row equal to the saved commitment on all of these changes nothing.
ROW_FIELDS = (
    *EDITABLE,
    "status",
    "drop_reason",
    "completed_on",
    "evidence",
    "is_showcase",
    "showcase_writeup",
)


def _row_values(values: dict[str, Any]) -> dict[str, Any]:
    out = {name: values.get(name) for name in ROW_FIELDS}
    for name in ("title", "content", "target", "responsible_post", "category", "drop_reason", "evidence"):
        out[name] = clean(str(out[name] or ""))
    out["showcase_writeup"] = str(out["showcase_writeup"] or "").strip()
    out["kind"] = out["kind"] or Kind.FIRST
    out["source"] = out["source"] or Source.VISITS
    out["status"] = out["status"] or Status.PLANNED
    out["is_showcase"] = bool(out["is_showcase"])
    return out


def _existing(
    numbers: list[str], villages: list[str]
) -> tuple[dict[str, Commitment], dict[tuple[Any, ...], Commitment]]:
    by_number: dict[str, Commitment] = {}
    for start in range(0, len(numbers), 2000):
        by_number.update(Commitment.objects.in_bulk(numbers[start : start + 2000], field_name="ledger_no"))
    by_title: dict[tuple[Any, ...], Commitment] = {}
    for start in range(0, len(villages), 500):
        for c in Commitment.objects.filter(region_id__in=villages[start : start + 500]):
            by_title.setdefault((c.region_id, c.kind, c.year, c.title), c)
            by_number.setdefault(c.ledger_no, c)
    return by_number, by_title


def ledger_import(*, actor: Actor, stream: BinaryIO, import_good_rows: bool = False) -> ImportReport:
    """Import a ledger in the layout of `ledger_export` (one row per commitment). Rows are matched to the saved
    commitments by 台账编号, or, without one, by village, type, year and title, so importing the same file twice
    changes nothing. Every row is checked first; while any row is bad nothing is saved, unless the caller chose
    to import the good ones. A changed status must be a legal move from the saved one."""
    rows = list(read_rows(stream, LEDGER_COLUMNS))
    codes = sorted({str(r.values.get("region") or "") for r in rows} - {""})
    villages: dict[str, str] = {}
    for start in range(0, len(codes), 2000):
        villages.update(
            Region.objects.filter(code__in=codes[start : start + 2000], level=Level.VILLAGE).values_list("code", "name")
        )
    allowed = {c for c in villages if commitment_policy.can_in_region(actor, "change", c)}
    rules = {county: rules_of(county) for county in {c[:6] for c in villages}}
    numbers = sorted({str(r.values.get("ledger_no") or "") for r in rows} - {""})
    unnumbered = {str(r.values.get("region") or "") for r in rows if not r.values.get("ledger_no")}
    by_number, by_title = _existing(numbers, sorted(unnumbered & allowed))
    terms = _terms(sorted(allowed))
    report = ImportReport(unit="件")
    seen: dict[str, int] = {}
    plan: list[tuple[dict[str, Any], Commitment | None, str, str]] = []
    for row in rows:
        errors = list(row.errors)
        number, code = str(row.values.get("ledger_no") or ""), str(row.values.get("region") or "")
        values = _row_values(row.values)
        key = number or f"{code}|{values['kind']}|{values['year']}|{values['title']}"
        if key in seen:
            errors.append(f"与第 {seen[key]} 行是同一事项")
        seen.setdefault(key, row.line)
        existing: Commitment | None = None
        if not errors:
            if code not in villages:
                errors.append(f"村(社区)代码 {code} 不是本系统中的村(社区)")
            elif code not in allowed:
                errors.append(f"村(社区)代码 {code} 不在您负责的区域内")
        if not errors:
            existing = (
                by_number.get(number)
                if number
                else by_title.get((code, values["kind"], values["year"], values["title"]))
            )
            if number and existing is None and not number.startswith(f"{code}-"):
                errors.append(f"台账编号 {number} 应以村(社区)代码 {code} 开头")
            if existing is not None and existing.region_id != code:
                errors.append(f"台账编号 {number} 属于另一个村(社区)（{existing.region_id}）")
        if not errors:
            field_errors = _field_errors(values, rules[code[:6]]) | _status_errors(values)
            if existing is None:
                field_errors |= _term_errors(values["year"], terms.get(code))
            errors += [f"{LABELS.get(k, k)}：{m}" for k, ms in field_errors.items() for m in ms]
        moved = existing is not None and values["status"] != existing.status
        if not errors and moved and existing is not None and values["status"] not in TRANSITIONS[existing.status]:
            errors.append(f"状态：不能从“{existing.get_status_display()}”改为“{Status(values['status']).label}”")
        if errors:
            report.bad_rows.append(Row(line=row.line, values=row.values, errors=errors))
        else:
            plan.append((values, existing, code, number))
    if report.bad_rows and not import_good_rows:
        return report
    _ledger_save(actor, plan, villages, terms, report)
    report.saved = True
    return report


def _ledger_save(
    actor: Actor,
    plan: list[tuple[dict[str, Any], Commitment | None, str, str]],
    villages: dict[str, str],
    terms: dict[str, tuple[int, int]],
    report: ImportReport,
) -> None:
    touched: dict[str, dict[str, list[str]]] = {}
    taken: dict[str, set[str]] = {}
    numbers_in_file = {number for _, _, _, number in plan if number}
    with transaction.atomic():
        # Numbers follow the village's own sequence for the year and a file may add many at once: read the numbers
        # of every village that gets an unnumbered row, 500 villages a query, inside the transaction that uses them.
        to_number = sorted({code for _, existing, code, number in plan if existing is None and not number})
        for start in range(0, len(to_number), 500):
            saved = Commitment.objects.filter(region_id__in=to_number[start : start + 500])
            for saved_number in saved.values_list("ledger_no", flat=True):
                taken.setdefault(saved_number[: saved_number.rindex("-") + 1], set()).add(saved_number)
        for number in numbers_in_file:
            taken.setdefault(number[: number.rindex("-") + 1], set()).add(number)
        new: list[Commitment] = []
        for values, existing, code, number in plan:
            if existing is None:
                if not number:
                    prefix = f"{code}-{values['year']}-"
                    taken.setdefault(prefix, set())
                    n = len(taken[prefix]) + 1
                    while f"{prefix}{n:03d}" in taken[prefix]:
                        n += 1
                    number = f"{prefix}{n:03d}"
                    taken[prefix].add(number)
                new.append(Commitment(region_id=code, ledger_no=number, term_change_id=_term_pk(terms, code), **values))
                touched.setdefault(code, {"新增": [], "更新": []})["新增"].append(number)
                report.created += 1
            elif all(getattr(existing, k) == v for k, v in values.items()):
                report.unchanged += 1
            else:
                bump_version(existing, expected_version=existing.version)
                for name, value in values.items():
                    setattr(existing, name, value)
                existing.save(update_fields=list(values))
                touched.setdefault(existing.region_id, {"新增": [], "更新": []})["更新"].append(existing.ledger_no)
                report.updated += 1
        Commitment.objects.bulk_create(new, batch_size=1000)
        summaries_rebuild(touched)
        # One entry per village, appended together: a county ledger touches thousands of villages.
        record_many(
            actor=actor,
            entries=[
                Pending(
                    region_code=code,
                    event="commitments.imported",
                    summary=f"{villages.get(code, code)}从 Excel 导入台账：新增 {len(changes['新增'])} 件，"
                    f"更新 {len(changes['更新'])} 件",
                    after={k: v for k, v in changes.items() if v},
                )
                for code, changes in sorted(touched.items())
            ],
        )


def ledger_rows(commitments: Iterable[Commitment]) -> Iterable[dict[str, Any]]:
    """The ledger's rows as the pages show them: a commitment past its deadline reads 已逾期 on the day the sheet is
    made, whether or not the daily check has marked it (re-importing the sheet records that move)."""
    for c in commitments:
        yield {
            **{name: getattr(c, name) for name in ROW_FIELDS},
            "status": c.current_status,
            "ledger_no": c.ledger_no,
            "region": c.region_id,
            "region_name": c.region.name,
        }


def ledger_export(*, commitments: Iterable[Commitment], target: BinaryIO) -> int:
    """Write the ledger in the import layout (one row per commitment)."""
    return write_workbook("开门一件事台账", LEDGER_COLUMNS, ledger_rows(commitments), target)


CASE_COLUMNS = [
    Column("台账编号", "ledger_no", width=24, as_text=True),
    Column("村(社区)", "region_name", width=20),
    Column("类别", "category", width=18),
    Column("事项", "title", width=30),
    Column("完成日期", "completed_on", parse=parse_date, width=12),
    Column("目标成效", "target", width=30),
    Column("案例材料", "showcase_writeup", width=60),
]


def cases_export(*, commitments: Iterable[Commitment], target: BinaryIO) -> int:
    rows = (
        {
            "ledger_no": c.ledger_no,
            "region_name": c.region.name,
            "category": c.category,
            "title": c.title,
            "completed_on": c.completed_on,
            "target": c.target,
            "showcase_writeup": c.showcase_writeup,
        }
        for c in commitments
    )
    return write_workbook("典型案例", CASE_COLUMNS, rows, target)


# --- inspections -----------------------------------------------------------------------------------------


def _county_strata(county_code: str) -> dict[str, list[str]]:
    strata: dict[str, list[str]] = {}
    codes = Region.objects.filter(code__startswith=county_code, level=Level.VILLAGE).values_list("code", flat=True)
    for code in codes:
        strata.setdefault(code[:9], []).append(code)
    return strata


@transaction.atomic
def inspection_draw(
    *,
    actor: Actor,
    county_code: str,
    title: str,
    mode: str,
    amount: int,
    drawn_on: date,
    seed: int | None = None,
) -> Inspection:
    """Draw the villages of an inspection and keep the seed, so that the draw can be re-checked by anyone."""
    county = Region.objects.filter(code=county_code, level=Level.COUNTY).first()
    if county is None:
        raise DomainError("抽查须由县级发起。", {"county": ["须为县(市、区)。"]})
    inspection_policy.check_in_region(
        actor, "change", county_code, message="您的角色无权组织抽查。", missing="未找到该县。"
    )
    strata = _county_strata(county_code)
    total = sum(len(v) for v in strata.values())
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["请填写名称。"]
    if mode not in DrawMode.values:
        errors["mode"] = ["抽取方式应为按村数或按比例。"]
    elif mode == DrawMode.COUNT and not 1 <= amount <= total:
        errors["amount"] = [f"抽取村数应在 1 至 {total} 之间。"]
    elif mode == DrawMode.SHARE and not 1 <= amount <= 100:
        errors["amount"] = ["抽取比例应在 1% 至 100% 之间。"]
    if seed is not None and not 0 <= seed < 2**63:
        errors["seed"] = ["随机种子应为非负整数。"]
    if errors:
        raise DomainError("抽查信息有误，未抽取。", errors)
    seed = secrets.randbelow(2**31) if seed is None else seed
    drawn = draw_villages(strata, mode=mode, amount=amount, seed=seed)
    inspection = Inspection.objects.create(
        county=county,
        title=title.strip(),
        mode=mode,
        amount=amount,
        seed=seed,
        drawn_on=drawn_on,
        drawn_by=user_of(actor),
    )
    InspectedVillage.objects.bulk_create(InspectedVillage(inspection=inspection, region_id=code) for code in drawn)
    # The county level of the three-level responsibility (区委督查检查) is this check: counted for the roll-ups.
    inspection_counted(county_code=county.code, drawn_on=drawn_on, villages=drawn)
    record(
        actor=actor,
        region_code=county.code,
        event="commitments.inspection_drawn",
        summary=f"{county.name}“{inspection.title}”随机抽取 {len(drawn)} 个村(社区)（种子 {seed}）",
        obj=inspection,
        after={
            "抽取方式": inspection.get_mode_display(),
            "数量或百分比": amount,
            "随机种子": seed,
            "抽中村(社区)": drawn,
        },
    )
    return inspection


@transaction.atomic
def finding_add(
    *, actor: Actor, inspected: InspectedVillage, description: str, found_on: date, rectify_by: date
) -> Finding:
    finding_policy.check_in_region(
        actor, "change", inspected.region_id, message="您的角色无权登记抽查问题。", missing="未找到该村(社区)。"
    )
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["description"] = ["请写明问题。"]
    if found_on < inspected.inspection.drawn_on or found_on > date.today():
        errors["found_on"] = ["发现日期应在抽取之后、今天之前。"]
    if rectify_by < found_on:
        errors["rectify_by"] = ["整改时限不能早于发现日期。"]
    if errors:
        raise DomainError("问题信息有误，未保存。", errors)
    finding = Finding.objects.create(
        inspected=inspected,
        region_id=inspected.region_id,
        description=description.strip(),
        found_on=found_on,
        rectify_by=rectify_by,
    )
    record(
        actor=actor,
        region_code=inspected.region_id,
        event="commitments.finding_added",
        summary=f"抽查发现问题：{finding.description[:60]}（整改时限 {rectify_by:%Y-%m-%d}）",
        obj=finding,
        after={"问题": finding.description, "整改时限": rectify_by},
    )
    return finding


@transaction.atomic
def finding_rectify(
    *, actor: Actor, finding: Finding, rectified_on: date, evidence: str, expected_version: int | None
) -> Finding:
    finding_policy.check(actor, "rectify", finding)
    errors: dict[str, list[str]] = {}
    if finding.rectified_on is not None:
        raise IllegalTransition("该问题已整改完成。")
    if not evidence.strip():
        errors["evidence"] = ["请填写整改佐证。"]
    if rectified_on < finding.found_on or rectified_on > date.today():
        errors["rectified_on"] = ["整改日期应在发现之后、今天之前。"]
    if errors:
        raise DomainError("整改信息有误，未保存。", errors)
    bump_version(finding, expected_version=expected_version)
    finding.rectified_on, finding.evidence = rectified_on, evidence.strip()
    finding.save(update_fields=["rectified_on", "evidence"])
    record(
        actor=actor,
        region_code=finding.region_id,
        event="commitments.finding_rectified",
        summary=f"抽查问题已整改：{finding.description[:60]}",
        obj=finding,
        before={"整改完成日期": None},
        after={"整改完成日期": rectified_on, "整改佐证": finding.evidence},
    )
    return finding


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
