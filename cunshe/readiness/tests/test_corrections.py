"""Corrections: an open item of the village plan (一村一策) and the tasks of the county's work-plan template
(选务作战图模板), which can also be taken out of the template (停用) without losing their row."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition, NotPermitted
from cunshe.readiness.models import PlanItem, Task, TemplateTask
from cunshe.readiness.services import (
    plan_item_add,
    plan_item_done,
    plan_item_update,
    template_of,
    template_task_add,
    template_task_set_active,
    template_task_update,
    work_plan_make,
)
from cunshe.readiness.tests.conftest import OPENED
from cunshe.records.models import RecordEntry

VILLAGE_A2 = "371681001214"  # another village of town A, without a work plan


def add_item(actor: Any = SYSTEM, village: str = VILLAGE_A) -> PlanItem:
    return plan_item_add(
        actor=actor,
        village_code=village,
        problem="党员组织关系未转结",
        measure="逐一联系转接",
        owner="村党组织书记",
        due_on=date(2026, 10, 31),
    )


def fields_of(item: PlanItem) -> dict[str, Any]:
    return {"problem": item.problem, "measure": item.measure, "owner": item.owner, "due_on": item.due_on}


def last_entry(obj: Any) -> RecordEntry:
    entry = RecordEntry.objects.filter(object_id=str(obj.pk), event__startswith="readiness.").order_by("-seq").first()
    assert entry is not None
    return entry


def stored(item: PlanItem) -> PlanItem:
    return PlanItem.objects.get(pk=item.pk)


# The village plan


def test_an_open_plan_item_is_corrected_and_the_record_book_keeps_only_what_changed(
    term_change: Any, officer: Any
) -> None:
    item = add_item(officer)
    corrected = {**fields_of(item), "problem": "党员组织关系未转接", "due_on": date(2026, 11, 15)}
    plan_item_update(actor=officer, item=item, expected_version=1, **corrected)
    again = stored(item)
    assert fields_of(again) == corrected and again.version == 2
    entry = last_entry(item)
    assert entry.event == "readiness.plan_item_updated" and entry.actor == officer
    assert entry.before == {"问题": "党员组织关系未转结", "完成时限": "2026-10-31"}
    assert entry.after == {"问题": "党员组织关系未转接", "完成时限": "2026-11-15"}
    # The owner changes hands: one field in the entry.
    plan_item_update(actor=officer, item=again, expected_version=2, **{**corrected, "owner": "包村领导"})
    assert (last_entry(item).before, last_entry(item).after) == ({"责任人": "村党组织书记"}, {"责任人": "包村领导"})


def test_a_plan_item_correction_is_checked_like_a_new_item_and_saves_nothing_when_wrong(
    term_change: Any, officer: Any
) -> None:
    item = add_item(officer)
    original = fields_of(item)
    entries = RecordEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        plan_item_update(
            actor=officer,
            item=item,
            expected_version=1,
            problem=" ",
            measure="",
            owner="x" * 51,
            due_on=OPENED - timedelta(days=1),
        )
    assert set(caught.value.field_errors) == {"problem", "measure", "owner", "due_on"}
    assert caught.value.field_errors["due_on"] == ["请填写不早于换届启动日期的完成时限。"]
    with pytest.raises(DomainError) as missing:
        plan_item_update(actor=officer, item=item, expected_version=1, **{**fields_of(item), "due_on": None})
    assert "due_on" in missing.value.field_errors
    assert fields_of(stored(item)) == original and stored(item).version == 1
    assert RecordEntry.objects.count() == entries


def test_a_stale_correction_is_refused_and_an_empty_one_writes_nothing(term_change: Any, officer: Any) -> None:
    item = add_item(officer)
    seen_by_other = stored(item)
    plan_item_update(actor=officer, item=item, expected_version=1, **{**fields_of(item), "owner": "包村领导"})
    with pytest.raises(ConcurrentEdit):
        plan_item_update(
            actor=officer, item=seen_by_other, expected_version=1, **{**fields_of(seen_by_other), "measure": "改"}
        )
    assert stored(item).measure == "逐一联系转接" and stored(item).version == 2
    entries = RecordEntry.objects.count()
    unchanged = stored(item)
    assert plan_item_update(actor=officer, item=unchanged, expected_version=2, **fields_of(unchanged)).version == 2
    assert RecordEntry.objects.count() == entries and stored(item).version == 2
    with pytest.raises(ConcurrentEdit):  # even a save that changes nothing says when what was seen is old
        plan_item_update(actor=officer, item=unchanged, expected_version=1, **fields_of(unchanged))


def test_a_done_plan_item_is_history_and_cannot_be_corrected(term_change: Any, officer: Any) -> None:
    item = add_item(officer)
    plan_item_done(actor=officer, item=item, done_on=date(2026, 10, 20), expected_version=1)
    with pytest.raises(DomainError) as caught:
        plan_item_update(actor=officer, item=item, expected_version=2, **{**fields_of(item), "owner": "包村领导"})
    assert caught.value.message == "“党员组织关系未转结”已于 2026-10-20 完成，已完成的事项作为历史保留，不能再修改。"
    assert stored(item).owner == "村党组织书记" and stored(item).version == 2


def test_only_those_who_change_the_village_plan_correct_it(term_change: Any, officer: Any, make_user: Any) -> None:
    item = add_item(officer)
    with pytest.raises(Http404):
        plan_item_update(actor=make_user("town_officer", TOWN_B), item=item, expected_version=1, **fields_of(item))
    with pytest.raises(NotPermitted):
        plan_item_update(
            actor=make_user("discipline_supervisor", TOWN_A), item=item, expected_version=1, **fields_of(item)
        )
    other = add_item(village=VILLAGE_B)
    with pytest.raises(Http404):
        plan_item_update(actor=officer, item=other, expected_version=1, **{**fields_of(other), "owner": "我"})
    assert stored(other).owner == "村党组织书记" and stored(item).version == 1


def form(item: PlanItem, **changes: Any) -> dict[str, Any]:
    return {**fields_of(item), "due_on": item.due_on.isoformat(), "version": item.version, **changes}


def test_the_village_page_edits_a_row_in_place_with_htmx_and_on_a_page_without(
    term_change: Any, officer: Any, make_user: Any, web_as: Any
) -> None:
    item = add_item(officer)
    client = web_as(officer)
    url = f"/readiness/plan/{item.pk}/edit/"
    village = client.get(f"/readiness/{VILLAGE_A}/").content.decode()
    assert f'hx-get="{url}"' in village
    row = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert row.startswith(f'<tr id="plan-{item.pk}">') and 'value="党员组织关系未转结"' in row and "<html" not in row
    assert 'type="date" name="due_on" value="2026-10-31"' in row  # what a date input can show
    refused = client.post(url, form(item, owner=""), HTTP_HX_REQUEST="true").content.decode()
    assert refused.startswith(f'<tr id="plan-{item.pk}">') and "必填" in refused
    assert stored(item).owner == "村党组织书记"
    saved = client.post(url, form(item, problem="党员组织关系未转接"), HTTP_HX_REQUEST="true").content.decode()
    assert saved.startswith(f'<tr id="plan-{item.pk}"><td>党员组织关系未转接</td>') and 'value="2"' in saved
    # Without htmx: a page of its own, then back to the village.
    assert "<html" in client.get(url).content.decode()
    done = client.post(url, form(stored(item), owner="包村领导"))
    assert done.status_code == 302 and done["Location"] == f"/readiness/{VILLAGE_A}/"
    assert stored(item).owner == "包村领导" and stored(item).version == 3
    stale = client.post(url, form(item, owner="网格员")).content.decode()  # item still holds version 1
    assert "该记录已被他人修改" in stale and stored(item).owner == "包村领导"
    # A done item offers no form; a read-only role sees the item but may not edit it (403); another town does not
    # see it at all (404).
    plan_item_done(actor=officer, item=item, done_on=date(2026, 10, 20), expected_version=3)
    page = client.get(url).content.decode()
    assert "已完成，作为历史保留，不能再修改" in page and 'name="problem"' not in page
    assert f'hx-get="{url}"' not in client.get(f"/readiness/{VILLAGE_A}/").content.decode()
    assert web_as(make_user("discipline_supervisor", TOWN_A)).get(url).status_code == 403
    assert web_as(make_user("town_officer", TOWN_B)).post(url, form(stored(item))).status_code == 404


def put(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.put(url, body, content_type="application/json")


def test_the_api_corrects_an_open_plan_item_like_the_page(
    term_change: Any, officer: Any, make_user: Any, api_as: Any
) -> None:
    item = add_item(officer)
    client = api_as(officer)
    url = f"/api/v1/readiness/plan/{item.pk}"
    body = {**form(item), "owner": "包村领导"}
    wrong = put(client, url, {**body, "due_on": "2026-08-01"})
    assert wrong.status_code == 400 and list(wrong.json()["errors"]) == ["due_on"]
    assert put(client, url, {**body, "version": 7}).status_code == 409
    ok = put(client, url, body)
    assert ok.status_code == 200 and (ok.json()["owner"], ok.json()["version"]) == ("包村领导", 2)
    assert put(api_as(make_user("town_officer", TOWN_B)), url, {**body, "version": 2}).status_code == 404
    assert put(api_as(make_user("discipline_supervisor", TOWN_A)), url, {**body, "version": 2}).status_code == 403
    plan_item_done(actor=officer, item=stored(item), done_on=date(2026, 10, 20), expected_version=2)
    history = put(client, url, {**body, "owner": "网格员", "version": 3})
    assert history.status_code == 400 and "历史" in history.json()["message"]
    assert stored(item).owner == "包村领导"


# The county's template


def titles(term_change: Any) -> list[str]:
    return [title for title, _ in template_of(term_change)]


def test_a_template_task_is_corrected_and_moved_and_the_tasks_between_shift(term_change: Any, organizer: Any) -> None:
    first, second, third = (
        template_task_add(actor=organizer, county_code=COUNTY, title=t, offset_days=d)
        for t, d in (("建好档案", 10), ("入户宣传", 20), ("党员排查", 30))
    )
    template_task_update(
        actor=organizer, task=third, expected_version=1, title="党员组织关系排查", offset_days=28, position=1
    )
    assert titles(term_change) == ["党员组织关系排查", "建好档案", "入户宣传"]
    assert [(t.title, t.position, t.version) for t in TemplateTask.objects.order_by("position")] == [
        ("党员组织关系排查", 1, 2),
        ("建好档案", 2, 2),
        ("入户宣传", 3, 2),
    ]
    entry = last_entry(third)
    assert entry.event == "readiness.template_task_updated"
    assert entry.before == {"序号": 3, "工作事项": "党员排查", "启动后天数": 30}
    assert entry.after == {"序号": 1, "工作事项": "党员组织关系排查", "启动后天数": 28}
    # A shifted task changed under whoever had it open: their edit is stale.
    with pytest.raises(ConcurrentEdit):
        template_task_update(actor=organizer, task=first, expected_version=1, title="建好一村一策档案", offset_days=10)
    moved_back = TemplateTask.objects.get(pk=first.pk)
    template_task_update(
        actor=organizer, task=moved_back, expected_version=2, title="建好档案", offset_days=10, position=3
    )
    assert titles(term_change) == ["党员组织关系排查", "入户宣传", "建好档案"]
    assert last_entry(first).before == {"序号": 2} and last_entry(first).after == {"序号": 3}
    current = TemplateTask.objects.get(pk=second.pk)
    with pytest.raises(DomainError) as caught:
        template_task_update(
            actor=organizer, task=current, expected_version=current.version, title=" ", offset_days=400
        )
    assert set(caught.value.field_errors) == {"title", "offset_days"}
    with pytest.raises(DomainError) as out_of_range:
        template_task_update(
            actor=organizer,
            task=current,
            expected_version=current.version,
            title="入户宣传",
            offset_days=20,
            position=4,
        )
    assert out_of_range.value.field_errors == {"position": ["序号须在 1 到 3 之间。"]}
    assert TemplateTask.objects.get(pk=second.pk).version == current.version


def test_a_retired_template_task_is_left_out_of_new_work_plans_and_plans_already_made_keep_it(
    term_change: Any, organizer: Any, officer: Any
) -> None:
    kept, retired = (
        template_task_add(actor=organizer, county_code=COUNTY, title=t, offset_days=d)
        for t, d in (("建好档案", 10), ("沙盘推演", 60))
    )
    made_before = work_plan_make(actor=officer, village_code=VILLAGE_A, owner="驻村干部")
    template_task_set_active(actor=organizer, task=retired, expected_version=1, active=False)
    row = TemplateTask.objects.get(pk=retired.pk)
    assert row.retired_on == timezone.localdate() and not row.is_active and row.version == 2
    assert (last_entry(retired).before, last_entry(retired).after) == (
        {"状态": "在用"},
        {"状态": f"已停用（{timezone.localdate():%Y-%m-%d}）"},
    )
    assert titles(term_change) == ["建好档案"]
    made_after = work_plan_make(actor=officer, village_code=VILLAGE_A2, owner="驻村干部")
    assert [t.title for t in made_after] == ["建好档案"]
    assert (
        [t.title for t in Task.objects.filter(region_id=VILLAGE_A).order_by("position")]
        == [t.title for t in made_before]
        == ["建好档案", "沙盘推演"]
    )
    with pytest.raises(IllegalTransition):
        template_task_set_active(actor=organizer, task=row, expected_version=2, active=False)
    with pytest.raises(DomainError) as last:
        template_task_set_active(actor=organizer, task=kept, expected_version=1, active=False)
    assert "至少须保留一项在用的事项" in last.value.message and TemplateTask.objects.get(pk=kept.pk).is_active
    with pytest.raises(ConcurrentEdit):
        template_task_set_active(actor=organizer, task=row, expected_version=1, active=True)
    template_task_set_active(actor=organizer, task=row, expected_version=2, active=True)
    assert TemplateTask.objects.get(pk=retired.pk).retired_on is None and titles(term_change) == [
        "建好档案",
        "沙盘推演",
    ]
    assert last_entry(retired).event == "readiness.template_task_restored"


def test_only_the_county_organizer_of_that_county_changes_its_template(
    term_change: Any, organizer: Any, officer: Any, make_user: Any, other_county: Any
) -> None:
    tasks = [
        template_task_add(actor=organizer, county_code=COUNTY, title=t, offset_days=d)
        for t, d in (("建好档案", 10), ("入户宣传", 20))
    ]
    outsider = make_user("county_organizer", OTHER_COUNTY)
    for actor, refusal in ((outsider, Http404), (officer, NotPermitted)):
        with pytest.raises(refusal):
            template_task_update(actor=actor, task=tasks[0], expected_version=1, title="改", offset_days=5)
        with pytest.raises(refusal):
            template_task_set_active(actor=actor, task=tasks[0], expected_version=1, active=False)
    assert [(t.title, t.version, t.retired_on) for t in TemplateTask.objects.order_by("position")] == [
        ("建好档案", 1, None),
        ("入户宣传", 1, None),
    ]


def test_the_template_page_corrects_retires_and_restores_tasks(
    term_change: Any, organizer: Any, officer: Any, make_user: Any, web_as: Any, other_county: Any
) -> None:
    first, second = (
        template_task_add(actor=organizer, county_code=COUNTY, title=t, offset_days=d)
        for t, d in (("建好档案", 10), ("入户宣传", 20))
    )
    client = web_as(organizer)
    edit = f"/readiness/template/tasks/{second.pk}/edit/"
    assert 'value="入户宣传"' in client.get(edit).content.decode()
    body = {"title": "入户宣传“一肩挑”政策", "offset_days": 25, "position": 1, "version": 1}
    refused = client.post(edit, {**body, "offset_days": 366}).content.decode()
    assert '<ul class="errorlist"' in refused and "小于或等于365" in refused
    assert client.post(edit, body).status_code == 302
    assert titles(term_change) == ["入户宣传“一肩挑”政策", "建好档案"]
    assert "该记录已被他人修改" in client.post(edit, body).content.decode()  # version 1 again
    active = f"/readiness/template/tasks/{first.pk}/active/"
    assert client.post(active, {"active": "0", "version": 2}).status_code == 302  # moved: version 2
    page = client.get(f"/readiness/template/{COUNTY}/").content.decode()
    assert "已停用" in page and "已制定的各村作战图不受影响" in page and "启用</button>" in page
    assert titles(term_change) == ["入户宣传“一肩挑”政策"]
    client.post(active, {"active": "1", "version": 3})
    assert titles(term_change) == ["入户宣传“一肩挑”政策", "建好档案"]
    # A town officer works under the county but does not set its template; another county's organizer cannot see it.
    for user in (officer, make_user("county_organizer", OTHER_COUNTY)):
        other = web_as(user)
        assert other.get(edit).status_code == 404
        assert other.post(edit, {**body, "version": 2}).status_code == 404
        assert other.post(active, {"active": "0", "version": 4}).status_code == 404
    assert TemplateTask.objects.get(pk=first.pk).is_active


def test_the_api_corrects_retires_and_lists_template_tasks(
    term_change: Any, organizer: Any, officer: Any, make_user: Any, api_as: Any, other_county: Any
) -> None:
    client = api_as(organizer)
    base = f"/api/v1/readiness/template/{COUNTY}"
    ids = [
        client.post(base, {"title": t, "offset_days": d}, content_type="application/json").json()["id"]
        for t, d in (("建好档案", 10), ("入户宣传", 20))
    ]
    url = f"/api/v1/readiness/template/tasks/{ids[1]}"
    assert put(client, url, {"title": "", "offset_days": 20, "version": 1}).status_code == 400
    assert put(client, url, {"title": "入户宣传", "offset_days": 20, "position": 3, "version": 1}).status_code == 400
    moved = put(client, url, {"title": "入户宣传政策", "offset_days": 15, "position": 1, "version": 1})
    assert moved.status_code == 200 and (moved.json()["position"], moved.json()["version"]) == (1, 2)
    assert put(client, url, {"title": "入户宣传", "offset_days": 15, "version": 1}).status_code == 409
    retire = f"/api/v1/readiness/template/tasks/{ids[0]}/active"
    off = client.post(retire, {"active": False, "version": 2}, content_type="application/json")
    assert off.status_code == 200 and off.json()["active"] is False and off.json()["retired_on"] is not None
    assert client.post(retire, {"active": False, "version": 3}, content_type="application/json").status_code == 409
    listed = client.get(base).json()
    assert not listed["is_default"]
    assert [(t["title"], t["position"], t["active"]) for t in listed["tasks"]] == [
        ("入户宣传政策", 1, True),
        ("建好档案", 2, False),
    ]
    made = client.post(
        f"/api/v1/readiness/{VILLAGE_A}/workplan", {"owner": "驻村干部"}, content_type="application/json"
    )
    assert [t["title"] for t in made.json()] == ["入户宣传政策"]
    for user in (officer, make_user("county_organizer", OTHER_COUNTY)):
        assert put(api_as(user), url, {"title": "改", "offset_days": 5, "version": 2}).status_code == 404
        assert (
            api_as(user).post(retire, {"active": True, "version": 3}, content_type="application/json").status_code
            == 404
        )
    assert TemplateTask.objects.get(pk=ids[1]).title == "入户宣传政策"
