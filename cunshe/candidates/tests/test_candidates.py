from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import VILLAGE_A
from cunshe.candidates.eligibility import candidates_range
from cunshe.candidates.models import Candidate, CandidateStatus, NominationSheet
from cunshe.candidates.services import (
    NominationRow,
    candidate_withdraw,
    candidates_publish,
    list_approve,
    nominations_enter,
    recommendations_enter,
)
from cunshe.candidates.tests.factories import formal, nominate, people, review
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError
from cunshe.elections.models import Kind, Status
from cunshe.elections.services import committee_member_add, election_move
from cunshe.elections.tests.factories import open_election
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.services import exclusion_rules_install_defaults
from cunshe.negativelist.services import entry_add
from cunshe.people.services import relation_add
from cunshe.records.models import RecordEntry
from cunshe.teams.services import member_appoint

PARTY = {"is_party_member": True, "party_joined_on": date(2010, 7, 1)}
VILLAGERS_SEATS = {"director": 1, "deputy_director": 1, "committee_member": 3}


def _villagers(zouping: Any, members: int = 4) -> tuple[Any, Any]:
    election = open_election(kind=Kind.VILLAGERS)
    slate = {"director": people(VILLAGE_A, 2), "deputy_director": people(VILLAGE_A, 2),
             "committee_member": people(VILLAGE_A, 7)}  # fmt: skip
    review([p for ps in slate.values() for p in ps])
    nominate(election, slate)
    chosen = {"director": slate["director"], "deputy_director": slate["deputy_director"],
              "committee_member": slate["committee_member"][:members]}  # fmt: skip
    return election, {"all": slate, "chosen": chosen}


def errors_of(exc: pytest.ExceptionInfo[DomainError]) -> str:
    return exc.value.message + " " + " ".join(" ".join(v) for v in exc.value.field_errors.values())


# ---- margins at their boundaries ------------------------------------------------------------------------------


def test_members_plus_one_is_enough(zouping: Any) -> None:
    election, s = _villagers(zouping, members=4)  # 3 seats + 1
    made = formal(election, s["chosen"])
    assert len(made) == 8
    assert RecordEntry.objects.filter(event="candidates.determined").exists()


def test_members_plus_zero_is_refused(zouping: Any) -> None:
    election, s = _villagers(zouping, members=3)
    with pytest.raises(DomainError) as exc:
        formal(election, s["chosen"])
    assert "委员应选 3 名，候选人至少 4 名" in errors_of(exc)
    assert not Candidate.objects.filter(election=election).exists()


def test_members_plus_four_is_refused_with_max_three(zouping: Any) -> None:
    election, s = _villagers(zouping, members=7)
    with pytest.raises(DomainError) as exc:
        formal(election, s["chosen"])
    assert "至多 6 名" in errors_of(exc)
    s["chosen"]["committee_member"] = s["all"]["committee_member"][:6]
    assert len(formal(election, s["chosen"])) == 10  # +3 is the most


def test_director_needs_one_more(zouping: Any) -> None:
    election, s = _villagers(zouping)
    s["chosen"]["director"] = s["chosen"]["director"][:1]
    with pytest.raises(DomainError) as exc:
        formal(election, s["chosen"])
    assert "主任应选 1 名，候选人至少 2 名" in errors_of(exc)


def test_party_margin_is_twenty_percent_rounded_up(zouping: Any) -> None:
    election = open_election(kind=Kind.PARTY)
    rules = election.rules
    assert candidates_range(rules, "party_member", 5) == (6, None)
    assert candidates_range(rules, "party_member", 6) == (8, None)  # 7.2 rounds up
    members = people(VILLAGE_A, 8, **PARTY)
    review(members)
    nominate(election, {"party_member": members})
    with pytest.raises(DomainError) as exc:
        formal(election, {"party_member": members[:5]})
    assert "至少 6 名；现有 5 名" in errors_of(exc)
    assert len(formal(election, {"party_member": members[:6]})) == 6


def test_party_six_seats_need_eight(zouping: Any) -> None:
    election = open_election(kind=Kind.PARTY, seats={"party_member": 6})
    members = people(VILLAGE_A, 8, **PARTY)
    review(members)
    nominate(election, {"party_member": members})
    with pytest.raises(DomainError) as exc:
        formal(election, {"party_member": members[:7]})
    assert "至少 8 名；现有 7 名" in errors_of(exc)
    assert len(formal(election, {"party_member": members})) == 8


# ---- the nomination tally sheet -------------------------------------------------------------------------------


def test_nominations_over_ballots_times_seats_are_refused(zouping: Any) -> None:
    election = open_election(kind=Kind.VILLAGERS)
    a, b, c = people(VILLAGE_A, 3)
    rows = [NominationRow("committee_member", p.pk, 10) for p in (a, b, c)]  # 30 votes, 10 ballots × 3 seats
    sheet = nominations_enter(actor=SYSTEM, election=election, ballots=10, rows=rows, on=date(2026, 12, 1)).value
    assert sheet.rows.count() == 3
    rows.append(NominationRow("director", a.pk, 10))
    rows[0] = NominationRow("committee_member", a.pk, 11)  # 31 > 30
    with pytest.raises(DomainError) as exc:
        nominations_enter(actor=SYSTEM, election=election, ballots=10, rows=rows, on=date(2026, 12, 1))
    assert "超过提名票数 10 × 应选 3 名 = 30 票" in errors_of(exc)
    assert NominationSheet.objects.get(election=election).rows.count() == 3  # the first sheet stands


def test_nominees_are_villagers_without_duplicates(zouping: Any, make_person: Any) -> None:
    election = open_election(kind=Kind.VILLAGERS)
    (a,) = people(VILLAGE_A, 1)
    outsider = make_person("371681002201")
    rows = [NominationRow("director", a.pk, 5), NominationRow("director", a.pk, 3),
            NominationRow("director", outsider.pk, 2)]  # fmt: skip
    with pytest.raises(DomainError) as exc:
        nominations_enter(actor=SYSTEM, election=election, ballots=10, rows=rows, on=date(2026, 12, 1))
    text = errors_of(exc)
    assert "重复录入" in text and "须是本村(社区)登记人员" in text
    assert not NominationSheet.objects.filter(election=election).exists()


def test_nominating_a_committee_members_relative_withdraws_the_member(zouping: Any) -> None:
    election = open_election(kind=Kind.VILLAGERS)
    member, alternate, nominee = people(VILLAGE_A, 3)
    committee_member_add(actor=SYSTEM, election=election, person=member, role="member", chosen_by="村民代表会议",
                         chosen_on=date(2026, 11, 1))  # fmt: skip
    committee_member_add(actor=SYSTEM, election=election, person=alternate, role="alternate",
                         chosen_by="村民代表会议", chosen_on=date(2026, 11, 1))  # fmt: skip
    relation_add(actor=SYSTEM, person=member, relative=nominee, kinship="spouse")
    said = nominations_enter(
        actor=SYSTEM, election=election, ballots=10, rows=[NominationRow("director", nominee.pk, 5)],
        on=date(2026, 12, 1),
    ).said  # fmt: skip
    assert len(said) == 1 and member.name in said[0] and alternate.name in said[0]


# ---- eligibility ----------------------------------------------------------------------------------------------


def test_failed_review_negative_list_and_non_member_are_refused_with_reasons(zouping: Any) -> None:
    election = open_election(kind=Kind.PARTY)
    members = people(VILLAGE_A, 8, **PARTY)
    (outsider,) = people(VILLAGE_A, 1)  # not a party member
    failed, flagged = members[0], members[1]
    review([*members, outsider], excluded=(failed,))
    exclusion_rules_install_defaults(actor=SYSTEM, county_code=VILLAGE_A[:6])
    entry_add(actor=SYSTEM, person=flagged, rule=ExclusionRule.objects.filter(county_id=VILLAGE_A[:6]).first(),
              source="visit", found_on=date(2026, 11, 1), details="测试")  # fmt: skip
    nominate(election, {"party_member": [*members, outsider]})
    with pytest.raises(DomainError) as exc:
        formal(election, {"party_member": [failed, flagged, outsider, *members[2:6]]})
    text = errors_of(exc)
    assert f"{failed.name}不能作为候选人：未通过本次换届的资格联审" in text
    assert f"{flagged.name}不能作为候选人：负面清单中有未核结的情形" in text
    assert f"{outsider.name}不能作为候选人：不是中共党员" in text
    assert len(formal(election, {"party_member": members[2:8]})) == 6  # the six who may stand


def test_supervision_excludes_the_villagers_committee_and_their_relatives(zouping: Any) -> None:
    election = open_election(kind=Kind.SUPERVISION)
    slate = people(VILLAGE_A, 6)
    director, spouse = slate[0], slate[1]
    member_appoint(actor=SYSTEM, village_code=VILLAGE_A, person=director, committee="villagers", post="director",
                   started_on=date(2021, 12, 1))  # fmt: skip
    relation_add(actor=SYSTEM, person=director, relative=spouse, kinship="spouse")
    review(slate)
    nominate(election, {"supervision_chair": slate[:2], "supervision_member": slate[2:6]})
    with pytest.raises(DomainError) as exc:
        formal(election, {"supervision_chair": slate[:2], "supervision_member": slate[2:5]})
    text = errors_of(exc)
    assert f"{director.name}不能作为候选人：是现任村(居)民委员会成员" in text
    assert f"{spouse.name}不能作为候选人：是现任村(居)民委员会成员的近亲属" in text


# ---- withdrawal, approval and publication ---------------------------------------------------------------------


def test_withdrawal_fills_the_gap_from_the_ranking(zouping: Any) -> None:
    election, s = _villagers(zouping, members=4)
    formal(election, s["chosen"])
    leaving = Candidate.objects.get(election=election, person=s["chosen"]["committee_member"][1])
    done = candidate_withdraw(
        actor=SYSTEM, candidate=leaving, on=date(2026, 12, 2), reason="外出务工", letter_name="退出申请.pdf",
        letter_type="application/pdf", letter=b"%PDF-1.4 scan", expected_version=leaving.version,
    )  # fmt: skip
    fifth = s["all"]["committee_member"][4]
    assert done.value is not None and done.value.person_id == fifth.pk and done.value.replaces_id == leaving.pk
    leaving.refresh_from_db()
    assert leaving.status == CandidateStatus.WITHDRAWN and leaving.letter.size == len(b"%PDF-1.4 scan")
    formal_members = Candidate.objects.filter(election=election, post="committee_member", status="formal")
    assert sorted(c.position for c in formal_members) == [1, 2, 3, 4]
    with pytest.raises(DomainError):  # no letter, nothing saved
        candidate_withdraw(
            actor=SYSTEM, candidate=done.value, on=date(2026, 12, 2), reason="x", letter_name="", letter_type="",
            letter=b"", expected_version=done.value.version,
        )  # fmt: skip


def _published_ready(zouping: Any) -> Any:
    election, s = _villagers(zouping)
    formal(election, s["chosen"])
    election.refresh_from_db()
    return election_move(actor=SYSTEM, election=election, to_status=Status.REGISTER_PUBLISHED,
                         on=date(2026, 11, 30), expected_version=election.version)  # fmt: skip


def test_publish_on_the_last_day_and_not_after(zouping: Any) -> None:
    election = _published_ready(zouping)  # election day 2026-12-20: candidates by 2026-12-15
    # On 2026-12-16 that day is no longer in the future: what refuses it is the last day.
    with (
        time_machine.travel(datetime(2026, 12, 16, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False),
        pytest.raises(DomainError) as exc,
    ):
        candidates_publish(actor=SYSTEM, election=election, on=date(2026, 12, 16), expected_version=election.version)
    assert "最迟 2026-12-15" in errors_of(exc)
    published = candidates_publish(
        actor=SYSTEM, election=election, on=date(2026, 12, 5), expected_version=election.version
    )
    assert published.status == Status.CANDIDATES_PUBLISHED and published.candidates_published_on == date(2026, 12, 5)


def test_party_list_needs_recommendations_and_the_towns_approval(zouping: Any) -> None:
    election = open_election(kind=Kind.PARTY)
    members = people(VILLAGE_A, 6, **PARTY)
    review(members)
    nominate(election, {"party_member": members})
    recommendations_enter(actor=SYSTEM, election=election, counts={members[0].pk: (30, 5)})
    with pytest.raises(DomainError) as exc:
        recommendations_enter(actor=SYSTEM, election=election, counts={members[1].pk: (30, 500)})
    assert "多于本村党员" in errors_of(exc)
    formal(election, {"party_member": members})
    with pytest.raises(DomainError) as exc:
        candidates_publish(actor=SYSTEM, election=election, on=date(2026, 12, 5), expected_version=election.version)
    assert "须经乡镇党委批复" in errors_of(exc)
    list_approve(actor=SYSTEM, election=election, approved_on=date(2026, 12, 4), document="黛溪党字〔2026〕5号")
    published = candidates_publish(
        actor=SYSTEM, election=election, on=date(2026, 12, 5), expected_version=election.version
    )
    assert published.status == Status.CANDIDATES_PUBLISHED


def test_a_village_cadre_enters_nominations_but_cannot_settle_the_list(zouping: Any, make_user: Any) -> None:
    from cunshe.core.errors import NotPermitted

    election, s = _villagers(zouping)
    cadre = make_user("village_cadre", VILLAGE_A)
    officer = make_user("town_officer", VILLAGE_A[:9])
    (x,) = people(VILLAGE_A, 1)
    nominations_enter(actor=cadre, election=election, ballots=50, rows=[NominationRow("director", x.pk, 5)],
                      on=date(2026, 12, 1))  # fmt: skip
    nominate(election, s["all"])
    with pytest.raises(NotPermitted):
        formal_as(cadre, election, s["chosen"])
    assert len(formal_as(officer, election, s["chosen"])) == 8


def formal_as(user: Any, election: Any, chosen: Any) -> Any:
    from cunshe.candidates.services import candidates_determine

    return candidates_determine(actor=user, election=election, chosen={k: [p.pk for p in v] for k, v in chosen.items()})


def test_a_nominee_with_more_votes_who_may_stand_is_not_passed_over(zouping: Any) -> None:
    election, s = _villagers(zouping, members=4)
    members = s["all"]["committee_member"]
    s["chosen"]["committee_member"] = [members[0], members[1], members[2], members[4]]  # skips the fourth
    with pytest.raises(DomainError) as exc:
        formal(election, s["chosen"])
    assert f"{members[3].name}提名" in errors_of(exc) and "须按提名得票多少确定候选人" in errors_of(exc)
    s["chosen"]["committee_member"] = members[:4]
    assert len(formal(election, s["chosen"])) == 8


def test_the_board_reads_in_a_constant_number_of_queries(zouping: Any, django_assert_max_num_queries: Any) -> None:
    from cunshe.candidates.selectors import board

    election, s = _villagers(zouping, members=4)
    formal(election, s["chosen"])
    with django_assert_max_num_queries(12):
        shown = board(election)
    assert sum(len(p.nominees) for p in shown.posts) == 11
    assert [n.reasons for p in shown.posts for n in p.nominees] == [[]] * 11
