"""A volunteer activity may name the polling station it served at: only one of its own village's elections."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse

from conftest import VILLAGE_A, VILLAGE_B
from cunshe.access.roles import Role
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.elections.tests.factories import open_election
from cunshe.polling.models import Station
from cunshe.polling.services import station_add
from cunshe.records.models import RecordEntry
from cunshe.volunteers.models import VolunteerActivity, VolunteerTeam
from cunshe.volunteers.services import ActivityInput, activity_add, activity_update, member_join, team_create

pytestmark = pytest.mark.django_db
FORMED = date(2026, 10, 8)
SERVED = date(2026, 11, 15)


def _setup() -> tuple[VolunteerTeam, int, Station, Station]:
    team = team_create(
        actor=SYSTEM, region_code=VILLAGE_A, name="换届志愿服务队", formed_by="village", formed_on=FORMED
    )
    m = member_join(actor=SYSTEM, team=team, name="赵六", phone="1", role="service", joined_on=FORMED)
    own = station_add(
        actor=SYSTEM, election=open_election(village=VILLAGE_A), kind="central", name="中心会场", place="村委会大院"
    )
    other = station_add(
        actor=SYSTEM, election=open_election(village=VILLAGE_B), kind="central", name="别村会场", place="村委会"
    )
    return team, m.pk, own, other


def _data(member: int, station: int | None) -> ActivityInput:
    return ActivityInput(
        held_on=SERVED,
        kind="service",
        place="村委会大院",
        description="引导选民、协助老弱病残投票",
        households=80,
        member_ids=[member],
        station_id=station,
    )


def test_only_a_station_of_the_teams_own_village_and_it_is_recorded() -> None:
    team, member, own, other = _setup()
    with pytest.raises(DomainError) as bad:
        activity_add(actor=SYSTEM, team=team, data=_data(member, other.pk))
    assert bad.value.field_errors["station"] == ["只能选择本村(社区)选举的投票站。"]
    with pytest.raises(DomainError):  # a station that does not exist
        activity_add(actor=SYSTEM, team=team, data=_data(member, 999_999))
    assert not VolunteerActivity.objects.exists()  # nothing partial saved
    a = activity_add(actor=SYSTEM, team=team, data=_data(member, own.pk))
    assert a.station_id == own.pk
    entry = RecordEntry.objects.get(event="volunteers.activity_added")
    assert "中心会场" in str(entry.after)
    with pytest.raises(DomainError):
        activity_update(actor=SYSTEM, activity=a, data=_data(member, other.pk), expected_version=a.version)
    a = activity_update(actor=SYSTEM, activity=a, data=_data(member, None), expected_version=a.version)
    assert VolunteerActivity.objects.get(pk=a.pk).station_id is None


def test_the_page_and_the_api_name_the_station(make_user: Any, web_as: Any, api_as: Any) -> None:
    team, member, own, other = _setup()
    cadre, stranger = make_user(Role.VILLAGE_CADRE, VILLAGE_A), make_user(Role.VILLAGE_CADRE, VILLAGE_B)
    web = web_as(cadre)
    form = {
        "held_on": "2026-11-15",
        "kind": "service",
        "place": "村委会大院",
        "description": "引导选民",
        "households": "80",
        "members": [member],
    }
    refused = web.post(reverse("volunteers:activity_new", args=[team.pk]), form | {"station": other.pk})
    assert refused.status_code == 400  # another village's station is not even offered
    assert web.post(reverse("volunteers:activity_new", args=[team.pk]), form | {"station": own.pk}).status_code == 302
    a = VolunteerActivity.objects.get(team=team)
    page = web.get(reverse("volunteers:activity", args=[a.pk])).content.decode()
    assert "服务的投票站" in page and "中心会场" in page
    api = api_as(cadre)
    body = {
        "held_on": "2026-11-15",
        "kind": "service",
        "place": "村委会大院",
        "description": "维持秩序",
        "member_ids": [member],
    }
    url = f"/api/v1/volunteers/teams/{team.pk}/activities"
    bad = api.post(url, body | {"station_id": other.pk}, content_type="application/json")
    assert bad.status_code == 400 and "只能选择本村(社区)选举的投票站" in bad.content.decode()
    made = api.post(url, body | {"station_id": own.pk}, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["station_id"] == own.pk and "中心会场" in made.json()["station"]
    denied = api_as(stranger).post(url, body | {"station_id": own.pk}, content_type="application/json")
    assert denied.status_code in (403, 404)
    with pytest.raises((Http404, NotPermitted)):
        activity_add(actor=stranger, team=team, data=_data(member, own.pk))
