"""Writes of the voter register: building it from the people registry and the previous register (四增四减), plain
edits before publication, leaving absent voters out of the total, publication (which moves the election's stage),
objections and their decisions, recorded amendments after publication, and the Excel import. Each checks the access
rule, validates everything first and appends to the record book in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.elections import timeline
from cunshe.elections.models import Election, Round, Status
from cunshe.elections.permissions import election_policy
from cunshe.elections.services import election_move
from cunshe.notifications.models import Kind as NotificationKind
from cunshe.notifications.services import holders, notify
from cunshe.people.models import Person
from cunshe.records.services import record
from cunshe.voters.models import (
    ChangeKind,
    ChangeReason,
    Deprivation,
    Objection,
    ObjectionClaim,
    ObjectionOutcome,
    Register,
    RollChange,
    Route,
    Voter,
)
from cunshe.voters.permissions import objection_policy, register_policy, voter_policy
from cunshe.voters.selectors import round_number

CONSENT_ROUTES = (Route.NON_HUKOU, Route.SERVICE)


def _name(actor: Actor) -> str:
    return str(getattr(actor, "display_name", "") or getattr(actor, "username", "") or "")


def _deprived(person_ids: list[int], day: date) -> set[int]:
    return {d.person_id for d in Deprivation.objects.filter(person_id__in=person_ids) if d.in_force_on(day)}


def _elsewhere(election: Election, person_ids: list[int]) -> dict[int, str]:
    """Person → the village where they are already registered in this term change (nobody registers twice)."""
    found = (
        Voter.objects.filter(
            person_id__in=person_ids,
            removed_on__isnull=True,
            register__election__term_change_id=election.term_change_id,
        )
        .exclude(register__election__region_id=election.region_id)
        .select_related("register__election__region")
    )
    return {v.person_id: v.register.election.region.name for v in found}


def previous_register(election: Election) -> Register | None:
    """The register of the village's last certified direct election before this one (四增四减 is counted against
    it)."""
    return (
        Register.objects.filter(
            election__region_id=election.region_id,
            election__kind=election.kind,
            election__status=Status.CERTIFIED,
            election__election_day__lt=election.election_day,
        )
        .order_by("-election__election_day")
        .first()
    )


@transaction.atomic
def register_carry_over(*, actor: Actor, election: Election, on: date) -> Register | None:
    """The register of a further round (另行选举) or a rerun (重新选举), built when the round opens: the voters of
    the previous round's register as they stand, with their groups, routes, consents and left-out decisions. The
    round starts 筹备中, so the register stays open for 四增四减 (voter_add / voter_remove, the Excel import)
    until the round publishes it, and by recorded decision after that, like any register. Returns None when the
    previous round had no register (a meeting election, or a register never built): there is nothing to carry."""
    election_policy.check(actor, "enter", election)
    if not election.is_direct or election.round == Round.MAIN or election.parent_id is None:
        raise DomainError("只有另行选举或重新选举沿用上一轮的选民名单。")
    if Register.objects.filter(election=election).exists():
        raise DomainError("本次选举的选民名单已经编制。")
    parent_register = Register.objects.filter(election_id=election.parent_id).select_related("election").first()
    if parent_register is None:
        return None
    register = Register.objects.create(election=election, built_on=on, previous=parent_register)
    carried = Voter.objects.bulk_create(
        Voter(
            register=register,
            person_id=v.person_id,
            group=v.group,
            route=v.route,
            consent=v.consent,
            counted=v.counted,
            left_out_rule=v.left_out_rule,
            left_out_decision=v.left_out_decision,
        )
        for v in parent_register.voters.filter(removed_on__isnull=True).order_by("pk")
    )
    parent = parent_register.election
    n = round_number(parent)
    left_out = sum(not v.counted for v in carried)
    record(
        actor=actor,
        region_code=election.region_id,
        event="voters.built",
        summary=f"{election.region.name}{election}的选民名单依第 {n} 轮（{parent}，{parent.election_day:%Y-%m-%d}）"
        f"选民名单编制：{len(carried)} 人" + (f"，其中 {left_out} 人不计入登记选民总数" if left_out else ""),
        obj=register,
        after={"依据": f"第 {n} 轮选民名单", "上一轮选举日": parent.election_day, "人数": len(carried),
               "不计入总数": left_out},
    )  # fmt: skip
    return register


def round_register_open(*, actor: Actor, election: Election, on: date | None = None) -> Register | None:
    """The hook the count (further round) and the results (rerun) call right after election_round_open: the new
    round's register carried over from its parent's, dated `on` (default today, kept between the two election
    days)."""
    if not election.is_direct or election.parent_id is None:
        return None
    parent_day = election.parent.election_day  # type: ignore[union-attr]
    day = min(max(on or timezone.localdate(), parent_day), election.election_day)
    return register_carry_over(actor=actor, election=election, on=day)


@dataclass
class BuildReport:
    register: Register
    added: int
    removed: int
    skipped_elsewhere: dict[str, str]


def _eligible_errors(election: Election, person: Person, route: str, consent: str) -> list[str]:
    errors = []
    if person.age_on(election.election_day) < 18:
        errors.append(f"{person.name}到选举日（{election.election_day:%Y-%m-%d}）未满十八周岁")
    if _deprived([person.pk], election.election_day):
        errors.append(f"{person.name}被依法剥夺政治权利")
    if route not in Route.values:
        errors.append("请选择登记方式")
    elif route in CONSENT_ROUTES and not consent.strip():
        errors.append("该登记方式须写明村民会议或村民代表会议同意的情况")
    elif route == Route.RESIDENT and person.region_id != election.region_id:
        errors.append(f"{person.name}户籍不在本村，请选择其他登记方式")
    place = _elsewhere(election, [person.pk]).get(person.pk)
    if place:
        errors.append(f"{person.name}已在{place}登记为选民，不得重复登记")
    return errors


@transaction.atomic
def register_build(*, actor: Actor, election: Election, on: date) -> BuildReport:
    """The register of a direct election: everyone of the village aged 18 on election day and not deprived of
    political rights, against the previous register with each change (四增四减) kept as a row. A further round or
    a rerun votes on its parent's register: it is carried over as it stands, without changes."""
    election_policy.check(actor, "enter", election)
    if not election.is_direct:
        raise DomainError("只有村(居)民委员会选举编制选民名单。")
    if Register.objects.filter(election=election).exists():
        raise DomainError("本次选举的选民名单已经编制。")
    if election.status != Status.PREPARING:
        raise DomainError("选民名单须在公布前编制。")
    if election.round != Round.MAIN and election.parent_id:
        register = register_carry_over(actor=actor, election=election, on=on)
        if register is not None:
            return BuildReport(register, 0, 0, {})
    previous = previous_register(election)
    register = Register.objects.create(election=election, built_on=on, previous=previous)
    day = election.election_day
    residents = list(Person.objects.filter(region_id=election.region_id))
    deprived = _deprived([p.pk for p in residents], day)
    eligible = {p.pk: p for p in residents if p.age_on(day) >= 18 and p.pk not in deprived}
    elsewhere = _elsewhere(election, list(eligible))
    before: dict[int, Voter] = {}
    if previous is not None:
        before = {v.person_id: v for v in previous.voters.filter(removed_on__isnull=True).select_related("person")}
    changes: list[RollChange] = []
    voters: list[Voter] = []
    for pk, person in eligible.items():
        if pk in elsewhere:
            continue
        old = before.get(pk)
        voters.append(Voter(register=register, person=person, group=old.group if old else "", route=Route.RESIDENT))
        if previous is not None and old is None:
            prior_day = previous.election.election_day
            if person.age_on(prior_day) < 18:
                reason = ChangeReason.NEWLY_ADULT
            elif _deprived([pk], prior_day):
                reason = ChangeReason.RIGHTS_RESTORED
            else:
                reason = ChangeReason.MOVED_IN
            changes.append(RollChange(register=register, person=person, kind=ChangeKind.ADD, reason=reason, on=on))
    # Voters of the previous register registered by another route stay unless they lost their rights or moved.
    carried_ids = set(eligible)
    for pk, old in before.items():
        if pk in carried_ids:
            continue
        person = old.person
        if old.route != Route.RESIDENT and pk not in _deprived([pk], day) and person.age_on(day) >= 18:
            voters.append(
                Voter(register=register, person=person, group=old.group, route=old.route, consent=old.consent)
            )
            continue
        reason = ChangeReason.RIGHTS_LOST if _deprived([pk], day) else ChangeReason.MOVED_OUT
        changes.append(RollChange(register=register, person=person, kind=ChangeKind.REMOVE, reason=reason, on=on))
    Voter.objects.bulk_create(voters)
    RollChange.objects.bulk_create(changes)
    added = sum(1 for c in changes if c.kind == ChangeKind.ADD)
    removed = len(changes) - added
    skipped = {eligible[pk].name: place for pk, place in elsewhere.items()}
    record(
        actor=actor,
        region_code=election.region_id,
        event="voters.built",
        summary=f"{election.region.name}{election}编制选民名单：{len(voters)} 人"
        + (f"，较上届增加 {added} 人、减少 {removed} 人" if previous else "")
        + (f"；{len(skipped)} 人已在他处登记未列入" if skipped else ""),
        obj=register,
        after={"人数": len(voters), "增加": added, "减少": removed, "他处已登记": "、".join(skipped)},
    )
    return BuildReport(register, added, removed, skipped)


def _published(register: Register) -> date | None:
    return register.election.register_published_on if register.election.status != Status.PREPARING else None


def _require_editable(register: Register, decision_ref: str) -> None:
    if _published(register) and not decision_ref.strip():
        raise DomainError(
            "选民名单已公布，变动须依申诉处理决定或选举委员会的决定办理，请写明决定文号。",
            {"decision_ref": ["请填写决定文号。"]},
        )


def _add(
    *,
    actor: Actor,
    register: Register,
    person: Person,
    route: str,
    group: str,
    consent: str,
    reason: str,
    evidence: str,
    decision_ref: str,
    on: date,
) -> Voter:
    election = register.election
    errors = _eligible_errors(election, person, route, consent)
    if Voter.objects.filter(register=register, person=person, removed_on__isnull=True).exists():
        errors.append(f"{person.name}已在本选民名单中")
    if errors:
        raise DomainError("；".join(errors) + "。", {"person": errors})
    voter = Voter.objects.filter(register=register, person=person).first()
    if voter is None:
        voter = Voter(register=register, person=person)
    voter.group, voter.route, voter.consent = group.strip(), route, consent.strip()
    voter.removed_on, voter.removed_reason = None, ""
    voter.save()
    RollChange.objects.create(
        register=register,
        person=person,
        kind=ChangeKind.ADD,
        reason=reason,
        evidence=evidence.strip(),
        decision_ref=decision_ref.strip(),
        on=on,
        by_name=_name(actor),
    )
    record(
        actor=actor,
        region_code=election.region_id,
        event="voters.added",
        summary=f"{election.region.name}选民名单增加{person.name}（{ChangeReason(reason).label}）",
        obj=voter,
        after={"登记方式": voter.get_route_display(), "小组": voter.group, "决定文号": decision_ref.strip()},
    )
    return voter


def _remove(*, actor: Actor, voter: Voter, reason: str, evidence: str, decision_ref: str, on: date) -> Voter:
    if voter.removed_on:
        raise DomainError(f"{voter.person.name}已从名单中减少。")
    voter.removed_on, voter.removed_reason = on, ChangeReason(reason).label
    bump_version(voter, expected_version=voter.version)
    voter.save()
    RollChange.objects.create(
        register=voter.register,
        person=voter.person,
        kind=ChangeKind.REMOVE,
        reason=reason,
        evidence=evidence.strip(),
        decision_ref=decision_ref.strip(),
        on=on,
        by_name=_name(actor),
    )
    election = voter.register.election
    record(
        actor=actor,
        region_code=election.region_id,
        event="voters.removed",
        summary=f"{election.region.name}选民名单减少{voter.person.name}（{ChangeReason(reason).label}）",
        obj=voter,
        after={"原因": ChangeReason(reason).label, "依据": evidence.strip(), "决定文号": decision_ref.strip()},
    )
    return voter


def _reason_errors(reason: str, allowed: tuple[str, ...]) -> None:
    if reason not in allowed:
        labels = "、".join(ChangeReason(r).label for r in allowed)
        raise DomainError(f"请选择变动原因（{labels}）。", {"reason": [f"可选：{labels}。"]})


ADD_CHOICES = (
    ChangeReason.NEWLY_ADULT,
    ChangeReason.MOVED_IN,
    ChangeReason.RIGHTS_RESTORED,
    ChangeReason.EDIT,
    ChangeReason.DECISION,
)
REMOVE_CHOICES = (
    ChangeReason.MOVED_OUT,
    ChangeReason.DIED,
    ChangeReason.RIGHTS_LOST,
    ChangeReason.EDIT,
    ChangeReason.DECISION,
)


@transaction.atomic
def voter_add(
    *,
    actor: Actor,
    register: Register,
    person: Person,
    route: str = Route.RESIDENT,
    group: str = "",
    consent: str = "",
    reason: str = ChangeReason.EDIT,
    evidence: str = "",
    on: date,
) -> Voter:
    """Add a voter before publication (a plain edit, still recorded); after it, see register_amend."""
    register_policy.check(actor, "enter", register)
    _require_editable(register, "")
    _reason_errors(reason, ADD_CHOICES)
    return _add(
        actor=actor,
        register=register,
        person=person,
        route=route,
        group=group,
        consent=consent,
        reason=reason,
        evidence=evidence,
        decision_ref="",
        on=on,
    )


@transaction.atomic
def voter_remove(*, actor: Actor, voter: Voter, reason: str, evidence: str = "", on: date) -> Voter:
    """Remove a voter before publication (moved out, died, rights lost…), kept with the reason."""
    voter_policy.check(actor, "enter", voter)
    _require_editable(voter.register, "")
    _reason_errors(reason, REMOVE_CHOICES)
    return _remove(actor=actor, voter=voter, reason=reason, evidence=evidence, decision_ref="", on=on)


@transaction.atomic
def voter_update(
    *, actor: Actor, voter: Voter, group: str, route: str, consent: str = "", expected_version: int | None
) -> Voter:
    """Group and route of a voter before publication."""
    voter_policy.check(actor, "enter", voter)
    _require_editable(voter.register, "")
    if route not in Route.values:
        raise DomainError("请选择登记方式。", {"route": ["请选择登记方式。"]})
    if route in CONSENT_ROUTES and not consent.strip():
        raise DomainError("该登记方式须写明村民会议或村民代表会议同意的情况。", {"consent": ["请填写。"]})
    before = {"小组": voter.group, "登记方式": voter.get_route_display()}
    bump_version(voter, expected_version=expected_version)
    voter.group, voter.route, voter.consent = group.strip(), route, consent.strip()
    voter.save()
    election = voter.register.election
    record(
        actor=actor,
        region_code=election.region_id,
        event="voters.updated",
        summary=f"{election.region.name}选民{voter.person.name}：小组 {voter.group or '—'}，{voter.get_route_display()}",
        obj=voter,
        before=before,
        after={"小组": voter.group, "登记方式": voter.get_route_display()},
    )
    return voter


@transaction.atomic
def voter_leave_out(*, actor: Actor, voter: Voter, rule: str, decision: str, expected_version: int | None) -> Voter:
    """Leave a voter out of the registered total (外出不归、既未登记也未在规定期限内提出异议): the rule relied on and
    the election committee's decision are kept per person."""
    voter_policy.check(actor, "change", voter)
    errors = {}
    if not rule.strip():
        errors["rule"] = ["请写明依据（选举办法条款）。"]
    if not decision.strip():
        errors["decision"] = ["请写明选举委员会的决定。"]
    if errors:
        raise DomainError("不计入登记选民总数须写明依据和决定。", errors)
    if not voter.counted:
        raise DomainError(f"{voter.person.name}已不计入登记选民总数。")
    bump_version(voter, expected_version=expected_version)
    voter.counted, voter.left_out_rule, voter.left_out_decision = False, rule.strip(), decision.strip()
    voter.save()
    election = voter.register.election
    record(
        actor=actor,
        region_code=election.region_id,
        event="voters.left_out",
        summary=f"{election.region.name}选民{voter.person.name}不计入登记选民总数（{voter.left_out_decision}）",
        obj=voter,
        after={"依据": voter.left_out_rule, "决定": voter.left_out_decision},
    )
    return voter


@transaction.atomic
def register_publish(*, actor: Actor, register: Register, on: date, expected_version: int | None) -> Register:
    """Publish the register: the election moves to 选民名单已公布 (which refuses a day later than the rule set's
    N days before election day); the register is frozen from the decision deadline on."""
    register_policy.check(actor, "change", register)
    election = register.election
    if not register.voters.filter(removed_on__isnull=True).exists():
        raise DomainError("选民名单还没有选民，不能公布。")
    election_move(
        actor=actor,
        election=election,
        to_status=Status.REGISTER_PUBLISHED,
        on=on,
        expected_version=election.version,
    )
    bump_version(register, expected_version=expected_version)
    register.frozen_on = timeline.objection_decisions_by(election.rules, on)
    register.save(update_fields=["version", "frozen_on"])
    record(
        actor=actor,
        region_code=election.region_id,
        event="voters.published",
        summary=f"{election.region.name}选民名单公布（{on:%Y-%m-%d}），申诉截止 "
        f"{timeline.objections_close(election.rules, on):%Y-%m-%d}",
        obj=register,
        after={"公布日期": on, "锁定日期": register.frozen_on},
    )
    return register


@transaction.atomic
def objection_file(
    *,
    actor: Actor,
    register: Register,
    person: Person,
    claim: str,
    filed_by: str,
    filed_on: date,
    grounds: str,
    group: str = "",
    route: str = "",
) -> Objection:
    """申诉 against the published register, within the objection period (after its last day: refused)."""
    register_policy.check(actor, "enter", register)
    election = register.election
    published = _published(register)
    if published is None:
        raise DomainError("选民名单尚未公布，不受理申诉。")
    close = timeline.objections_close(election.rules, published)
    errors: dict[str, list[str]] = {}
    if filed_on < published or filed_on > close:
        errors["filed_on"] = [f"申诉期为 {published:%Y-%m-%d} 至 {close:%Y-%m-%d}，{filed_on:%Y-%m-%d} 不在申诉期内。"]
    if claim not in ObjectionClaim.values:
        errors["claim"] = ["请选择申诉事项。"]
    if not filed_by.strip():
        errors["filed_by"] = ["请填写申诉人。"]
    if not grounds.strip():
        errors["grounds"] = ["请填写申诉理由。"]
    if route and route not in Route.values:
        errors["route"] = ["请选择登记方式。"]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors)
    objection = Objection.objects.create(
        register=register,
        person=person,
        claim=claim,
        filed_by=filed_by.strip(),
        filed_on=filed_on,
        grounds=grounds.strip(),
        group=group.strip(),
        route=route,
    )
    record(
        actor=actor,
        region_code=election.region_id,
        event="voters.objection_filed",
        summary=f"{election.region.name}选民名单申诉：{objection.filed_by}认为{person.name}{objection.get_claim_display()}",
        obj=objection,
        after={"理由": objection.grounds},
    )
    # Those who decide objections (the town, or the county where the town has nobody) hear of it after commit.
    notify(
        recipients=holders("elections.change", election.region_id),
        exclude=actor,
        kind=NotificationKind.OBJECTION_FILED,
        title=f"选民名单收到申诉：{election.region.name}（{filed_on:%Y-%m-%d}）",
        key=f"objection:{objection.pk}",
        county_code=election.region_id[:6],
        url=reverse("voters:register", kwargs={"pk": register.pk}),
        body=f"{objection.filed_by}认为{person.name}{objection.get_claim_display()}：{objection.grounds}",
    )
    return objection


@transaction.atomic
def objection_decide(
    *,
    actor: Actor,
    objection: Objection,
    outcome: str,
    decided_on: date,
    decision_ref: str,
    decision_text: str,
    expected_version: int | None,
) -> Objection:
    """The election committee's decision, within the decision period; upheld, it changes the register as the
    recorded decision (its reference on the change row). The decision is published with the register."""
    objection_policy.check(actor, "change", objection)
    register = objection.register
    election = register.election
    published = _published(register)
    errors: dict[str, list[str]] = {}
    if objection.outcome:
        raise DomainError("该申诉已经处理。")
    if outcome not in ObjectionOutcome.values:
        errors["outcome"] = ["请选择处理结果。"]
    if not decision_ref.strip():
        errors["decision_ref"] = ["请填写决定文号。"]
    if not decision_text.strip():
        errors["decision_text"] = ["请填写处理意见。"]
    if published:
        by = timeline.objection_decisions_by(election.rules, published)
        if decided_on > by or decided_on < objection.filed_on:
            errors["decided_on"] = [f"申诉须在 {objection.filed_on:%Y-%m-%d} 至 {by:%Y-%m-%d} 内作出处理决定。"]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors)
    if outcome == ObjectionOutcome.UPHELD:
        _apply(
            actor=actor,
            register=register,
            person=objection.person,
            kind=objection.claim,
            reason=ChangeReason.DECISION,
            evidence=f"申诉：{objection.grounds}",
            decision_ref=decision_ref,
            group=objection.group,
            route=objection.route,
            consent="",
            on=decided_on,
        )
    bump_version(objection, expected_version=expected_version)
    objection.outcome, objection.decided_on = outcome, decided_on
    objection.decision_ref, objection.decision_text = decision_ref.strip(), decision_text.strip()
    objection.save()
    record(
        actor=actor,
        region_code=election.region_id,
        event="voters.objection_decided",
        summary=f"{election.region.name}选民名单申诉处理：{objection.person.name}，{objection.get_outcome_display()}",
        obj=objection,
        after={"决定文号": objection.decision_ref, "处理意见": objection.decision_text},
    )
    return objection


def _apply(
    *,
    actor: Actor,
    register: Register,
    person: Person,
    kind: str,
    reason: str,
    evidence: str,
    decision_ref: str,
    group: str,
    route: str,
    consent: str,
    on: date,
) -> Voter:
    voter = Voter.objects.filter(register=register, person=person, removed_on__isnull=True).first()
    if kind == ChangeKind.ADD:
        return _add(
            actor=actor,
            register=register,
            person=person,
            route=route or Route.RESIDENT,
            group=group,
            consent=consent,
            reason=reason,
            evidence=evidence,
            decision_ref=decision_ref,
            on=on,
        )
    if voter is None:
        raise DomainError(f"{person.name}不在选民名单中。")
    if kind == ChangeKind.REMOVE:
        return _remove(actor=actor, voter=voter, reason=reason, evidence=evidence, decision_ref=decision_ref, on=on)
    if kind != ChangeKind.CORRECT:
        raise DomainError("请选择变动类别。", {"kind": ["请选择增加、减少或更正。"]})
    new_route = route or voter.route
    if new_route in CONSENT_ROUTES and not (consent or voter.consent).strip():
        raise DomainError("该登记方式须写明村民会议或村民代表会议同意的情况。", {"consent": ["请填写。"]})
    voter.group = group.strip() or voter.group
    voter.route, voter.consent = new_route, (consent or voter.consent).strip()
    bump_version(voter, expected_version=voter.version)
    voter.save()
    RollChange.objects.create(
        register=register,
        person=person,
        kind=ChangeKind.CORRECT,
        reason=reason,
        evidence=evidence,
        decision_ref=decision_ref.strip(),
        on=on,
        by_name=_name(actor),
    )
    record(
        actor=actor,
        region_code=register.election.region_id,
        event="voters.corrected",
        summary=f"{register.election.region.name}选民{person.name}登记信息更正（{decision_ref.strip()}）",
        obj=voter,
        after={"小组": voter.group, "登记方式": voter.get_route_display()},
    )
    return voter


@transaction.atomic
def register_amend(
    *,
    actor: Actor,
    register: Register,
    person: Person,
    kind: str,
    reason: str,
    decision_ref: str,
    evidence: str = "",
    group: str = "",
    route: str = "",
    consent: str = "",
    on: date,
) -> Voter:
    """A change of a published (or frozen) register through a recorded decision of the election committee: add,
    remove or correct, with its reason and the decision's reference."""
    register_policy.check(actor, "change", register)
    if not decision_ref.strip():
        raise DomainError("变动须依选举委员会的决定办理，请写明决定文号。", {"decision_ref": ["请填写决定文号。"]})
    allowed = ADD_CHOICES if kind == ChangeKind.ADD else REMOVE_CHOICES
    _reason_errors(reason, allowed)
    if register.election.status not in (Status.PREPARING, Status.REGISTER_PUBLISHED, Status.CANDIDATES_PUBLISHED):
        raise DomainError("投票已经开始，选民名单不能再变动。")
    return _apply(
        actor=actor,
        register=register,
        person=person,
        kind=kind,
        reason=reason,
        evidence=evidence,
        decision_ref=decision_ref,
        group=group,
        route=route,
        consent=consent,
        on=on,
    )


# ---------------------------------------------------------------------------------------------------------------
# Excel: the export's layout is what the import reads


@transaction.atomic
def deprivation_add(
    *, actor: Actor, person: Person, reason: str, since: date, until: date | None = None
) -> Deprivation:
    """Mark a person deprived of political rights (the register then leaves them out)."""
    from cunshe.people.permissions import person_policy

    person_policy.check(actor, "view", person)
    election_policy.check_in_region(actor, "enter", person.region_id)
    if not reason.strip():
        raise DomainError("请填写依据（判决书等）。", {"reason": ["请填写依据。"]})
    if until and until <= since:
        raise DomainError("恢复日期须晚于起始日期。", {"until": ["恢复日期须晚于起始日期。"]})
    deprivation = Deprivation.objects.create(person=person, reason=reason.strip(), since=since, until=until)
    record(
        actor=actor,
        region_code=person.region_id,
        event="voters.deprived",
        summary=f"{person.name}被剥夺政治权利（{deprivation.reason}）",
        obj=deprivation,
        after={"起始": since, "恢复": until},
    )
    return deprivation
