"""Writes of polling (§5): stations and boxes with their staff, the voters a mobile box serves, proxies, the
published lists, and opening the poll on election day. Each checks the election's access rule, validates
everything before saving anything and appends to the record book in the same transaction."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from cunshe.candidates.models import Candidate, CandidateStatus
from cunshe.core.actors import Actor
from cunshe.core.errors import DomainError
from cunshe.elections.models import Election, Status
from cunshe.elections.permissions import election_policy
from cunshe.elections.services import election_move
from cunshe.people.models import Kinship, Person
from cunshe.people.selectors import close_relatives, kinship_between
from cunshe.polling.models import (
    ListKind,
    MobileVoter,
    Proxy,
    Publication,
    StaffMember,
    StaffRole,
    Station,
    StationKind,
)
from cunshe.records.services import record
from cunshe.voters.models import Voter

# Once the poll is open the stations, staff and lists are what the day ran with: they are no longer changed here.
_CLOSED = (Status.VOTING, Status.COUNTED, Status.CERTIFIED, Status.VOID)


def _open_for_changes(election: Election) -> None:
    if election.status in _CLOSED:
        raise DomainError(f"选举已{election.get_status_display()}，投票安排不能再更改。")


def _formal_candidates(election: Election) -> dict[int, str]:
    """person id → name of the election's formal candidates."""
    rows = Candidate.objects.filter(election=election, status=CandidateStatus.FORMAL).values_list(
        "person_id", "person__name"
    )
    return dict(rows)


def voter_of(election: Election, person_id: int) -> Voter | None:
    """The person's entry on the election's register (not removed), if any."""
    return (
        Voter.objects.select_related("person")
        .filter(register__election=election, person_id=person_id, removed_on__isnull=True)
        .first()
    )


# ---------------------------------------------------------------------------------------------------------------
# Stations and boxes


@transaction.atomic
def station_add(*, actor: Actor, election: Election, kind: str, name: str, place: str = "", booths: int = 1) -> Station:
    election_policy.check(actor, "change", election)
    _open_for_changes(election)
    errors: dict[str, list[str]] = {}
    if kind not in StationKind.values:
        errors["kind"] = ["请选择类别（中心会场、投票站或流动票箱）。"]
    elif kind == StationKind.MOBILE and not election.is_direct:
        errors["kind"] = ["会议选举不设流动票箱。"]
    elif kind == StationKind.CENTRAL and election.stations.filter(kind=StationKind.CENTRAL).exists():
        errors["kind"] = ["每次选举只设一个中心会场。"]
    if not name.strip():
        errors["name"] = ["请填写名称。"]
    if kind != StationKind.MOBILE and not place.strip():
        errors["place"] = ["请填写投票地点。"]
    if booths < 1:
        errors["booths"] = ["每个投票站至少设一个秘密写票处。"]
    if errors:
        raise DomainError("投票站(票箱)有误，未保存。", errors)
    last = election.stations.order_by("-position").values_list("position", flat=True).first() or 0
    station = Station.objects.create(
        election=election, kind=kind, name=name.strip(), place=place.strip(), booths=booths, position=last + 1
    )
    record(
        actor=actor,
        region_code=election.region_id,
        event="polling.station_added",
        summary=f"{election.region.name}{election}：设{station}",
        obj=station,
        after={"类别": station.get_kind_display(), "名称": station.name, "地点": station.place, "秘密写票处": booths},
    )
    return station


def _scrutineer_conflict(election: Election, person: Person) -> str:
    """Why `person` may not be a scrutineer of `election` (a formal candidate or a candidate's close relative)."""
    candidates = _formal_candidates(election)
    if person.pk in candidates:
        return f"{person.name}是本次选举的正式候选人，不能担任监票人。"
    for relative_id in close_relatives([person.pk])[person.pk]:
        if relative_id in candidates:
            kin = kinship_between(relative_id, person.pk)
            label = Kinship(kin).label if kin else "近亲属"
            return f"{person.name}是正式候选人{candidates[relative_id]}的{label}（近亲属），不能担任监票人。"
    return ""


@transaction.atomic
def staff_add(*, actor: Actor, station: Station, person: Person, role: str) -> StaffMember:
    """Put a person of the village to work at a station: issuer, caller, counter or scrutineer."""
    election = station.election
    election_policy.check(actor, "change", election)
    _open_for_changes(election)
    errors: dict[str, list[str]] = {}
    if role not in StaffRole.values:
        errors["role"] = ["请选择职责（发票人、唱票人、计票人或监票人）。"]
    if not person.region_id.startswith(election.region_id):
        errors["person"] = [f"{person.name}不是本村(社区)人员，投票工作人员须由本村(社区)人员担任。"]
    elif role == StaffRole.SCRUTINEER and (why := _scrutineer_conflict(election, person)):
        errors["person"] = [why]
    elif StaffMember.objects.filter(station=station, person=person, role=role).exists():
        errors["person"] = [f"{person.name}已是本站的{StaffRole(role).label}。"]
    if errors:
        raise DomainError("投票工作人员有误，未保存。", errors)
    member = StaffMember.objects.create(station=station, person=person, role=role)
    record(
        actor=actor,
        region_code=election.region_id,
        event="polling.staff_added",
        summary=f"{station.name}：{member}",
        obj=member,
        after={"投票站": station.name, "人员": person.name, "职责": member.get_role_display()},
    )
    return member


@transaction.atomic
def staff_remove(*, actor: Actor, member: StaffMember) -> None:
    election = member.station.election
    election_policy.check(actor, "change", election)
    _open_for_changes(election)
    record(
        actor=actor,
        region_code=election.region_id,
        event="polling.staff_removed",
        summary=f"{member.station.name}：不再由{member}担任",
        obj=member,
        before={"投票站": member.station.name, "人员": member.person.name, "职责": member.get_role_display()},
    )
    member.delete()


def scrutineer_problems(station: Station) -> list[str]:
    """What keeps a station's scrutineers from standing (Chinese, naming who and why): fewer than the rule set's
    minimum, a formal candidate or a candidate's close relative among them, all from one group (where known)."""
    election = station.election
    minimum = election.rules.scrutineers_min
    people = [m.person for m in station.staff.filter(role=StaffRole.SCRUTINEER).select_related("person").order_by("pk")]
    problems = []
    if len(people) < minimum:
        problems.append(f"{station.name}：监票人{len(people)}名，每个投票站(票箱)须{minimum}名以上。")
    problems += [f"{station.name}：{why}" for p in people if (why := _scrutineer_conflict(election, p))]
    groups = dict(
        Voter.objects.filter(
            register__election=election, person_id__in=[p.pk for p in people], removed_on__isnull=True
        ).values_list("person_id", "group")
    )
    known = {groups[p.pk] for p in people if groups.get(p.pk)}
    if len(people) >= 2 and len(known) == 1 and all(groups.get(p.pk) for p in people):
        names = "、".join(p.name for p in people)
        problems.append(f"{station.name}：监票人{names}都来自{known.pop()}，不能全部来自同一个村民小组。")
    return problems


# ---------------------------------------------------------------------------------------------------------------
# Mobile boxes and proxies


def _published(election: Election, what: str) -> Publication | None:
    return Publication.objects.filter(election=election, what=what).first()


@transaction.atomic
def mobile_voter_add(*, actor: Actor, station: Station, voter: Voter, reason: str) -> MobileVoter:
    """A voter who cannot come, served by a mobile box; only before the list is published."""
    election = station.election
    election_policy.check(actor, "change", election)
    _open_for_changes(election)
    errors: dict[str, list[str]] = {}
    if station.kind != StationKind.MOBILE:
        errors["station"] = [f"{station.name}不是流动票箱。"]
    if voter.register.election_id != election.pk or voter.removed_on is not None:
        errors["voter"] = [f"{voter.person.name}不在本次选举的选民名单上。"]
    elif MobileVoter.objects.filter(voter=voter).exists():
        errors["voter"] = [f"{voter.person.name}已在流动票箱名单上。"]
    if not reason.strip():
        errors["reason"] = ["请写明不能到场投票的原因（如年老体弱、行动不便）。"]
    if _published(election, ListKind.MOBILE):
        errors["station"] = ["流动票箱服务选民名单已公布，不能再增加。"]
    if errors:
        raise DomainError("流动票箱名单有误，未保存。", errors)
    entry = MobileVoter.objects.create(station=station, voter=voter, reason=reason.strip())
    record(
        actor=actor,
        region_code=election.region_id,
        event="polling.mobile_voter_added",
        summary=f"{station.name}服务选民：{voter.person.name}（{entry.reason}）",
        obj=entry,
        after={"流动票箱": station.name, "选民": voter.person.name, "原因": entry.reason},
    )
    return entry


@transaction.atomic
def proxy_add(
    *, actor: Actor, election: Election, principal: Voter, trustee: Voter, written_on: date, approved_on: date
) -> Proxy:
    """A written proxy approved by the election committee before election day; the trustee a close relative of the
    principal with a vote here, not a formal candidate, and trusted by at most the rule set's cap."""
    election_policy.check(actor, "change", election)
    _open_for_changes(election)
    if not election.is_direct:
        raise DomainError("会议选举不办理委托投票。")
    cap = election.rules.proxy_cap
    errors: dict[str, list[str]] = {}
    for field, voter in (("principal", principal), ("trustee", trustee)):
        if voter.register.election_id != election.pk or voter.removed_on is not None:
            errors[field] = [f"{voter.person.name}不在本次选举的选民名单上。"]
    if principal.pk == trustee.pk:
        errors["trustee"] = ["不能委托本人。"]
    elif "trustee" not in errors and "principal" not in errors:
        if not kinship_between(principal.person_id, trustee.person_id):
            errors["trustee"] = [
                f"{trustee.person.name}不是{principal.person.name}登记的近亲属，只能委托有选举权的近亲属。"
            ]
        elif trustee.person_id in _formal_candidates(election):
            errors["trustee"] = [f"{trustee.person.name}是正式候选人，不能接受委托。"]
        else:
            taken = Proxy.objects.filter(election=election, trustee=trustee).count()
            if taken >= cap:
                errors["trustee"] = [f"{trustee.person.name}已接受{taken}人委托，每人接受委托不得超过{cap}人。"]
    if Proxy.objects.filter(principal=principal).exists():
        errors["principal"] = [f"{principal.person.name}已办理委托投票。"]
    if approved_on >= election.election_day:
        errors["approved_on"] = [
            f"委托须在选举日（{election.election_day:%Y-%m-%d}）前经村民选举委员会同意，"
            f"{approved_on:%Y-%m-%d} 已不在选举日前。"
        ]
    if written_on > approved_on:
        errors["written_on"] = ["书面委托日期不能晚于同意日期。"]
    if _published(election, ListKind.PROXY):
        errors["principal"] = ["委托投票名单已公布，不能再增加。"]
    if errors:
        raise DomainError("委托投票有误，未保存。", errors)
    proxy = Proxy.objects.create(
        election=election, principal=principal, trustee=trustee, written_on=written_on, approved_on=approved_on
    )
    kin = kinship_between(principal.person_id, trustee.person_id)
    record(
        actor=actor,
        region_code=election.region_id,
        event="polling.proxy_added",
        summary=f"委托投票：{principal.person.name}委托{trustee.person.name}（{Kinship(kin).label}）",
        obj=proxy,
        after={
            "委托人": principal.person.name,
            "受托人": trustee.person.name,
            "关系": Kinship(kin).label,
            "书面委托日期": written_on,
            "同意日期": approved_on,
        },
    )
    return proxy


@transaction.atomic
def list_publish(*, actor: Actor, election: Election, what: str, on: date) -> Publication:
    """Publish the mobile-box list or the proxy list, before election day."""
    election_policy.check(actor, "change", election)
    _open_for_changes(election)
    if what not in ListKind.values:
        raise DomainError("请选择要公布的名单。", {"what": ["请选择要公布的名单。"]})
    errors: dict[str, list[str]] = {}
    if on >= election.election_day:
        errors["on"] = [f"{ListKind(what).label}须在选举日（{election.election_day:%Y-%m-%d}）前公布。"]
    if _published(election, what):
        errors["what"] = [f"{ListKind(what).label}已公布。"]
    if errors:
        raise DomainError(f"{ListKind(what).label}未公布。", errors)
    publication = Publication.objects.create(election=election, what=what, published_on=on)
    record(
        actor=actor,
        region_code=election.region_id,
        event="polling.list_published",
        summary=f"{election.region.name}{election}：公布{publication}",
        obj=publication,
        after={"名单": publication.get_what_display(), "公布日期": on},
    )
    return publication


# ---------------------------------------------------------------------------------------------------------------
# Election day


@transaction.atomic
def polling_open(*, actor: Actor, election: Election, on: date, expected_version: int | None = None) -> Election:
    """Open the poll on election day: a central venue, and every station and box with its scrutineers."""
    election_policy.check(actor, "change", election)
    stations = list(election.stations.all())
    problems: list[str] = []
    if not any(s.kind == StationKind.CENTRAL for s in stations):
        problems.append("尚未设中心会场。")
    for station in stations:
        problems += scrutineer_problems(station)
    if problems:
        raise DomainError("不能开始投票：" + "；".join(problems), {"stations": problems})
    return election_move(
        actor=actor, election=election, to_status=Status.VOTING, on=on, expected_version=expected_version
    )
