from datetime import date
from fractions import Fraction
from typing import Any

import pytest
from django.http import Http404

from conftest import COUNTY, TOWN_A, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition, NotPermitted
from cunshe.elections import timeline
from cunshe.elections.models import CommitteeRole, ElectionRules, Kind, Round, Status
from cunshe.elections.rules import rules_for, tally_rules
from cunshe.elections.services import (
    committee_member_add,
    committee_member_withdraw,
    committee_withdraw_for_nominee,
    election_move,
    election_open,
    election_round_open,
    rules_tighten,
)
from cunshe.elections.tests.factories import ELECTION_DAY, open_election, term_change_for
from cunshe.people.services import relation_add
from cunshe.records.models import RecordEntry


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("town_officer", TOWN_A)


@pytest.fixture
def organizer(make_user: Any) -> Any:
    return make_user("county_organizer", COUNTY)


# ---------------------------------------------------------------------------------------------------------- rules


def test_the_national_sets_are_dated_data_with_exact_fractions(zouping: Any) -> None:
    rules = rules_for(COUNTY, Kind.VILLAGERS, ELECTION_DAY)
    assert rules is not None and rules.province == "" and rules.effective_from == date(2026, 1, 1)
    assert (rules.turnout, rules.win, rules.further_floor) == (Fraction(1, 2), Fraction(1, 2), Fraction(1, 3))
    assert (rules.seats_min, rules.seats_max, rules.proxy_cap, rules.register_days_before) == (3, 7, 3, 20)
    # before the 2025 amendment came into force there is no villagers' set in the database
    assert rules_for(COUNTY, Kind.VILLAGERS, date(2025, 12, 31)) is None
    party = rules_for(COUNTY, Kind.PARTY, ELECTION_DAY)
    assert party is not None and party.meeting_quorum == Fraction(4, 5) and not party.meeting_quorum_inclusive
    assert tally_rules(party).party and tally_rules(party).party_quorum == Fraction(4, 5)
    supervision = rules_for(COUNTY, Kind.SUPERVISION, ELECTION_DAY)
    assert supervision is not None and supervision.meeting_quorum == Fraction(2, 3)


def test_a_county_may_tighten_but_never_loosen(organizer: Any, make_user: Any) -> None:
    rules = rules_tighten(
        actor=organizer,
        county_code=COUNTY,
        kind=Kind.VILLAGERS,
        effective_from=date(2026, 10, 1),
        name="邹平市村民委员会选举实施细则",
        source="邹组发〔2026〕1号",
        values={"register_days_before": 25, "proxy_cap": 2, "candidates_days_before": "7"},
    )
    assert rules.based_on is not None and rules.based_on.province == ""
    assert (rules.register_days_before, rules.proxy_cap, rules.candidates_days_before) == (25, 2, 7)
    assert rules.turnout == Fraction(1, 2)  # what the county did not touch is its base's
    assert rules_for(VILLAGE_A, Kind.VILLAGERS, ELECTION_DAY) == rules
    assert rules_for(VILLAGE_A, Kind.VILLAGERS, date(2026, 9, 30)) == rules.based_on
    entry = RecordEntry.objects.get(event="elections.rules_tightened")
    assert entry.after is not None and entry.after["每名受托人受托人数（以下）"] == "3 → 2"
    with pytest.raises(DomainError) as refused:
        rules_tighten(
            actor=organizer, county_code=COUNTY, kind=Kind.VILLAGERS, effective_from=date(2026, 11, 1),
            name="放宽", source="x",
            values={"turnout": "1/3", "proxy_cap": 5, "register_days_before": 19, "aggregation": True},
        )  # fmt: skip
    assert set(refused.value.field_errors) == {"turnout", "proxy_cap", "register_days_before", "aggregation"}
    assert "只能从严" in refused.value.field_errors["turnout"][0]
    with pytest.raises(DomainError) as refused:
        rules_tighten(
            actor=organizer, county_code=COUNTY, kind=Kind.VILLAGERS, effective_from=date(2026, 11, 1),
            name="小数", source="x", values={"win": "0.6"},
        )  # fmt: skip
    assert refused.value.field_errors["win"] == ["“0.6”不是分数，请写成“1/2”“2/3”的形式。"]
    assert ElectionRules.objects.filter(county_id=COUNTY).count() == 1
    # a town officer sees the county but may not make its rules; another county's organizer does not see it
    with pytest.raises(NotPermitted):
        rules_tighten(
            actor=make_user("town_officer", TOWN_A), county_code=COUNTY, kind=Kind.VILLAGERS,
            effective_from=date(2026, 11, 1), name="n", source="s",
        )  # fmt: skip


def test_other_counties_rules_are_invisible(organizer: Any, other_county: Any, make_user: Any) -> None:
    with pytest.raises(Http404):
        rules_tighten(
            actor=organizer, county_code=other_county.code, kind=Kind.VILLAGERS,
            effective_from=date(2026, 11, 1), name="n", source="s",
        )  # fmt: skip


# ------------------------------------------------------------------------------------------------------ elections


def test_a_town_opens_its_villages_election_under_the_rules_of_election_day(officer: Any) -> None:
    term_change_for()
    election = election_open(
        actor=officer,
        village_code=VILLAGE_A,
        kind=Kind.VILLAGERS,
        election_day=ELECTION_DAY,
        seats={"director": 1, "deputy_director": 1, "committee_member": 3},
    )
    assert election.status == Status.PREPARING and election.round == Round.MAIN
    assert election.rules == rules_for(VILLAGE_A, Kind.VILLAGERS, ELECTION_DAY)
    assert [(p.post, p.seats) for p in election.posts.all()] == [
        ("director", 1),
        ("deputy_director", 1),
        ("committee_member", 3),
    ]
    assert RecordEntry.objects.filter(event="elections.opened", region_id=VILLAGE_A).exists()
    with pytest.raises(DomainError, match="已有"):
        open_election(actor=officer)


@pytest.mark.parametrize(
    ("seats", "message"),
    [
        ({"director": 1, "deputy_director": 0, "committee_member": 1}, "须在 3 至 7 名之间"),
        ({"director": 1, "deputy_director": 2, "committee_member": 5}, "须在 3 至 7 名之间"),
        ({"director": 2, "committee_member": 3}, "主任应选 1 名"),
        ({"director": 1, "secretary": 1, "committee_member": 3}, "没有职务：书记"),
        ({"director": 1, "committee_member": -1}, "不小于 0"),
    ],
)
def test_seats_follow_the_rule_set(officer: Any, seats: dict[str, int], message: str) -> None:
    term_change_for()
    with pytest.raises(DomainError) as refused:
        election_open(
            actor=officer, village_code=VILLAGE_A, kind=Kind.VILLAGERS, election_day=ELECTION_DAY, seats=seats
        )
    assert any(message in m for m in refused.value.field_errors["seats"])


def test_elections_need_a_term_change_and_belong_to_the_town(officer: Any, make_user: Any) -> None:
    with pytest.raises(DomainError, match="没有进行中的换届"):
        election_open(actor=officer, village_code=VILLAGE_A, kind=Kind.VILLAGERS, election_day=ELECTION_DAY, seats={})
    term_change_for()
    with pytest.raises(Http404):  # another town's village does not exist for this officer
        open_election(actor=officer, village=VILLAGE_B)
    with pytest.raises(NotPermitted):  # a village cadre sees the village but does not run its election
        open_election(actor=make_user("village_cadre", VILLAGE_A))
    assert open_election(actor=SYSTEM).region_id == VILLAGE_A  # the explicit system actor (the demo builder)


# ------------------------------------------------------------------------------------------------------- timeline


def test_the_timeline_counts_back_from_election_day_and_periods_end_on_a_working_day(zouping: Any) -> None:
    election = open_election()
    steps = {s.key: s for s in timeline.timeline(election)}
    assert steps["register"].due_on == date(2026, 11, 30)
    assert steps["candidates"].due_on == date(2026, 12, 15)
    assert steps["objections"].due_on is None  # runs from the day the register is published
    # published on Thursday 2026-09-24: five days end on 2026-09-29; three more days would end on Friday 10-02,
    # inside the National Day holiday, so the period runs to the first working day after it (Civil Code art. 203)
    rules = election.rules
    assert timeline.objections_close(rules, date(2026, 9, 24)) == date(2026, 9, 29)
    assert timeline.objection_decisions_by(rules, date(2026, 9, 24)) == date(2026, 10, 8)
    # a period whose last day is a Saturday ends on the Monday
    assert timeline.period_end(date(2026, 11, 9), 5) == date(2026, 11, 16)


def test_stages_move_by_the_table_and_the_legal_deadlines(officer: Any) -> None:
    election = open_election(actor=officer)
    with pytest.raises(IllegalTransition, match="可转为：选民名单已公布"):
        election_move(
            actor=officer, election=election, to_status=Status.VOTING, on=ELECTION_DAY,
            expected_version=election.version,
        )  # fmt: skip
    with pytest.raises(DomainError, match="最迟 2026-11-30"):
        election_move(
            actor=officer, election=election, to_status=Status.REGISTER_PUBLISHED, on=date(2026, 12, 1),
            expected_version=election.version,
        )  # fmt: skip
    election_move(
        actor=officer, election=election, to_status=Status.REGISTER_PUBLISHED, on=date(2026, 11, 30),
        expected_version=election.version,
    )  # fmt: skip
    assert election.register_published_on == date(2026, 11, 30)
    with pytest.raises(ConcurrentEdit):
        election_move(
            actor=officer, election=election, to_status=Status.CANDIDATES_PUBLISHED, on=date(2026, 12, 10),
            expected_version=1,
        )  # fmt: skip
    with pytest.raises(DomainError, match="须写明原因"):
        election_move(
            actor=officer, election=election, to_status=Status.PREPARING, on=date(2026, 12, 1),
            expected_version=election.version,
        )  # fmt: skip
    with pytest.raises(DomainError, match="最迟 2026-12-15"):
        election_move(
            actor=officer, election=election, to_status=Status.CANDIDATES_PUBLISHED, on=date(2026, 12, 16),
            expected_version=election.version,
        )  # fmt: skip
    election_move(
        actor=officer, election=election, to_status=Status.CANDIDATES_PUBLISHED, on=date(2026, 12, 15),
        expected_version=election.version,
    )  # fmt: skip
    with pytest.raises(DomainError, match="只能在选举日"):
        election_move(
            actor=officer, election=election, to_status=Status.VOTING, on=date(2026, 12, 19),
            expected_version=election.version,
        )  # fmt: skip
    election_move(
        actor=officer, election=election, to_status=Status.VOTING, on=ELECTION_DAY, expected_version=election.version
    )
    assert election.status == Status.VOTING
    assert RecordEntry.objects.filter(event="elections.moved", region_id=VILLAGE_A).count() == 3


def test_meeting_elections_have_no_register(officer: Any) -> None:
    election = open_election(actor=officer, kind=Kind.PARTY)
    assert election.moves == (Status.CANDIDATES_PUBLISHED,)
    assert [s.key for s in timeline.timeline(election)] == ["candidates", "polling"]


def test_a_rerun_only_follows_a_void_election(officer: Any) -> None:
    election = open_election(actor=officer)
    with pytest.raises(DomainError, match="被确认无效"):
        election_round_open(actor=officer, parent=election, round=Round.RERUN, election_day=date(2027, 1, 10), seats={})


# ------------------------------------------------------------------------------------- the election committee


def test_a_nominated_member_and_a_nominees_relative_leave_and_alternates_fill_in(
    officer: Any, make_person: Any
) -> None:
    election = open_election(actor=officer)
    people = [make_person(VILLAGE_A) for _ in range(7)]
    chosen: dict[str, Any] = {"chosen_by": "村民代表会议推选", "chosen_on": date(2026, 11, 1)}
    roles = [CommitteeRole.CHAIR, *[CommitteeRole.MEMBER] * 4, CommitteeRole.ALTERNATE, CommitteeRole.ALTERNATE]
    members = [
        committee_member_add(actor=officer, election=election, person=p, role=r, **chosen)
        for p, r in zip(people, roles, strict=True)
    ]
    nominee = make_person(VILLAGE_A)
    relation_add(actor=officer, person=nominee, relative=people[2], kinship="child")  # people[2] is her child
    said = committee_withdraw_for_nominee(actor=officer, election=election, nominee=nominee, on=date(2026, 12, 2))
    assert said == [
        f"{people[2].name} 因其近亲属（父母）{nominee.name}被提名为候选人退出选举委员会，由 {people[5].name} 递补。"
    ]
    said = committee_withdraw_for_nominee(actor=officer, election=election, nominee=people[1], on=date(2026, 12, 2))
    assert said[0].startswith(f"{people[1].name} 因本人被提名为候选人退出") and people[6].name in said[0]
    members[5].refresh_from_db()
    assert members[5].role == CommitteeRole.MEMBER and members[5].replaces == members[2]
    # nobody left to fill in: the meeting must choose again
    said = committee_withdraw_for_nominee(actor=officer, election=election, nominee=people[3], on=date(2026, 12, 2))
    assert "没有递补人选" in said[0]
    assert RecordEntry.objects.filter(event="elections.committee_member_withdrawn").count() == 3


def test_committee_members_are_people_of_the_village_and_only_the_town_chooses(
    officer: Any, make_person: Any, make_user: Any
) -> None:
    election = open_election(actor=officer)
    stranger = make_person(VILLAGE_B)
    with pytest.raises(DomainError) as refused:
        committee_member_add(
            actor=SYSTEM, election=election, person=stranger, role="member", chosen_by="", chosen_on=date(2026, 11, 1)
        )
    assert set(refused.value.field_errors) == {"person", "chosen_by"}
    local = make_person(VILLAGE_A)
    with pytest.raises(NotPermitted):
        committee_member_add(
            actor=make_user("village_cadre", VILLAGE_A), election=election, person=local, role="member",
            chosen_by="村民代表会议推选", chosen_on=date(2026, 11, 1),
        )  # fmt: skip
    member = committee_member_add(
        actor=officer, election=election, person=local, role="chair", chosen_by="村民代表会议推选",
        chosen_on=date(2026, 11, 1),
    )  # fmt: skip
    with pytest.raises(DomainError, match="须在推选日期与今天之间"):
        committee_member_withdraw(
            actor=officer, member=member, reason="身体原因", on=date(2026, 10, 1), expected_version=member.version
        )
