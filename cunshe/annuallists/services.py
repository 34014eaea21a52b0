"""Every write of the annual list: the new term's household visit round (opened after the committee's election,
its visits counted into the round's row), the list drafted once the round reached its target, its items and
five-year goals, the town's review, the public commitment at a theme party day (which completes the first-year
programme's "立好履职第一诺"), and the items' progress through the year. Each service checks the access rule,
validates before saving, records, and keeps the village's roll-up row (Tally) in the same transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cunshe.annuallists.models import (
    EDITABLE,
    ITEM_TRANSITIONS,
    TRANSITIONS,
    AnnualList,
    Area,
    ItemEntry,
    ItemStatus,
    ListItem,
    PlanGoal,
    RoundVisit,
    Status,
    Tally,
    VisitRound,
    coverage_rule,
)
from cunshe.annuallists.permissions import item_policy, list_policy, round_policy
from cunshe.core.actors import Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.text import clean_text
from cunshe.core.transitions import check_move, move
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.termchanges.selectors import current_term_change

EVIDENCE_TYPES = ("jpg", "jpeg", "png", "webp", "heic", "pdf")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
TERM_YEARS = 5


def _today() -> date:
    return timezone.localdate()


def _village(code: str) -> Region:
    village = Region.objects.filter(code=code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("须为村(社区)。", {"region": ["须为村(社区)。"]})
    return village


def elected_on(village_code: str) -> date | None:
    """The day the village's new committee was elected (certified); the new term's round starts no earlier."""
    from cunshe.results.selectors import committee_elected_on

    return committee_elected_on(village_code)


# The new term's household visit round ---------------------------------------------------------------------------


@transaction.atomic
def round_open(*, actor: Actor, village_code: str, opened_on: date | None, households: int | None) -> VisitRound:
    """Open the new team's 100% household visit round, its target the county rule in force on the opening day."""
    round_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    village = _village(village_code)
    term_change = current_term_change(village_code)
    if term_change is None:
        raise DomainError("本县(市、区)尚未启动换届，请先由县委组织部启动换届。")
    elected = elected_on(village_code)
    if elected is None:
        raise DomainError("本村(社区)新一届村(居)民委员会选举结果尚未确认，不能开始新任期入户走访。")
    if VisitRound.objects.filter(term_change=term_change, region_id=village_code).exists():
        raise DomainError("本村(社区)本届的入户走访已经开始。")
    errors: dict[str, list[str]] = {}
    if opened_on is None:
        errors["opened_on"] = ["请填写开始日期。"]
    elif opened_on < elected:
        errors["opened_on"] = [f"开始日期不能早于新一届班子选举日（{elected:%Y-%m-%d}）。"]
    elif opened_on > _today():
        errors["opened_on"] = ["开始日期不能晚于今天。"]
    if households is None or not 1 <= households <= 20000:
        errors["households"] = ["应访户数须在 1 到 20000 之间。"]
    if errors:
        raise DomainError("入户走访信息有误，未保存。", errors)
    assert opened_on is not None and households is not None
    target = coverage_rule(opened_on)
    visit_round = VisitRound.objects.create(
        term_change=term_change,
        region_id=village_code,
        opened_on=opened_on,
        households=households,
        target_num=target.numerator,
        target_den=target.denominator,
    )
    record(
        actor=actor,
        region_code=village_code,
        event="annuallists.round_opened",
        summary=f"{village.name}新任期入户走访开始：应访 {households} 户，目标覆盖率 {visit_round.target_percent}以上",
        obj=visit_round,
        after={"开始日期": opened_on, "应访户数": households, "目标覆盖率": visit_round.target_percent},
    )
    return visit_round


@transaction.atomic
def round_visit_record(
    *, actor: Actor, visit_round: VisitRound, household: str, visited_on: date | None, visitors: str, opinion: str = ""
) -> RoundVisit:
    """A household visited in the round, once per household; the round's row counts it and notes the day the
    target was first reached."""
    round_policy.check(actor, "change", visit_round)
    visit_round = VisitRound.objects.select_for_update().get(pk=visit_round.pk)
    household, visitors, opinion = clean_text(household), clean_text(visitors), clean_text(opinion)
    errors: dict[str, list[str]] = {}
    if not household or len(household) > 40:
        errors["household"] = ["请填写户主（不超过 40 字）。"]
    elif RoundVisit.objects.filter(round=visit_round, household=household).exists():
        errors["household"] = [f"{household} 已走访。"]
    if visited_on is None:
        errors["visited_on"] = ["请填写走访日期。"]
    elif visited_on < visit_round.opened_on:
        errors["visited_on"] = [f"走访日期不能早于入户走访开始日期（{visit_round.opened_on:%Y-%m-%d}）。"]
    elif visited_on > _today():
        errors["visited_on"] = ["走访日期不能晚于今天。"]
    if not visitors or len(visitors) > 100:
        errors["visitors"] = ["请填写走访人（不超过 100 字）。"]
    if len(opinion) > 1000:
        errors["opinion"] = ["意见建议不超过 1000 字。"]
    if visit_round.visited >= visit_round.households:
        errors["household"] = [f"已走访 {visit_round.visited} 户，达到应访户数。"]
    if errors:
        raise DomainError("走访记录有误，未保存。", errors)
    assert visited_on is not None
    visit = RoundVisit.objects.create(
        round=visit_round,
        region_id=visit_round.region_id,
        household=household,
        visited_on=visited_on,
        visitors=visitors,
        opinion=opinion,
    )
    visit_round.visited += 1
    updates: dict[str, Any] = {"visited": F("visited") + 1}
    if visit_round.reached and visit_round.reached_on is None:
        # The round's visits may be entered out of order: the target is reached on the latest day entered so far.
        last = max(visited_on, *RoundVisit.objects.filter(round=visit_round).values_list("visited_on", flat=True))
        visit_round.reached_on = updates["reached_on"] = last
    VisitRound.objects.filter(pk=visit_round.pk).update(**updates)
    record(
        actor=actor,
        region_code=visit_round.region_id,
        event="annuallists.visited",
        summary=f"新任期入户走访：{household}（{visitors}，{visited_on:%Y-%m-%d}）",
        obj=visit,
        after={"户主": household, "走访日期": visited_on, "走访人": visitors, "意见建议": opinion},
    )
    return visit


def round_of(village_code: str) -> VisitRound | None:
    term_change = current_term_change(village_code)
    if term_change is None:
        return None
    return VisitRound.objects.filter(term_change=term_change, region_id=village_code).first()


# The list -------------------------------------------------------------------------------------------------------


def _tally(annual_list: AnnualList) -> None:
    items = ListItem.objects.filter(annual_list=annual_list).exclude(status=ItemStatus.DROPPED)
    Tally.objects.update_or_create(
        region_id=annual_list.region_id,
        year=annual_list.year,
        defaults={
            "status": annual_list.status,
            "items": items.count(),
            "done": items.filter(status=ItemStatus.DONE).count(),
            "goals": PlanGoal.objects.filter(annual_list=annual_list).count(),
        },
    )


@transaction.atomic
def list_draft(*, actor: Actor, village_code: str, year: int | None, drafted_on: date | None) -> AnnualList:
    """Start the village's list for a year. Refused until the new term's household visit round reached its target
    (seed 000: the list is made after visiting every household)."""
    list_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    village = _village(village_code)
    visit_round = round_of(village_code)
    if visit_round is None:
        raise DomainError("请先开展新任期入户走访，走访达到目标后再制定初心清单。")
    if not visit_round.reached or visit_round.reached_on is None:
        raise DomainError(
            f"新任期入户走访覆盖率 {visit_round.percent}（{visit_round.visited}/{visit_round.households} 户），"
            f"未达到 {visit_round.target_percent}以上，暂不能制定初心清单。"
        )
    errors: dict[str, list[str]] = {}
    if drafted_on is None:
        errors["drafted_on"] = ["请填写起草日期。"]
    elif drafted_on < visit_round.reached_on:
        errors["drafted_on"] = [f"起草日期不能早于入户走访达到目标之日（{visit_round.reached_on:%Y-%m-%d}）。"]
    elif drafted_on > _today():
        errors["drafted_on"] = ["起草日期不能晚于今天。"]
    if year is None or drafted_on is None or not drafted_on.year <= year < drafted_on.year + TERM_YEARS:
        errors["year"] = [f"年度须在起草当年至其后 {TERM_YEARS - 1} 年之间（本届任期内）。"]
    elif AnnualList.objects.filter(region_id=village_code, year=year).exists():
        errors["year"] = [f"{year}年初心清单已经存在。"]
    if errors:
        raise DomainError("初心清单信息有误，未保存。", errors)
    assert year is not None and drafted_on is not None
    annual_list = AnnualList.objects.create(
        term_change=visit_round.term_change, region_id=village_code, year=year, drafted_on=drafted_on
    )
    _tally(annual_list)
    record(
        actor=actor,
        region_code=village_code,
        event="annuallists.drafted",
        summary=f"{village.name}开始制定{year}年初心清单和五年规划",
        obj=annual_list,
        after={"年度": year, "起草日期": drafted_on, "入户走访覆盖率": visit_round.percent},
    )
    return annual_list


def _editable(annual_list: AnnualList) -> None:
    if annual_list.status not in EDITABLE:
        raise DomainError(f"初心清单{annual_list.get_status_display()}，不能修改。")


@transaction.atomic
def item_add(
    *,
    actor: Actor,
    annual_list: AnnualList,
    title: str,
    responsible: str,
    due_on: date | None,
    answers: list[int] | None = None,
    expected_version: int | None,
) -> ListItem:
    """Add an item: what, who is responsible (a post, as it is published), by when, and the round's visits whose
    opinions it answers."""
    list_policy.check(actor, "change", annual_list)
    annual_list = AnnualList.objects.get(pk=annual_list.pk)
    _editable(annual_list)
    title, responsible = clean_text(title), clean_text(responsible)
    errors: dict[str, list[str]] = {}
    if not title or len(title) > 200:
        errors["title"] = ["请填写事项（不超过 200 字）。"]
    if not responsible or len(responsible) > 60:
        errors["responsible"] = ["请填写责任人（不超过 60 字）。"]
    if due_on is None:
        errors["due_on"] = ["请填写完成时限。"]
    elif not annual_list.drafted_on <= due_on <= date(annual_list.year, 12, 31):
        errors["due_on"] = [f"完成时限须在起草日期至 {annual_list.year} 年底之间。"]
    wanted = sorted(set(answers or []))
    visits = list(RoundVisit.objects.filter(pk__in=wanted, region_id=annual_list.region_id))
    if len(visits) != len(wanted):
        errors["answers"] = ["所选走访记录不属于本村(社区)的新任期入户走访。"]
    if errors:
        raise DomainError("清单事项有误，未保存。", errors)
    assert due_on is not None
    bump_version(annual_list, expected_version=expected_version)
    item = ListItem.objects.create(
        annual_list=annual_list, region_id=annual_list.region_id, title=title, responsible=responsible, due_on=due_on
    )
    item.answers.set(visits)
    _tally(annual_list)
    record(
        actor=actor,
        region_code=annual_list.region_id,
        event="annuallists.item_added",
        summary=f"初心清单事项：{title}（{responsible}，{due_on:%Y-%m-%d} 前）",
        obj=item,
        after={"事项": title, "责任人": responsible, "完成时限": due_on, "回应走访": [v.household for v in visits]},
    )
    return item


@transaction.atomic
def goal_add(
    *,
    actor: Actor,
    annual_list: AnnualList,
    area: str,
    goal: str,
    milestones: list[dict[str, Any]],
    expected_version: int | None,
) -> PlanGoal:
    """Add a five-year goal in one area with its yearly milestones (years of the term, each at most once)."""
    list_policy.check(actor, "change", annual_list)
    annual_list = AnnualList.objects.get(pk=annual_list.pk)
    _editable(annual_list)
    goal = clean_text(goal)
    errors: dict[str, list[str]] = {}
    if area not in Area.values:
        errors["area"] = ["请选择领域。"]
    if not goal or len(goal) > 300:
        errors["goal"] = ["请填写任期目标（不超过 300 字）。"]
    first = annual_list.year
    lines: list[dict[str, Any]] = []
    seen: set[int] = set()
    for m in milestones:
        year, text = m.get("year"), clean_text(str(m.get("text") or ""))
        if not isinstance(year, int) or not first <= year < first + TERM_YEARS or year in seen:
            errors["milestones"] = [f"年度节点的年份须在 {first}—{first + TERM_YEARS - 1} 年之间，每年一条。"]
            break
        if not text or len(text) > 300:
            errors["milestones"] = [f"请填写 {year} 年的节点（不超过 300 字）。"]
            break
        seen.add(year)
        lines.append({"year": year, "text": text})
    if not lines and "milestones" not in errors:
        errors["milestones"] = ["请至少填写一个年度节点。"]
    if errors:
        raise DomainError("五年规划目标有误，未保存。", errors)
    bump_version(annual_list, expected_version=expected_version)
    plan_goal = PlanGoal.objects.create(
        annual_list=annual_list,
        region_id=annual_list.region_id,
        area=area,
        goal=goal,
        milestones=sorted(lines, key=lambda line: line["year"]),
    )
    _tally(annual_list)
    record(
        actor=actor,
        region_code=annual_list.region_id,
        event="annuallists.goal_added",
        summary=f"五年规划目标（{plan_goal.get_area_display()}）：{goal}",
        obj=plan_goal,
        after={"领域": plan_goal.get_area_display(), "目标": goal, "年度节点": plan_goal.milestones},
    )
    return plan_goal


def _move(annual_list: AnnualList, target: str, expected_version: int | None) -> str:
    """The list's move; answers the status it left (its value: the callers name it in the record book)."""
    before = annual_list.status
    move(annual_list, target, table=TRANSITIONS, labels=Status, what="初心清单", expected_version=expected_version)
    return before


@transaction.atomic
def list_submit(*, actor: Actor, annual_list: AnnualList, expected_version: int | None) -> AnnualList:
    list_policy.check(actor, "change", annual_list)
    annual_list = AnnualList.objects.get(pk=annual_list.pk)
    check_move(TRANSITIONS, annual_list.status, Status.SUBMITTED, Status, what="初心清单")
    errors: dict[str, list[str]] = {}
    if not annual_list.items.exists():
        errors["items"] = ["初心清单至少应有一个事项。"]
    if not annual_list.goals.exists():
        errors["goals"] = ["五年规划至少应有一个目标。"]
    if errors:
        raise DomainError("初心清单尚不完整，未报送。", errors)
    before = _move(annual_list, Status.SUBMITTED, expected_version)
    annual_list.save(update_fields=["status"])
    _tally(annual_list)
    record(
        actor=actor,
        region_code=annual_list.region_id,
        event="annuallists.submitted",
        summary=f"{annual_list.year}年初心清单和五年规划报乡镇(街道)审核",
        obj=annual_list,
        before={"状态": Status(before).label},
        after={"状态": annual_list.get_status_display()},
    )
    return annual_list


@transaction.atomic
def list_review(
    *,
    actor: Actor,
    annual_list: AnnualList,
    approve: bool,
    reason: str = "",
    reviewed_on: date | None = None,
    expected_version: int | None,
) -> AnnualList:
    """The town approves the list or returns it with the reason (the village revises and reports again);
    `reviewed_on` is the day of the review when entered afterwards (default today)."""
    list_policy.check(actor, "review", annual_list)
    annual_list = AnnualList.objects.get(pk=annual_list.pk)
    reason = clean_text(reason)
    target = Status.APPROVED if approve else Status.RETURNED
    check_move(TRANSITIONS, annual_list.status, target, Status, what="初心清单")
    if not approve and not reason:
        raise DomainError("退回时请说明原因。", {"reason": ["请填写退回原因。"]})
    if len(reason) > 1000:
        raise DomainError("退回原因不超过 1000 字。", {"reason": ["退回原因不超过 1000 字。"]})
    reviewed_on = reviewed_on or _today()
    if not annual_list.drafted_on <= reviewed_on <= _today():
        raise DomainError("审核日期须在起草日期至今天之间。", {"reviewed_on": ["审核日期须在起草日期至今天之间。"]})
    before = _move(annual_list, target, expected_version)
    annual_list.return_reason = "" if approve else reason
    annual_list.approved_on = reviewed_on if approve else None
    annual_list.save(update_fields=["status", "return_reason", "approved_on"])
    _tally(annual_list)
    record(
        actor=actor,
        region_code=annual_list.region_id,
        event="annuallists.approved" if approve else "annuallists.returned",
        summary=f"{annual_list.year}年初心清单{'审核通过' if approve else '退回修改：' + reason}",
        obj=annual_list,
        before={"状态": Status(before).label},
        after={"状态": annual_list.get_status_display(), **({} if approve else {"退回原因": reason})},
    )
    return annual_list


def _evidence_errors(evidence: UploadedFile | None) -> list[str]:
    if evidence is None:
        return ["请上传主题党日公开承诺的照片或文件。"]
    suffix = (evidence.name or "").rsplit(".", 1)[-1].lower()
    if suffix not in EVIDENCE_TYPES:
        return ["佐证应为照片（jpg、png、webp、heic）或 PDF 文件。"]
    if (evidence.size or 0) > EVIDENCE_MAX_BYTES:
        return ["佐证不超过 10 MB。"]
    return []


def _theme_day(annual_list: AnnualList, meeting_id: int | None, on: date | None) -> Any:
    """The theme party day's meeting record (partywork), when the branch recorded it: the commitment points to it
    instead of keeping a second record of the meeting."""
    if meeting_id is None:
        return None
    from cunshe.partywork.models import MeetingKind, PartyMeeting

    meeting = PartyMeeting.objects.filter(
        pk=meeting_id, region_id=annual_list.region_id, kind=MeetingKind.THEME_DAY
    ).first()
    if meeting is None or (on is not None and timezone.localdate(meeting.held_at) != on):
        return False
    return meeting


@transaction.atomic
def list_pledge(
    *,
    actor: Actor,
    annual_list: AnnualList,
    pledged_on: date | None,
    place: str,
    attendance: int | None,
    evidence: UploadedFile | None,
    party_meeting: int | None = None,
    expected_version: int | None,
) -> AnnualList:
    """The public commitment at a theme party day: day, place, attendance and evidence; the list is public from
    then, and the first-year programme's "立好履职第一诺" is done (firstyear.facts reads this list)."""
    list_policy.check(actor, "change", annual_list)
    annual_list = AnnualList.objects.get(pk=annual_list.pk)
    check_move(TRANSITIONS, annual_list.status, Status.PUBLIC, Status, what="初心清单")
    place = clean_text(place)
    errors: dict[str, list[str]] = {}
    if pledged_on is None:
        errors["pledged_on"] = ["请填写主题党日日期。"]
    elif pledged_on > _today():
        errors["pledged_on"] = ["承诺日期不能晚于今天。"]
    elif annual_list.approved_on and pledged_on < annual_list.approved_on:
        errors["pledged_on"] = [f"承诺日期不能早于审核通过日期（{annual_list.approved_on:%Y-%m-%d}）。"]
    if not place or len(place) > 100:
        errors["place"] = ["请填写地点（不超过 100 字）。"]
    if attendance is None or not 1 <= attendance <= 10000:
        errors["attendance"] = ["参加人数须在 1 到 10000 之间。"]
    if problems := _evidence_errors(evidence):
        errors["evidence"] = problems
    meeting = _theme_day(annual_list, party_meeting, pledged_on)
    if meeting is False:
        errors["party_meeting"] = ["所选会议不是本村(社区)当天的主题党日。"]
    if errors:
        raise DomainError("公开承诺信息有误，未保存。", errors)
    assert evidence is not None
    before = _move(annual_list, Status.PUBLIC, expected_version)
    annual_list.pledged_on, annual_list.pledge_place, annual_list.pledge_attendance = pledged_on, place, attendance
    annual_list.party_meeting = meeting or None
    annual_list.pledge_evidence.save(evidence.name or "evidence", evidence, save=False)
    annual_list.save(
        update_fields=[
            "status",
            "pledged_on",
            "pledge_place",
            "pledge_attendance",
            "pledge_evidence",
            "party_meeting",
        ]
    )
    _tally(annual_list)
    record(
        actor=actor,
        region_code=annual_list.region_id,
        event="annuallists.pledged",
        summary=f"{annual_list.year}年初心清单在主题党日公开承诺（{pledged_on:%Y-%m-%d}，{place}，{attendance} 人）",
        obj=annual_list,
        before={"状态": Status(before).label},
        after={"状态": annual_list.get_status_display(), "日期": pledged_on, "地点": place, "人数": attendance},
    )
    from cunshe.firstyear.services import facts_changed

    facts_changed(annual_list.region_id)
    return annual_list


@transaction.atomic
def item_progress(
    *,
    actor: Actor,
    item: ListItem,
    written_on: date | None,
    note: str,
    status: str,
    expected_version: int | None,
) -> ItemEntry:
    """A dated progress entry of a public list's item; `status` is the item's status after it (the same, or a move
    its transition table allows)."""
    item_policy.check(actor, "change", item)
    item = ListItem.objects.select_related("annual_list").get(pk=item.pk)
    if not item.annual_list.is_public:
        raise DomainError("初心清单公开承诺后才登记事项进展。")
    if status != item.status:
        check_move(ITEM_TRANSITIONS, item.status, status, ItemStatus, what="清单事项")
    elif not ITEM_TRANSITIONS.get(item.status):
        raise DomainError(f"该事项{item.get_status_display()}，不再登记进展。")
    note = clean_text(note)
    errors: dict[str, list[str]] = {}
    if written_on is None:
        errors["written_on"] = ["请填写日期。"]
    elif written_on > _today():
        errors["written_on"] = ["日期不能晚于今天。"]
    elif item.annual_list.pledged_on and written_on < item.annual_list.pledged_on:
        errors["written_on"] = ["日期不能早于公开承诺日期。"]
    if not note or len(note) > 1000:
        errors["note"] = ["请填写进展（不超过 1000 字）。"]
    if errors:
        raise DomainError("事项进展有误，未保存。", errors)
    assert written_on is not None
    bump_version(item, expected_version=expected_version)
    before = item.status
    item.status = status
    if status == ItemStatus.DONE:
        item.done_on = written_on
    item.save(update_fields=["status", "done_on"])
    entry = ItemEntry.objects.create(
        item=item, region_id=item.region_id, written_on=written_on, note=note, status=status, written_by=user_of(actor)
    )
    _tally(item.annual_list)
    record(
        actor=actor,
        region_code=item.region_id,
        event="annuallists.progress",
        summary=f"初心清单事项进展：{item.title}（{written_on:%Y-%m-%d}，{item.get_status_display()}）",
        obj=entry,
        before={"状态": ItemStatus(before).label},
        after={"状态": item.get_status_display(), "进展": note},
    )
    return entry
