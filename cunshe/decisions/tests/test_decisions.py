from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest
from django.utils import timezone

from conftest import TOWN_A, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, IllegalTransition, NotPermitted
from cunshe.decisions import selectors
from cunshe.decisions.models import Base, Decision, Status, Step
from cunshe.decisions.printouts import sheets_pdf
from cunshe.decisions.rules import DEFAULT_RULES, MeetingRule, rules_for
from cunshe.decisions.services import rules_save
from cunshe.decisions.tests.helpers import heads, hold, new_decision
from cunshe.records.models import RecordEntry

pytestmark = pytest.mark.django_db


def test_quorum_is_two_thirds_inclusive_and_majority_strictly_over_half() -> None:
    rule = MeetingRule(Fraction(2, 3), False, Base.PRESENT)
    assert rule.quorum_met(due=9, present=6)  # exactly 2/3: "三分之二以上" includes it
    assert not rule.quorum_met(due=9, present=5)
    assert not rule.approved(due=9, present=6, votes_for=3)  # exactly half: not 过半数
    assert rule.approved(due=9, present=6, votes_for=4)
    strict = MeetingRule(Fraction(1, 2), True, Base.DUE)
    assert not strict.quorum_met(due=8, present=4) and strict.quorum_met(due=8, present=5)
    assert not strict.approved(due=8, present=8, votes_for=4) and strict.approved(due=8, present=5, votes_for=5)


def _to_resolution(zouping: object) -> Decision:
    decision = new_decision(VILLAGE_A)
    hold(decision, Step.PROPOSAL, days_ago=20, due=5)
    hold(decision, Step.CONSULTATION, days_ago=18, due=9)
    hold(decision, Step.PARTY_REVIEW, days_ago=15, due=30, present=24, votes_for=20)
    decision.refresh_from_db()
    return decision


def test_villagers_meeting_at_exactly_two_thirds_and_half_plus_one(zouping: object) -> None:
    decision = _to_resolution(zouping)
    assert decision.status == Status.RESOLUTION
    short = hold(decision, Step.RESOLUTION, days_ago=10, due=30, present=19, votes_for=19)
    assert not short.quorum_met and not short.passed  # 19/30 < 2/3: recorded, the step did not pass
    half = hold(decision, Step.RESOLUTION, days_ago=9, due=30, present=20, votes_for=10)
    assert half.quorum_met and not half.passed  # exactly half of those present
    decision.refresh_from_db()
    assert decision.status == Status.RESOLUTION
    passed = hold(decision, Step.RESOLUTION, days_ago=8, due=30, present=20, votes_for=11)
    assert passed.passed
    decision.refresh_from_db()
    assert decision.status == Status.RESOLUTION_DISCLOSURE
    assert decision.resolved_on == passed.held_at.date()
    assert [m.number for m in decision.meetings.all()] == [1, 2, 3, 4, 5, 6]
    assert RecordEntry.objects.filter(event="decisions.meeting", summary__contains="到会人数不足").exists()


def test_party_meeting_counts_votes_against_those_due_by_default(zouping: object) -> None:
    decision = new_decision(VILLAGE_A)
    hold(decision, Step.PROPOSAL, days_ago=20, due=5)
    hold(decision, Step.CONSULTATION, days_ago=18, due=9)
    # 20 of 30 present (2/3), 15 in favour: all of those present would be a majority, but not of the 30 due
    meeting = hold(decision, Step.PARTY_REVIEW, days_ago=15, due=30, present=20, votes_for=15)
    assert meeting.quorum_met and not meeting.passed
    assert hold(decision, Step.PARTY_REVIEW, days_ago=14, due=30, present=20, votes_for=16).passed


def test_a_county_may_count_the_resolution_against_all_representatives(zouping: object) -> None:
    rules_save(actor=SYSTEM, region_code="371681", effective_from=date(2026, 1, 1), villagers_base=Base.DUE)
    assert rules_for(VILLAGE_A, timezone.localdate()).villagers.base == Base.DUE
    assert rules_for(VILLAGE_A, date(2025, 12, 31)) == DEFAULT_RULES
    decision = _to_resolution(zouping)
    assert not hold(decision, Step.RESOLUTION, days_ago=9, due=30, present=20, votes_for=15).passed
    assert hold(decision, Step.RESOLUTION, days_ago=8, due=30, present=20, votes_for=16).passed


def test_rule_fractions_are_exact(zouping: object) -> None:
    with pytest.raises(DomainError) as refused:
        rules_save(actor=SYSTEM, region_code="371681", effective_from=date(2026, 1, 1), party_quorum="66.7%")
    assert "party_quorum" in refused.value.field_errors


def test_steps_in_order(zouping: object) -> None:
    decision = new_decision(VILLAGE_A)
    with pytest.raises(IllegalTransition):
        hold(decision, Step.PARTY_REVIEW, days_ago=10)
    with pytest.raises(IllegalTransition):
        hold(decision, Step.CONSULTATION, days_ago=10)
    hold(decision, Step.PROPOSAL, days_ago=10, due=5)
    with pytest.raises(DomainError) as refused:  # not before the step before it
        hold(decision, Step.CONSULTATION, days_ago=11)
    assert "held_at" in refused.value.field_errors
    hold(decision, Step.CONSULTATION, days_ago=9)
    decision.refresh_from_db()
    assert decision.status == Status.PARTY_REVIEW


def test_party_plan_reaches_members_three_days_before(zouping: object) -> None:
    decision = new_decision(VILLAGE_A)
    hold(decision, Step.PROPOSAL, days_ago=20, due=5)
    hold(decision, Step.CONSULTATION, days_ago=18, due=9)
    held = timezone.localdate() - timedelta(days=10)
    with pytest.raises(DomainError) as refused:
        hold(decision, Step.PARTY_REVIEW, days_ago=10, notice_sent_on=held - timedelta(days=2))
    assert "notice_sent_on" in refused.value.field_errors
    assert hold(decision, Step.PARTY_REVIEW, days_ago=10, notice_sent_on=held - timedelta(days=3)).passed


def test_merged_first_steps_only_under_dual_role(zouping: object, make_person: Any) -> None:
    since = timezone.localdate() - timedelta(days=30)
    heads(VILLAGE_B, make_person, since=since, dual=False)
    other = new_decision(VILLAGE_B)
    with pytest.raises(DomainError) as refused:
        hold(other, Step.PROPOSAL, days_ago=10, merged=True)
    assert "merged" in refused.value.field_errors
    heads(VILLAGE_A, make_person, since=since, dual=True)
    decision = new_decision(VILLAGE_A)
    with pytest.raises(DomainError):  # the dual role began after that day
        hold(decision, Step.PROPOSAL, days_ago=40, merged=True)
    meeting = hold(decision, Step.PROPOSAL, days_ago=10, merged=True, due=7)
    decision.refresh_from_db()
    assert meeting.passed and decision.merged and decision.status == Status.PARTY_REVIEW
    with pytest.raises(DomainError):  # only the first two steps merge
        hold(decision, Step.PARTY_REVIEW, days_ago=5, merged=True)


def test_a_village_cadre_acts_in_their_village_only(zouping: object, make_user: Any) -> None:
    cadre = make_user("village_cadre", VILLAGE_A)
    mine = new_decision(VILLAGE_A, actor=cadre)
    hold(mine, Step.PROPOSAL, days_ago=3, due=5, actor=cadre)
    other = new_decision(VILLAGE_B)
    from django.http import Http404

    with pytest.raises(Http404):
        new_decision(VILLAGE_B, actor=cadre)
    with pytest.raises(Http404):
        hold(other, Step.PROPOSAL, days_ago=3, actor=cadre)
    supervisor = make_user("discipline_supervisor", TOWN_A)
    with pytest.raises(NotPermitted):  # sees the village, may not record its meetings
        hold(mine, Step.CONSULTATION, days_ago=2, actor=supervisor)
    assert list(selectors.decisions_in(cadre, "371681")) == [mine]


def test_withdraw_keeps_the_record(zouping: object) -> None:
    from cunshe.decisions.services import decision_withdraw

    decision = new_decision(VILLAGE_A)
    hold(decision, Step.PROPOSAL, days_ago=3, due=5, votes_for=2)
    decision.refresh_from_db()
    decision_withdraw(actor=SYSTEM, decision=decision, reason="群众意见较大，暂缓", expected_version=decision.version)
    decision.refresh_from_db()
    assert decision.status == Status.WITHDRAWN and decision.meetings.count() == 1
    with pytest.raises(IllegalTransition):
        hold(decision, Step.PROPOSAL, days_ago=1)
    with pytest.raises(IllegalTransition, match="事项不能从“已撤回”转为“已撤回”（可转为：无）。"):
        decision_withdraw(actor=SYSTEM, decision=decision, reason="再次撤回", expected_version=decision.version)


def test_six_sign_off_sheets_print(zouping: object, make_user: Any) -> None:
    decision = _to_resolution(zouping)
    hold(decision, Step.RESOLUTION, days_ago=9, due=30, present=19)
    officer = make_user("town_officer", TOWN_A)
    text, pages = pdf_text(sheets_pdf(selectors.decision_detail(officer, decision.pk)))
    assert pages == 6
    for title in (
        "党组织提议签字表",
        "商议签字表",
        "党员大会审议签字表",
        "村民(代表)会议决议签字表",
        "决议公开签字表",
        "实施结果公开签字表",
    ):
        assert title in text
    assert "到会人数不足" in text and "外出务工" in text and "赵某某" in text


def test_count_for_village(zouping: object) -> None:
    decision = _to_resolution(zouping)
    hold(decision, Step.RESOLUTION, days_ago=8, due=30, present=20, votes_for=11)
    day = timezone.localdate() - timedelta(days=8)
    assert selectors.count_for_village(VILLAGE_A, day, day) == 1
    assert selectors.count_for_village(VILLAGE_A, day + timedelta(days=1), timezone.localdate()) == 0
