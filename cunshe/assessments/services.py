"""Writes of 两票一度: the county's weights, opening a village's assessment, entering paper totals or single
ballots, and closing it. Every count change recomputes the members' results and the village's roll-up row in the
same transaction, so the results table and the town and county tables never disagree with the tallies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from cunshe.assessments.models import (
    TRANSITIONS,
    AssessmentWeights,
    Ballot,
    Base,
    MemberResult,
    Method,
    Poll,
    PollKind,
    Status,
    SupportKind,
    SupportPoll,
    Tally,
    TrustAssessment,
    VillageSummary,
)
from cunshe.assessments.permissions import assessment_policy, poll_policy, support_policy, weights_policy
from cunshe.assessments.scoring import Weights, exact_rate, flag_reason, rate, rounded
from cunshe.assessments.selectors import weights_in_force
from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.transitions import check_move, move
from cunshe.people.models import Person
from cunshe.people.permissions import person_policy
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.teams.selectors import current_members
from cunshe.termchanges.selectors import current_term_change

MARKS = ("good", "fair", "poor")


@transaction.atomic
def weights_set(
    *,
    actor: Actor,
    county_code: str,
    effective_from: date,
    party_weight: int,
    representative_weight: int,
    satisfaction_weight: int,
    flag_below: Decimal,
    flag_distrust_over: Decimal,
) -> AssessmentWeights:
    weights_policy.check_in_region(
        actor, "change", county_code, message="您无权设置两票一度权重。", missing="未找到该县。"
    )
    errors: dict[str, list[str]] = {}
    if not Region.objects.filter(code=county_code, level=Level.COUNTY).exists():
        errors["county"] = ["须为县(市、区)。"]
    weights = (party_weight, representative_weight, satisfaction_weight)
    if any(w < 0 or w > 100 for w in weights) or sum(weights) == 0:
        errors["party_weight"] = ["权重须为 0 到 100 的整数，且不能全为 0。"]
    if not Decimal(0) <= flag_below <= Decimal(100):
        errors["flag_below"] = ["预警得分线须在 0 到 100 之间。"]
    if not Decimal(0) <= flag_distrust_over <= Decimal(100):
        errors["flag_distrust_over"] = ["预警不信任率须在 0 到 100 之间。"]
    if errors:
        raise DomainError("权重设置有误，未保存。", errors)
    setting = AssessmentWeights(
        county_id=county_code,
        effective_from=effective_from,
        party_weight=party_weight,
        representative_weight=representative_weight,
        satisfaction_weight=satisfaction_weight,
        flag_below=flag_below,
        flag_distrust_over=flag_distrust_over,
    )
    try:
        with transaction.atomic():
            setting.save()
    except IntegrityError as exc:
        raise DomainError(
            "该生效日期已有一套权重。", {"effective_from": ["该日期已有设置，请换一个生效日期。"]}
        ) from exc
    record(
        actor=actor,
        region_code=county_code,
        event="assessments.weights_set",
        summary=f"两票一度权重自 {effective_from:%Y-%m-%d} 起为 {setting}",
        obj=setting,
        after={
            "生效日期": effective_from,
            "权重": f"{party_weight}:{representative_weight}:{satisfaction_weight}",
            "预警得分线": flag_below,
            "预警不信任率": flag_distrust_over,
        },
    )
    return setting


@transaction.atomic
def assessment_open(
    *,
    actor: Actor,
    village_code: str,
    held_on: date,
    method: str,
    base: str,
    entitled: dict[str, int],
    methods: dict[str, str] | None = None,
) -> TrustAssessment:
    """`method` applies to all three polls unless `methods` names another for a poll (e.g. the party members'
    vote entered ballot by ballot, the others from the counting sheet)."""
    assessment_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    errors: dict[str, list[str]] = {}
    term_change = current_term_change(village_code)
    if not Region.objects.filter(code=village_code, level=Level.VILLAGE).exists():
        errors["region"] = ["须为村(社区)。"]
    elif term_change is None:
        errors["region"] = ["本县尚未启动换届，不能开展两票一度测评。"]
    # In the team's order, which the tally rows keep: the screen lists the members as the printed ballot does.
    members = sorted(current_members(village_code), key=lambda m: m.rank)
    if not members:
        errors["region"] = ["该村(社区)没有现任班子成员，无法测评。"]
    chosen = {kind: (methods or {}).get(kind, method) for kind in PollKind.values}
    if any(m not in Method.values for m in chosen.values()):
        errors["method"] = ["请选择录入方式。"]
    if base not in Base.values:
        errors["base"] = ["请选择百分比基数。"]
    for kind in PollKind.values:
        if entitled.get(kind, 0) <= 0:
            errors[f"entitled_{kind}"] = [f"请填写{PollKind(kind).label}应参加人数。"]
    if held_on > timezone.localdate():
        errors["held_on"] = ["测评日期不能晚于今天。"]
    if (
        term_change is not None
        and TrustAssessment.objects.filter(region_id=village_code, term_change=term_change).exists()
    ):
        errors["region"] = ["本届换届该村(社区)已有两票一度测评。"]
    if errors:
        raise DomainError("测评信息有误，未保存。", errors)
    assert term_change is not None
    w = weights_in_force(village_code, held_on)
    assessment = TrustAssessment.objects.create(
        region_id=village_code,
        term_change=term_change,
        held_on=held_on,
        party_weight=w.party_weight,
        representative_weight=w.representative_weight,
        satisfaction_weight=w.satisfaction_weight,
        flag_below=w.flag_below,
        flag_distrust_over=w.flag_distrust_over,
    )
    for kind in PollKind.values:
        poll = Poll.objects.create(
            assessment=assessment, kind=kind, method=chosen[kind], base=base, entitled=entitled[kind]
        )
        Tally.objects.bulk_create(Tally(poll=poll, member=m) for m in members)
    _refresh(assessment)
    record(
        actor=actor,
        region_code=village_code,
        event="assessments.opened",
        summary=f"开展两票一度测评（{len(members)} 名班子成员，权重 {assessment.weights_text}）",
        obj=assessment,
        after={
            "测评日期": held_on,
            "录入方式": {PollKind(k).label: Method(m).label for k, m in chosen.items()},
            "百分比基数": Base(base).label,
            "应参加人数": {PollKind(k).label: v for k, v in entitled.items()},
            "权重": assessment.weights_text,
        },
    )
    return assessment


def _check_open(poll: Poll) -> None:
    if poll.assessment.status != Status.OPEN:
        raise DomainError("测评已完成，如需更正请先重新打开。")


@transaction.atomic
def poll_enter_totals(
    *,
    actor: Actor,
    poll: Poll,
    cast: int,
    invalid: int,
    tallies: dict[int, tuple[int, int, int]],
    expected_version: int | None,
) -> Poll:
    """Paper totals: the counting committee's sheet, ballots cast and invalid, and each member's three counts."""
    poll_policy.check(actor, "change", poll)
    _check_open(poll)
    if poll.method != Method.TOTALS:
        raise DomainError("该项测评为逐张录入选票，不能直接录入汇总数。")
    errors: dict[str, list[str]] = {}
    if cast < 0 or invalid < 0:
        errors["cast"] = ["票数不能为负数。"]
    if cast > poll.entitled:
        errors["cast"] = [f"收回票数 {cast} 多于应参加人数 {poll.entitled}，测评无效。"]
    if invalid > cast:
        errors["invalid"] = ["无效票不能多于收回票数。"]
    rows = {t.member_id: t for t in poll.tallies.select_related("member__person")}
    if set(tallies) - set(rows):
        errors["tallies"] = ["含有不属于本次测评的班子成员。"]
    valid = cast - invalid
    for member_id, counts in tallies.items():
        tally = rows.get(member_id)
        if tally is None:
            continue
        if any(c < 0 for c in counts):
            errors[f"member_{member_id}"] = ["票数不能为负数。"]
        elif sum(counts) > valid:
            errors[f"member_{member_id}"] = [
                f"{tally.member.person.name} 的得票合计 {sum(counts)} 多于有效票 {valid}。"
            ]
    if errors:
        raise DomainError("票数有误，未保存。", errors)
    bump_version(poll, expected_version=expected_version)
    before = {"收回票数": poll.cast, "无效票": poll.invalid}
    poll.cast, poll.invalid = cast, invalid
    poll.save(update_fields=["cast", "invalid"])
    for member_id, (good, fair, poor) in tallies.items():
        tally = rows[member_id]
        tally.good, tally.fair, tally.poor = good, fair, poor
        tally.save(update_fields=["good", "fair", "poor"])
    _refresh(poll.assessment)
    record(
        actor=actor,
        region_code=poll.assessment.region_id,
        event="assessments.totals_entered",
        summary=f"录入{poll.get_kind_display()}汇总：收回 {cast} 票，无效 {invalid} 票",
        obj=poll,
        before=before,
        after={
            "收回票数": cast,
            "无效票": invalid,
            "得票": {rows[m].member.person.name: "/".join(map(str, c)) for m, c in tallies.items()},
        },
    )
    return poll


@transaction.atomic
def ballot_add(*, actor: Actor, poll: Poll, is_valid: bool, marks: dict[int, str]) -> Ballot:
    """One ballot at a time: the poll row is locked so two clerks entering at once cannot exceed the entitled count."""
    poll_policy.check(actor, "change", poll)
    poll = Poll.objects.select_for_update().select_related("assessment").get(pk=poll.pk)
    _check_open(poll)
    if poll.method != Method.BALLOTS:
        raise DomainError("该项测评为纸质汇总录入，不能逐张录入选票。")
    errors: dict[str, list[str]] = {}
    if poll.cast + 1 > poll.entitled:
        errors["ballot"] = [f"已录入 {poll.cast} 张，达到应参加人数 {poll.entitled}，不能再多于应参加人数。"]
    rows = {t.member_id: t for t in poll.tallies.all()}
    if set(marks) - set(rows):
        errors["marks"] = ["含有不属于本次测评的班子成员。"]
    if any(m not in MARKS for m in marks.values()):
        errors["marks"] = ["选项须为满意、基本满意或不满意。"]
    if errors:
        raise DomainError("选票有误，未录入。", errors)
    ballot = Ballot.objects.create(
        poll=poll, number=poll.cast + 1, is_valid=is_valid, marks={str(k): v for k, v in marks.items()}
    )
    poll.cast += 1
    poll.invalid += 0 if is_valid else 1
    poll.version += 1
    poll.save(update_fields=["cast", "invalid", "version"])
    if is_valid:
        for member_id, mark in marks.items():
            tally = rows[member_id]
            setattr(tally, mark, getattr(tally, mark) + 1)
            tally.save(update_fields=[mark])
    _refresh(poll.assessment)
    record(
        actor=actor,
        region_code=poll.assessment.region_id,
        event="assessments.ballot_added",
        summary=f"录入{poll.get_kind_display()}第 {ballot.number} 张选票{'' if is_valid else '（无效）'}",
        obj=poll,
        after={"票号": ballot.number, "有效": is_valid},
    )
    return ballot


@transaction.atomic
def assessment_move(
    *, actor: Actor, assessment: TrustAssessment, to_status: str, expected_version: int | None
) -> TrustAssessment:
    assessment_policy.check(actor, "change", assessment)
    check_move(TRANSITIONS, assessment.status, to_status, Status, what="测评")
    if to_status == Status.CLOSED:
        polls = list(assessment.polls.all())
        empty = [p.get_kind_display() for p in polls if p.cast == 0]
        if empty:
            raise DomainError(f"以下项目尚未录入票数：{'、'.join(empty)}。")
        # A poll whose every ballot is invalid (or whose base is otherwise zero) scores nobody: the assessment
        # would close with members who have no combined score.
        unscored = [p.get_kind_display() for p in polls if p.valid <= 0 or p.base_count <= 0]
        if unscored:
            raise DomainError(f"以下项目没有有效票，无法计算得分，不能结束测评：{'、'.join(unscored)}。")
    before = move(
        assessment, to_status, table=TRANSITIONS, labels=Status, what="测评", expected_version=expected_version
    )
    assessment.save(update_fields=["status"])
    _refresh(assessment)
    record(
        actor=actor,
        region_code=assessment.region_id,
        event="assessments.moved",
        summary=f"两票一度测评：{before} → {assessment.get_status_display()}",
        obj=assessment,
        before={"状态": before},
        after={"状态": assessment.get_status_display()},
    )
    return assessment


def _refresh(assessment: TrustAssessment) -> None:
    """Recompute every member's stored result and the village's roll-up row from the tallies."""
    weights = Weights(assessment.party_weight, assessment.representative_weight, assessment.satisfaction_weight)
    exact: dict[int, dict[str, Fraction | None]] = {}  # rounded only where shown or stored (scoring.py)
    distrust: dict[int, dict[str, Decimal | None]] = {}
    for poll in assessment.polls.prefetch_related("tallies"):
        base = poll.base_count
        for t in poll.tallies.all():
            exact.setdefault(t.member_id, {})[poll.kind] = exact_rate(t.good + t.fair, base) if poll.cast else None
            distrust.setdefault(t.member_id, {})[poll.get_kind_display()] = rate(t.poor, base) if poll.cast else None
    MemberResult.objects.filter(assessment=assessment).delete()
    results = []
    for member_id, by_kind in exact.items():
        combined = weights.combine(
            by_kind.get(PollKind.PARTY), by_kind.get(PollKind.REPRESENTATIVE), by_kind.get(PollKind.SATISFACTION)
        )
        shown = {kind: None if value is None else rounded(value) for kind, value in by_kind.items()}
        reason = flag_reason(
            combined,
            distrust[member_id],
            flag_below=assessment.flag_below,
            flag_distrust_over=assessment.flag_distrust_over,
        )
        results.append(
            MemberResult(
                assessment=assessment,
                member_id=member_id,
                party_rate=shown.get(PollKind.PARTY),
                representative_rate=shown.get(PollKind.REPRESENTATIVE),
                satisfaction_rate=shown.get(PollKind.SATISFACTION),
                combined=combined,
                flagged=bool(reason),
                flag_reason=reason,
            )
        )
    MemberResult.objects.bulk_create(results)
    done = assessment.status == Status.CLOSED
    scored = [r.combined for r in results if r.combined is not None]
    VillageSummary.objects.update_or_create(
        region_id=assessment.region_id,
        term_change_id=assessment.term_change_id,
        defaults={
            "assessed": 1 if done else 0,
            "members": len(scored) if done else 0,
            "flagged": sum(1 for r in results if r.flagged) if done else 0,
            "score_total": sum(scored, Decimal(0)) if done else Decimal(0),
        },
    )


@transaction.atomic
def support_poll_record(
    *,
    actor: Actor,
    village_code: str,
    person: Person,
    kind: str,
    held_on: date,
    asked: int,
    in_favour: int,
    note: str = "",
) -> SupportPoll:
    support_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    if not person_policy.can(actor, "view", person):
        raise Http404("未找到该人员。")
    errors: dict[str, list[str]] = {}
    term_change = current_term_change(village_code)
    if term_change is None:
        errors["person"] = ["本县尚未启动换届。"]
    if person.region_id != village_code:
        errors["person"] = ["须为本村(社区)人员。"]
    if kind not in SupportKind.values:
        errors["kind"] = ["请选择类别。"]
    if asked <= 0:
        errors["asked"] = ["参加(受访)人数须大于 0。"]
    if in_favour < 0 or in_favour > asked:
        errors["in_favour"] = [f"推荐(支持)人数 {in_favour} 不能多于参加(受访)人数 {asked}。"]
    if held_on > timezone.localdate():
        errors["held_on"] = ["日期不能晚于今天。"]
    if errors:
        raise DomainError("推荐与支持情况有误，未保存。", errors)
    assert term_change is not None
    poll = SupportPoll.objects.create(
        region_id=village_code,
        term_change=term_change,
        person=person,
        kind=kind,
        held_on=held_on,
        asked=asked,
        in_favour=in_favour,
        note=note.strip(),
    )
    record(
        actor=actor,
        region_code=village_code,
        event="assessments.support_recorded",
        summary=f"{person.name} {poll.get_kind_display()} {in_favour}/{asked}",
        obj=poll,
        after={"人选": person.name, "类别": poll.get_kind_display(), "日期": held_on, "人数": f"{in_favour}/{asked}"},
    )
    return poll
