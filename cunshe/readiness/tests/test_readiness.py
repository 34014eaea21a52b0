from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition, NotPermitted
from cunshe.deadlines.work_items import work_items_for
from cunshe.readiness.models import Readiness, ReadinessAssessment, Task
from cunshe.readiness.overdue import rows_overdue_refresh
from cunshe.readiness.selectors import readiness_table, rehearsal
from cunshe.readiness.services import (
    DEFAULT_TEMPLATE,
    assessment_file,
    intent_record,
    plan_item_add,
    plan_item_done,
    task_move,
    template_task_add,
    work_plan_make,
)
from cunshe.readiness.tests.conftest import OPENED
from cunshe.regions.models import Region
from cunshe.teams.services import member_appoint
from cunshe.visits.models import VisitTarget
from cunshe.visits.services import visit_plan_generate, visit_record

ELECTED = date(2021, 6, 1)


def assess(actor: Any, on: date, risk: str, village: str = VILLAGE_A, **fields: Any) -> ReadinessAssessment:
    return assessment_file(actor=actor, village_code=village, assessed_on=on, stability="fair", risk=risk, **fields)


def row(village: str = VILLAGE_A) -> Readiness:
    return Readiness.objects.get(region_id=village)


def test_assessments_keep_their_history_and_the_latest_sets_the_risk(term_change: Any, officer: Any) -> None:
    assess(officer, date(2026, 10, 1), "green")
    assess(officer, date(2026, 11, 1), "red", note="宗族矛盾突出")
    assess(officer, date(2026, 10, 15), "yellow")  # filed late: history, not the current level
    assert ReadinessAssessment.objects.filter(region_id=VILLAGE_A).count() == 3
    assert (row().risk, row().assessed_on) == ("red", date(2026, 11, 1))
    with pytest.raises(DomainError) as caught:
        assess(officer, date(2026, 11, 2), "red")
    assert "note" in caught.value.field_errors
    with pytest.raises(Http404):
        assess(officer, date(2026, 11, 1), "green", village=VILLAGE_B)


def test_a_work_plan_comes_from_the_county_template_or_the_default(
    term_change: Any, officer: Any, make_user: Any
) -> None:
    tasks = work_plan_make(actor=officer, village_code=VILLAGE_A, owner="驻村干部")
    assert [(t.title, t.due_on) for t in tasks] == [(n, OPENED + timedelta(days=d)) for n, d in DEFAULT_TEMPLATE]
    with pytest.raises(DomainError):
        work_plan_make(actor=officer, village_code=VILLAGE_A, owner="驻村干部")
    with pytest.raises(NotPermitted):  # the town officer sees the county's template but does not set it
        template_task_add(actor=officer, county_code=COUNTY, title="入户宣传", offset_days=10)
    organizer = make_user("county_organizer", COUNTY)
    template_task_add(actor=organizer, county_code=COUNTY, title="建好一村一策档案", offset_days=5)
    template_task_add(actor=organizer, county_code=COUNTY, title="党组织换届选举", offset_days=90)
    tasks = work_plan_make(actor=officer, village_code="371681001214", owner="包村干部")
    assert [(t.title, t.due_on) for t in tasks] == [
        ("建好一村一策档案", date(2026, 9, 6)),
        ("党组织换届选举", date(2026, 11, 30)),
    ]
    assert row("371681001214").tasks == 2


def test_tasks_move_through_their_transitions_and_count_when_done(term_change: Any, officer: Any) -> None:
    task = work_plan_make(actor=officer, village_code=VILLAGE_A, owner="驻村干部")[0]
    with pytest.raises(DomainError):
        task_move(actor=officer, task=task, to_status="done", expected_version=1)
    task_move(actor=officer, task=task, to_status="done", expected_version=1, done_on=date(2026, 9, 10))
    assert row().tasks_done == 1
    with pytest.raises(IllegalTransition):
        task_move(actor=officer, task=task, to_status="todo", expected_version=task.version)
    with pytest.raises(ConcurrentEdit):
        task_move(actor=officer, task=task, to_status="doing", expected_version=1)
    task_move(actor=officer, task=task, to_status="doing", expected_version=task.version)
    assert row().tasks_done == 0 and Task.objects.get(pk=task.pk).done_on is None


def test_overdue_tasks_are_on_the_to_do_list_of_their_own_town_only(
    term_change: Any, officer: Any, make_user: Any
) -> None:
    work_plan_make(actor=SYSTEM, village_code=VILLAGE_A, owner="驻村干部")
    overdue = [i for i in work_items_for(officer) if i.module == "readiness"]
    past = [n for n, d in DEFAULT_TEMPLATE if OPENED + timedelta(days=d) < timezone.localdate()]
    assert [i.title.split("：", 1)[1].split("（")[0] for i in overdue] == past and all(i.overdue for i in overdue)
    assert not [i for i in work_items_for(make_user("town_officer", TOWN_B)) if i.module == "readiness"]


def test_intents_need_a_post_to_run_for_and_revisions_name_their_version(
    term_change: Any, officer: Any, make_person: Any
) -> None:
    member = member_appoint(
        actor=SYSTEM,
        village_code=VILLAGE_A,
        person=make_person(VILLAGE_A),
        committee="villagers",
        post="committee_member",
        started_on=ELECTED,
    )
    with pytest.raises(DomainError) as caught:
        intent_record(actor=officer, member=member, intention="run_for", surveyed_on=date(2026, 10, 1))
    assert "desired_post" in caught.value.field_errors
    intent = intent_record(
        actor=officer, member=member, intention="run_for", desired_post="director", surveyed_on=date(2026, 10, 1)
    )
    intent_record(
        actor=officer, member=member, intention="stay", surveyed_on=date(2026, 10, 9), expected_version=intent.version
    )
    with pytest.raises(ConcurrentEdit):
        intent_record(
            actor=officer, member=member, intention="leave", surveyed_on=date(2026, 10, 9), expected_version=1
        )
    assert row().intents == 1


def test_the_rehearsal_shows_seats_candidates_and_gaps(term_change: Any, officer: Any, make_person: Any) -> None:
    # make_person's ID numbers alternate men and women; pick by gender.
    people = [
        make_person(VILLAGE_A, birth_date=date(1970, 1, 1), is_party_member=True, party_joined_on=date(1995, 7, 1))
        for _ in range(6)
    ]
    men = [p for p in people if p.gender == "M"]
    women = [p for p in people if p.gender == "F"]
    secretary = member_appoint(
        actor=SYSTEM, village_code=VILLAGE_A, person=men[0], committee="party", post="secretary", started_on=ELECTED
    )
    director = member_appoint(
        actor=SYSTEM, village_code=VILLAGE_A, person=men[1], committee="villagers", post="director", started_on=ELECTED
    )
    member = member_appoint(
        actor=SYSTEM,
        village_code=VILLAGE_A,
        person=women[0],
        committee="villagers",
        post="committee_member",
        started_on=ELECTED,
    )
    intent_record(actor=officer, member=secretary, intention="stay", surveyed_on=date(2026, 10, 1))
    intent_record(actor=officer, member=director, intention="leave", surveyed_on=date(2026, 10, 1))
    r = rehearsal(officer, VILLAGE_A)
    assert ("书记", 1) in r.seats and ("主任", 1) in r.seats
    assert [c.name for c in r.candidates] == [men[0].name]
    assert "没有女性人选（村(居)委会成员中应有妇女成员）。" in r.gaps
    assert "主任暂无人选。" in r.gaps and "1 名现任干部尚未排摸换届意愿。" in r.gaps
    intent_record(
        actor=officer, member=member, intention="run_for", desired_post="director", surveyed_on=date(2026, 10, 2)
    )
    r = rehearsal(officer, VILLAGE_A)
    assert not any("女性" in g or "主任" in g or "排摸" in g for g in r.gaps)
    # Someone who told a visitor they mean to stand is a likely candidate too.
    visit_plan_generate(
        actor=SYSTEM, village_code=VILLAGE_A, groups=["party_member"], visitor="甲", due_on=date(2026, 10, 30)
    )
    target = VisitTarget.objects.get(person=women[1])
    visit_record(
        actor=SYSTEM,
        target=target,
        mode="in_person",
        visited_on=date(2026, 10, 3),
        visitors="甲",
        summary="有意参选",
        intends_to_stand=True,
        intended_post="委员",
    )
    assert (women[1].name, "走访") in [(c.name, c.source) for c in rehearsal(officer, VILLAGE_A).candidates]


def test_the_county_table_sums_villages_in_constant_queries_and_village_cadres_do_not_see_it(
    term_change: Any, officer: Any, make_user: Any, web_as: Any, django_assert_max_num_queries: Any
) -> None:
    assess(SYSTEM, date(2026, 10, 1), "red", note="信访频发")
    assess(SYSTEM, date(2026, 10, 1), "green", village="371681001214")
    assess(SYSTEM, date(2026, 10, 1), "yellow", village=VILLAGE_B)
    work_plan_make(actor=SYSTEM, village_code=VILLAGE_B, owner="驻村干部")
    organizer = make_user("county_organizer", COUNTY)
    rows_overdue_refresh(date(2026, 10, 1))  # the daily job, run on 1 October
    with django_assert_max_num_queries(6):
        table = readiness_table(organizer, COUNTY)
    rows = {r.code: (r.red, r.yellow, r.green, r.tasks, r.tasks_overdue) for r in table.rows}
    overdue_b = sum(
        1 for _, d in DEFAULT_TEMPLATE if OPENED + timedelta(days=d) < timezone.localdate()
    )  # today, not the job's day
    assert len(rows) == Region.objects.filter(parent_id=COUNTY).count()  # towns not yet assessed show zeros
    assert {code: row for code, row in rows.items() if any(row)} == {
        TOWN_A: (1, 0, 1, 0, 0),
        TOWN_B: (0, 1, 0, len(DEFAULT_TEMPLATE), overdue_b),
    }
    client = web_as(officer)
    assert client.get(f"/readiness/{VILLAGE_A}/").status_code == 200
    assert client.get(f"/readiness/{VILLAGE_A}/rehearsal/").status_code == 200
    cadre = web_as(make_user("village_cadre", VILLAGE_A))
    assert cadre.get(f"/readiness/{VILLAGE_A}/").status_code == 404


def test_a_village_plan_item_is_done_once_with_its_date(term_change: Any, officer: Any, make_user: Any) -> None:
    item = plan_item_add(
        actor=officer,
        village_code=VILLAGE_A,
        problem="党员组织关系未转接",
        measure="逐一联系转接",
        owner="村党组织书记",
        due_on=date(2026, 10, 31),
    )
    with pytest.raises(DomainError):
        plan_item_done(actor=officer, item=item, done_on=date(2030, 1, 1), expected_version=item.version)
    stale = item.version
    plan_item_done(actor=officer, item=item, done_on=date(2026, 10, 20), expected_version=item.version)
    with pytest.raises(DomainError):
        plan_item_done(actor=officer, item=item, done_on=date(2026, 10, 21), expected_version=item.version)
    other = plan_item_add(
        actor=SYSTEM,
        village_code=VILLAGE_B,
        problem="宅基地纠纷",
        measure="调解",
        owner="包村领导",
        due_on=date(2026, 10, 31),
    )
    with pytest.raises(Http404):
        plan_item_done(actor=officer, item=other, done_on=date(2026, 10, 20), expected_version=stale)


def flag_on_record(person: Any) -> None:
    """An unresolved negative-list entry against the person, as the county would record it."""
    from cunshe.eligibility.models import ExclusionRule
    from cunshe.eligibility.services import exclusion_rules_install_defaults
    from cunshe.negativelist.services import entry_add

    if not ExclusionRule.objects.filter(county_id=person.region_id[:6]).exists():
        exclusion_rules_install_defaults(actor=SYSTEM, county_code=person.region_id[:6])
    rule = ExclusionRule.objects.get(county_id=person.region_id[:6], code="9")
    entry_add(actor=SYSTEM, person=person, rule=rule, source="department", found_on=OPENED, details="列为失信被执行人")


FLAG = '<span class="badge warn" title="此人有未办结的负面清单信息">负面清单</span>'


def test_the_intent_survey_and_the_rehearsal_mark_flagged_people_at_no_cost_per_row(
    term_change: Any, officer: Any, make_person: Any, web_as: Any
) -> None:
    def seat(name: str, post: str, intention: str) -> Any:
        member = member_appoint(
            actor=SYSTEM,
            village_code=VILLAGE_A,
            person=make_person(VILLAGE_A, name=name),
            committee="villagers",
            post=post,
            started_on=ELECTED,
        )
        intent_record(actor=SYSTEM, member=member, intention=intention, surveyed_on=date(2026, 10, 1))
        return member

    flag_on_record(seat("负面留任者", "director", "stay").person)
    flag_on_record(seat("负面让贤者", "deputy_director", "leave").person)
    seat("清白留任者", "committee_member", "stay")
    client = web_as(officer)
    pages = [f"/readiness/{VILLAGE_A}/", f"/readiness/{VILLAGE_A}/rehearsal/"]
    with CaptureQueriesContext(connection) as three_rows:
        village, sandbox = (client.get(p).content.decode() for p in pages)
    assert f"负面留任者{FLAG}" in village and f"负面让贤者{FLAG}" in village and f"清白留任者{FLAG}" not in village
    assert f"负面留任者{FLAG}" in sandbox and f"负面让贤者{FLAG}" in sandbox and f"清白留任者{FLAG}" not in sandbox
    seat("新增委员甲", "committee_member", "stay")
    flag_on_record(seat("新增委员乙", "committee_member", "stay").person)
    with CaptureQueriesContext(connection) as five_rows:
        village, sandbox = (client.get(p).content.decode() for p in pages)
    assert f"新增委员乙{FLAG}" in village and f"新增委员乙{FLAG}" in sandbox
    assert len(five_rows) == len(three_rows)


def post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_the_api_surveys_intents_like_the_village_page(
    term_change: Any, officer: Any, make_user: Any, make_person: Any, api_as: Any
) -> None:
    member = member_appoint(
        actor=SYSTEM,
        village_code=VILLAGE_A,
        person=make_person(VILLAGE_A, name="排摸对象"),
        committee="villagers",
        post="committee_member",
        started_on=ELECTED,
    )
    client = api_as(officer)
    url = f"/api/v1/readiness/{VILLAGE_A}/intents"
    listed = client.get(url).json()
    assert [(i["person_name"], i["intention"], i["version"]) for i in listed] == [("排摸对象", None, None)]
    body = {"member_id": member.pk, "intention": "run_for", "surveyed_on": "2026-10-01"}
    refused = post(client, url, body)
    assert refused.status_code == 400 and "desired_post" in refused.json()["errors"]
    first = post(client, url, {**body, "desired_post": "director"})
    assert first.status_code == 200 and (first.json()["intention"], first.json()["version"]) == ("run_for", 1)
    revised = post(client, url, {**body, "intention": "stay", "surveyed_on": "2026-10-09", "version": 1})
    assert revised.json()["intention"] == "stay" and revised.json()["version"] == 2
    assert post(client, url, {**body, "intention": "leave", "version": 1}).status_code == 409  # stale
    assert client.get(url).json()[0]["intention"] == "stay" and row().intents == 1
    # Read-only roles and other towns: as on the page, the village is not there to change.
    supervisor = api_as(make_user("discipline_supervisor", TOWN_A))
    assert supervisor.get(url).status_code == 200
    assert post(supervisor, url, {**body, "intention": "leave", "version": 2}).status_code == 404
    other_town = api_as(make_user("town_officer", TOWN_B))
    assert other_town.get(url).status_code == 404
    assert post(other_town, url, {**body, "intention": "leave", "version": 2}).status_code == 404
    assert post(client, f"/api/v1/readiness/{VILLAGE_B}/intents", body).status_code == 404
    # A cadre of one village is not surveyed under another.
    neighbour = "/api/v1/readiness/371681001214/intents"
    assert post(client, neighbour, {**body, "desired_post": "director"}).status_code == 404


def test_the_api_keeps_the_village_plan_like_the_village_page(
    term_change: Any, officer: Any, make_user: Any, api_as: Any
) -> None:
    client = api_as(officer)
    url = f"/api/v1/readiness/{VILLAGE_A}/plan"
    body = {"problem": "党员组织关系未转接", "measure": "逐一联系转接", "owner": "村党组织书记", "due_on": "2026-10-31"}
    early = post(client, url, {**body, "due_on": "2026-08-01"})  # before the term change opened
    assert early.status_code == 400 and "due_on" in early.json()["errors"]
    added = post(client, url, body)
    assert added.status_code == 201 and added.json()["done_on"] is None
    done_url = f"/api/v1/readiness/plan/{added.json()['id']}/done"
    assert post(client, done_url, {"done_on": "2026-10-20", "version": 7}).status_code == 409
    done = post(client, done_url, {"done_on": "2026-10-20", "version": 1})
    assert done.status_code == 200 and done.json()["done_on"] == "2026-10-20" and done.json()["version"] == 2
    assert post(client, done_url, {"done_on": "2026-10-21", "version": 2}).status_code == 400  # done once
    assert [p["problem"] for p in client.get(url).json()] == ["党员组织关系未转接"]
    other_town = api_as(make_user("town_officer", TOWN_B))
    assert other_town.get(url).status_code == 404
    assert post(other_town, url, body).status_code == 404
    supervisor = api_as(make_user("discipline_supervisor", TOWN_A))
    assert post(supervisor, url, body).status_code == 404
    item = post(client, url, body).json()
    assert (
        post(
            other_town, f"/api/v1/readiness/plan/{item['id']}/done", {"done_on": "2026-10-20", "version": 1}
        ).status_code
        == 404
    )
    assert (
        post(
            supervisor, f"/api/v1/readiness/plan/{item['id']}/done", {"done_on": "2026-10-20", "version": 1}
        ).status_code
        == 403
    )
    assert [p["done_on"] for p in client.get(url).json()] == ["2026-10-20", None]


def test_the_api_sets_the_county_template_and_makes_work_plans_from_it(
    term_change: Any, officer: Any, make_user: Any, api_as: Any
) -> None:
    organizer = api_as(make_user("county_organizer", COUNTY))
    url = f"/api/v1/readiness/template/{COUNTY}"
    default = organizer.get(url).json()
    assert default["is_default"] and [t["title"] for t in default["tasks"]] == [t for t, _ in DEFAULT_TEMPLATE]
    # A town officer makes the villages' plans but does not set the county's template.
    town = api_as(officer)
    assert town.get(url).status_code == 403
    assert post(town, url, {"title": "入户宣传", "offset_days": 10}).status_code == 403
    assert post(organizer, url, {"title": "入户宣传", "offset_days": 400}).status_code == 400
    added = post(organizer, url, {"title": "建好一村一策档案", "offset_days": 5})
    assert added.status_code == 201 and added.json() == {
        "id": added.json()["id"],
        "position": 1,
        "title": "建好一村一策档案",
        "offset_days": 5,
        "active": True,
        "retired_on": None,
        "version": 1,
    }
    assert organizer.get(url).json() == {"county": COUNTY, "is_default": False, "tasks": [added.json()]}
    plan_url = f"/api/v1/readiness/{VILLAGE_A}/workplan"
    assert post(api_as(make_user("discipline_supervisor", TOWN_A)), plan_url, {"owner": "驻村干部"}).status_code == 404
    assert post(api_as(make_user("town_officer", TOWN_B)), plan_url, {"owner": "驻村干部"}).status_code == 404
    assert post(town, plan_url, {"owner": " "}).status_code == 400
    made = post(town, plan_url, {"owner": "驻村干部"})
    assert made.status_code == 201 and [(t["title"], t["due_on"]) for t in made.json()] == [
        ("建好一村一策档案", "2026-09-06")
    ]
    assert post(town, plan_url, {"owner": "驻村干部"}).status_code == 400  # one plan per village
    tasks = town.get(f"/api/v1/readiness/{VILLAGE_A}/tasks").json()
    assert tasks == made.json() and row().tasks == 1
    assert api_as(make_user("town_officer", TOWN_B)).get(f"/api/v1/readiness/{VILLAGE_A}/tasks").status_code == 404


def test_the_api_reads_the_assessment_history_newest_first(
    term_change: Any, officer: Any, make_user: Any, api_as: Any
) -> None:
    assess(officer, date(2026, 10, 1), "green")
    assess(officer, date(2026, 11, 1), "red", note="宗族矛盾突出", petitions=4)
    history = api_as(officer).get(f"/api/v1/readiness/{VILLAGE_A}/assessments").json()
    assert [(a["assessed_on"], a["risk"], a["petitions"], a["note"]) for a in history] == [
        ("2026-11-01", "red", 4, "宗族矛盾突出"),
        ("2026-10-01", "green", 0, ""),
    ]
    assert (
        api_as(make_user("town_officer", TOWN_B)).get(f"/api/v1/readiness/{VILLAGE_A}/assessments").status_code == 404
    )


def test_the_overdue_count_follows_each_task_and_the_passing_of_the_date(term_change: Any, officer: Any) -> None:
    def overdue() -> int:
        return Readiness.objects.get(region_id=VILLAGE_A).tasks_overdue

    tasks = work_plan_make(actor=officer, village_code=VILLAGE_A, owner="驻村干部")
    late = [t for t in tasks if t.due_on < timezone.localdate()]
    assert overdue() == len(late)
    if late:
        task_move(
            actor=officer,
            task=late[0],
            to_status="done",
            expected_version=late[0].version,
            done_on=timezone.localdate(),
        )
        assert overdue() == len(late) - 1
    after_all = max(t.due_on for t in tasks) + timedelta(days=1)
    rows_overdue_refresh(after_all)
    assert overdue() == len(tasks) - (1 if late else 0)
    rows_overdue_refresh(date(2000, 1, 1))
    assert overdue() == 0


def test_the_village_file_prints_the_assessments_plan_work_plan_and_rehearsal(
    term_change: Any, officer: Any, make_user: Any, make_person: Any, web_as: Any, api_as: Any
) -> None:
    secretary = member_appoint(
        actor=SYSTEM,
        village_code=VILLAGE_A,
        person=make_person(VILLAGE_A, name="书记甲", is_party_member=True, party_joined_on=date(1995, 7, 1)),
        committee="party",
        post="secretary",
        started_on=ELECTED,
    )
    intent_record(actor=officer, member=secretary, intention="stay", surveyed_on=date(2026, 10, 1))
    assess(officer, date(2026, 9, 20), "green")
    assess(officer, date(2026, 10, 10), "red", conflicts="土地流转纠纷", petitions=3, note="重点关注")
    plan_item_add(
        actor=officer, village_code=VILLAGE_A, problem="土地流转纠纷", measure="镇村联合调处", owner="包村干部",
        due_on=date(2026, 11, 1),
    )  # fmt: skip
    work_plan_make(actor=officer, village_code=VILLAGE_A, owner="驻村干部")

    answer = web_as(officer).get(f"/readiness/{VILLAGE_A}/file.pdf")
    text, _ = pdf_text(answer.content)
    assert answer["Content-Type"] == "application/pdf" and "一村一策一表" in text
    # the latest assessment in full, the earlier one as history
    assert "红（高风险）" in text and "重点关注" in text and "此前评估：2026-09-20 绿（平稳）" in text
    assert "镇村联合调处" in text and DEFAULT_TEMPLATE[0][0] in text  # the plan and the work plan
    assert "书记甲" in text and "主任暂无人选。人选 1 人" in text  # the rehearsal with its gaps
    assert api_as(officer).get(f"/api/v1/readiness/{VILLAGE_A}/file.pdf")["Content-Type"] == "application/pdf"

    assert web_as(make_user("village_cadre", VILLAGE_A)).get(f"/readiness/{VILLAGE_A}/file.pdf").status_code == 404
    assert web_as(make_user("town_officer", TOWN_B)).get(f"/readiness/{VILLAGE_A}/file.pdf").status_code == 404
