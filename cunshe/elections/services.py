"""Writes of the elections module: a county's tightened rules, opening a village's election with its posts and
seats, moving it through its stages, and its election committee with the withdrawal rule. Every function checks the
access rule, validates everything before saving anything and appends to the record book in the same transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.transitions import check_move
from cunshe.elections import timeline
from cunshe.elections.models import (
    KIND_POSTS,
    CommitteeMember,
    CommitteeRole,
    Election,
    ElectionPost,
    ElectionRules,
    Kind,
    Round,
    Status,
)
from cunshe.elections.permissions import election_policy, rules_policy
from cunshe.elections.rules import BOUNDS, field_label, loosened, rules_for
from cunshe.people.models import Kinship, Person
from cunshe.people.permissions import person_policy
from cunshe.people.selectors import close_relatives, kinship_between
from cunshe.records.services import record
from cunshe.regions.models import Kind as RegionKind
from cunshe.regions.models import Level, Region
from cunshe.teams.models import Post
from cunshe.termchanges.models import Status as TermChangeStatus
from cunshe.termchanges.selectors import current_term_change

# Posts held by one person (the head of the body): exactly one seat on the ballot.
HEAD_POSTS = (Post.DIRECTOR, Post.SUPERVISION_CHAIR)
TIGHTENABLE = tuple(b.field for b in BOUNDS)


# ---------------------------------------------------------------------------------------------------------------
# Rule sets


@transaction.atomic
def rules_tighten(
    *,
    actor: Actor,
    county_code: str,
    kind: str,
    effective_from: date,
    name: str,
    source: str,
    values: dict[str, Any] | None = None,
) -> ElectionRules:
    """A county's own rule set: its province's (or the national) rules in force on `effective_from`, with the
    given values made stricter. Loosening anything is refused field by field."""
    county = Region.objects.filter(code=county_code, level=Level.COUNTY).first()
    if county is None:
        raise DomainError("选举办法须由县(市、区)制定。", {"county": ["须为县(市、区)。"]})
    rules_policy.check_in_region(actor, "change", county.code)
    if kind not in Kind.values:
        raise DomainError("请选择选举类别。", {"kind": ["请选择选举类别。"]})
    values = dict(values or {})
    unknown = sorted(set(values) - set(TIGHTENABLE))
    if unknown:
        raise DomainError("有不能由县里设定的项目。", {k: ["县里不能设定此项。"] for k in unknown})
    base = rules_for(county.code[:2], kind, effective_from)  # the province's or the national rules, not a county's
    if base is None:
        raise DomainError(f"{effective_from:%Y-%m-%d} 没有施行中的{Kind(kind).label}办法可供从严。")
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["请填写名称（如：邹平市村民委员会选举实施细则）。"]
    if not source.strip():
        errors["source"] = ["请填写依据文件（文号或会议）。"]
    rules = ElectionRules(
        kind=kind, province="", county=county, based_on=base, name=name.strip(), source=source.strip(),
        effective_from=effective_from,
    )  # fmt: skip
    for name in TIGHTENABLE:
        setattr(rules, name, getattr(base, name))
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        field: Any = ElectionRules._meta.get_field(key)
        try:
            cleaned[key] = field.to_python(value)
        except ValidationError as exc:
            errors[key] = [str(m) for m in exc.messages]
    errors.update(loosened(base, cleaned))
    for key, value in cleaned.items():
        setattr(rules, key, value)
    if rules.seats_min > rules.seats_max:
        errors["seats_min"] = ["职数下限不能高于上限。"]
    if errors:
        raise DomainError("选举办法有误，未保存。", errors)
    try:
        with transaction.atomic():
            rules.save()
    except IntegrityError as exc:
        raise DomainError(
            f"本县已有 {effective_from:%Y-%m-%d} 施行的{Kind(kind).label}办法；请另定施行日期。",
            {"effective_from": ["该日期已有本县办法。"]},
        ) from exc
    changed = {
        field_label(k): f"{getattr(base, k)} → {getattr(rules, k)}"
        for k in cleaned
        if getattr(base, k) != getattr(rules, k)
    }
    record(
        actor=actor,
        region_code=county.code,
        event="elections.rules_tightened",
        summary=f"制定{rules.name}（{effective_from:%Y-%m-%d} 起施行，依据{base.name}从严）",
        obj=rules,
        after={"名称": rules.name, "依据文件": rules.source, "施行日期": effective_from, **changed},
    )
    return rules


# ---------------------------------------------------------------------------------------------------------------
# Elections


def _seat_errors(kind: str, rules: ElectionRules, seats: dict[str, int]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    posts = KIND_POSTS[kind]
    strange = [p for p in seats if p not in posts]
    if strange:
        errors["seats"] = [
            f"{Kind(kind).label}没有职务：{'、'.join(Post(p).label if p in Post.values else p for p in strange)}。"
        ]
        return errors
    for post, n in seats.items():
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            errors["seats"] = [f"{Post(post).label}应选人数须为不小于 0 的整数。"]
            return errors
    for head in HEAD_POSTS:
        if head in posts and seats.get(head, 0) != 1:
            errors.setdefault("seats", []).append(f"{Post(head).label}应选 1 名。")
    total = sum(seats.values())
    if not rules.seats_min <= total <= rules.seats_max:
        errors.setdefault("seats", []).append(
            f"应选总数 {total} 名，须在 {rules.seats_min} 至 {rules.seats_max} 名之间（{rules.name}）。"
        )
    return errors


def _snapshot(election: Election) -> dict[str, Any]:
    return {
        "选举类别": election.get_kind_display(),
        "轮次": election.get_round_display(),
        "选举日": election.election_day,
        "选举办法": str(election.rules),
        "应选职位": "、".join(f"{p.get_post_display()} {p.seats} 名" for p in election.posts.all()),
    }


def _create(
    *, actor: Actor, village: Region, kind: str, election_day: date, seats: dict[str, int], term_change: Any,
    rules: ElectionRules, round: str = Round.MAIN, parent: Election | None = None,
) -> Election:  # fmt: skip
    election = Election(
        term_change=term_change, region=village, kind=kind, round=round, parent=parent, rules=rules,
        election_day=election_day, opened_by_name=getattr(actor, "display_name", ""),
    )  # fmt: skip
    try:
        with transaction.atomic():
            election.save()
    except IntegrityError as exc:
        raise DomainError(f"{village.name}在本次换届中已有{Kind(kind).label}。", {"kind": ["已有该类选举。"]}) from exc
    ElectionPost.objects.bulk_create(
        ElectionPost(election=election, post=post, seats=seats[post], position=n)
        for n, post in enumerate(KIND_POSTS[kind], start=1)
        if seats.get(post, 0) > 0
    )
    return election


@transaction.atomic
def election_open(*, actor: Actor, village_code: str, kind: str, election_day: date, seats: dict[str, int]) -> Election:
    """Open a village's election of `kind` in its county's term change, under the rule set in force on election
    day, with the seats of each post."""
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("选举须在村(社区)举行。", {"region": ["须为村(社区)。"]})
    election_policy.check_in_region(actor, "change", village.code)
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        raise DomainError("请选择选举类别。", {"kind": ["请选择选举类别。"]})
    if kind == Kind.VILLAGERS and village.kind == RegionKind.COMMUNITY:
        errors["kind"] = ["社区选举居民委员会，请选择“居民委员会选举”。"]
    if kind == Kind.RESIDENTS and village.kind == RegionKind.VILLAGE:
        errors["kind"] = ["村选举村民委员会，请选择“村民委员会选举”。"]
    term_change = current_term_change(village.code)
    if term_change is None or term_change.status == TermChangeStatus.COMPLETED:
        raise DomainError("本县没有进行中的换届，不能发起选举。")
    if election_day < term_change.opened_on:
        errors["election_day"] = [f"选举日不能早于换届启动日期（{term_change.opened_on:%Y-%m-%d}）。"]
    rules = rules_for(village.code, kind, election_day)
    if rules is None:
        raise DomainError(f"选举日 {election_day:%Y-%m-%d} 没有施行中的{Kind(kind).label}办法。")
    errors.update(_seat_errors(kind, rules, seats))
    if errors:
        raise DomainError("选举信息有误，未保存。", errors)
    election = _create(
        actor=actor, village=village, kind=kind, election_day=election_day, seats=seats, term_change=term_change,
        rules=rules,
    )  # fmt: skip
    record(
        actor=actor,
        region_code=village.code,
        event="elections.opened",
        summary=f"发起{village.name}{election}，选举日 {election_day:%Y-%m-%d}",
        obj=election,
        after=_snapshot(election),
    )
    return election


@transaction.atomic
def election_round_open(
    *, actor: Actor, parent: Election, round: str, election_day: date, seats: dict[str, int]
) -> Election:
    """A further round (另行选举) for seats left empty, or a rerun (重新选举) of an invalid election, under the rule
    set the first round ran under. The count decides which is due; this records that it is held."""
    election_policy.check(actor, "change", parent)
    if round not in (Round.FURTHER, Round.RERUN):
        raise DomainError("请选择另行选举或重新选举。", {"round": ["请选择轮次。"]})
    errors: dict[str, list[str]] = {}
    if round == Round.RERUN and parent.status != Status.VOID:
        errors["round"] = ["只有被确认无效的选举才能重新选举。"]
    if round == Round.FURTHER and parent.status != Status.COUNTED:
        errors["round"] = ["另行选举须在本轮计票完成、确认结果之前发起。"]
    if parent.rounds.filter(round=round).exclude(status__in=(Status.VOID,)).exists():
        errors["round"] = [f"已发起{Round(round).label}。"]
    if election_day < parent.election_day:
        errors["election_day"] = ["日期不能早于上一轮选举日。"]
    if round == Round.FURTHER:
        if not seats or sum(seats.values()) < 1:
            errors["seats"] = ["请填写另行选举的名额。"]
        elif any(p not in {ep.post for ep in parent.posts.all()} for p in seats):
            errors["seats"] = ["另行选举的职务须是上一轮的应选职务。"]
    else:
        seats = {p.post: p.seats for p in parent.posts.all()}
    if errors:
        raise DomainError("轮次信息有误，未保存。", errors)
    election = _create(
        actor=actor, village=parent.region, kind=parent.kind, election_day=election_day, seats=seats,
        term_change=parent.term_change, rules=parent.rules, round=round, parent=parent,
    )  # fmt: skip
    record(
        actor=actor,
        region_code=parent.region_id,
        event="elections.round_opened",
        summary=f"发起{parent.region.name}{election}，选举日 {election_day:%Y-%m-%d}",
        obj=election,
        after=_snapshot(election),
    )
    return election


def _move_errors(election: Election, to_status: str, on: date) -> str:
    rules = election.rules
    if to_status == Status.REGISTER_PUBLISHED and election.status == Status.PREPARING:
        latest = timeline.register_publish_by(rules, election.election_day)
        # A further round or a rerun goes on with the register of the round before (voters.round_register_open):
        # that list has been public since its own publication, which is what the 20 days count from.
        carried = election.parent.register_published_on if election.parent is not None else None
        if on > latest and not (carried is not None and carried <= latest):
            return (
                f"选民名单须在选举日前 {rules.register_days_before} 日以上公布，最迟 {latest:%Y-%m-%d}；"
                f"{on:%Y-%m-%d} 公布已超过期限，请推迟选举日或依法处理。"
            )
    if to_status == Status.CANDIDATES_PUBLISHED and election.status in (Status.REGISTER_PUBLISHED, Status.PREPARING):
        latest = timeline.candidates_publish_by(rules, election.election_day)
        if on > latest:
            return f"正式候选人须在选举日前 {rules.candidates_days_before} 日以上公布，最迟 {latest:%Y-%m-%d}。"
    if to_status == Status.VOTING and election.status == Status.CANDIDATES_PUBLISHED and on != election.election_day:
        return f"投票只能在选举日（{election.election_day:%Y-%m-%d}）开始。"
    return ""


@transaction.atomic
def election_move(
    *, actor: Actor, election: Election, to_status: str, on: date, reason: str = "", expected_version: int | None
) -> Election:
    """Move an election to its next stage (or back, with a reason) through its kind's transition table. The
    register, candidates and count modules call this inside their own transaction when they publish or count."""
    election_policy.check(actor, "change", election)
    check_move({election.status: election.moves}, election.status, to_status, Status, what="选举")
    backwards = list(Status.values).index(to_status) < list(Status.values).index(election.status)
    if backwards and not reason.strip():
        raise DomainError("退回上一阶段须写明原因。", {"reason": ["请填写退回原因。"]})
    problem = _move_errors(election, to_status, on)
    if problem:
        raise DomainError(problem, {"on": [problem]})
    before = election.get_status_display()
    bump_version(election, expected_version=expected_version)
    election.status = to_status
    changed = ["status"]
    if to_status == Status.REGISTER_PUBLISHED and not backwards:
        election.register_published_on = on
        changed.append("register_published_on")
    if to_status == Status.CANDIDATES_PUBLISHED and not backwards:
        election.candidates_published_on = on
        changed.append("candidates_published_on")
    election.save(update_fields=changed)
    record(
        actor=actor,
        region_code=election.region_id,
        event="elections.moved",
        summary=f"{election.region.name}{election}：{before} → {election.get_status_display()}"
        + (f"（{reason.strip()}）" if reason.strip() else ""),
        obj=election,
        before={"状态": before},
        after={
            "状态": election.get_status_display(),
            "日期": on,
            **({"原因": reason.strip()} if reason.strip() else {}),
        },
    )
    return election


# ---------------------------------------------------------------------------------------------------------------
# The election committee (村民选举委员会)


def _member_snapshot(member: CommitteeMember) -> dict[str, Any]:
    return {
        "人员": member.person.name,
        "职务": member.get_role_display(),
        "推选顺序": member.position,
        "推选方式": member.chosen_by,
        "推选日期": member.chosen_on,
    }


@transaction.atomic
def committee_member_add(
    *, actor: Actor, election: Election, person: Person, role: str, chosen_by: str, chosen_on: date
) -> CommitteeMember:
    """Add a member (or, as ALTERNATE, the next in line to fill a place) chosen by the villagers' (representatives')
    meeting or the groups."""
    election_policy.check(actor, "change", election)
    person_policy.check(actor, "view", person)
    errors: dict[str, list[str]] = {}
    if election.status in (Status.CERTIFIED, Status.VOID):
        raise DomainError("该选举已结束，不能再调整选举委员会。")
    if role not in CommitteeRole.values:
        errors["role"] = ["请选择职务。"]
    if person.region_id != election.region_id:
        errors["person"] = [f"{person.name} 不是本村(社区)登记人员。"]
    if not chosen_by.strip():
        errors["chosen_by"] = ["请填写推选方式（如：村民代表会议推选）。"]
    if chosen_on > timezone.localdate():
        errors["chosen_on"] = ["推选日期不能晚于今天。"]
    active = list(election.committee_members.filter(withdrawn_on__isnull=True))
    if any(m.person_id == person.pk for m in active):
        errors["person"] = [f"{person.name} 已在选举委员会中。"]
    seated = [m for m in active if m.role != CommitteeRole.ALTERNATE]
    if role != CommitteeRole.ALTERNATE and len(seated) >= election.rules.election_committee_max:
        errors["role"] = [
            f"选举委员会已有 {len(seated)} 人，最多 {election.rules.election_committee_max} 人；可添加为递补人选。"
        ]
    if role == CommitteeRole.CHAIR and any(m.role == CommitteeRole.CHAIR for m in seated):
        errors["role"] = ["选举委员会已有主任。"]
    if errors:
        raise DomainError("选举委员会成员信息有误，未保存。", errors)
    position = 1 + max((m.position for m in election.committee_members.all()), default=0)
    member = CommitteeMember.objects.create(
        election=election, person=person, role=role, position=position, chosen_by=chosen_by.strip(),
        chosen_on=chosen_on,
    )  # fmt: skip
    record(
        actor=actor,
        region_code=election.region_id,
        event="elections.committee_member_added",
        summary=f"{person.name} 为{election.region.name}选举委员会{member.get_role_display()}",
        obj=member,
        after=_member_snapshot(member),
    )
    return member


@transaction.atomic
def committee_member_withdraw(
    *, actor: Actor, member: CommitteeMember, reason: str, on: date, expected_version: int | None
) -> CommitteeMember | None:
    """A member leaves the committee; the first alternate in order takes the place (returned, or None when there is
    none left — the meeting must then choose one)."""
    election = member.election
    election_policy.check(actor, "change", election)
    if member.withdrawn_on is not None:
        raise DomainError(f"{member.person.name} 已于 {member.withdrawn_on:%Y-%m-%d} 退出选举委员会。")
    if not reason.strip():
        raise DomainError("请填写退出原因。", {"reason": ["请填写退出原因。"]})
    if on > timezone.localdate() or on < member.chosen_on:
        raise DomainError("退出日期有误。", {"on": ["退出日期须在推选日期与今天之间。"]})
    bump_version(member, expected_version=expected_version)
    member.withdrawn_on, member.withdraw_reason = on, reason.strip()
    member.save(update_fields=["withdrawn_on", "withdraw_reason"])
    record(
        actor=actor,
        region_code=election.region_id,
        event="elections.committee_member_withdrawn",
        summary=f"{member.person.name} 退出{election.region.name}选举委员会（{member.withdraw_reason}）",
        obj=member,
        after={"退出日期": on, "退出原因": member.withdraw_reason},
    )
    if member.role == CommitteeRole.ALTERNATE:
        return None
    successor = (
        election.committee_members.filter(withdrawn_on__isnull=True, role=CommitteeRole.ALTERNATE)
        .order_by("position")
        .first()
    )
    if successor is None:
        return None
    successor.role = member.role if member.role != CommitteeRole.CHAIR else CommitteeRole.MEMBER
    successor.replaces = member
    successor.save(update_fields=["role", "replaces"])
    record(
        actor=actor,
        region_code=election.region_id,
        event="elections.committee_member_filled",
        summary=f"{successor.person.name} 依次递补为{election.region.name}选举委员会{successor.get_role_display()}",
        obj=successor,
        after={"递补": member.person.name, "职务": successor.get_role_display()},
    )
    return successor


def committee_conflicts(election: Election, nominee: Person) -> list[tuple[CommitteeMember, str]]:
    """The committee members who must leave because `nominee` is nominated: the nominee, or a close relative."""
    members = list(election.committee_members.filter(withdrawn_on__isnull=True).select_related("person"))
    relatives = close_relatives([nominee.pk])[nominee.pk]
    found: list[tuple[CommitteeMember, str]] = []
    for m in members:
        if m.person_id == nominee.pk:
            found.append((m, "本人被提名为候选人"))
        elif m.person_id in relatives:
            kinship = kinship_between(m.person, nominee)  # how the nominee stands to the member
            label = Kinship(kinship).label if kinship else "近亲属"
            found.append((m, f"其近亲属（{label}）{nominee.name}被提名为候选人"))
    return found


def committee_withdraw_for_nominee(*, actor: Actor, election: Election, nominee: Person, on: date) -> list[str]:
    """Apply the withdrawal rule when `nominee` is nominated; runs inside the nominating service's transaction.
    Returns what happened, as sentences for the page."""
    said: list[str] = []
    for member, why in committee_conflicts(election, nominee):
        successor = committee_member_withdraw(
            actor=actor, member=member, reason=why, on=on, expected_version=member.version
        )
        said.append(
            f"{member.person.name} 因{why}退出选举委员会"
            + (f"，由 {successor.person.name} 递补。" if successor else "；没有递补人选，请村民代表会议补选。")
        )
    return said
