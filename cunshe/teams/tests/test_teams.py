from datetime import date
from typing import Any

import pytest
from django.http import Http404

from conftest import TOWN_A, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, NotPermitted
from cunshe.records.models import RecordEntry
from cunshe.teams.models import TeamMember
from cunshe.teams.selectors import dual_role_holder, team_of
from cunshe.teams.services import member_appoint, member_end

ELECTED = date(2021, 6, 1)


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("town_officer", TOWN_A)


@pytest.fixture
def member(make_person: Any) -> Any:
    return make_person(VILLAGE_A, birth_date=date(1970, 3, 1), is_party_member=True, party_joined_on=date(1995, 7, 1))


def test_one_person_as_secretary_and_director_is_a_dual_role(officer: Any, member: Any) -> None:
    member_appoint(
        actor=officer, village_code=VILLAGE_A, person=member, committee="party", post="secretary", started_on=ELECTED
    )
    member_appoint(
        actor=officer, village_code=VILLAGE_A, person=member, committee="villagers", post="director", started_on=ELECTED
    )
    team = list(team_of(officer, VILLAGE_A))
    assert len(team) == 2 and dual_role_holder(team) == member
    assert RecordEntry.objects.filter(event="teams.member_appointed", region_id=VILLAGE_A).count() == 2


def test_a_village_has_one_secretary_at_a_time(officer: Any, member: Any, make_person: Any) -> None:
    member_appoint(
        actor=officer, village_code=VILLAGE_A, person=member, committee="party", post="secretary", started_on=ELECTED
    )
    other = make_person(VILLAGE_A, birth_date=date(1972, 3, 1), is_party_member=True, party_joined_on=date(1999, 7, 1))
    with pytest.raises(DomainError) as caught:
        member_appoint(
            actor=officer, village_code=VILLAGE_A, person=other, committee="party", post="secretary", started_on=ELECTED
        )
    assert "请先办理其离任" in caught.value.field_errors["post"][0]


def test_party_posts_need_a_party_member_and_posts_belong_to_their_committee(officer: Any, make_person: Any) -> None:
    villager = make_person(VILLAGE_A)
    with pytest.raises(DomainError) as caught:
        member_appoint(
            actor=officer,
            village_code=VILLAGE_A,
            person=villager,
            committee="party",
            post="director",
            started_on=ELECTED,
        )
    assert set(caught.value.field_errors) == {"post", "person"}


def test_ending_a_post_needs_a_reason_and_keeps_the_history(officer: Any, member: Any) -> None:
    post = member_appoint(
        actor=officer, village_code=VILLAGE_A, person=member, committee="party", post="secretary", started_on=ELECTED
    )
    with pytest.raises(DomainError) as caught:
        member_end(actor=officer, member=post, ended_on=date(2020, 1, 1), reason="", expected_version=post.version)
    assert set(caught.value.field_errors) == {"ended_on", "end_reason"}
    member_end(actor=officer, member=post, ended_on=date(2026, 11, 1), reason="换届离任", expected_version=post.version)
    assert list(team_of(officer, VILLAGE_A)) == []
    assert [m.end_reason for m in team_of(officer, VILLAGE_A, current=False)] == ["换届离任"]
    with pytest.raises(DomainError, match="已于"):
        member_end(actor=officer, member=post, ended_on=date(2026, 11, 2), reason="再次", expected_version=post.version)


def test_a_stale_end_is_refused(officer: Any, member: Any) -> None:
    post = member_appoint(
        actor=officer, village_code=VILLAGE_A, person=member, committee="party", post="secretary", started_on=ELECTED
    )
    stale = post.version
    TeamMember.objects.filter(pk=post.pk).update(version=stale + 1)  # someone else saved meanwhile
    with pytest.raises(ConcurrentEdit):
        member_end(actor=officer, member=post, ended_on=date(2026, 11, 1), reason="换届离任", expected_version=stale)


def test_other_towns_and_read_only_roles_cannot_change_teams(make_user: Any, member: Any, make_person: Any) -> None:
    outsider = make_user("town_officer", "371681002")
    with pytest.raises(Http404):
        member_appoint(
            actor=outsider,
            village_code=VILLAGE_A,
            person=member,
            committee="party",
            post="secretary",
            started_on=ELECTED,
        )
    post = member_appoint(
        actor=SYSTEM, village_code=VILLAGE_A, person=member, committee="party", post="secretary", started_on=ELECTED
    )
    secretary = make_user("first_secretary", VILLAGE_A)
    with pytest.raises(NotPermitted):
        member_end(actor=secretary, member=post, ended_on=date(2026, 11, 1), reason="x", expected_version=post.version)
    assert [m.pk for m in team_of(secretary, VILLAGE_A)] == [post.pk]
    assert list(team_of(secretary, VILLAGE_B)) == []


def test_team_page_shows_the_dual_role_and_the_forms(officer: Any, member: Any, web_as: Any) -> None:
    member_appoint(
        actor=officer, village_code=VILLAGE_A, person=member, committee="party", post="secretary", started_on=ELECTED
    )
    member_appoint(
        actor=officer, village_code=VILLAGE_A, person=member, committee="villagers", post="director", started_on=ELECTED
    )
    page = web_as(officer).get(f"/teams/{VILLAGE_A}/").content.decode()
    assert "一肩挑" in page and member.name in page and "办理离任" in page and "任命" in page
