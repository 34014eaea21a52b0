"""Every write of party work: branches, meeting records (attendance, decisions, the two confirmations that close a
record, addenda after), the cadence rows kept with each signed record, model posts and their quarterly ratings,
floating members with their cards, yearly reports and temporary groups. Each service checks the access rule,
validates everything first (one DomainError, nothing saved), saves in one transaction and writes the record book."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from cunshe.core.actors import SYSTEM, Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError, IllegalTransition
from cunshe.core.text import clean_text
from cunshe.core.transitions import check_move
from cunshe.partywork import rules
from cunshe.partywork.models import (
    MEETING_TRANSITIONS,
    Addendum,
    Branch,
    CadenceStatus,
    Decision,
    FloatingCard,
    FloatingGroup,
    FloatingMember,
    FloatingReport,
    GroupKind,
    GroupMembership,
    MeetingAttendance,
    MeetingKind,
    MeetingStatus,
    ModelPost,
    PartyMeeting,
    PostRating,
    Presence,
)
from cunshe.partywork.permissions import branch_policy, floating_policy, group_policy, meeting_policy, post_policy
from cunshe.people.models import Person
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.teams.models import Committee, Post, TeamMember

LOCKED = "会议记录已由记录人和主持人签字确认，不能再修改；如需更正，请添加补充更正说明。"


def _text(errors: dict[str, list[str]], field: str, value: str, label: str, limit: int, *, required: bool) -> str:
    value = clean_text(value)
    if required and not value:
        errors[field] = [f"请填写{label}。"]
    elif len(value) > limit:
        errors[field] = [f"{label}不超过 {limit} 字。"]
    return value


# Branches


@transaction.atomic
def branch_open(*, actor: Actor, village_code: str, name: str, formed_on: date) -> Branch:
    """Start tracking a village's party work from the day its committee was elected; one cadence row per kind."""
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("请选择村(社区)。", {"village": ["须为村(社区)。"]})
    branch_policy.check_in_region(actor, "manage", village.code)
    errors: dict[str, list[str]] = {}
    name = _text(errors, "name", name, "党组织名称", 100, required=True)
    if formed_on > timezone.localdate():
        errors["formed_on"] = ["支部委员会产生日期不能晚于今天。"]
    if Branch.objects.filter(region=village).exists():
        errors["village"] = ["该村(社区)的党支部已登记。"]
    if errors:
        raise DomainError("党支部信息有误，未保存。", errors)
    branch = Branch.objects.create(region=village, name=name, formed_on=formed_on)
    version = rules.cadence_for(village.code, formed_on)
    CadenceStatus.objects.bulk_create(
        CadenceStatus(branch=branch, region=village, kind=kind, due_on=rules.next_due(formed_on, [], cadence.months))
        for kind, cadence in version.kinds.items()
    )
    record(
        actor=actor,
        region_code=village.code,
        event="partywork.branch_opened",
        summary=f"{name}：自 {formed_on:%Y-%m-%d}（本届支部委员会产生）起按“三会一课”频次检查",
        obj=branch,
        after={"党组织名称": name, "本届支部委员会产生日期": formed_on},
    )
    return branch


def branch_name(village: Region) -> str:
    """The usual name of a village's party organisation, from the village's name."""
    return village.name.replace("村委会", "村党支部").replace("居委会", "社区党支部")


def branch_for_new_team(village_code: str, committee: str, elected_on: date) -> Branch | None:
    """The teams hook: when a village's new party committee is in place, its branch is tracked from the day that
    committee was elected, opened by the system (nobody types it). A branch already tracked is kept as it is (its
    cadence runs on; a rerun or a further round changes nothing here)."""
    if committee != Committee.PARTY:
        return None
    existing = Branch.objects.filter(region_id=village_code).first()
    if existing is not None:
        return existing
    village = Region.objects.get(code=village_code)
    return branch_open(actor=SYSTEM, village_code=village_code, name=branch_name(village), formed_on=elected_on)


# Meetings


def secretary_of(village_code: str, on: date) -> int | None:
    """The person who was the branch secretary on `on`."""
    found = (
        TeamMember.objects.filter(region_id=village_code, committee=Committee.PARTY, post=Post.SECRETARY)
        .filter(started_on__lte=on)
        .exclude(ended_on__lt=on)
        .order_by("-started_on")
        .values_list("person_id", flat=True)
        .first()
    )
    return found


def due_persons(branch: Branch, kind: str, on: date) -> list[Person]:
    """Who is due: the branch committee's members at a committee meeting, every party member of the village else."""
    if kind == MeetingKind.COMMITTEE:
        ids = (
            TeamMember.objects.filter(region_id=branch.region_id, committee=Committee.PARTY, started_on__lte=on)
            .exclude(ended_on__lt=on)
            .values_list("person_id", flat=True)
        )
        return list(Person.objects.filter(pk__in=list(ids)).order_by("id"))
    return list(Person.objects.filter(region_id=branch.region_id, is_party_member=True).order_by("id"))


def away_with_card(person_ids: Iterable[int], on: date) -> set[int]:
    """Floating members holding a card valid on `on`: they join organisation life where they are."""
    return set(
        FloatingCard.objects.filter(
            member__person_id__in=list(person_ids),
            member__returned_on__isnull=True,
            issued_on__lte=on,
            valid_until__gte=on,
            revoked_on__isnull=True,
        ).values_list("member__person_id", flat=True)
    )


def _decisions(errors: dict[str, list[str]], items: Iterable[Mapping[str, Any]], held_on: date) -> list[Decision]:
    found: list[Decision] = []
    for n, item in enumerate(items, start=1):
        text, owner = clean_text(str(item.get("text") or "")), clean_text(str(item.get("owner") or ""))
        due_on = item.get("due_on")
        if not text or len(text) > 500:
            errors.setdefault("decisions", []).append(f"第 {n} 项：请填写决定事项（不超过 500 字）。")
        elif not owner or len(owner) > 50:
            errors.setdefault("decisions", []).append(f"第 {n} 项：请填写责任人。")
        elif not isinstance(due_on, date) or due_on < held_on:
            errors.setdefault("decisions", []).append(f"第 {n} 项：完成时限须为会议当天或以后的日期。")
        else:
            found.append(Decision(text=text, owner=owner, due_on=due_on))
    return found


def _meeting_fields(branch: Branch, values: Mapping[str, Any]) -> tuple[dict[str, Any], list[Decision]]:
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    held_at = values["held_at"]
    if not isinstance(held_at, datetime):
        errors["held_at"] = ["请填写会议时间。"]
        held_on = branch.formed_on
    else:
        if timezone.is_naive(held_at):
            held_at = timezone.make_aware(held_at)
        held_on = timezone.localdate(held_at)
        if held_at > timezone.now():
            errors["held_at"] = ["会议尚未召开，不能记录。"]
        elif held_on < branch.formed_on:
            errors["held_at"] = [f"会议日期不能早于本届支部委员会产生（{branch.formed_on:%Y-%m-%d}）。"]
    out["held_at"] = held_at
    out["place"] = _text(errors, "place", values["place"], "地点", 100, required=True)
    out["topic"] = _text(errors, "topic", values.get("topic", ""), "主题", 200, required=False)
    out["agenda"] = _text(errors, "agenda", values["agenda"], "议程", 2000, required=True)
    out["discussion"] = _text(errors, "discussion", values.get("discussion", ""), "发言情况", 10000, required=False)
    out["votes"] = _text(errors, "votes", values.get("votes", ""), "表决情况", 2000, required=False)
    for role, label in (("chair", "主持人"), ("recorder", "记录人")):
        person = values[role]
        if not isinstance(person, Person) or person.region_id != branch.region_id or not person.is_party_member:
            errors[role] = [f"{label}须为本村(社区)党员。"]
        out[role] = person
    decisions = _decisions(errors, values.get("decisions") or [], held_on)
    if errors:
        raise DomainError("会议记录有误，未保存。", errors)
    out["by_secretary"] = secretary_of(branch.region_id, held_on) == out["chair"].pk
    return out, decisions


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
    branch: Branch,
    kind: str,
    held_at: datetime,
    place: str,
    chair: Person,
    recorder: Person,
    agenda: str,
    topic: str = "",
    discussion: str = "",
    votes: str = "",
    decisions: Iterable[Mapping[str, Any]] = (),
) -> PartyMeeting:
    """A meeting record with its due list (floating members away with a valid card listed as on leave, the reason
    written); numbered within the branch, the kind and the year."""
    meeting_policy.check_in_region(actor, "record", branch.region_id)
    if kind not in MeetingKind.values:
        raise DomainError("请选择会议类型。", {"kind": ["请选择会议类型。"]})
    fields, items = _meeting_fields(
        branch,
        {
            "held_at": held_at,
            "place": place,
            "chair": chair,
            "recorder": recorder,
            "agenda": agenda,
            "topic": topic,
            "discussion": discussion,
            "votes": votes,
            "decisions": decisions,
        },
    )
    held_on = timezone.localdate(fields["held_at"])
    due = due_persons(branch, kind, held_on)
    if not due:
        raise DomainError("没有应到会人员（本村(社区)尚无党员或支委）。", {"kind": ["没有应到会人员。"]})
    Branch.objects.select_for_update().filter(pk=branch.pk).first()  # numbers never collide
    number = PartyMeeting.objects.filter(branch=branch, kind=kind, held_at__year=fields["held_at"].year).count() + 1
    meeting = PartyMeeting.objects.create(branch=branch, region_id=branch.region_id, kind=kind, number=number, **fields)
    for d in items:
        d.meeting = meeting
    Decision.objects.bulk_create(items)
    away = away_with_card([p.pk for p in due], held_on)
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(
            meeting=meeting,
            person=p,
            status=Presence.LEAVE if p.pk in away else Presence.DUE,
            reason="外出流动（持流动党员活动证），在流入地参加组织生活" if p.pk in away else "",
        )
        for p in due
    )
    record(
        actor=actor,
        region_code=branch.region_id,
        event="partywork.meeting_created",
        summary=f"{meeting.title}：{fields['held_at']:%Y-%m-%d %H:%M} 在{fields['place']}，应到 {len(due)} 人",
        obj=meeting,
        after={
            "会议类型": meeting.get_kind_display(),
            "时间": fields["held_at"],
            "地点": fields["place"],
            "主持人": chair.name,
            "记录人": recorder.name,
            "应到": len(due),
        },
    )
    return meeting


def _open_for_edit(meeting: PartyMeeting, expected_version: int | None) -> PartyMeeting:
    fresh = PartyMeeting.objects.select_for_update().select_related("branch").get(pk=meeting.pk)
    if fresh.status != MeetingStatus.DRAFT:
        raise IllegalTransition(LOCKED)
    bump_version(fresh, expected_version=expected_version)
    return fresh


@transaction.atomic
def meeting_edit(*, actor: Actor, meeting: PartyMeeting, expected_version: int | None, **values: Any) -> PartyMeeting:
    """Change what the record says before it is signed (time, place, chair, recorder, agenda, discussion, votes,
    decisions: the decisions given replace the list). A signed record is refused: corrections are addenda."""
    meeting_policy.check(actor, "record", meeting)
    m = _open_for_edit(meeting, expected_version)
    names = ("held_at", "place", "chair", "recorder", "agenda", "topic", "discussion", "votes")
    current = {n: getattr(m, n) for n in names}
    replace = "decisions" in values
    if not replace:
        values["decisions"] = [{"text": d.text, "owner": d.owner, "due_on": d.due_on} for d in m.decisions.all()]
    unknown = set(values) - {*names, "decisions"}
    if unknown:
        raise DomainError("会议记录有误，未保存。", {k: ["不能修改此项。"] for k in sorted(unknown)})
    fields, items = _meeting_fields(m.branch, {**current, **values})
    before = {n: str(current[n]) for n in names if current[n] != fields[n]}
    for n in names:
        setattr(m, n, fields[n])
    m.by_secretary = fields["by_secretary"]
    m.save()
    if replace:
        m.decisions.all().delete()
        for d in items:
            d.meeting = m
        Decision.objects.bulk_create(items)
    record(
        actor=actor,
        region_code=m.region_id,
        event="partywork.meeting_edited",
        summary=f"{m.title}：修改记录",
        obj=m,
        before=before,
        after={n: str(fields[n]) for n in before} | ({"决定事项": len(items)} if replace else {}),
    )
    return m


@transaction.atomic
def meeting_attendance_mark(
    *, actor: Actor, meeting: PartyMeeting, marks: Mapping[int, tuple[str, str]], expected_version: int | None
) -> PartyMeeting:
    """Present, on leave or absent per person due (by person id); leave and absence need their reason."""
    meeting_policy.check(actor, "record", meeting)
    m = _open_for_edit(meeting, expected_version)
    rows = {a.person_id: a for a in m.attendance.select_related("person")}
    errors: dict[str, list[str]] = {}
    for person_id, (status, reason) in marks.items():
        reason = clean_text(reason)
        a = rows.get(int(person_id))
        if a is None:
            errors[str(person_id)] = ["不在本次会议的应到名单中。"]
        elif status not in (Presence.PRESENT, Presence.LEAVE, Presence.ABSENT):
            errors[a.person.name] = ["请选择出席、请假或缺席。"]
        elif status != Presence.PRESENT and not reason:
            errors[a.person.name] = ["请假或缺席须写明原因。"]
        elif len(reason) > 200:
            errors[a.person.name] = ["原因不超过 200 字。"]
    if errors:
        raise DomainError("出席登记有误，未保存。", errors)
    changed: dict[str, str] = {}
    for person_id, (status, reason) in marks.items():
        a = rows[int(person_id)]
        reason = "" if status == Presence.PRESENT else clean_text(reason)
        if (a.status, a.reason) != (status, reason):
            a.status, a.reason = status, reason
            a.save(update_fields=["status", "reason"])
            changed[a.person.name] = f"{a.get_status_display()}{'（' + reason + '）' if reason else ''}"
    if changed:
        record(
            actor=actor,
            region_code=m.region_id,
            event="partywork.attendance",
            summary=f"{m.title}：登记出席 {len(changed)} 人",
            obj=m,
            after=changed,
        )
    return m


def counts_of(meeting: PartyMeeting) -> dict[str, int]:
    rows = list(meeting.attendance.all())
    return {
        "due": len(rows),
        "present": sum(a.status == Presence.PRESENT for a in rows),
        "leave": sum(a.status == Presence.LEAVE for a in rows),
        "absent": sum(a.status == Presence.ABSENT for a in rows),
        "unmarked": sum(a.status == Presence.DUE for a in rows),
    }


def cadence_refresh(branch: Branch, kind: str) -> CadenceStatus:
    """Recount one branch's signed meetings of a kind (only the secretary's lectures where the rule says so)."""
    version = rules.cadence_for(branch.region_id, timezone.localdate())
    cadence = version.kinds.get(kind)
    status = CadenceStatus.objects.select_for_update().get(branch=branch, kind=kind)
    if cadence is None:
        return status
    held = PartyMeeting.objects.filter(branch=branch, kind=kind, status=MeetingStatus.SIGNED)
    if cadence.by_secretary:
        held = held.filter(by_secretary=True)
    days = [timezone.localdate(t) for t in held.values_list("held_at", flat=True)]
    status.held = len(days)
    status.last_held_on = max(days) if days else None
    status.due_on = rules.next_due(branch.formed_on, days, cadence.months)
    status.save(update_fields=["held", "last_held_on", "due_on"])
    return status


@transaction.atomic
def meeting_sign(*, actor: Actor, meeting: PartyMeeting, role: str, expected_version: int | None) -> PartyMeeting:
    """The recorder's or the chair's confirmation. The record must be complete (everyone due marked); one account
    confirms as one of the two; with both, the record is signed and closed, and the cadence counts it."""
    meeting_policy.check(actor, "record", meeting)
    if role not in ("recorder", "chair"):
        raise DomainError("请选择以记录人或主持人身份确认。", {"role": ["须为记录人或主持人。"]})
    m = _open_for_edit(meeting, expected_version)
    counts = counts_of(m)
    errors: dict[str, list[str]] = {}
    if counts["unmarked"]:
        errors["attendance"] = [f"还有 {counts['unmarked']} 名应到党员未登记出席情况。"]
    if getattr(m, f"{role}_signed_at") is not None:
        errors["role"] = ["已确认过，无需重复确认。"]
    other = "chair" if role == "recorder" else "recorder"
    user = user_of(actor)
    if user is not None and getattr(m, f"{other}_signed_by_id") == user.pk:
        errors["role"] = ["记录人和主持人须由不同账号分别确认。"]
    if errors:
        raise DomainError("不能确认会议记录。", errors)
    now = timezone.now()
    setattr(m, f"{role}_signed_at", now)
    setattr(m, f"{role}_signed_by", user)
    before = m.get_status_display()
    if m.recorder_signed_at and m.chair_signed_at:  # the version was claimed when the record was opened for edit
        check_move(MEETING_TRANSITIONS, m.status, MeetingStatus.SIGNED, MeetingStatus, what="会议记录")
        m.status = MeetingStatus.SIGNED
    m.save()
    label = "记录人" if role == "recorder" else "主持人"
    record(
        actor=actor,
        region_code=m.region_id,
        event="partywork.meeting_signed",
        summary=f"{m.title}：{label}确认" + ("，记录已签字确认" if m.status == MeetingStatus.SIGNED else ""),
        obj=m,
        before={"状态": before} if m.status == MeetingStatus.SIGNED else None,
        after={f"{label}确认": now, "状态": m.get_status_display()},
    )
    if m.status == MeetingStatus.SIGNED:
        cadence_refresh(m.branch, m.kind)
    return m


@transaction.atomic
def addendum_add(*, actor: Actor, meeting: PartyMeeting, text: str) -> Addendum:
    """A correction to a signed record, dated and kept beside it; the record is unchanged."""
    meeting_policy.check(actor, "record", meeting)
    errors: dict[str, list[str]] = {}
    text = _text(errors, "text", text, "补充更正内容", 1000, required=True)
    if meeting.status != MeetingStatus.SIGNED:
        errors["text"] = ["记录尚未签字确认，请直接修改记录。"]
    if errors:
        raise DomainError("补充说明有误，未保存。", errors)
    note = Addendum.objects.create(
        meeting=meeting,
        region_id=meeting.region_id,
        written_on=timezone.localdate(),
        text=text,
        written_by=user_of(actor),
    )
    record(
        actor=actor,
        region_code=meeting.region_id,
        event="partywork.addendum",
        summary=f"{meeting}：补充更正说明",
        obj=note,
        after={"补充更正内容": text},
    )
    return note


# Model posts


@transaction.atomic
def post_create(
    *, actor: Actor, village_code: str, person: Person, title: str, duty: str, set_up_on: date
) -> ModelPost:
    post_policy.check_in_region(actor, "record", village_code)
    errors: dict[str, list[str]] = {}
    title = _text(errors, "title", title, "示范岗名称", 100, required=True)
    duty = _text(errors, "duty", duty, "岗位职责与承诺", 500, required=True)
    if person.region_id != village_code or not person.is_party_member:
        errors["person"] = ["示范岗须由本村(社区)党员担任。"]
    if set_up_on > timezone.localdate():
        errors["set_up_on"] = ["设岗日期不能晚于今天。"]
    if errors:
        raise DomainError("示范岗信息有误，未保存。", errors)
    post = ModelPost.objects.create(region_id=village_code, person=person, title=title, duty=duty, set_up_on=set_up_on)
    record(
        actor=actor,
        region_code=village_code,
        event="partywork.post_created",
        summary=f"设立党员示范岗：{title}（{person.name}）",
        obj=post,
        after={"示范岗名称": title, "党员": person.name, "岗位职责与承诺": duty, "设岗日期": set_up_on},
    )
    return post


@transaction.atomic
def post_rate(
    *, actor: Actor, post: ModelPost, year: int, quarter: int, scores: Mapping[str, int], note: str = ""
) -> PostRating:
    """The town's rating of one quarter, after the quarter ended and for a post set up by then, once a quarter,
    each criterion of the sheet in force on the quarter's last day scored from 0 to its full marks."""
    post_policy.check(actor, "rate", post)
    errors: dict[str, list[str]] = {}
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise DomainError("季度有误。", {"quarter": ["季度须为 1 至 4。"]})
    end = rules.quarter_end(year, quarter)
    sheet = rules.rating_sheet(post.region_id, end)
    note = _text(errors, "note", note, "评语", 300, required=False)
    if end >= timezone.localdate():
        errors["quarter"] = [f"{year} 年第 {quarter} 季度尚未结束（{end:%Y-%m-%d}），结束后再评。"]
    elif post.set_up_on > end:
        errors["quarter"] = ["该季度结束时示范岗尚未设立。"]
    elif post.ended_on is not None and rules.quarter_start(year, quarter) > post.ended_on:
        errors["quarter"] = [f"该示范岗已于 {post.ended_on:%Y-%m-%d} 撤岗，撤岗以后的季度不再评比。"]
    elif PostRating.objects.filter(post=post, year=year, quarter=quarter).exists():
        errors["quarter"] = ["该季度已评比。"]
    names = [name for name, _ in sheet.criteria]
    if set(scores) != set(names):
        errors["scores"] = ["请按评比表逐项打分：" + "、".join(names) + "。"]
    else:
        for name, full in sheet.criteria:
            value = scores[name]
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= full:
                errors.setdefault("scores", []).append(f"{name}：须为 0 至 {full} 的整数。")
    if errors:
        raise DomainError("评比有误，未保存。", errors)
    total = sum(scores[name] for name in names)
    grade = rules.grade_of(sheet, total)
    rating = PostRating.objects.create(
        post=post,
        region_id=post.region_id,
        year=year,
        quarter=quarter,
        scores={name: scores[name] for name in names},
        total=total,
        grade=grade,
        note=note,
        rated_on=timezone.localdate(),
        rated_by=user_of(actor),
    )
    record(
        actor=actor,
        region_code=post.region_id,
        event="partywork.post_rated",
        summary=f"党员示范岗{post.title}：{year} 年第 {quarter} 季度 {total} 分，{rating.get_grade_display()}",
        obj=rating,
        after={"季度": f"{year}Q{quarter}", "总分": total, "评定结果": rating.get_grade_display(), **rating.scores},
    )
    return rating


@transaction.atomic
def model_post_end(
    *, actor: Actor, post: ModelPost, ended_on: date, reason: str, expected_version: int | None
) -> ModelPost:
    """撤岗: the branch ends a post on a day with the reason (the member moved away, took another post, no longer
    fits). The post and its ratings stay, marked ended; quarters starting after the day are no longer rated, so the
    day may not fall before a quarter already rated."""
    post_policy.check(actor, "record", post)
    fresh = ModelPost.objects.select_for_update().get(pk=post.pk)
    if fresh.ended_on is not None:
        raise IllegalTransition(f"该示范岗已于 {fresh.ended_on:%Y-%m-%d} 撤岗。")
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, "撤岗原因", 200, required=True)
    if ended_on > timezone.localdate():
        errors["ended_on"] = ["撤岗日期不能晚于今天。"]
    elif ended_on < fresh.set_up_on:
        errors["ended_on"] = [f"撤岗日期不能早于设岗日期（{fresh.set_up_on:%Y-%m-%d}）。"]
    else:
        rated = [
            (y, q) for y, q in fresh.ratings.values_list("year", "quarter") if rules.quarter_start(y, q) > ended_on
        ]
        if rated:
            y, q = max(rated)
            errors["ended_on"] = [f"{y} 年第 {q} 季度已评比，撤岗日期不能早于 {rules.quarter_start(y, q):%Y-%m-%d}。"]
    if errors:
        raise DomainError("撤岗信息有误，未保存。", errors)
    bump_version(fresh, expected_version=expected_version)
    fresh.ended_on, fresh.end_reason = ended_on, reason
    fresh.save(update_fields=["ended_on", "end_reason"])
    record(
        actor=actor,
        region_code=fresh.region_id,
        event="partywork.post_ended",
        summary=f"党员示范岗{fresh.title}撤岗（{ended_on:%Y-%m-%d}，{reason}）",
        obj=fresh,
        before={"撤岗日期": None},
        after={"撤岗日期": ended_on, "撤岗原因": reason},
    )
    return fresh


# Floating party members


def _report_due(member: FloatingMember) -> date:
    """The last day of the first year (from the year of leaving) without a report home."""
    years = set(member.reports.values_list("year", flat=True)) if member.pk else set()
    year = member.left_on.year
    while year in years:
        year += 1
    return date(year, 12, 31)


@transaction.atomic
def floating_register(
    *,
    actor: Actor,
    person: Person,
    whereabouts: str,
    left_on: date,
    work: str = "",
    phone: str = "",
    expected_back_on: date | None = None,
    cannot_transfer: bool = False,
    cannot_transfer_reason: str = "",
) -> FloatingMember:
    floating_policy.check_in_region(actor, "record", person.region_id)
    errors: dict[str, list[str]] = {}
    whereabouts = _text(errors, "whereabouts", whereabouts, "流入地", 200, required=True)
    work = _text(errors, "work", work, "从事工作", 100, required=False)
    phone = _text(errors, "phone", phone, "联系方式", 20, required=False)
    reason = _text(
        errors, "cannot_transfer_reason", cannot_transfer_reason, "无法转移的原因", 200, required=cannot_transfer
    )
    if not person.is_party_member:
        errors["person"] = ["只登记本村(社区)党员。"]
    elif FloatingMember.objects.filter(person=person, returned_on__isnull=True).exists():
        errors["person"] = ["该党员已登记为流动党员。"]
    if left_on > timezone.localdate():
        errors["left_on"] = ["外出日期不能晚于今天。"]
    if expected_back_on is not None and expected_back_on < left_on:
        errors["expected_back_on"] = ["预计返回日期不能早于外出日期。"]
    if errors:
        raise DomainError("流动党员信息有误，未保存。", errors)
    member = FloatingMember(
        region_id=person.region_id,
        person=person,
        whereabouts=whereabouts,
        work=work,
        phone=phone,
        left_on=left_on,
        expected_back_on=expected_back_on,
        cannot_transfer=cannot_transfer,
        cannot_transfer_reason=reason,
    )
    member.report_due_on = _report_due(member)
    member.save()
    record(
        actor=actor,
        region_code=person.region_id,
        event="partywork.floating_registered",
        summary=f"登记流动党员：{person.name}（{whereabouts}）",
        obj=member,
        after={"党员": person.name, "流入地": whereabouts, "外出日期": left_on, "无法转移组织关系": cannot_transfer},
    )
    return member


@transaction.atomic
def card_issue(*, actor: Actor, member: FloatingMember, issued_on: date, valid_until: date) -> FloatingCard:
    """The 流动党员活动证: only for a member out at most 6 months (by the expected return) or unable to transfer;
    valid at most to 6 months after leaving, or a year from issue for those unable to transfer."""
    floating_policy.check(actor, "record", member)
    errors: dict[str, list[str]] = {}
    if member.returned_on is not None:
        errors["member"] = ["该党员已返回，不再发证。"]
    elif not member.cannot_transfer:
        if member.expected_back_on is None:
            errors["member"] = ["请先填写预计返回日期（外出超过 6 个月应转移组织关系）。"]
        elif member.expected_back_on > rules.add_months(member.left_on, rules.MAX_MONTHS_OUT):
            errors["member"] = ["外出超过 6 个月且能转移组织关系的，应转移组织关系，不发流动党员活动证。"]
    if issued_on < member.left_on - timedelta(days=30) or issued_on > timezone.localdate():
        errors["issued_on"] = ["发证日期须在外出前 30 天以内且不晚于今天。"]
    latest = rules.card_latest_until(
        left_on=member.left_on, issued_on=issued_on, cannot_transfer=member.cannot_transfer
    )
    if valid_until < issued_on:
        errors["valid_until"] = ["有效期不能早于发证日期。"]
    elif valid_until > latest:
        errors["valid_until"] = [f"有效期最长至 {latest:%Y-%m-%d}。"]
    if errors:
        raise DomainError("活动证信息有误，未发证。", errors)
    # a new card replaces the one still held
    FloatingCard.objects.filter(member=member, revoked_on__isnull=True).update(revoked_on=issued_on)
    card = FloatingCard.objects.create(
        member=member,
        region_id=member.region_id,
        number=f"{member.region_id}-{issued_on:%Y%m%d}-{secrets.token_hex(3).upper()}",
        issued_on=issued_on,
        valid_until=valid_until,
    )
    record(
        actor=actor,
        region_code=member.region_id,
        event="partywork.card_issued",
        summary=f"发放流动党员活动证：{member.person.name}，有效期至 {valid_until:%Y-%m-%d}",
        obj=card,
        after={"证号": card.number, "发证日期": issued_on, "有效期至": valid_until},
    )
    return card


def card_valid(member: FloatingMember, on: date) -> FloatingCard | None:
    """The member's card valid on `on`, if any."""
    return (
        member.cards.filter(issued_on__lte=on, valid_until__gte=on, revoked_on__isnull=True)
        .order_by("-issued_on")
        .first()
    )


def votes_at(member: FloatingMember, village_code: str) -> bool:
    """A floating member joins organisation life where they are but votes only in their home branch."""
    return member.region_id == village_code


@transaction.atomic
def report_add(*, actor: Actor, member: FloatingMember, year: int, reported_on: date, content: str) -> FloatingReport:
    """The yearly report home; the member's next report falls due at the end of the first year still missing."""
    floating_policy.check(actor, "record", member)
    errors: dict[str, list[str]] = {}
    content = _text(errors, "content", content, "报告内容", 1000, required=True)
    if not member.left_on.year <= year <= timezone.localdate().year:
        errors["year"] = [f"年度须在 {member.left_on.year} 年至今年之间。"]
    elif FloatingReport.objects.filter(member=member, year=year).exists():
        errors["year"] = ["该年度已报告。"]
    if reported_on > timezone.localdate() or reported_on < member.left_on:
        errors["reported_on"] = ["报告日期须在外出之后、不晚于今天。"]
    if errors:
        raise DomainError("年度报告有误，未保存。", errors)
    report = FloatingReport.objects.create(
        member=member, region_id=member.region_id, year=year, reported_on=reported_on, content=content
    )
    before = member.report_due_on
    member.report_due_on = _report_due(member)
    member.save(update_fields=["report_due_on"])
    record(
        actor=actor,
        region_code=member.region_id,
        event="partywork.floating_reported",
        summary=f"流动党员{member.person.name}：{year} 年度向党组织报告",
        obj=report,
        before={"年度报告截止日期": before},
        after={"年度报告截止日期": member.report_due_on, "报告日期": reported_on},
    )
    return report


@transaction.atomic
def member_return(
    *, actor: Actor, member: FloatingMember, returned_on: date, expected_version: int | None
) -> FloatingMember:
    floating_policy.check(actor, "record", member)
    if member.returned_on is not None:
        raise DomainError("该党员已登记返回。")
    if returned_on < member.left_on or returned_on > timezone.localdate():
        raise DomainError("返回日期有误。", {"returned_on": ["返回日期须在外出之后、不晚于今天。"]})
    active = list(GroupMembership.objects.filter(member=member, left_on__isnull=True).select_related("group"))
    if any(m.joined_on > returned_on for m in active):
        raise DomainError("返回日期有误。", {"returned_on": ["返回日期不能早于加入临时党小组的日期。"]})
    short = [m.group for m in active if _active_count(m.group) <= rules.MIN_GROUP]
    if short:
        raise DomainError(
            f"{short[0].name}将不足 {rules.MIN_GROUP} 人，请先调整或撤销该党小组。",
            {"returned_on": ["请先调整党小组。"]},
        )
    bump_version(member, expected_version=expected_version)
    member.returned_on = returned_on
    member.save(update_fields=["returned_on"])
    member.cards.filter(revoked_on__isnull=True).update(revoked_on=returned_on)
    # the time in the group is kept: it ends the day they came back
    GroupMembership.objects.filter(member=member, left_on__isnull=True).update(
        left_on=returned_on, left_reason="返回原籍"
    )
    record(
        actor=actor,
        region_code=member.region_id,
        event="partywork.floating_returned",
        summary=f"流动党员{member.person.name}返回（{returned_on:%Y-%m-%d}），活动证收回",
        obj=member,
        after={"返回日期": returned_on},
    )
    return member


def _active_count(group: FloatingGroup) -> int:
    return GroupMembership.objects.filter(group=group, left_on__isnull=True).count()


def _joinable(errors: dict[str, list[str]], town_code: str, member: FloatingMember, on: date) -> None:
    """A member may join a town's group when they are a floating member of its villages still away, hold a card
    valid on the day, and are in no other group then."""
    name = member.person.name
    if not member.region_id.startswith(town_code) or member.returned_on is not None:
        errors.setdefault("members", []).append(f"{name}不是本乡镇(街道)在外的流动党员。")
    elif card_valid(member, on) is None:
        errors.setdefault("members", []).append(f"{name}在{on:%Y-%m-%d}没有有效的流动党员活动证。")
    else:
        other = GroupMembership.objects.filter(member=member, left_on__isnull=True).select_related("group").first()
        if other is not None:
            errors.setdefault("members", []).append(f"{name}已是{other.group.name}成员，请先从该党小组移出。")


@transaction.atomic
def group_create(
    *,
    actor: Actor,
    town_code: str,
    kind: str,
    name: str,
    whereabouts: str,
    formed_on: date,
    members: list[FloatingMember],
    leader: FloatingMember | None = None,
) -> FloatingGroup:
    """A temporary party group of at least three floating members of the town's villages going out together, each
    holding a valid card and in no other group; a boat party group (船头党小组) on a fleet."""
    town = Region.objects.filter(code=town_code, level=Level.TOWN).first()
    if town is None:
        raise DomainError("临时党小组由乡镇(街道)党(工)委建立。", {"town": ["须为乡镇(街道)。"]})
    group_policy.check_in_region(actor, "manage", town.code)
    errors: dict[str, list[str]] = {}
    name = _text(errors, "name", name, "名称", 100, required=True)
    whereabouts = _text(errors, "whereabouts", whereabouts, "活动地点", 200, required=True)
    if kind not in GroupKind.values:
        errors["kind"] = ["请选择类型。"]
    unique = list({m.pk: m for m in members}.values())
    if len(unique) < rules.MIN_GROUP:
        errors["members"] = [f"临时党小组须有 {rules.MIN_GROUP} 名以上一同外出的流动党员（现 {len(unique)} 名）。"]
    for m in unique:
        _joinable(errors, town.code, m, formed_on)
    lead = leader or (unique[0] if unique else None)
    if lead is not None and lead.pk not in {m.pk for m in unique}:
        errors["leader"] = ["组长须为小组成员。"]
    if formed_on > timezone.localdate():
        errors["formed_on"] = ["成立日期不能晚于今天。"]
    if errors or lead is None:
        raise DomainError("临时党小组信息有误，未保存。", errors)
    group = FloatingGroup.objects.create(
        region=town, kind=kind, name=name, whereabouts=whereabouts, formed_on=formed_on, leader=lead.person
    )
    GroupMembership.objects.bulk_create(
        GroupMembership(group=group, member=m, region_id=m.region_id, joined_on=formed_on) for m in unique
    )
    record(
        actor=actor,
        region_code=town.code,
        event="partywork.group_created",
        summary=f"建立{group.get_kind_display()}：{name}（{len(unique)} 名党员，{whereabouts}）",
        obj=group,
        after={"名称": name, "类型": group.get_kind_display(), "成员": "、".join(m.person.name for m in unique)},
    )
    return group


def _open_group(actor: Actor, group: FloatingGroup, expected_version: int | None) -> FloatingGroup:
    group_policy.check(actor, "manage", group)
    fresh = FloatingGroup.objects.select_for_update().select_related("region").get(pk=group.pk)
    if fresh.dissolved_on is not None:
        raise IllegalTransition(f"{fresh.name}已于 {fresh.dissolved_on:%Y-%m-%d} 撤销。")
    bump_version(fresh, expected_version=expected_version)
    return fresh


def _day(errors: dict[str, list[str]], field: str, on: date, earliest: date, label: str) -> None:
    if on > timezone.localdate():
        errors[field] = [f"{label}不能晚于今天。"]
    elif on < earliest:
        errors[field] = [f"{label}不能早于 {earliest:%Y-%m-%d}。"]


@transaction.atomic
def group_member_add(
    *, actor: Actor, group: FloatingGroup, member: FloatingMember, joined_on: date, expected_version: int | None
) -> GroupMembership:
    """A floating member of the town joins the group from a day (holding a valid card then, in no other group)."""
    g = _open_group(actor, group, expected_version)
    FloatingMember.objects.select_for_update().filter(pk=member.pk).first()  # one group at a time, even when raced
    errors: dict[str, list[str]] = {}
    _day(errors, "joined_on", joined_on, g.formed_on, "加入日期")
    _joinable(errors, g.region_id, member, joined_on)
    if errors:
        raise DomainError("未能加入临时党小组。", errors)
    row = GroupMembership.objects.create(group=g, member=member, region_id=member.region_id, joined_on=joined_on)
    record(
        actor=actor,
        region_code=g.region_id,
        event="partywork.group_joined",
        summary=f"{g.name}：{member.person.name}加入（{joined_on:%Y-%m-%d}）",
        obj=row,
        after={"党员": member.person.name, "加入日期": joined_on},
    )
    return row


@transaction.atomic
def group_member_remove(
    *,
    actor: Actor,
    group: FloatingGroup,
    member: FloatingMember,
    left_on: date,
    reason: str,
    expected_version: int | None,
) -> GroupMembership:
    """A member leaves the group on a day: the membership is ended, never deleted. The leader hands over first,
    and a group left with fewer than three is dissolved instead."""
    g = _open_group(actor, group, expected_version)
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, "退出原因", 200, required=True)
    row = GroupMembership.objects.filter(group=g, member=member, left_on__isnull=True).first()
    if row is None:
        raise DomainError(f"{member.person.name}不是{g.name}的现有成员。", {"member": ["不是现有成员。"]})
    _day(errors, "left_on", left_on, row.joined_on, "退出日期")
    if member.person_id == g.leader_id:
        errors["member"] = ["组长不能移出，请先更换组长。"]
    elif _active_count(g) <= rules.MIN_GROUP:
        errors["member"] = [f"移出后将不足 {rules.MIN_GROUP} 人；该党小组不再活动的，请撤销。"]
    if errors:
        raise DomainError("未能移出。", errors)
    row.left_on, row.left_reason = left_on, reason
    row.save(update_fields=["left_on", "left_reason"])
    record(
        actor=actor,
        region_code=g.region_id,
        event="partywork.group_left",
        summary=f"{g.name}：{member.person.name}退出（{left_on:%Y-%m-%d}，{reason}）",
        obj=row,
        before={"退出日期": None},
        after={"党员": member.person.name, "退出日期": left_on, "退出原因": reason},
    )
    return row


@transaction.atomic
def group_leader_set(
    *, actor: Actor, group: FloatingGroup, member: FloatingMember, expected_version: int | None
) -> FloatingGroup:
    """The group's leader is one of its present members."""
    g = _open_group(actor, group, expected_version)
    if not GroupMembership.objects.filter(group=g, member=member, left_on__isnull=True).exists():
        raise DomainError("组长须为小组现有成员。", {"leader": ["组长须为小组现有成员。"]})
    before = g.leader.name
    g.leader = member.person
    g.save(update_fields=["leader", "version"])
    record(
        actor=actor,
        region_code=g.region_id,
        event="partywork.group_leader",
        summary=f"{g.name}：组长由{before}改为{member.person.name}",
        obj=g,
        before={"组长": before},
        after={"组长": member.person.name},
    )
    return g


@transaction.atomic
def group_dissolve(
    *, actor: Actor, group: FloatingGroup, dissolved_on: date, expected_version: int | None
) -> FloatingGroup:
    """The group stops (the fleet came home, too few left): every present membership ends that day."""
    g = _open_group(actor, group, expected_version)
    errors: dict[str, list[str]] = {}
    rows = GroupMembership.objects.filter(group=g, left_on__isnull=True)
    latest = max([g.formed_on, *rows.values_list("joined_on", flat=True)])
    _day(errors, "dissolved_on", dissolved_on, latest, "撤销日期")
    if errors:
        raise DomainError("未能撤销。", errors)
    ended = rows.update(left_on=dissolved_on, left_reason="党小组撤销")
    g.dissolved_on = dissolved_on
    g.save(update_fields=["dissolved_on", "version"])
    record(
        actor=actor,
        region_code=g.region_id,
        event="partywork.group_dissolved",
        summary=f"撤销{g.get_kind_display()}：{g.name}（{dissolved_on:%Y-%m-%d}，{ended} 名成员同日退出）",
        obj=g,
        after={"撤销日期": dissolved_on, "成员退出": ended},
    )
    return g
