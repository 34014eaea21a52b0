"""Every write of 四议两公开: the rule sets, a decision, its meeting records (quorum and majority checked by the rule
set in force on the meeting day), withdrawal, and the two disclosure steps, which the disclosures service moves
when it publishes a major-item disclosure linked to the decision. Status moves only through TRANSITIONS."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from cunshe.core.actors import SYSTEM, Actor, is_system, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError, IllegalTransition
from cunshe.core.text import clean_text
from cunshe.core.transitions import check_move, move
from cunshe.decisions.models import MEETING_STEPS, TRANSITIONS, Base, Decision, DecisionRules, Meeting, Status, Step
from cunshe.decisions.permissions import decision_policy, rules_policy
from cunshe.decisions.rules import parse_fraction, rules_for
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.teams.models import Committee, Post, TeamMember

# The step a status waits for, and the status once that step passes.
NEXT_AFTER: dict[str, str] = {
    Step.PROPOSAL: Status.CONSULTATION,
    Step.CONSULTATION: Status.PARTY_REVIEW,
    Step.PARTY_REVIEW: Status.RESOLUTION,
    Step.RESOLUTION: Status.RESOLUTION_DISCLOSURE,
    Step.RESOLUTION_DISCLOSURE: Status.RESULT_DISCLOSURE,
    Step.RESULT_DISCLOSURE: Status.DONE,
}
MAX_TEXT = 5000


def _move(decision: Decision, to: str, expected_version: int | None) -> str:
    return move(decision, to, table=TRANSITIONS, labels=Status, what="事项", expected_version=expected_version)


# --- rule sets -------------------------------------------------------------------------------------------


@transaction.atomic
def rules_save(
    *,
    actor: Actor,
    region_code: str,
    effective_from: date,
    basis: str = "",
    committee_quorum: str = "1/2",
    committee_quorum_strict: bool = True,
    committee_base: str = Base.DUE,
    party_quorum: str = "2/3",
    party_quorum_strict: bool = False,
    party_base: str = Base.DUE,
    party_notice_days: int = 3,
    villagers_quorum: str = "2/3",
    villagers_quorum_strict: bool = False,
    villagers_base: str = Base.PRESENT,
) -> DecisionRules:
    """A county's (or province's) rule set from a day on; a second save for the same day replaces it (the record
    book keeps both)."""
    region = Region.objects.filter(code=region_code, level__in=(Level.PROVINCE, Level.COUNTY)).first()
    if region is None:
        raise DomainError("规则按省或县(市、区)制定。", {"region": ["须为省或县(市、区)。"]})
    rules_policy.check_in_region(actor, "change", region.code)
    values: dict[str, Any] = {
        "basis": clean_text(basis)[:200],
        "committee_quorum": committee_quorum.strip(),
        "committee_quorum_strict": committee_quorum_strict,
        "committee_base": committee_base,
        "party_quorum": party_quorum.strip(),
        "party_quorum_strict": party_quorum_strict,
        "party_base": party_base,
        "party_notice_days": party_notice_days,
        "villagers_quorum": villagers_quorum.strip(),
        "villagers_quorum_strict": villagers_quorum_strict,
        "villagers_base": villagers_base,
    }
    errors: dict[str, list[str]] = {}
    for field in ("committee_quorum", "party_quorum", "villagers_quorum"):
        try:
            parse_fraction(values[field])
        except ValueError:
            errors[field] = ["请写成分数，如 2/3（不用百分数或小数）。"]
    for field in ("committee_base", "party_base", "villagers_base"):
        if values[field] not in Base.values:
            errors[field] = ["请选择表决基数：实到人数或应到人数。"]
    if not 0 <= party_notice_days <= 30:
        errors["party_notice_days"] = ["提前天数应为 0 至 30 天。"]
    # Dated data: a change is a new rule set from a day on, never an edit of one in force (meetings already held
    # were judged by it). Only the system (the demo, a county's earlier rules moved in) writes history.
    today = timezone.localdate()
    if not is_system(actor):
        if effective_from < today:
            errors["effective_from"] = ["施行日期不能早于今天：已施行的规则不改，新规则从今天或以后施行。"]
        elif DecisionRules.objects.filter(
            region=region, effective_from=effective_from, effective_from__lte=today
        ).exists():
            errors["effective_from"] = ["该日施行的规则已施行，不能修改；请从明天或以后施行新规则。"]
    if errors:
        raise DomainError("规则有误，未保存。", errors)
    row, created = DecisionRules.objects.update_or_create(region=region, effective_from=effective_from, defaults=values)
    record(
        actor=actor,
        region_code=region.code,
        event="decisions.rules_saved",
        summary=f"{region.name}四议两公开规则（{effective_from:%Y-%m-%d} 起施行）{'制定' if created else '修改'}",
        obj=row,
        after={
            "施行日期": effective_from,
            **{str(getattr(DecisionRules._meta.get_field(k), "verbose_name", k)): v for k, v in values.items()},
        },
    )
    return row


# --- decisions -------------------------------------------------------------------------------------------


@transaction.atomic
def decision_create(*, actor: Actor, village_code: str, title: str, matter: str, proposer: str) -> Decision:
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("须为村(社区)。", {"region": ["须为村(社区)。"]})
    decision_policy.check_in_region(actor, "change", village.code)
    title, matter, proposer = clean_text(title), clean_text(matter), clean_text(proposer)
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["请填写事项名称。"]
    elif len(title) > 100:
        errors["title"] = ["事项名称不超过 100 字。"]
    if not matter:
        errors["matter"] = ["请填写事项内容。"]
    elif len(matter) > MAX_TEXT:
        errors["matter"] = [f"事项内容不超过 {MAX_TEXT} 字。"]
    if not proposer:
        errors["proposer"] = ["请填写提议人。"]
    elif len(proposer) > 60:
        errors["proposer"] = ["提议人不超过 60 字。"]
    if errors:
        raise DomainError("事项有误，未保存。", errors)
    decision = Decision.objects.create(
        region=village, title=title, matter=matter, proposer=proposer, created_by=user_of(actor)
    )
    record(
        actor=actor,
        region_code=village.code,
        event="decisions.created",
        summary=f"{village.name}四议两公开事项登记：{title}",
        obj=decision,
        after={"事项名称": title, "事项内容": matter, "提议人": proposer},
    )
    return decision


def dual_role_on(village_code: str, day: date) -> bool:
    """一肩挑 on the day: one person held both the party secretary's and the committee director's post."""
    held = (
        TeamMember.objects.filter(region_id=village_code, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .filter(
            Q(committee=Committee.PARTY, post=Post.SECRETARY) | Q(committee=Committee.VILLAGERS, post=Post.DIRECTOR)
        )
        .values_list("post", "person_id")
    )
    by_post: dict[str, set[int]] = {}
    for post, person in held:
        by_post.setdefault(post, set()).add(person)
    return bool(by_post.get(Post.SECRETARY, set()) & by_post.get(Post.DIRECTOR, set()))


def _absentees(raw: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    return [
        {"name": clean_text(str(a.get("name", ""))), "reason": clean_text(str(a.get("reason", "")))}
        for a in (raw or [])
        if isinstance(a, dict)
    ]


def _previous_pass(decision: Decision) -> Meeting | None:
    return decision.meetings.filter(passed=True).order_by("-held_at").first()


@transaction.atomic
def meeting_record(
    *,
    actor: Actor,
    decision: Decision,
    step: str,
    held_at: datetime,
    place: str,
    chair: str,
    recorder: str,
    due: int,
    present: int,
    absentees: list[dict[str, Any]] | None = None,
    votes_for: int,
    votes_against: int = 0,
    votes_abstain: int = 0,
    discussion: str,
    outcome: str,
    notice_sent_on: date | None = None,
    merged: bool = False,
    expected_version: int | None,
) -> Meeting:
    """Record a meeting held for the step the decision waits for. Quorum and majority are checked by the rule set
    in force on the meeting day; a meeting that misses either is kept (the step did not pass) and can be held
    again. Under 一肩挑 on the day, the branch proposal may be a merged meeting of both committees (steps 1 and 2)."""
    decision_policy.check(actor, "change", decision)
    decision = Decision.objects.select_related("region").get(pk=decision.pk)
    if step not in MEETING_STEPS:
        raise DomainError("请选择会议步骤。", {"step": ["须为提议、商议、审议或决议。"]})
    if decision.status != step:
        if decision.status in (Status.DONE, Status.WITHDRAWN):
            raise IllegalTransition(f"该事项{decision.get_status_display()}，不能再召开会议。")
        raise IllegalTransition(
            f"该事项当前{decision.get_status_display()}，不能召开“{Step(step).label}”：须按步骤依次进行。"
        )
    place, chair, recorder = clean_text(place), clean_text(chair), clean_text(recorder)
    discussion, outcome = clean_text(discussion), clean_text(outcome)
    absent = _absentees(absentees)
    errors: dict[str, list[str]] = {}
    if timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at)
    held_on = timezone.localdate(held_at)
    if held_at > timezone.now():
        errors["held_at"] = ["会议时间不能晚于现在：会后登记会议记录。"]
    previous = _previous_pass(decision)
    if previous is not None and held_at <= previous.held_at:
        errors["held_at"] = [
            f"会议时间须晚于上一步骤“{previous.get_step_display()}”（{timezone.localtime(previous.held_at):%Y-%m-%d %H:%M}）。"
        ]
    if merged and step != Step.PROPOSAL:
        errors["merged"] = ["只有党组织提议可与“两委”商议合并召开。"]
    elif merged and not dual_role_on(decision.region_id, held_on):
        errors["merged"] = ["会议当日书记、主任并非一人兼任（一肩挑），提议与商议须分别召开。"]
    for field, value, limit in (("place", place, 100), ("chair", chair, 40), ("recorder", recorder, 40)):
        if not value:
            errors[field] = ["请填写。"]
        elif len(value) > limit:
            errors[field] = [f"不超过 {limit} 字。"]
    if due <= 0:
        errors["due"] = ["应到人数须大于 0。"]
    if present < 0 or present > due:
        errors["present"] = ["实到人数应在 0 至应到人数之间。"]
    elif len(absent) != due - present:
        errors["absentees"] = [f"缺席 {due - present} 人，请逐一填写姓名和缺席原因（已填 {len(absent)} 人）。"]
    elif any(not a["name"] or not a["reason"] for a in absent):
        errors["absentees"] = ["每位缺席人员须写明姓名和缺席原因。"]
    if min(votes_for, votes_against, votes_abstain) < 0:
        errors["votes_for"] = ["票数不能为负。"]
    elif votes_for + votes_against + votes_abstain > present:
        errors["votes_for"] = ["赞成、反对、弃权合计不能超过实到人数。"]
    if not discussion:
        errors["discussion"] = ["请记录发言情况（含不同意见）。"]
    if not outcome:
        errors["outcome"] = ["请填写会议决定。"]
    if len(discussion) > MAX_TEXT or len(outcome) > MAX_TEXT:
        errors["discussion"] = [f"发言情况、会议决定各不超过 {MAX_TEXT} 字。"]
    rules = rules_for(decision.region_id, held_on)
    if step == Step.PARTY_REVIEW:
        if notice_sent_on is None:
            errors["notice_sent_on"] = ["请填写方案送达党员的日期。"]
        elif (held_on - notice_sent_on).days < rules.party_notice_days:
            errors["notice_sent_on"] = [f"方案须于党员大会召开 {rules.party_notice_days} 日前送达党员。"]
    if errors:
        raise DomainError("会议记录有误，未保存。", errors)
    bump_version(decision, expected_version=expected_version)
    rule = rules.for_step(step)
    quorum_met = rule.quorum_met(due=due, present=present)
    passed = quorum_met and rule.approved(due=due, present=present, votes_for=votes_for)
    number = (decision.meetings.aggregate(n=Max("number"))["n"] or 0) + 1
    meeting = Meeting.objects.create(
        decision=decision,
        region_id=decision.region_id,
        step=step,
        merged=merged,
        number=number,
        held_at=held_at,
        place=place,
        chair=chair,
        recorder=recorder,
        due=due,
        present=present,
        absentees=absent,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        notice_sent_on=notice_sent_on if step == Step.PARTY_REVIEW else None,
        discussion=discussion,
        outcome=outcome,
        quorum_met=quorum_met,
        passed=passed,
        rule_text=f"{rule.text}（{rules.source}）"[:300],
    )
    before = decision.get_status_display()
    if passed:  # the version was claimed above, passed or not: every meeting held changes the decision
        target = Status.PARTY_REVIEW if merged else NEXT_AFTER[step]
        check_move(TRANSITIONS, decision.status, target, Status, what="事项")
        decision.status = target
        if step == Step.RESOLUTION:
            decision.resolved_on = held_on
        decision.merged = decision.merged or merged
        decision.save(update_fields=["status", "merged", "resolved_on"])
    verdict = "通过" if passed else ("到会人数不足，未通过" if not quorum_met else "赞成票未过半数，未通过")
    label = "党组织提议暨“两委”商议（一肩挑合并召开）" if merged else Step(step).label
    record(
        actor=actor,
        region_code=decision.region_id,
        event="decisions.meeting",
        summary=f"{decision.region.name}“{decision.title}”{label}：{verdict}",
        obj=meeting,
        before={"状态": before},
        after={
            "状态": decision.get_status_display(),
            "会议时间": timezone.localtime(held_at).strftime("%Y-%m-%d %H:%M"),
            "应到": due,
            "实到": present,
            "赞成": votes_for,
            "反对": votes_against,
            "弃权": votes_abstain,
            "结果": verdict,
            "适用规则": meeting.rule_text,
        },
    )
    if passed and step == Step.RESOLUTION:
        from cunshe.disclosures.services import decision_resolved  # the major-item disclosure now falls due

        decision_resolved(decision=decision, resolved_at=held_at)
    return meeting


@transaction.atomic
def decision_withdraw(*, actor: Actor, decision: Decision, reason: str, expected_version: int | None) -> Decision:
    """Withdraw a matter that did not pass (or is no longer wanted) before its resolution; the record stays."""
    decision_policy.check(actor, "change", decision)
    decision = Decision.objects.select_related("region").get(pk=decision.pk)
    reason = clean_text(reason)
    if not reason:
        raise DomainError("请说明撤回原因。", {"reason": ["请说明撤回原因。"]})
    before = _move(decision, Status.WITHDRAWN, expected_version)
    decision.withdraw_reason = reason[:300]
    decision.save(update_fields=["status", "withdraw_reason"])
    record(
        actor=actor,
        region_code=decision.region_id,
        event="decisions.withdrawn",
        summary=f"{decision.region.name}“{decision.title}”撤回：{reason}",
        obj=decision,
        before={"状态": before},
        after={"状态": decision.get_status_display(), "撤回原因": reason},
    )
    return decision


def decision_disclosed(*, decision: Decision, step: str) -> None:
    """Called by the disclosures service inside its transaction when it publishes a major-item disclosure linked
    to the decision for one of its two disclosure steps (the disclosure is the record of the step)."""
    decision = Decision.objects.select_for_update().select_related("region").get(pk=decision.pk)
    if decision.status != step:
        raise IllegalTransition(
            f"该事项当前{decision.get_status_display()}，不能公开“{Step(step).label}”：须按步骤依次进行。"
        )
    before = _move(decision, NEXT_AFTER[step], decision.version)  # the row is locked: the version read is current
    decision.save(update_fields=["status"])
    record(
        actor=SYSTEM,
        region_code=decision.region_id,
        event="decisions.disclosed",
        summary=f"{decision.region.name}“{decision.title}”{Step(step).label}",
        obj=decision,
        before={"状态": before},
        after={"状态": decision.get_status_display()},
    )


def resolution_due_start(decision: Decision) -> datetime | None:
    """When the resolution passed (the moment the major-item disclosure deadline counts from)."""
    passed = decision.meetings.filter(step=Step.RESOLUTION, passed=True).order_by("-held_at").first()
    return passed.held_at if passed else None
