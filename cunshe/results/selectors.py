"""Reads of the results module. Everything here starts from an election already fetched through election_policy
(or from a village the caller may see), so no scope is widened."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from cunshe.access.roles import Role
from cunshe.accounts.models import RoleAssignment, User
from cunshe.elections.models import ElectedMember, Election, Kind, Round, Status
from cunshe.regions.models import Region

COMMITTEE_KINDS = (Kind.VILLAGERS, Kind.RESIDENTS)
TEAM_KINDS = (Kind.VILLAGERS, Kind.RESIDENTS, Kind.SUPERVISION)
LEAVING_REASON = "换届离任"


def rounds_of(election: Election) -> list[Election]:
    """The rounds whose elected make up the body: a further round (另行选举) completes its main round's seats; a
    rerun (重新选举) replaces the void round entirely."""
    if election.round == Round.FURTHER and election.parent_id:
        assert election.parent is not None
        return [election.parent, election]
    return [election]


def final_round(election: Election) -> Election:
    """The round that was certified for this election: itself, or its certified further round."""
    further = election.rounds.filter(round=Round.FURTHER, status=Status.CERTIFIED).first()
    return further or election


def elected_of(election: Election) -> list[tuple[ElectedMember, date]]:
    """Everyone elected in the rounds that make up the body, each with the day of the round that elected them."""
    rounds = rounds_of(election)
    days = {r.pk: r.election_day for r in rounds}
    members = (
        ElectedMember.objects.filter(result__election__in=[r.pk for r in rounds])
        .select_related("person", "result")
        .order_by("result__election__election_day", "position")
    )
    return [(m, days[m.result.election_id]) for m in members]


def committee_day(election: Election) -> date:
    """The day the body was elected: the first round counted towards it."""
    return rounds_of(election)[0].election_day


def committee_elected_on(village_code: str) -> date | None:
    """The day the village's (residents') committee was elected in its county's current term change, when that
    result is certified: a committee handover of the village must start that day."""
    from cunshe.termchanges.selectors import current_term_change

    term_change = current_term_change(village_code)
    if term_change is None:
        return None
    # any certified round leads back to the same first round (a further round's main round is certified with it)
    election = (
        Election.objects.filter(
            term_change=term_change, region_id=village_code, kind__in=COMMITTEE_KINDS, status=Status.CERTIFIED
        )
        .select_related("parent")
        .order_by("-election_day")
        .first()
    )
    return committee_day(election) if election is not None else None


def terms_of(village_codes: list[str]) -> dict[str, int]:
    """The term each village's team is in: the term change (pk) in which its villagers' or residents' committee was
    last elected and certified. A village missing from the answer is still led by a team elected before cunshe kept
    its elections (上届). Commitments, the annual list and the five-year plan belong to the term they were made in.
    One query for any number of villages."""
    rows = (
        Election.objects.filter(region_id__in=village_codes, kind__in=COMMITTEE_KINDS, status=Status.CERTIFIED)
        .order_by("region_id", "election_day")
        .values_list("region_id", "term_change_id")
    )
    return dict(rows)  # ordered by day: the latest certified election of each village wins


def supervisors_over(village_codes: Iterable[str]) -> dict[str, User]:
    """A discipline supervisor account over each village that has one (its county, town or the village itself), in
    two queries: the nearest level first (the village's own, then its town's, then its county's), the earliest
    account among equals."""
    levels = {code: [code, code[:9], code[:6]] for code in village_codes}
    held: dict[str, list[int]] = {}
    for user_id, region_id in (
        RoleAssignment.objects.filter(
            is_active=True,
            role=Role.DISCIPLINE_SUPERVISOR,
            user__is_active=True,
            region_id__in={c for codes in levels.values() for c in codes},
        )
        .order_by("user_id")
        .values_list("user_id", "region_id")
    ):
        held.setdefault(region_id, []).append(user_id)
    chosen = {}
    for village, codes in levels.items():
        found = next((held[c][0] for c in codes if c in held), None)
        if found is not None:
            chosen[village] = found
    users = User.objects.in_bulk(set(chosen.values()))
    return {village: users[user_id] for village, user_id in chosen.items()}


def village_name(code: str) -> str:
    region: Any = Region.objects.filter(code=code).only("name").first()
    return region.name if region else code


def certified_in_term(village_code: str) -> list[Election]:
    """The village's certified elections in its county's current term change (the team page says the roster came
    from them)."""
    from cunshe.termchanges.selectors import current_term_change

    term_change = current_term_change(village_code)
    if term_change is None:
        return []
    return list(
        Election.objects.filter(term_change=term_change, region_id=village_code, status=Status.CERTIFIED)
        .exclude(rounds__round=Round.FURTHER, rounds__status=Status.CERTIFIED)
        .order_by("election_day", "kind")
    )


def handover_plan_ready(election: Election) -> bool:
    """A certified committee election whose handover can be opened now (someone leaves, a supervisor exists)."""
    from cunshe.results.services import handover_plan

    return not handover_plan(election)["problems"]
