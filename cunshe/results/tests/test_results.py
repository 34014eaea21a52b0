from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import TOWN_A, VILLAGE_A, new_person, new_user
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.elections.models import Election, Kind, ResultStatus, Round, Status
from cunshe.elections.services import election_round_open
from cunshe.handovers.models import Kind as HandoverKind
from cunshe.handovers.services import handover_open, templates_ensure_defaults
from cunshe.records.models import RecordEntry
from cunshe.results.services import (
    party_post_elect,
    party_posts_approve,
    result_certify,
    result_handover_open,
    result_void_confirm,
)
from cunshe.results.tests.helpers import DAY, counted, villagers
from cunshe.teams.models import Committee, Post, TeamMember
from cunshe.teams.services import member_appoint
from cunshe.termchanges.models import Status as TCStatus
from cunshe.termchanges.services import term_change_advance

pytestmark = pytest.mark.django_db

VILLAGE_A2 = VILLAGE_A[:9] + "214"


@pytest.fixture
def officer(zouping: Any) -> Any:
    return new_user("town_officer", TOWN_A)


def _old_team(village: str = VILLAGE_A) -> dict[str, Any]:
    old_director, old_member, kept = new_person(village), new_person(village), new_person(village)
    start = date(2021, 11, 20)
    for person, post in (
        (old_director, Post.DIRECTOR),
        (old_member, Post.COMMITTEE_MEMBER),
        (kept, Post.COMMITTEE_MEMBER),
    ):
        member_appoint(
            actor=SYSTEM,
            village_code=village,
            person=person,
            committee=Committee.VILLAGERS,
            post=post,
            started_on=start,
        )
    return {"director": old_director, "member": old_member, "kept": kept}


def _certified(officer: Any, village: str = VILLAGE_A, director: Any = None) -> tuple[Election, dict[str, Any]]:
    old = _old_team(village)
    director = director or new_person(village)
    election = villagers(village)
    counted(election, [(director, Post.DIRECTOR, 60), (old["kept"], Post.COMMITTEE_MEMBER, 55)])
    result_certify(actor=officer, election=election, on=DAY + timedelta(days=1), expected_version=election.version)
    return election, {**old, "new_director": director}


def test_certify_changes_the_team_with_history(officer: Any) -> None:
    election, people = _certified(officer)
    election.refresh_from_db()
    assert election.status == Status.CERTIFIED and election.result.certified_by_name == officer.display_name
    current = {(m.person_id, m.post): m for m in TeamMember.objects.filter(region_id=VILLAGE_A, ended_on__isnull=True)}
    assert (people["new_director"].pk, Post.DIRECTOR) in current
    assert current[(people["new_director"].pk, Post.DIRECTOR)].started_on == DAY
    # re-elected to the same post: one continuous record, never ended
    kept = current[(people["kept"].pk, Post.COMMITTEE_MEMBER)]
    assert kept.started_on == date(2021, 11, 20)
    for person in (people["director"], people["member"]):
        ended = TeamMember.objects.get(person=person)
        assert (ended.ended_on, ended.end_reason) == (DAY, "换届离任")
    assert RecordEntry.objects.filter(event="results.certified").count() == 1


def test_certify_refuses_what_is_not_counted_or_not_final(officer: Any) -> None:
    election = villagers()
    with pytest.raises(DomainError, match="计票完成"):
        result_certify(actor=officer, election=election, on=DAY, expected_version=election.version)
    counted(election, [], status=ResultStatus.RERUN)
    with pytest.raises(DomainError, match="确认无效"):
        result_certify(actor=officer, election=election, on=DAY, expected_version=election.version)


def test_an_officer_of_another_town_may_not_certify(officer: Any) -> None:
    election = villagers()
    counted(election, [(new_person(), Post.DIRECTOR, 60)])
    stranger = new_user("town_officer", "371681002")
    cadre = new_user("village_cadre", VILLAGE_A)
    with pytest.raises(Exception) as exc:
        result_certify(actor=stranger, election=election, on=DAY, expected_version=election.version)
    assert exc.type.__name__ == "Http404"
    with pytest.raises(NotPermitted):
        result_certify(actor=cadre, election=election, on=DAY, expected_version=election.version)
    result_certify(actor=officer, election=election, on=DAY, expected_version=election.version)


def test_void_confirmation_opens_a_rerun(officer: Any) -> None:
    election = villagers()
    counted(election, [], status=ResultStatus.RERUN, returned=50)
    rerun = result_void_confirm(
        actor=officer, election=election, on=DAY, rerun_day=date(2026, 11, 29), expected_version=election.version
    )
    election.refresh_from_db()
    assert election.status == Status.VOID
    assert (rerun.round, rerun.parent_id, rerun.election_day) == (Round.RERUN, election.pk, date(2026, 11, 29))
    assert RecordEntry.objects.filter(event="results.voided").exists()


def test_void_refused_for_a_valid_result(officer: Any) -> None:
    election = villagers()
    counted(election, [(new_person(), Post.DIRECTOR, 60)])
    with pytest.raises(DomainError, match="不是选举无效"):
        result_void_confirm(
            actor=officer, election=election, on=DAY, rerun_day=date(2026, 11, 29), expected_version=election.version
        )


def test_further_round_certifies_the_main_round_with_it(officer: Any) -> None:
    main = villagers()
    director, member = new_person(), new_person()
    counted(main, [(director, Post.DIRECTOR, 60)], status=ResultStatus.FURTHER_ROUND)
    with pytest.raises(DomainError, match="另行选举"):
        result_certify(actor=officer, election=main, on=DAY, expected_version=main.version)
    further = election_round_open(
        actor=SYSTEM, parent=main, round=Round.FURTHER, election_day=date(2026, 11, 22), seats={"committee_member": 1}
    )
    counted(further, [(member, Post.COMMITTEE_MEMBER, 40)])
    result_certify(actor=officer, election=further, on=date(2026, 11, 23), expected_version=further.version)
    main.refresh_from_db()
    assert main.status == Status.CERTIFIED and main.result.status == ResultStatus.FURTHER_ROUND
    starts = {m.person_id: m.started_on for m in TeamMember.objects.filter(region_id=VILLAGE_A)}
    assert starts == {director.pk: DAY, member.pk: date(2026, 11, 22)}


def _party(officer: Any, size: int = 4) -> tuple[Election, list[Any]]:
    members = [new_person(is_party_member=True, party_joined_on=date(2000, 7, 1)) for _ in range(size)]
    election = villagers(kind=Kind.PARTY, day=date(2026, 11, 8), seats={"party_member": size})
    counted(election, [(p, Post.PARTY_MEMBER, 60) for p in members])
    result_certify(actor=officer, election=election, on=date(2026, 11, 8), expected_version=election.version)
    return election, members


def test_secretary_needs_more_than_half_of_the_committee(officer: Any) -> None:
    election, members = _party(officer, size=4)
    with pytest.raises(DomainError, match="未超过委员会 4 人的半数"):
        party_post_elect(
            actor=officer,
            election=election,
            post=Post.SECRETARY,
            held_on=date(2026, 11, 8),
            votes={members[0].pk: 2, members[1].pk: 1},
        )
    vote = party_post_elect(
        actor=officer,
        election=election,
        post=Post.SECRETARY,
        held_on=date(2026, 11, 8),
        votes={members[0].pk: 3, members[1].pk: 1},
    )
    assert vote.person == members[0]
    # no party post changes in the team before the town party committee approves
    assert not TeamMember.objects.filter(region_id=VILLAGE_A, committee=Committee.PARTY).exists()
    with pytest.raises(DomainError, match="文号"):
        party_posts_approve(actor=officer, election=election, on=date(2026, 11, 10), approval_ref=" ")
    party_posts_approve(actor=officer, election=election, on=date(2026, 11, 10), approval_ref="黛组字〔2026〕31号")
    team = {m.person_id: m.post for m in TeamMember.objects.filter(region_id=VILLAGE_A, committee=Committee.PARTY)}
    assert team[members[0].pk] == Post.SECRETARY and team[members[1].pk] == Post.PARTY_MEMBER


def test_one_shoulder_recorded_and_shown(officer: Any, web_as: Any) -> None:
    election, members = _party(officer, size=3)
    party_post_elect(
        actor=officer, election=election, post=Post.SECRETARY, held_on=date(2026, 11, 8), votes={members[0].pk: 3}
    )
    party_posts_approve(actor=officer, election=election, on=date(2026, 11, 9), approval_ref="黛组字〔2026〕31号")
    _certified(officer, director=members[0])
    assert RecordEntry.objects.filter(event="results.dual_role").exists()
    page = web_as(officer).get(f"/teams/{VILLAGE_A}/").content.decode()
    assert "一肩挑" in page and members[0].name in page


def test_handover_from_the_result_counts_from_election_day(officer: Any) -> None:
    election, people = _certified(officer)
    with pytest.raises(DomainError, match="纪检监督"):
        result_handover_open(actor=officer, election=election, meeting_at=timezone.now(), meeting_place="村委会")
    supervisor = new_user("discipline_supervisor", TOWN_A)
    meeting = timezone.make_aware(datetime(2026, 11, 18, 9))
    handover = result_handover_open(actor=officer, election=election, meeting_at=meeting, meeting_place="村委会")
    assert (handover.starts_on, handover.outgoing, handover.incoming) == (
        DAY,
        people["director"],
        people["new_director"],
    )
    # stored as the midnight after the tenth day (a deadline day is shown as the day)
    assert timezone.localtime(handover.due_at - timedelta(seconds=1)).date() == DAY + timedelta(days=10)
    assert handover.working_group == officer and handover.supervisor == supervisor
    template = next(
        t
        for t in templates_ensure_defaults(actor=SYSTEM, county_code=VILLAGE_A[:6])
        if t.kind == HandoverKind.COMMITTEE
    )
    with pytest.raises(DomainError) as exc:  # a later typed start is refused
        handover_open(
            actor=officer,
            village_code=VILLAGE_A,
            template=template,
            outgoing=people["member"],
            incoming=people["new_director"],
            working_group=officer,
            supervisor=supervisor,
            starts_on=DAY + timedelta(days=5),
            meeting_at=meeting,
            meeting_place="村委会",
        )
    assert "starts_on" in exc.value.field_errors


def test_term_change_moves_when_the_last_village_is_certified(officer: Any) -> None:
    first = villagers()
    second = villagers(VILLAGE_A2)
    tc = first.term_change
    for to in (TCStatus.PREPARING, TCStatus.ELECTING):
        tc = term_change_advance(actor=SYSTEM, term_change=tc, to_status=to, expected_version=tc.version)
    counted(first, [(new_person(), Post.DIRECTOR, 60)])
    counted(second, [(new_person(VILLAGE_A2), Post.DIRECTOR, 60)])
    result_certify(actor=officer, election=first, on=DAY, expected_version=first.version)
    tc.refresh_from_db()
    assert tc.status == TCStatus.ELECTING  # not before the last village
    result_certify(actor=officer, election=second, on=DAY, expected_version=second.version)
    tc.refresh_from_db()
    assert tc.status == TCStatus.HANDING_OVER
    assert RecordEntry.objects.filter(event="termchanges.advanced", actor_name="系统").exists()


def test_term_change_completes_when_the_last_committee_handover_completes(officer: Any) -> None:
    from decimal import Decimal

    from cunshe.handovers.models import Handover, ItemKind, ItemStatus, Party
    from cunshe.handovers.services import handover_confirm, item_update

    supervisor = new_user("discipline_supervisor", TOWN_A)
    election = villagers()
    tc = election.term_change
    for to in (TCStatus.PREPARING, TCStatus.ELECTING):
        tc = term_change_advance(actor=SYSTEM, term_change=tc, to_status=to, expected_version=tc.version)
    old = new_person()
    member_appoint(
        actor=SYSTEM,
        village_code=VILLAGE_A,
        person=old,
        committee=Committee.VILLAGERS,
        post=Post.DIRECTOR,
        started_on=date(2021, 11, 20),
    )
    counted(election, [(new_person(), Post.DIRECTOR, 60)])
    result_certify(actor=officer, election=election, on=DAY, expected_version=election.version)
    tc.refresh_from_db()
    assert tc.status == TCStatus.HANDING_OVER
    meeting = timezone.make_aware(datetime(2026, 11, 18, 9))
    handover = result_handover_open(actor=officer, election=election, meeting_at=meeting, meeting_place="村委会")
    for item in handover.items.all():
        item_update(
            actor=officer,
            item=item,
            status=ItemStatus.HANDED,
            details="已清点",
            count=1 if item.item_kind == ItemKind.COUNT else None,
            amount=Decimal(1) if item.item_kind == ItemKind.MONEY else None,
            expected_version=item.version,
        )
    for actor, party in ((officer, Party.OUTGOING), (officer, Party.INCOMING), (officer, Party.WORKING_GROUP)):
        current = Handover.objects.get(pk=handover.pk)
        handover_confirm(actor=actor, handover=current, party=party, expected_version=current.version)
        tc.refresh_from_db()
        assert tc.status == TCStatus.HANDING_OVER  # not before the last signature
    current = Handover.objects.get(pk=handover.pk)
    handover_confirm(actor=supervisor, handover=current, party=Party.SUPERVISOR, expected_version=current.version)
    tc.refresh_from_db()
    assert tc.status == TCStatus.COMPLETED


def test_a_handover_that_cannot_be_opened_is_a_to_do(officer: Any) -> None:
    from cunshe.results.work_items import result_items

    _certified(officer)
    titles = [i.title for i in result_items(officer)]
    assert any("据选举结果发起交接" in t and "纪检监督" in t for t in titles)
    assert result_items(new_user("town_officer", "371681002")) == []


def test_handover_to_dos_take_as_many_queries_for_three_villages_as_for_one(officer: Any) -> None:
    """After a town's election day every certified committee is a to-do; its handover plan is read for all of
    them at once (the nearest supervisor: the town's before the county's)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cunshe.regions.models import Region
    from cunshe.results.services import handover_plans
    from cunshe.results.work_items import result_items

    villages = list(Region.objects.filter(parent_id=TOWN_A).order_by("code").values_list("code", flat=True)[:3])
    _certified(officer, villages[0])
    with CaptureQueriesContext(connection) as one:
        assert [("纪检监督" in i.title) for i in result_items(officer)] == [True]
    for village in villages[1:]:
        _certified(officer, village)
    with CaptureQueriesContext(connection) as three:
        assert [("纪检监督" in i.title) for i in result_items(officer)] == [True, True, True]
    assert len(three) == len(one)
    county = new_user("discipline_supervisor", TOWN_A[:6])
    assert [("纪检监督" in i.title) for i in result_items(officer)] == [False, False, False]
    town = new_user("discipline_supervisor", TOWN_A)
    pending = Election.objects.filter(region_id__in=villages).select_related("parent")
    assert {p["supervisor"] for p in handover_plans(list(pending)).values()} == {town}  # the nearer level
    assert county != town
    assert result_items(new_user("town_officer", "371681002")) == []


def test_the_home_page_counts_results_beyond_the_listed_ones(officer: Any, monkeypatch: Any) -> None:
    """Issue 13 item 4: the counter counts in the database what the capped list shows (the same total), and keeps
    counting when the list is cut short."""
    from cunshe.deadlines.work_items import work_items_and_counts
    from cunshe.results import work_items

    _certified(officer)
    items = work_items.result_items(officer)
    listed = len(items)
    assert listed >= 1 and work_items.result_counts(officer) == (listed, sum(i.overdue for i in items))
    monkeypatch.setattr(work_items, "LIMIT", 0)
    assert work_items.result_items(officer) == []
    counts = {c.module: c.total for c in work_items_and_counts(officer)[1]}
    assert counts["results"] == listed
    assert work_items.result_counts(new_user("town_officer", "371681002")) == (0, 0)
