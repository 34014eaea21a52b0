"""Writes of the count: entering a sheet (twice, by two accounts), settling differences, clearing a quarantine
check, attaching the scan, signing off, correcting a signed-off sheet, and — once every box of a round is signed
off — the count itself through elections.tally, written as elections.ElectionResult and the election moved to
COUNTED. Every function checks the access rule, validates everything first, saves in one transaction, keeps the
election's CountSummary row and appends to the record book."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.candidates.models import Candidate, CandidateStatus
from cunshe.core.actors import Actor, is_system
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.core.transitions import move
from cunshe.counts import checks as qc
from cunshe.counts.models import (
    TRANSITIONS,
    AccountPerson,
    Correction,
    CountSummary,
    Entry,
    Sheet,
    SheetScan,
    SheetStatus,
)
from cunshe.counts.permissions import sheet_policy
from cunshe.elections import tally as tallying
from cunshe.elections.models import ElectedMember, Election, ElectionResult, Kind, Round, Status
from cunshe.elections.permissions import election_policy
from cunshe.elections.rules import tally_rules
from cunshe.elections.services import election_move, election_round_open
from cunshe.notifications.models import Kind as NotificationKind
from cunshe.notifications.services import holders, notify
from cunshe.people.models import Gender, Kinship, Person
from cunshe.people.permissions import person_policy
from cunshe.people.selectors import close_relatives, kinship_between
from cunshe.polling.models import Proxy, Station, StationKind
from cunshe.records.services import record
from cunshe.teams.models import Post
from cunshe.voters.selectors import registered_total
from cunshe.voters.services import round_register_open

SCAN_MAX_BYTES = 5 * 1024 * 1024  # as handovers' scans
SCAN_TYPES = {"image/jpeg", "image/png", "application/pdf"}

AGREED = (SheetStatus.QUARANTINED, SheetStatus.RECONCILED, SheetStatus.SIGNED_OFF)


def _name(actor: Actor) -> str:
    return str(getattr(actor, "display_name", "") or getattr(actor, "username", ""))


def _move(sheet: Sheet, to: str, expected_version: int | None) -> str:
    return move(sheet, to, table=TRANSITIONS, labels=SheetStatus, what="计票单", expected_version=expected_version)


def field_label(key: str, candidates: dict[str, str] | None = None) -> str:
    """A figure's Chinese name for pages, differences and the record book."""
    fixed = {
        "issued": "发出选票",
        "returned": "收回选票",
        "valid": "有效票",
        "invalid": "无效票",
        "due": "应到人数",
        "present": "实到人数",
        "absent": "缺席人员",
        "excluded": "不计入应到人数",
        "written_for": "代写选票",
    }
    if key in fixed:
        return fixed[key]
    if key.startswith("void:"):
        return f"{Post(key[5:]).label}废票"
    if key.startswith("votes:"):
        return f"{(candidates or {}).get(key[6:], '候选人 ' + key[6:])}得票"
    if key.startswith("writein:"):
        _, post, who = key.split(":", 2)
        return f"另选他人“{who}”（{Post(post).label}）得票"
    return key


# ---------------------------------------------------------------------------------------------------------------
# Figures


def _formal(election: Election) -> list[Candidate]:
    return list(Candidate.objects.filter(election=election, status=CandidateStatus.FORMAL).select_related("person"))


def _int(value: Any, label: str, key: str, errors: dict[str, list[str]]) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors[key] = [f"{label}须为不小于 0 的整数。"]
        return 0
    try:
        n = int(value)
    except ValueError:
        errors[key] = [f"{label}须为不小于 0 的整数。"]
        return 0
    if n < 0:
        errors[key] = [f"{label}须为不小于 0 的整数。"]
        return 0
    return n


def _people(value: Any, label: str, key: str, errors: dict[str, list[str]]) -> list[list[str]]:
    rows: list[list[str]] = []
    if value in (None, ""):
        return rows
    if not isinstance(value, list):
        errors[key] = [f"{label}须为姓名和原因的列表。"]
        return rows
    for item in value:
        name = str((item or {}).get("name", "")).strip() if isinstance(item, dict) else ""
        reason = str((item or {}).get("reason", "")).strip() if isinstance(item, dict) else ""
        if not name or not reason:
            errors[key] = [f"{label}每人须写明姓名和原因（如：流动党员、因病）。"]
            return []
        rows.append([name, reason])
    return sorted(rows)


def figures_from(election: Election, data: dict[str, Any]) -> dict[str, Any]:
    """The flat figures of a sheet from its entered form: issued, returned, valid, invalid, void per post, votes per
    formal candidate (missing = 0), write-ins per post and name; for a meeting also due, present, absent, excluded.
    One DomainError with every bad field; nothing is saved."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    for key in qc.INT_FIELDS:
        out[key] = _int(data.get(key, 0), field_label(key), key, errors)
    posts = {p.post: p.seats for p in election.posts.all()}
    void = data.get("void") or {}
    if not isinstance(void, dict) or any(p not in posts for p in void):
        errors["void"] = ["废票须按本次选举的职务填写。"]
        void = {}
    for post in posts:
        out[f"void:{post}"] = _int(void.get(post, 0), f"{Post(post).label}废票", f"void:{post}", errors)
    formal = {str(c.pk): c for c in _formal(election)}
    votes = data.get("votes") or {}
    if not isinstance(votes, dict):
        errors["votes"] = ["得票须按候选人填写。"]
        votes = {}
    strange = [k for k in votes if str(k) not in formal]
    if strange:
        errors["votes"] = [f"不是本次选举的正式候选人：{'、'.join(str(k) for k in strange)}。"]
    for pk, candidate in formal.items():
        value = votes.get(pk, votes.get(int(pk), 0)) if isinstance(votes, dict) else 0
        out[f"votes:{pk}"] = _int(value, f"{candidate.person.name}得票", f"votes:{pk}", errors)
    write_ins = data.get("write_ins") or []
    if not isinstance(write_ins, list):
        errors["write_ins"] = ["另选他人须为列表。"]
        write_ins = []
    for n, item in enumerate(write_ins, start=1):
        item = item if isinstance(item, dict) else {}
        post, who = str(item.get("post", "")), str(item.get("name", "")).strip()
        if post not in posts or not who or ":" in who:
            errors[f"write_ins.{n}"] = [f"第 {n} 个另选他人须写明职务和姓名。"]
            continue
        key = f"writein:{post}:{who}"
        if key in out:
            errors[f"write_ins.{n}"] = [f"另选他人“{who}”（{Post(post).label}）重复填写。"]
            continue
        count = _int(item.get("votes", 0), f"“{who}”得票", f"write_ins.{n}", errors)
        if count:
            out[key] = count
    if election.is_direct:
        for key in qc.DIRECT_INT_FIELDS:
            out[key] = _int(data.get(key, 0), field_label(key), key, errors)
    if not election.is_direct:
        for key in qc.MEETING_INT_FIELDS:
            out[key] = _int(data.get(key, 0), field_label(key), key, errors)
        for key in qc.LIST_FIELDS:
            out[key] = _people(data.get(key), field_label(key), key, errors)
    if errors:
        raise DomainError("计票单有误，未保存。", errors)
    return out


def differences(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    """The fields where two entries differ (a write-in only one entry has counts as 0 in the other)."""
    keys = sorted(set(first) | set(second))
    return [
        k
        for k in keys
        if first.get(k, [] if k in qc.LIST_FIELDS else 0) != second.get(k, [] if k in qc.LIST_FIELDS else 0)
    ]


def sheet_checks(sheet: Sheet, figures: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """The quarantine checks the sheet's agreed figures fail (cleared ones included)."""
    election = sheet.election
    figures = sheet.figures if figures is None else figures
    others = [
        (str(s.station.name if s.station else "会议"), s.figures)
        for s in election.count_sheets.filter(status__in=AGREED).exclude(pk=sheet.pk).select_related("station")
    ]
    return qc.checks(
        figures,
        seats={p.post: p.seats for p in election.posts.all()},
        candidate_posts={str(c.pk): c.post for c in _formal(election)},
        meeting=not election.is_direct,
        others=others,
    )


def open_checks(sheet: Sheet) -> list[tuple[str, str]]:
    return [(k, m) for k, m in sheet_checks(sheet) if k not in sheet.cleared]


def _agree(sheet: Sheet, figures: dict[str, Any], expected_version: int | None) -> str:
    """The figures agreed: quarantined while a check fails, else reconciled. Returns the status left."""
    sheet.figures = figures
    return _move(sheet, SheetStatus.QUARANTINED if open_checks(sheet) else SheetStatus.RECONCILED, expected_version)


# ---------------------------------------------------------------------------------------------------------------
# The summary row


def summarize(election: Election) -> CountSummary:
    """Recount the election's summary row from its sheets (runs in the caller's transaction)."""
    stations = list(Station.objects.filter(election=election))
    sheets = list(election.count_sheets.select_related("station").prefetch_related("entries"))
    agreed = [s for s in sheets if s.status in AGREED]
    meeting = next((s for s in sheets if s.station_id is None), None)
    if election.is_direct:
        registered = registered_total(election)
    else:
        registered = int(meeting.figures.get("due", 0)) if meeting and meeting.status in AGREED else 0
    values = {
        "region_id": election.region_id,
        "election_day": election.election_day,
        "kind": election.kind,
        "round": election.round,
        "boxes_expected": len(stations) if election.is_direct else 1,
        "boxes_received": len(sheets),
        "boxes_differing": sum(s.status == SheetStatus.DIFFERING for s in sheets),
        "boxes_quarantined": sum(s.status == SheetStatus.QUARANTINED for s in sheets),
        "boxes_reconciled": sum(s.status in (SheetStatus.RECONCILED, SheetStatus.SIGNED_OFF) for s in sheets),
        "boxes_signed_off": sum(s.status == SheetStatus.SIGNED_OFF for s in sheets),
        "registered": registered,
        "returned": sum(int(s.figures.get("returned", 0)) for s in agreed),
        "mobile_returned": sum(
            int(s.figures.get("returned", 0)) for s in agreed if s.station and s.station.kind == StationKind.MOBILE
        ),
        "sub_venues": sum(s.kind == StationKind.SUB for s in stations),
        "booths": sum(s.booths for s in stations),
        "written_for": sum(int(s.figures.get("written_for", 0)) for s in agreed),
        "proxies": Proxy.objects.filter(election=election).count() if election.is_direct else 0,
    }
    result = ElectionResult.objects.filter(election=election).first()
    if result is not None:
        elected = list(result.elected.select_related("person"))
        values.update(
            counted=True,
            result_status=result.status,
            elected=len(elected),
            elected_women=sum(m.person.gender == Gender.FEMALE for m in elected),
            elected_party=sum(m.person.is_party_member for m in elected),
            vacancies=sum(int(p.get("vacancies", 0)) for p in (result.outcome or {}).get("posts", [])),
        )
    summary, _ = CountSummary.objects.update_or_create(election=election, defaults=values)
    return summary


# ---------------------------------------------------------------------------------------------------------------
# Fairness of the count: candidates and their close relatives keep their hands off the sheets


def count_conflict(actor: Actor, election: Election) -> str:
    """Why the acting account may not enter, settle, clear, sign off or correct this election's count sheets, or ""
    when it may: its holder (AccountPerson) is a candidate of the election or a close relative of one. The rule
    that keeps candidates and their close relatives from the scrutineers (RULES.md, 《村民委员会选举规程》) applies
    to those who enter and sign off the count just as much. An account with no recorded holder is not checked."""
    if not isinstance(actor, User):
        return ""
    link = AccountPerson.objects.filter(user_id=actor.pk).select_related("person").first()
    if link is None:
        return ""
    standing = {
        c.person_id: c.person.name
        for c in Candidate.objects.filter(election=election)
        .exclude(status=CandidateStatus.WITHDRAWN)
        .select_related("person")
    }
    me = link.person
    if me.pk in standing:
        return f"{me.name}是本次选举的候选人，依《村民委员会选举规程》应当回避，不能录入、核对或签认本次选举的计票单。"
    kin_of = sorted(close_relatives([me.pk])[me.pk] & standing.keys())
    if kin_of:
        relative = kin_of[0]
        kin = Kinship(kinship_between(relative, me)).label
        return (
            f"{me.name}是候选人{standing[relative]}的近亲属（{kin}），依《村民委员会选举规程》应当回避，"
            "不能录入、核对或签认本次选举的计票单。"
        )
    return ""


def _fair(actor: Actor, election: Election) -> None:
    problem = count_conflict(actor, election)
    if problem:
        raise NotPermitted(problem)


@transaction.atomic
def account_person_set(*, actor: Actor, election: Election, username: str, id_number: str) -> AccountPerson:
    """Record whose an account is (by the person's ID number) so the fairness rule can check it; the town or county
    that settles this election's count records it, for a person it may see."""
    election_policy.check(actor, "settle", election)
    errors: dict[str, list[str]] = {}
    user = User.objects.filter(username=username.strip()).first() if username.strip() else None
    if user is None:
        errors["username"] = ["未找到该账号。"]
    person = person_policy.visible_to(actor).filter(id_number=id_number.strip().upper()).first()
    if person is None:
        errors["id_number"] = ["未找到该身份证号码对应的人员（须为您可查看的人员）。"]
    if errors:
        raise DomainError("账号对应人员有误，未保存。", errors)
    assert user is not None and person is not None
    before = AccountPerson.objects.filter(user=user).select_related("person").first()
    link, _ = AccountPerson.objects.update_or_create(
        user=user, defaults={"person": person, "recorded_by_name": _name(actor)}
    )
    record(
        actor=actor,
        region_code=election.region_id,
        event="counts.account_person",
        summary=f"登记计票账号 {user.username} 对应人员：{person.name}",
        obj=link,
        before={"人员": before.person.name} if before else None,
        after={"账号": user.username, "人员": person.name},
    )
    return link


# ---------------------------------------------------------------------------------------------------------------
# Entering, settling, clearing, signing off


@transaction.atomic
def sheet_enter(*, actor: Actor, election: Election, station: Station | None, data: dict[str, Any]) -> Sheet:
    """One of a sheet's two entries. The second, by another account, reconciles the sheet when equal to the first,
    else leaves the differences for a settler. The entrant is never shown the other entry."""
    election_policy.check(actor, "enter", election)
    _fair(actor, election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status != Status.VOTING:
        raise DomainError(f"该选举为“{election.get_status_display()}”，只有投票中的选举才能录入计票单。")
    if is_system(actor) or not isinstance(actor, User):
        raise DomainError("计票单须由录入人本人的账号录入。")
    if election.is_direct:
        if station is None or station.election_id != election.pk:
            raise DomainError("请选择本次选举的票箱。", {"station": ["请选择本次选举的票箱。"]})
    elif station is not None:
        raise DomainError("会议选举只有一张计票单，不分票箱。", {"station": ["会议选举不分票箱。"]})
    figures = figures_from(election, data)
    sheet = Sheet.objects.filter(election=election, station=station).first()
    where = f"{election.region.name}{election}" + (f"{station.name}" if station else "选举会议")
    if sheet is None:
        sheet = Sheet.objects.create(election=election, station=station)
        number = 1
    else:
        entries = list(sheet.entries.all())
        if len(entries) >= 2 or sheet.status != SheetStatus.FIRST:
            raise DomainError("该计票单已录入两次；如有差错，请由乡镇(街道)核对处理或更正。")
        if entries[0].entered_by_id == actor.pk:
            raise DomainError("同一账号不能录入同一计票单两次，第二次录入须由另一人完成。")
        number = 2
    entry = Entry.objects.create(sheet=sheet, number=number, figures=figures, entered_by=actor)
    before: dict[str, str] = {}
    if number == 2:  # the election row is locked above: the sheet's version read is current
        first = sheet.entries.get(number=1).figures
        if differences(first, figures):
            before["状态"] = _move(sheet, SheetStatus.DIFFERING, sheet.version)
        else:
            before["状态"] = _agree(sheet, figures, sheet.version)
        sheet.save(update_fields=["status", "figures"])
    record(
        actor=actor,
        region_code=election.region_id,
        event="counts.entered",
        summary=f"{where}计票单第{'一' if number == 1 else '二'}次录入"
        + (f"：{sheet.get_status_display()}" if number == 2 else ""),
        obj=entry,
        before=before or None,
        after={
            "录入": number,
            "状态": sheet.get_status_display(),
        },  # figures stay out: the other entrant reads the book
    )
    summarize(election)
    if sheet.status == SheetStatus.DIFFERING:
        # The settlers (town, county) check the two entries against the paper; told after commit.
        notify(
            recipients=holders("elections.settle", election.region_id),
            exclude=actor,
            kind=NotificationKind.COUNT_DIFFERS,
            title=f"计票单两次录入不一致：{where}",
            key=f"sheet:{sheet.pk}:v{sheet.version}",
            county_code=election.region_id[:6],
            url=reverse("counts:sheet", kwargs={"pk": sheet.pk}),
        )
    return sheet


@transaction.atomic
def sheet_settle(*, actor: Actor, sheet: Sheet, choices: dict[str, Any], expected_version: int | None) -> Sheet:
    """Settle a differing sheet against the paper: a value for every field where the entries differ (one of them,
    or the paper's own figure), recorded with both entries' values."""
    sheet_policy.check(actor, "settle", sheet)
    _fair(actor, sheet.election)
    if sheet.status != SheetStatus.DIFFERING:
        raise DomainError("只有两次录入不一致的计票单需要核对处理。")
    first, second = (e.figures for e in sheet.entries.order_by("number"))
    differing = differences(first, second)
    errors: dict[str, list[str]] = {}
    names = {str(c.pk): c.person.name for c in _formal(sheet.election)}
    chosen: dict[str, Any] = {}
    for key in differing:
        label = field_label(key, names)
        if key not in choices:
            errors[key] = [f"请对照纸质计票单确定“{label}”。"]
            continue
        value = choices[key]
        if key in qc.LIST_FIELDS:
            options = (first.get(key, []), second.get(key, []))
            if value not in options:
                errors[key] = [f"“{label}”须取两次录入之一。"]
            chosen[key] = value
        else:
            chosen[key] = _int(value, label, key, errors)
    extra = sorted(set(choices) - set(differing))
    if extra:
        errors["choices"] = [f"只能确定两次录入不一致的项目（{'、'.join(field_label(k, names) for k in extra)}一致）。"]
    if errors:
        raise DomainError("核对处理有误，未保存。", errors)
    figures = {**first}
    for key, value in chosen.items():
        if key.startswith("writein:") and value == 0:
            figures.pop(key, None)
        else:
            figures[key] = value
    sheet.settlement = {
        field_label(k, names): {"值": v, "录入一": first.get(k, 0), "录入二": second.get(k, 0)}
        for k, v in chosen.items()
    }
    before = _agree(sheet, figures, expected_version)
    sheet.save(update_fields=["status", "figures", "settlement"])
    record(
        actor=actor,
        region_code=sheet.election.region_id,
        event="counts.settled",
        summary=f"{sheet.election.region.name}{sheet}两次录入不一致，已对照纸质计票单确定：{sheet.get_status_display()}",
        obj=sheet,
        before={"状态": before},
        after={"状态": sheet.get_status_display(), **sheet.settlement},
    )
    summarize(sheet.election)
    return sheet


@transaction.atomic
def sheet_clear(*, actor: Actor, sheet: Sheet, check: str, reason: str, expected_version: int | None) -> Sheet:
    """Release a quarantine check with the reason found on the paper (a mobile box's spoiled ballots, …)."""
    sheet_policy.check(actor, "settle", sheet)
    _fair(actor, sheet.election)
    if sheet.status != SheetStatus.QUARANTINED:
        raise DomainError("该计票单没有未通过的审核项。")
    failing = dict(open_checks(sheet))
    if check not in failing:
        raise DomainError("请选择未通过的审核项。", {"check": ["请选择未通过的审核项。"]})
    if not reason.strip():
        raise DomainError("放行须写明原因。", {"reason": ["请写明核实情况和放行原因。"]})
    before = sheet.get_status_display()
    sheet.cleared = {**sheet.cleared, check: reason.strip()}
    if open_checks(sheet):
        bump_version(sheet, expected_version=expected_version)
    else:  # the last failing check released
        _move(sheet, SheetStatus.RECONCILED, expected_version)
    sheet.save(update_fields=["cleared", "status"])
    record(
        actor=actor,
        region_code=sheet.election.region_id,
        event="counts.check_cleared",
        summary=f"{sheet.election.region.name}{sheet}审核项放行：{failing[check]}",
        obj=sheet,
        before={"状态": before},
        after={"状态": sheet.get_status_display(), "审核项": failing[check], "原因": reason.strip()},
    )
    summarize(sheet.election)
    return sheet


@transaction.atomic
def scan_add(*, actor: Actor, sheet: Sheet, name: str, content_type: str, content: bytes) -> SheetScan:
    """The photo or scan of the signed paper sheet (JPG, PNG or PDF, under 5 MB)."""
    sheet_policy.check(actor, "enter", sheet)
    _fair(actor, sheet.election)
    errors: dict[str, list[str]] = {}
    if content_type not in SCAN_TYPES:
        errors["file"] = ["只能上传 JPG、PNG 照片或 PDF 扫描件。"]
    if not content or len(content) > SCAN_MAX_BYTES:
        errors["file"] = ["文件须小于 5 MB 且不能为空。"]
    if errors:
        raise DomainError("上传失败。", errors)
    scan = SheetScan.objects.create(
        sheet=sheet, name=name[:200] or "计票单", content_type=content_type, content=content, size=len(content),
        uploaded_by_name=_name(actor),
    )  # fmt: skip
    record(
        actor=actor,
        region_code=sheet.election.region_id,
        event="counts.scan_added",
        summary=f"{sheet.election.region.name}{sheet}上传签字计票单照片/扫描件 {scan.name}",
        obj=scan,
        after={"文件": scan.name, "大小": scan.size},
    )
    return scan


@transaction.atomic
def sheet_sign_off(*, actor: Actor, sheet: Sheet, expected_version: int | None) -> Sheet:
    """Sign off a reconciled sheet whose signed paper is attached. When it is the round's last box, the round is
    counted (election_count) in the same transaction."""
    sheet_policy.check(actor, "settle", sheet)
    _fair(actor, sheet.election)
    if sheet.status != SheetStatus.RECONCILED:
        problems = "；".join(m for _, m in open_checks(sheet)) if sheet.status == SheetStatus.QUARANTINED else ""
        raise DomainError(
            f"计票单为“{sheet.get_status_display()}”，核对一致且审核通过后才能签认。"
            + (f"（{problems}）" if problems else "")
        )
    if not sheet.scans.exists():
        raise DomainError("请先上传签字的纸质计票单照片或扫描件。", {"file": ["请上传照片或扫描件。"]})
    before = _move(sheet, SheetStatus.SIGNED_OFF, expected_version)
    sheet.signed_off_at, sheet.signed_off_by_name = timezone.now(), _name(actor)
    sheet.save(update_fields=["status", "signed_off_at", "signed_off_by_name"])
    record(
        actor=actor,
        region_code=sheet.election.region_id,
        event="counts.signed_off",
        summary=f"{sheet.election.region.name}{sheet}签认",
        obj=sheet,
        before={"状态": before},
        after={
            "状态": sheet.get_status_display(),
            **{field_label(k): v for k, v in sheet.figures.items() if k in qc.INT_FIELDS},
        },
    )
    election = sheet.election
    summary = summarize(election)
    if summary.boxes_signed_off == summary.boxes_expected and summary.boxes_expected:
        election_count(actor=actor, election=election)
    return sheet


@transaction.atomic
def sheet_correct(
    *, actor: Actor, sheet: Sheet, data: dict[str, Any], reason: str, expected_version: int | None
) -> Correction:
    """Change a signed-off sheet: the whole corrected form, a reason, before and after kept. Refused once the round
    is counted (the town must first move the election back to voting) and when the corrected figures fail a check."""
    sheet_policy.check(actor, "settle", sheet)
    _fair(actor, sheet.election)
    election = sheet.election
    if sheet.status != SheetStatus.SIGNED_OFF:
        raise DomainError("只有已签认的计票单需要更正；未签认的请核对处理。")
    if election.status != Status.VOTING:
        raise DomainError("本轮已计票，更正计票单须先由乡镇(街道)将选举退回“投票中”。")
    if not reason.strip():
        raise DomainError("更正须写明原因。", {"reason": ["请写明更正原因。"]})
    figures = figures_from(election, data)
    failing = [m for k, m in sheet_checks(sheet, figures) if k not in sheet.cleared]
    if failing:
        raise DomainError("更正后的计票单未通过审核：" + "；".join(failing), {"figures": failing})
    names = {str(c.pk): c.person.name for c in _formal(election)}
    changed = differences(sheet.figures, figures)
    if not changed:
        raise DomainError("更正内容与原计票单相同。")
    bump_version(sheet, expected_version=expected_version)
    before = {field_label(k, names): sheet.figures.get(k, 0) for k in changed}
    after = {field_label(k, names): figures.get(k, 0) for k in changed}
    sheet.figures = figures
    sheet.save(update_fields=["figures"])
    correction = Correction.objects.create(
        sheet=sheet, reason=reason.strip(), before=before, after=after, corrected_by_name=_name(actor)
    )
    record(
        actor=actor,
        region_code=election.region_id,
        event="counts.corrected",
        summary=f"{election.region.name}{sheet}更正（{reason.strip()}）",
        obj=correction,
        before=before,
        after={**after, "原因": reason.strip()},
    )
    summarize(election)
    return correction


# ---------------------------------------------------------------------------------------------------------------
# The count of a round


def count_of(election: Election) -> tallying.Count:
    """The round's count sheet for elections.tally: every signed-off sheet summed per field."""
    sums: dict[str, int] = defaultdict(int)
    meeting: dict[str, Any] = {}
    for sheet in election.count_sheets.filter(status=SheetStatus.SIGNED_OFF):
        for key, value in sheet.figures.items():
            if isinstance(value, int):
                sums[key] += value
        if sheet.station_id is None:
            meeting = sheet.figures
    formal = _formal(election)
    posts = []
    for post in election.posts.all():
        rows = [
            tallying.CandidateVotes(
                key=str(c.person_id),
                name=c.person.name,
                votes=sums.get(f"votes:{c.pk}", 0),
                woman=c.person.gender == Gender.FEMALE,
            )
            for c in formal
            if c.post == post.post
        ]
        prefix = f"writein:{post.post}:"
        rows += [
            tallying.CandidateVotes(key=f"write-in:{k[len(prefix) :]}", name=k[len(prefix) :], votes=v, write_in=True)
            for k, v in sorted(sums.items())
            if k.startswith(prefix)
        ]
        posts.append(
            tallying.PostCount(
                post=post.post, seats=post.seats, candidates=tuple(rows), void=sums.get(f"void:{post.post}", 0)
            )
        )
    direct = election.is_direct
    return tallying.Count(
        registered=registered_total(election) if direct else int(meeting.get("due", 0)),
        issued=sums.get("issued", 0),
        returned=sums.get("returned", 0),
        invalid=sums.get("invalid", 0),
        posts=tuple(posts),
        round="further" if election.round == Round.FURTHER else "main",
        woman_required=election.kind in (Kind.VILLAGERS, Kind.RESIDENTS),
        present=None if direct else int(meeting.get("present", 0)),
    )


def count_json(count: tallying.Count) -> dict[str, Any]:
    return {
        "registered": count.registered,
        "issued": count.issued,
        "returned": count.returned,
        "invalid": count.invalid,
        "round": count.round,
        "woman_required": count.woman_required,
        "present": count.present,
        "posts": [
            {
                "post": p.post,
                "seats": p.seats,
                "void": p.void,
                "candidates": [
                    {"key": c.key, "name": c.name, "votes": c.votes, "woman": c.woman, "write_in": c.write_in}
                    for c in p.candidates
                ],
            }
            for p in count.posts
        ],
    }


def _elected_person(election: Election, c: tallying.CandidateVotes) -> Person | None:
    if not c.write_in:
        return Person.objects.get(pk=int(c.key))
    # A write-in winner is the villager of that name, when the name is unique in the village's registry.
    found = list(Person.objects.filter(region=election.region, name=c.name)[:2])
    return found[0] if len(found) == 1 else None


@transaction.atomic
def election_count(*, actor: Actor, election: Election) -> ElectionResult:
    """Count a round whose every box is signed off: elections.tally on the summed sheets under the election's rule
    set, the result and the elected written, the election moved to COUNTED."""
    election_policy.check(actor, "settle", election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    summary = summarize(election)
    if election.status != Status.VOTING:
        raise DomainError(f"该选举为“{election.get_status_display()}”，不能计票。")
    if not summary.boxes_expected or summary.boxes_signed_off != summary.boxes_expected:
        raise DomainError(
            f"共 {summary.boxes_expected} 个票箱，已签认 {summary.boxes_signed_off} 个；全部签认后才能汇总计票。"
        )
    count = count_of(election)
    try:
        outcome = tallying.tally(count, tally_rules(election.rules))
    except tallying.TallyInputError as exc:
        raise DomainError(exc.message, exc.errors) from exc
    result = ElectionResult.objects.create(
        election=election, status=outcome.status, valid=outcome.valid, registered=count.registered,
        issued=count.issued, returned=count.returned, invalid=count.invalid, count=count_json(count),
        outcome=tallying.outcome_to_json(outcome), counted_at=timezone.now(),
    )  # fmt: skip
    position = 0
    unmatched: list[str] = []
    for post in outcome.posts:
        for c in post.elected:
            person = _elected_person(election, c)
            if person is None:
                unmatched.append(c.name)
                continue
            position += 1
            ElectedMember.objects.create(result=result, post=post.post, person=person, votes=c.votes, position=position)
    election_move(
        actor=actor, election=election, to_status=Status.COUNTED, on=election.election_day,
        expected_version=election.version,
    )  # fmt: skip
    record(
        actor=actor,
        region_code=election.region_id,
        event="counts.counted",
        summary=f"{election.region.name}{election}汇总计票：{result.get_status_display()}",
        obj=result,
        after={
            "登记选民" if election.is_direct else "应到人数": count.registered,
            "收回选票": count.returned,
            "结果": result.get_status_display(),
            **({"另选他人当选未匹配人员": "、".join(unmatched)} if unmatched else {}),
        },
    )
    summarize(election)
    return result


def further_seats(result: ElectionResult) -> dict[str, int]:
    """The vacancies the count left, per post: the seats of a 另行选举."""
    return {p["post"]: int(p["vacancies"]) for p in (result.outcome or {}).get("posts", []) if p.get("vacancies")}


@transaction.atomic
def further_round_open(*, actor: Actor, election: Election, election_day: date) -> Election:
    """Open the 另行选举 for the seats the count left empty (elections.election_round_open with the vacancies)."""
    election_policy.check(actor, "change", election)
    result = ElectionResult.objects.filter(election=election).first()
    if result is None or result.status not in ("further_round", "tie"):
        raise DomainError("本轮计票结果不需要另行选举。")
    seats = further_seats(result)
    if not seats:
        raise DomainError("计票结果没有空缺名额。")
    further = election_round_open(
        actor=actor, parent=election, round=Round.FURTHER, election_day=election_day, seats=seats
    )
    # the further round votes on the same register, carried over now instead of rebuilt by hand
    round_register_open(actor=actor, election=further)
    return further
