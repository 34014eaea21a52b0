from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.education import selectors
from cunshe.education.models import Campaign, VillageTask
from cunshe.education.services import campaign_create, task_complete
from cunshe.regions.models import Region

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _campaign(region: str = COUNTY, *, actor: Any = SYSTEM, ends_on: date | None = None) -> Campaign:
    return campaign_create(
        actor=actor,
        region_code=region,
        title="新一届两委集中教育",
        starts_on=TODAY - timedelta(days=30),
        ends_on=ends_on or TODAY + timedelta(days=30),
        kinds=["finance", "integrity", "conflicts"],
    )


def test_a_campaign_lists_its_tasks_for_every_village_under_it(make_user: Any) -> None:
    town = make_user("town_officer", TOWN_A)
    with pytest.raises(DomainError) as error:
        campaign_create(
            actor=town, region_code=TOWN_A, title="", starts_on=TODAY, ends_on=TODAY - timedelta(1), kinds=["x"]
        )
    assert set(error.value.field_errors) == {"title", "ends_on", "kinds"}
    c = _campaign(TOWN_A, actor=town)
    villages = Region.objects.filter(code__startswith=TOWN_A, level=5).count()
    assert VillageTask.objects.filter(campaign=c).count() == 3 * villages
    with pytest.raises(NotPermitted):  # a village does not open a campaign
        _campaign(TOWN_A, actor=make_user("village_cadre", VILLAGE_A))
    with pytest.raises(Http404):
        _campaign(TOWN_A, actor=make_user("town_officer", TOWN_B))


def test_a_village_marks_its_tasks_done_and_the_rollup_counts_overdue(
    make_user: Any, django_assert_max_num_queries: Any
) -> None:
    c = _campaign(ends_on=TODAY - timedelta(days=1))  # ended yesterday: what is undone is overdue
    cadre = make_user("village_cadre", VILLAGE_A)
    task = VillageTask.objects.get(campaign=c, region_id=VILLAGE_A, kind="finance")
    with pytest.raises(DomainError) as error:
        task_complete(actor=cadre, task=task, done_on=TODAY + timedelta(days=1), note="", expected_version=1)
    assert set(error.value.field_errors) == {"done_on", "note"}
    with pytest.raises(Http404):
        task_complete(
            actor=make_user("village_cadre", VILLAGE_B), task=task, done_on=TODAY, note="x", expected_version=1
        )
    task_complete(actor=cadre, task=task, done_on=TODAY, note="清理往来账目 23 笔", expected_version=1)
    with pytest.raises(DomainError, match="已于"):
        task_complete(actor=cadre, task=task, done_on=TODAY, note="再登记", expected_version=2)
    organizer = make_user("county_organizer", COUNTY)
    with django_assert_max_num_queries(4):
        rows, total = selectors.rollup(organizer, c, Region.objects.get(code=COUNTY))
    town_a = next(r for r in rows if r.code == TOWN_A)
    villages_a = Region.objects.filter(code__startswith=TOWN_A, level=5).count()
    assert (town_a.cells["finance"].done, town_a.cells["finance"].overdue) == (1, villages_a - 1)
    assert total.cells["integrity"].done == 0
    town_b = selectors.rollup(make_user("town_officer", TOWN_B), c, Region.objects.get(code=COUNTY))[0]
    assert [r.code for r in town_b] == [TOWN_B]


def test_pages_and_api(make_user: Any, web_as: Any, api_as: Any, django_assert_max_num_queries: Any) -> None:
    c = _campaign(TOWN_A)
    cadre = make_user("village_cadre", VILLAGE_A)
    page = web_as(cadre).get(f"/education/campaign/{c.pk}/{TOWN_A}/")  # lands on the cadre's village
    assert page.status_code == 200 and "登记完成" in page.content.decode()
    town = web_as(make_user("town_officer", TOWN_A))
    with django_assert_max_num_queries(12):
        assert town.get(f"/education/campaign/{c.pk}/{TOWN_A}/").status_code == 200
    assert town.get(f"/education/campaign/{c.pk}/{TOWN_A}/ledger.xlsx").status_code == 200
    task = VillageTask.objects.get(campaign=c, region_id=VILLAGE_A, kind="conflicts")
    answer = api_as(cadre).post(
        f"/api/v1/education/task/{task.pk}/done",
        {"done_on": TODAY.isoformat(), "note": "排查纠纷 6 件，化解 5 件", "version": 1},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["done_on"] == TODAY.isoformat()
    other = api_as(make_user("town_officer", TOWN_B))
    assert other.get(f"/api/v1/education/campaign/{c.pk}/{TOWN_A}").status_code == 404
