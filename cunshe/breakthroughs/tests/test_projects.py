from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, import_other_county
from cunshe.breakthroughs import selectors
from cunshe.breakthroughs.models import Milestone, Project, Task
from cunshe.breakthroughs.services import (
    milestone_done,
    project_approve,
    project_finish,
    project_propose,
    project_rate,
    report_add,
    task_add,
)
from cunshe.breakthroughs.tests.helpers import with_secretary
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, IllegalTransition, NotPermitted
from cunshe.firstyear.tests.helpers import DAY, certified, progress
from cunshe.web.tests.kept import built_for_them, shown_after_a_write

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _propose(village: str = VILLAGE_A, *, actor: Any = SYSTEM, task: Any = None, on: date = TODAY) -> Project:
    task = (
        task
        or Task.objects.filter(county_id=COUNTY).first()
        or task_add(actor=SYSTEM, county_code=COUNTY, title="发展壮大村级集体经济")
    )
    return project_propose(
        actor=actor,
        village_code=village,
        task=task,
        title="党支部领办土地股份合作社",
        goal="集体增收 10 万元",
        milestones=[("通过合作社章程", on + timedelta(days=10)), ("完成土地入股确权", on + timedelta(days=90))],
        proposed_on=on,
    )


def test_the_task_list_is_the_countys(make_user: Any) -> None:
    import_other_county()
    task_add(actor=make_user("county_organizer", COUNTY), county_code=COUNTY, title="人居环境整治提升")
    with pytest.raises(NotPermitted):  # the town reads the list but does not set it
        task_add(actor=make_user("town_officer", TOWN_A), county_code=COUNTY, title="矛盾纠纷化解")
    with pytest.raises(Http404):
        task_add(actor=make_user("county_organizer", COUNTY), county_code=OTHER_COUNTY, title="越界")
    with pytest.raises(DomainError, match="已有该任务"):
        task_add(actor=SYSTEM, county_code=COUNTY, title="人居环境整治提升")


def test_one_project_per_secretary_from_the_countys_list(make_person: Any, make_user: Any) -> None:
    cadre = make_user("village_cadre", VILLAGE_A)
    with pytest.raises(DomainError, match="尚无党组织书记"):
        _propose(actor=cadre)
    secretary = with_secretary(VILLAGE_A, make_person, since=TODAY - timedelta(days=20))
    import_other_county()
    other_task = task_add(actor=SYSTEM, county_code=OTHER_COUNTY, title="别县任务")
    with pytest.raises(DomainError) as error:
        project_propose(
            actor=cadre,
            village_code=VILLAGE_A,
            task=other_task,
            title="",
            goal="x",
            milestones=[],
            proposed_on=TODAY,
        )
    assert set(error.value.field_errors) == {"task", "title", "milestones"}
    project = _propose(actor=cadre)
    assert project.secretary_id == secretary.person_id and project.status == "proposed"
    with pytest.raises(DomainError, match="每位书记一项"):
        _propose(actor=cadre)
    with pytest.raises(Http404):  # another town's village cadre
        _propose(VILLAGE_A, actor=make_user("village_cadre", VILLAGE_B))


def test_the_town_approves_the_village_reports_and_the_town_rates(make_person: Any, make_user: Any) -> None:
    with_secretary(VILLAGE_A, make_person, since=TODAY - timedelta(days=30))
    cadre, town = make_user("village_cadre", VILLAGE_A), make_user("town_officer", TOWN_A)
    project = _propose(actor=cadre, on=TODAY - timedelta(days=10))
    with pytest.raises(NotPermitted, match="审定"):  # the village does not approve its own project
        project_approve(actor=cadre, project=project, approved_on=TODAY, expected_version=project.version)
    with pytest.raises(Http404):
        project_approve(actor=make_user("town_officer", TOWN_B), project=project, approved_on=TODAY, expected_version=1)
    with pytest.raises(DomainError, match="审定后"):
        report_add(actor=cadre, project=project, reported_on=TODAY, text="动员")
    project = project_approve(
        actor=town, project=project, approved_on=TODAY - timedelta(days=5), expected_version=project.version
    )
    photo = SimpleUploadedFile("a.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
    report = report_add(actor=cadre, project=project, reported_on=TODAY, text="62 户签订入股意向书", photo=photo)
    assert report.photo
    with pytest.raises(DomainError) as error:
        report_add(
            actor=cadre,
            project=project,
            reported_on=TODAY,
            text="x",
            photo=SimpleUploadedFile("a.exe", b"MZ"),
        )
    assert set(error.value.field_errors) == {"photo"}
    first, second = Milestone.objects.filter(project=project).order_by("position")
    milestone_done(actor=cadre, milestone=first, done_on=TODAY)
    with pytest.raises(DomainError, match="尚有节点未完成"):
        project_finish(actor=cadre, project=project, finished_on=TODAY, result="增收", expected_version=project.version)
    milestone_done(actor=cadre, milestone=second, done_on=TODAY)
    project = project_finish(
        actor=cadre, project=project, finished_on=TODAY, result="集体增收 12 万元", expected_version=project.version
    )
    with pytest.raises(NotPermitted, match="评价"):
        project_rate(
            actor=cadre,
            project=project,
            rating="excellent",
            note="好",
            rated_on=TODAY,
            expected_version=project.version,
        )
    project = project_rate(
        actor=town,
        project=project,
        rating="excellent",
        note="成效明显",
        rated_on=TODAY,
        expected_version=project.version,
    )
    assert (project.status, project.get_rating_display()) == ("rated", "优秀")
    with pytest.raises(IllegalTransition, match="突破项目不能从“已评价”转为“已评价”（可转为：无）。"):
        project_rate(
            actor=town, project=project, rating="good", note="再评", rated_on=TODAY, expected_version=project.version
        )


def test_the_programme_item_is_done_when_the_town_approves(make_person: Any, make_user: Any) -> None:
    certified(VILLAGE_A, make_person)
    with_secretary(VILLAGE_A, make_person, since=DAY)
    project = _propose(on=DAY + timedelta(days=3))
    assert progress(VILLAGE_A, "breakthrough").done_on is None
    project_approve(actor=SYSTEM, project=project, approved_on=DAY + timedelta(days=6), expected_version=1)
    row = progress(VILLAGE_A, "breakthrough")
    assert (row.done_on, row.done_source) == (DAY + timedelta(days=6), "breakthrough")


def test_lists_pages_and_api(
    make_person: Any, make_user: Any, web_as: Any, api_as: Any, django_assert_max_num_queries: Any
) -> None:
    task = task_add(actor=SYSTEM, county_code=COUNTY, title="发展壮大村级集体经济")
    for village in (VILLAGE_A, "371681001214", "371681001215", VILLAGE_B):
        with_secretary(village, make_person, since=TODAY - timedelta(days=10))
        _propose(village, task=task)
    town = make_user("town_officer", TOWN_A)
    with django_assert_max_num_queries(3):
        projects: list[Any] = list(selectors.projects_under(town, TOWN_A))  # annotated
    assert len(projects) == 3 and all(p.planned == 2 and p.reached == 0 for p in projects)
    web = web_as(town)
    for url in (f"/breakthroughs/region/{TOWN_A}/", f"/breakthroughs/project/{projects[0].pk}/"):
        with django_assert_max_num_queries(14):
            assert web.get(url).status_code == 200
    assert web.get(f"/breakthroughs/region/{TOWN_A}/ledger.xlsx").status_code == 200
    answer = web_as(make_user("village_cadre", "371681001216")).post(
        "/breakthroughs/village/371681001216/propose/",
        {"task": task.pk, "title": "x", "goal": "y", "milestones": "明年 节点", "proposed_on": TODAY.isoformat()},
    )
    assert answer.status_code == 400 and "2027-03-31 节点内容" in answer.content.decode()
    api = api_as(town)
    with django_assert_max_num_queries(9):  # the same with 3 projects or 300: paged, milestones and reports prefetched
        listed = api.get(f"/api/v1/breakthroughs/region/{TOWN_A}").json()
    assert listed["count"] == 3 and [len(p["milestones"]) for p in listed["items"]] == [2, 2, 2]
    assert api.get(f"/api/v1/breakthroughs/region/{TOWN_B}").status_code == 404


def test_the_kept_region_page_shows_a_new_project_on_the_next_view(
    kept_summaries: Any, make_person: Any, make_user: Any, web_as: Any
) -> None:
    """The region page is kept whole (issue 15): a project proposed through the service moves the county's change
    number and shows at once; another town's officer asking for it gets their own town's."""
    with_secretary(VILLAGE_A, make_person, since=TODAY - timedelta(days=10))
    client = web_as(make_user("county_organizer", COUNTY))
    shown_after_a_write(client, f"/breakthroughs/region/{COUNTY}/", _propose, "党支部领办土地股份合作社")
    built_for_them(
        web_as(make_user("town_officer", TOWN_B)), f"/breakthroughs/region/{TOWN_A}/", "黄山街道 · 书记突破项目"
    )


def test_the_kept_village_page_shows_a_new_project_on_the_next_view(
    kept_summaries: Any, make_person: Any, make_user: Any, web_as: Any
) -> None:
    """The village's page is kept whole (issue 15): a project proposed through the service shows at once; a cadre of
    another village is refused it as before."""
    with_secretary(VILLAGE_A, make_person, since=TODAY - timedelta(days=10))
    client = web_as(make_user("village_cadre", VILLAGE_A))
    shown_after_a_write(client, f"/breakthroughs/village/{VILLAGE_A}/", _propose, "党支部领办土地股份合作社")
    assert web_as(make_user("village_cadre", VILLAGE_B)).get(f"/breakthroughs/village/{VILLAGE_A}/").status_code == 404
