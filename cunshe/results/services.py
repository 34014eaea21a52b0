"""Writes of the results module: certifying a round's count (or confirming it void and opening the rerun), the new
team from the result (teams.services), the party committee's vote for its secretary and the town's approval, the
handover opened from the result (handovers.services) and the term change's stages following what happened.
Team changes, stage advances and the handover are made with the SYSTEM actor on behalf of the recorded
certification (the record book shows the officer's certification and then 系统's consequences)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from cunshe.access.policy import holds
from cunshe.core.actors import SYSTEM, Actor, user_of
from cunshe.core.errors import DomainError
from cunshe.elections.models import Election, ElectionResult, Kind, ResultStatus, Round, Status
from cunshe.elections.permissions import election_policy
from cunshe.elections.services import election_move, election_round_open
from cunshe.handovers.models import Handover
from cunshe.handovers.models import Kind as HandoverKind
from cunshe.handovers.models import Status as HandoverStatus
from cunshe.handovers.services import handover_open, templates_ensure_defaults
from cunshe.people.models import Person
from cunshe.records.services import record
from cunshe.results.models import Certification, PartyPostVote
from cunshe.results.selectors import (
    COMMITTEE_KINDS,
    LEAVING_REASON,
    TEAM_KINDS,
    committee_day,
    elected_of,
    final_round,
    rounds_of,
    supervisors_over,
)
from cunshe.teams.hooks import team_in_place
from cunshe.teams.models import Committee, Post, TeamMember
from cunshe.teams.services import member_appoint, member_end
from cunshe.termchanges.models import Status as TermChangeStatus
from cunshe.termchanges.models import TermChange
from cunshe.termchanges.services import term_change_advance
from cunshe.voters.services import round_register_open

CERTIFIABLE = (ResultStatus.ELECTED, ResultStatus.VACANT)
_NOT_CERTIFIABLE: dict[str, str] = {
    ResultStatus.FURTHER_ROUND: "本轮有职位须另行选举；另行选举的结果确认时，本轮当选人一并确认。",
    ResultStatus.TIE: "有票数相同的候选人须再次投票，结果尚不能确认。",
    ResultStatus.RERUN: "计票结果为选举无效，请确认无效并发起重新选举。",
}


def _date_errors(on: date, earliest: date, field: str = "on") -> dict[str, list[str]]:
    if on > timezone.localdate():
        return {field: ["日期不能晚于今天。"]}
    if on < earliest:
        return {field: [f"日期不能早于选举日（{earliest:%Y-%m-%d}）。"]}
    return {}


# ---------------------------------------------------------------------------------------------------------------
# Certification


@transaction.atomic
def result_certify(*, actor: Actor, election: Election, on: date, expected_version: int | None) -> Election:
    """Certify a counted round whose result elected everyone (or left seats vacant by the rules). A further round's
    certification certifies its main round with it (the main round's result stays as counted). A villagers',
    residents' or supervision committee then becomes the team; a party committee waits for its secretary vote and
    the town's approval."""
    election_policy.check(actor, "change", election)
    result = ElectionResult.objects.filter(election=election).first()
    if election.status != Status.COUNTED or result is None:
        raise DomainError(f"只有计票完成的选举才能确认结果（当前：{election.get_status_display()}）。")
    if result.status not in CERTIFIABLE:
        raise DomainError(_NOT_CERTIFIABLE[result.status], {"status": [result.get_status_display()]})
    errors = _date_errors(on, election.election_day)
    rounds = rounds_of(election)
    main = rounds[0] if len(rounds) > 1 else None
    if main is not None and main.status != Status.COUNTED:
        errors["election"] = [f"正式选举当前为“{main.get_status_display()}”，不能与另行选举一并确认。"]
    if errors:
        raise DomainError("确认信息有误，未保存。", errors)
    election_move(actor=actor, election=election, to_status=Status.CERTIFIED, on=on, expected_version=expected_version)
    if main is not None:
        election_move(actor=actor, election=main, to_status=Status.CERTIFIED, on=on, expected_version=main.version)
    name = getattr(actor, "display_name", "")
    result.certified_on, result.certified_by_name = on, name
    result.save(update_fields=["certified_on", "certified_by_name"])
    Certification.objects.create(election=election, outcome="certified", on=on, by=user_of(actor), by_name=name)
    elected = elected_of(election)
    record(
        actor=actor,
        region_code=election.region_id,
        event="results.certified",
        summary=f"确认{election.region.name}{election}结果：{result.get_status_display()}，当选 {len(elected)} 人",
        obj=result,
        after={
            "确认日期": on,
            "当选人": [f"{m.person.name} {m.get_post_display()} {m.votes}票（{day:%Y-%m-%d}）" for m, day in elected],
            **({"一并确认": f"{main}（{main.election_day:%Y-%m-%d}）"} if main else {}),
        },
    )
    if election.kind in TEAM_KINDS:
        _team_from(election, {(m.person, m.post): day for m, day in elected})
    if election.kind in COMMITTEE_KINDS:
        # the new committee's first year (开门七件事) starts counting from its election day
        from cunshe.firstyear.services import programme_open

        programme_open(actor=SYSTEM, village_code=election.region_id)
    term_change_follow(term_change=election.term_change)
    return election


@transaction.atomic
def result_void_confirm(
    *, actor: Actor, election: Election, on: date, rerun_day: date, expected_version: int | None
) -> Election:
    """Confirm a round the count found invalid (选举无效) and open its rerun (重新选举); returns the rerun."""
    election_policy.check(actor, "change", election)
    result = ElectionResult.objects.filter(election=election).first()
    if election.status != Status.COUNTED or result is None:
        raise DomainError(f"只有计票完成的选举才能确认无效（当前：{election.get_status_display()}）。")
    if result.status != ResultStatus.RERUN:
        raise DomainError(
            f"计票结果为“{result.get_status_display()}”，不是选举无效，不能确认无效。", {"status": [result.status]}
        )
    errors = _date_errors(on, election.election_day)
    if rerun_day <= on:
        errors["rerun_day"] = ["重新选举日须晚于确认无效的日期。"]
    if errors:
        raise DomainError("确认信息有误，未保存。", errors)
    election_move(actor=actor, election=election, to_status=Status.VOID, on=on, expected_version=expected_version)
    name = getattr(actor, "display_name", "")
    Certification.objects.create(election=election, outcome="void", on=on, by=user_of(actor), by_name=name)
    reasons = [line.get("text", "") for line in (result.outcome or {}).get("lines", []) if isinstance(line, dict)]
    record(
        actor=actor,
        region_code=election.region_id,
        event="results.voided",
        summary=f"确认{election.region.name}{election}无效，{rerun_day:%Y-%m-%d} 重新选举",
        obj=result,
        after={"确认日期": on, "重新选举日": rerun_day, **({"依据": reasons} if any(reasons) else {})},
    )
    rerun = election_round_open(actor=actor, parent=election, round=Round.RERUN, election_day=rerun_day, seats={})
    # the rerun's register starts from the void round's, open for 四增四减 up to the rerun's own deadlines
    round_register_open(actor=actor, election=rerun, on=on)
    return rerun


# ---------------------------------------------------------------------------------------------------------------
# The team


def _team_from(election: Election, new: dict[tuple[Person, str], date]) -> None:
    """Replace the body's current members by those elected. A member re-elected to the same post keeps one
    continuous record (their post never lapsed); anyone else leaves with 换届离任 on the day the body was elected,
    and the elected start on the day of the round that elected them. Nothing is deleted."""
    village, committee, day = election.region_id, election.committee, committee_day(election)
    wanted = {(p.pk, post) for p, post in new}
    current = list(TeamMember.objects.filter(region_id=village, committee=committee, ended_on__isnull=True))
    kept = set()
    for member in current:
        if (member.person_id, member.post) in wanted:
            kept.add((member.person_id, member.post))
            continue
        member_end(
            actor=SYSTEM,
            member=member,
            ended_on=max(day, member.started_on),
            reason=LEAVING_REASON,
            expected_version=member.version,
        )
    for (person, post), started_on in new.items():
        if (person.pk, post) not in kept:
            member_appoint(
                actor=SYSTEM,
                village_code=village,
                person=person,
                committee=committee,
                post=post,
                started_on=started_on,
            )
    _note_dual_role(village)
    # the modules that follow a new team (e.g. party work's branch) hear it through the teams hook
    team_in_place(village_code=village, committee=committee, elected_on=day)


def _note_dual_role(village: str) -> None:
    members = TeamMember.objects.filter(
        region_id=village, ended_on__isnull=True, post__in=(Post.SECRETARY, Post.DIRECTOR)
    )
    by_post = {m.post: m for m in members.select_related("person")}
    secretary, director = by_post.get(Post.SECRETARY), by_post.get(Post.DIRECTOR)
    if secretary and director and secretary.person_id == director.person_id:
        record(
            actor=SYSTEM,
            region_code=village,
            event="results.dual_role",
            summary=f"一肩挑：{secretary.person.name} 同时担任党组织书记和村(居)委会主任",
            obj=director,
            after={"人员": secretary.person.name, "职务": "党组织书记、村(居)委会主任"},
        )


# ---------------------------------------------------------------------------------------------------------------
# The party committee's secretary (and deputy), approved by the town party committee


def _party_committee(election: Election) -> dict[int, Any]:
    return {m.person_id: (m, day) for m, day in elected_of(final_round(election))}


@transaction.atomic
def party_post_elect(
    *, actor: Actor, election: Election, post: str, held_on: date, votes: dict[int, int]
) -> PartyPostVote:
    """The new party committee elects its secretary (or deputy) from its members: votes per member; elected with
    more than half of the committee (过半数, strict)."""
    election_policy.check(actor, "change", election)
    if election.kind != Kind.PARTY:
        raise DomainError("书记、副书记只在党组织选举后由新一届委员会选举产生。")
    if election.status != Status.CERTIFIED:
        raise DomainError("党组织委员的选举结果确认后，委员会才能选举书记、副书记。")
    committee = _party_committee(election)
    size = len(committee)
    errors: dict[str, list[str]] = {}
    if post not in (Post.SECRETARY, Post.DEPUTY_SECRETARY):
        errors["post"] = ["请选择书记或副书记。"]
    errors.update(_date_errors(held_on, election.election_day, "held_on"))
    strange = [k for k in votes if k not in committee]
    if strange:
        errors["votes"] = ["只能选举本届委员会委员。"]
    elif any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in votes.values()):
        errors["votes"] = ["得票须为不小于 0 的整数。"]
    elif sum(votes.values()) > size:
        errors["votes"] = [f"得票合计 {sum(votes.values())} 超过委员会人数 {size}（每名委员一票）。"]
    existing = {v.post: v for v in election.party_post_votes.all()}
    if post in existing:
        errors["post"] = [f"已选举{existing[post].get_post_display()}：{existing[post].person.name}。"]
    if post == Post.DEPUTY_SECRETARY and Post.SECRETARY not in existing:
        errors["post"] = ["请先选举书记。"]
    if errors:
        raise DomainError("选举信息有误，未保存。", errors)
    top = max(votes.values(), default=0)
    leaders = [k for k, v in votes.items() if v == top]
    if len(leaders) != 1:
        raise DomainError("得票最多者不止一人（或无人得票），须再次投票。", {"votes": ["得票相同。"]})
    winner = leaders[0]
    if 2 * top <= size:
        raise DomainError(
            f"得票 {top} 票，未超过委员会 {size} 人的半数，不能当选。", {"votes": ["须超过委员会人数的一半。"]}
        )
    if post == Post.DEPUTY_SECRETARY and existing[Post.SECRETARY].person_id == winner:
        raise DomainError("副书记不能由书记兼任。", {"votes": ["请选举其他委员。"]})
    person = committee[winner][0].person
    vote = PartyPostVote.objects.create(
        election=election,
        post=post,
        held_on=held_on,
        committee_size=size,
        votes={str(k): v for k, v in votes.items()},
        person=person,
    )
    record(
        actor=actor,
        region_code=election.region_id,
        event="results.party_post_elected",
        summary=f"{election.region.name}党组织委员会选举 {person.name} 为{vote.get_post_display()}"
        f"（{top}/{size} 票），待乡镇党委批复",
        obj=vote,
        after={
            "职务": vote.get_post_display(),
            "选举日期": held_on,
            "委员会人数": size,
            "得票": {committee[k][0].person.name: v for k, v in votes.items()},
        },
    )
    return vote


@transaction.atomic
def party_posts_approve(*, actor: Actor, election: Election, on: date, approval_ref: str) -> list[PartyPostVote]:
    """The town party committee approves the secretary (and deputy); then the party posts change in the team."""
    election_policy.check(actor, "change", election)
    votes = list(election.party_post_votes.select_related("person"))
    errors: dict[str, list[str]] = {}
    if not any(v.post == Post.SECRETARY for v in votes):
        raise DomainError("委员会尚未选举书记，无可批复。")
    if any(v.approved_on for v in votes):
        raise DomainError("乡镇党委已批复。")
    errors.update(_date_errors(on, max(v.held_on for v in votes)))
    if not approval_ref.strip():
        errors["approval_ref"] = ["请填写批复文号。"]
    if errors:
        raise DomainError("批复信息有误，未保存。", errors)
    name = getattr(actor, "display_name", "")
    for vote in votes:
        vote.approved_on, vote.approval_ref, vote.approved_by_name = on, approval_ref.strip(), name
        vote.save(update_fields=["approved_on", "approval_ref", "approved_by_name"])
    record(
        actor=actor,
        region_code=election.region_id,
        event="results.party_posts_approved",
        summary=f"乡镇党委批复{election.region.name}党组织"
        + "、".join(f"{v.get_post_display()}{v.person.name}" for v in votes),
        obj=votes[0],
        after={"批复日期": on, "批复文号": approval_ref.strip()},
    )
    posts = {v.person_id: v.post for v in votes}
    new = {(m.person, posts.get(pid, Post.PARTY_MEMBER)): day for pid, (m, day) in _party_committee(election).items()}
    _team_from(final_round(election), new)
    return votes


# ---------------------------------------------------------------------------------------------------------------
# The handover from the result


def handover_plan(election: Election) -> dict[str, Any]:
    """Who hands over to whom after a certified committee election, or why it cannot be opened yet."""
    return handover_plans([election])[election.pk]


def handover_plans(elections: Sequence[Election]) -> dict[int, dict[str, Any]]:
    """`handover_plan` of each election, by its id, in a fixed number of queries: the to-do list asks it of every
    certified committee of a county after its election days (hundreds), at five queries each before."""
    days = {e.pk: committee_day(e) for e in elections}
    villages = {e.region_id for e in elections}
    members = (
        TeamMember.objects.filter(region_id__in=villages)
        .select_related("person")
        .order_by("region", "committee", "post", "started_on", "pk")  # the model's order, ties by id
    )
    directors: dict[str, TeamMember] = {}
    for member in members.filter(post=Post.DIRECTOR, ended_on__isnull=True):
        directors.setdefault(member.region_id, member)
    leaving_on: dict[tuple[str, date], list[TeamMember]] = {}
    for member in members.filter(ended_on__in=set(days.values()), end_reason=LEAVING_REASON):
        leaving_on.setdefault((member.region_id, member.ended_on), []).append(member)  # type: ignore[arg-type]
    certifications = {
        c.election_id: c for c in Certification.objects.filter(election__in=list(days)).select_related("by")
    }
    supervisors = supervisors_over(villages)
    plans = {}
    for election in elections:
        village, day = election.region_id, days[election.pk]
        director = directors.get(village)
        left = leaving_on.get((village, day), [])
        leaving = [m for m in left if m.committee == Committee.VILLAGERS]
        outgoing = next((m for m in leaving if m.post == Post.DIRECTOR), None)
        if outgoing is None:  # no director left office (re-elected, or none before): the old secretary, if they left
            outgoing = next((m for m in left if m.post == Post.SECRETARY), None)
        certification = certifications.get(election.pk)
        problems = []
        if election.kind not in COMMITTEE_KINDS or election.status != Status.CERTIFIED or certification is None:
            problems.append("只有已确认结果的村(居)民委员会选举才能据此发起交接。")
        if director is None:
            problems.append("新一届主任尚未产生。")
        # a director re-elected keeps one continuous record (started before this election): nothing to hand over
        reelected = director is not None and director.started_on < day
        if outgoing is None and not reelected:
            problems.append("班子中没有离任的原主任（或书记）记录，请先在班子中登记原任主任。")
        if reelected:
            problems.append("主任连任，无须交接。")
        supervisor = supervisors.get(village)
        if supervisor is None:
            problems.append("该村(社区)尚无纪检监督人员账号，暂不能发起交接：请县(乡)先指定监交人。")
        plans[election.pk] = {
            "starts_on": day,
            "outgoing": outgoing.person if outgoing else None,
            "incoming": director.person if director else None,
            "supervisor": supervisor,
            "certification": certification,
            "leaving": leaving,
            "problems": problems,
            "needed": not reelected,
        }
    return plans


@transaction.atomic
def result_handover_open(*, actor: Actor, election: Election, meeting_at: datetime, meeting_place: str) -> Handover:
    """Open the village's committee handover from the certified result: it starts the day the new committee was
    elected (so the legal 10 days count from then), from the old director to the new, the certifying officer as
    working group (or the acting officer), a discipline supervisor over the village as supervisor."""
    election_policy.check(actor, "change", election)
    plan = handover_plan(election)
    if plan["problems"]:
        raise DomainError(plan["problems"][0], {"election": plan["problems"]})
    certification: Certification = plan["certification"]
    if certification.handover_id:
        raise DomainError("已据该选举结果发起交接。")
    village = election.region_id
    candidates = [certification.by, user_of(actor)]
    working_group = next((u for u in candidates if u is not None and holds(u, "handovers.change", village)), None)
    if working_group is None:
        raise DomainError(
            "确认结果的乡镇干部没有交接权限，请由负责该村(社区)交接的乡镇(街道)干部发起。",
            {"working_group": ["须为负责该村(社区)的乡镇(街道)干部。"]},
        )
    template = next(
        t for t in templates_ensure_defaults(actor=SYSTEM, county_code=village[:6]) if t.kind == HandoverKind.COMMITTEE
    )
    handover = handover_open(
        actor=user_of(actor) or working_group,  # the acting officer (the certifier when the system acts)
        village_code=village,
        template=template,
        outgoing=plan["outgoing"],
        incoming=plan["incoming"],
        working_group=working_group,
        supervisor=plan["supervisor"],
        starts_on=plan["starts_on"],
        meeting_at=meeting_at,
        meeting_place=meeting_place,
    )
    certification.handover = handover
    certification.save(update_fields=["handover"])
    record(
        actor=actor,
        region_code=village,
        event="results.handover_opened",
        summary=f"据{election}结果发起交接：{plan['outgoing'].name} → {plan['incoming'].name}，"
        f"自 {plan['starts_on']:%Y-%m-%d} 起计",
        obj=certification,
        after={"交接起始日": plan["starts_on"], "监交人": plan["supervisor"].display_name},
    )
    return handover


# ---------------------------------------------------------------------------------------------------------------
# The term change follows


def term_change_follow(*, term_change: TermChange) -> TermChange:
    """Advance the county's term change from what happened: every village with a committee election certified →
    工作交接; every such village's committee handover completed (or none needed: director re-elected) → 已完成."""
    from cunshe.elections.models import Election as E

    rows = list(E.objects.filter(term_change=term_change, kind__in=COMMITTEE_KINDS).values_list("region_id", "status"))
    villages = {r for r, _ in rows}
    if not villages:
        return term_change
    certified = {r for r, s in rows if s == Status.CERTIFIED}
    term_change.refresh_from_db()
    if term_change.status == TermChangeStatus.ELECTING and villages <= certified:
        term_change = term_change_advance(
            actor=SYSTEM,
            term_change=term_change,
            to_status=TermChangeStatus.HANDING_OVER,
            expected_version=term_change.version,
        )
    if term_change.status == TermChangeStatus.HANDING_OVER:
        done = set(
            Handover.objects.filter(
                term_change=term_change, kind=HandoverKind.COMMITTEE, status=HandoverStatus.COMPLETED
            ).values_list("region_id", flat=True)
        )
        certified_elections = E.objects.filter(
            term_change=term_change, kind__in=COMMITTEE_KINDS, status=Status.CERTIFIED
        ).select_related("parent")
        waiting = [e for e in certified_elections if e.region_id not in done]
        plans = handover_plans(waiting)
        done |= {e.region_id for e in waiting if not plans[e.pk]["needed"]}
        if villages <= done:
            term_change = term_change_advance(
                actor=SYSTEM,
                term_change=term_change,
                to_status=TermChangeStatus.COMPLETED,
                expected_version=term_change.version,
            )
    return term_change
