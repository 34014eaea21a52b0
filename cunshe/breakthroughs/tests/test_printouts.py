"""The project sheet (项目书) prints the project as it stands, with the lines to sign; other towns get a 404."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, pdf_text
from cunshe.breakthroughs.services import milestone_done, project_approve, project_propose, report_add, task_add
from cunshe.breakthroughs.tests.helpers import with_secretary
from cunshe.core.actors import SYSTEM

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_the_project_sheet_prints_goal_steps_progress_and_sign_off(
    make_person: Any, make_user: Any, web_as: Any, api_as: Any
) -> None:
    secretary = with_secretary(VILLAGE_A, make_person, since=date(2026, 1, 1)).person
    task = task_add(actor=SYSTEM, county_code=COUNTY, title="发展壮大村级集体经济")
    p = project_propose(
        actor=SYSTEM,
        village_code=VILLAGE_A,
        task=task,
        title="党支部领办土地股份合作社",
        goal="集体增收 10 万元",
        milestones=[("通过合作社章程", TODAY + timedelta(days=10)), ("完成土地入股确权", TODAY + timedelta(days=90))],
        proposed_on=TODAY,
    )
    p = project_approve(actor=SYSTEM, project=p, approved_on=TODAY, expected_version=p.version)
    milestone_done(actor=SYSTEM, milestone=p.milestones.order_by("position")[0], done_on=TODAY)
    report_add(actor=SYSTEM, project=p, reported_on=TODAY, text="召开党员群众动员会")

    town = make_user("town_officer", TOWN_A)
    answer = web_as(town).get(f"/breakthroughs/project/{p.pk}/sheet.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text, _ = pdf_text(answer.content)
    for expected in (
        "书记突破项目书",
        "党支部领办土地股份合作社",
        secretary.name,
        "集体增收 10 万元",
        "通过合作社章程",
        "完成土地入股确权",
        "已完成节点 1 / 2 个",
        "召开党员群众动员会",
        "党组织书记（签字）",
        "乡镇(街道)党(工)委审定意见",
    ):
        assert expected in text, expected
    page = web_as(town).get(f"/breakthroughs/project/{p.pk}/").content.decode()
    assert f"/breakthroughs/project/{p.pk}/sheet.pdf" in page
    api = api_as(town).get(f"/api/v1/breakthroughs/project/{p.pk}/sheet.pdf")
    assert api.status_code == 200 and "党支部领办土地股份合作社" in pdf_text(api.content)[0]
    # another town's officer does not see the project at all
    other = make_user("town_officer", TOWN_B)
    assert web_as(other).get(f"/breakthroughs/project/{p.pk}/sheet.pdf").status_code == 404
    assert api_as(other).get(f"/api/v1/breakthroughs/project/{p.pk}/sheet.pdf").status_code == 404
